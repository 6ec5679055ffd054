/**
 * The routes: the shell at the root, every module's pages under it (each behind its permission: a user
 * without it sees "not allowed", whatever the URL), the start page = the first menu entry the user has.
 */
import { Navigate, Outlet, createBrowserRouter, type RouteObject } from 'react-router';
import { modules, permissionsOf } from '../modules';
import type { UiModule } from './module';
import { can, moduleEnabled, useUser } from './auth';
import { NotAllowed, NotFound, RouteError } from './pages';
import { Shell, visibleMenu } from './Shell';

function RequirePermission({ module, permission }: { module: UiModule; permission: string }) {
  const user = useUser();
  return moduleEnabled(user, module.id, permissionsOf(module)) && can(user, permission) ? <Outlet /> : <NotAllowed />;
}

function Home() {
  const first = visibleMenu(useUser())[0];
  return first ? <Navigate to={`/${first.entry.path}`} replace /> : <NotAllowed />;
}

export function routes(): RouteObject[] {
  return [
    {
      path: '/',
      element: <Shell />,
      children: [
        { index: true, element: <Home />, errorElement: <RouteError /> },
        ...modules.flatMap((m) =>
          m.routes.map<RouteObject>((r) => ({
            element: <RequirePermission module={m} permission={r.permission} />,
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
