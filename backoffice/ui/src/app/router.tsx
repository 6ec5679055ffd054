/**
 * The routes: the shell at the root, every module's pages under it (each behind its permission: a user
 * without it sees "not allowed", whatever the URL), the start page = the first menu entry the user has.
 */
import { Navigate, Outlet, createBrowserRouter, type RouteObject } from 'react-router';
import { modules, permissionsOf } from '../modules';
import type { UiModule, UiRoute } from './module';
import { can, moduleEnabled, useUser } from './auth';
import { NotAllowed, NotFound, RouteError } from './pages';
import { Shell, visibleMenu } from './Shell';

function RequirePermission({ module, route }: { module: UiModule; route: UiRoute }) {
  const user = useUser();
  const allowed = moduleEnabled(user, module.id, permissionsOf(module)) && can(user, route.permission) && (!route.franchiseWide || user.franchiseWide);
  return allowed ? <Outlet /> : <NotAllowed />;
}

function Home() {
  // TPV_REQUIRE_TOTP_HQ: a session that must enrol a second factor first goes to My account.
  if ((useUser() as { totpEnrolmentRequired?: boolean }).totpEnrolmentRequired) return <Navigate to="/account" replace />;
  const first = visibleMenu(useUser())[0];
  return first ? <Navigate to={`/${first.entry.path}`} replace /> : <NotAllowed />;
}

export function routes(): RouteObject[] {
  return [
    // The worker's self-service page (issue 16): its own sign-in, outside the admin shell.
    { path: '/self-service', errorElement: <RouteError />, lazy: async () => ({ Component: (await import('../people/SelfServicePage')).default }) },
    // The labour inspector's page: a key HR granted, no admin account.
    { path: '/inspector', errorElement: <RouteError />, lazy: async () => ({ Component: (await import('../people/InspectorPage')).default }) },
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Home />, errorElement: <RouteError /> },
        // Every signed-in user's own account (password, two-step verification, sessions).
        { path: 'account', errorElement: <RouteError />, lazy: async () => ({ Component: (await import('../users/AccountPage')).default }) },
        ...modules.flatMap((m) =>
          m.routes.map<RouteObject>((r) => ({
            element: <RequirePermission module={m} route={r} />,
            errorElement: <RouteError />,
            children: [{ path: r.path, lazy: async () => ({ Component: (await r.page()).default }) }],
          })),
        ),
        { path: '*', element: <NotFound /> },
      ],
    },
  ];
}

export const createRouter = () => createBrowserRouter(routes());
