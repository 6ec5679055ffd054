/**
 * The application frame: header (title, server health, user and role, language, sign-out), the side menu
 * built from the module list (an entry only when its module is on and the user has its permission), and
 * the page. Until someone is signed in, the sign-in form instead of the page.
 */
import { AppShell, Badge, Box, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { modules, permissionsOf } from '../modules';
import { MENU_SECTIONS } from './module';
import { Loading } from '../components/feedback';
import { api, session } from './api';
import { can, ME_KEY, moduleEnabled, useSession, type Session } from './auth';
import { lookup, useT, type Locale } from './i18n';
import type { CommonKey } from './messages';

// Signed-in users never need the sign-in form (nor zod and react-hook-form at start-up): its own chunk.
const Login = lazy(() => import('./Login'));

interface Health {
  status: 'ok' | 'degraded';
  version: string;
  database: { engine: string; location: string };
}

/** The menu entries this user may see, in module order. */
export function visibleMenu(user: Session | null | undefined) {
  return modules.flatMap((m) => (moduleEnabled(user, m.id, permissionsOf(m)) ? m.menu.filter((e) => can(user, e.permission) && (!e.franchiseWide || !!user?.franchiseWide)).map((e) => ({ module: m, entry: e })) : []));
}

export function Shell() {
  const { t, locale, setLocale } = useT();
  const me = useSession();
  const qc = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigation = useNavigation();
  useEffect(() => close(), [location.pathname, close]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const logout = () => {
    void api('POST', '/api/auth/logout').catch(() => undefined);
    session.set(null);
    qc.setQueryData(ME_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
  };

  const user = me.data;
  const menu = visibleMenu(user);
  // The browser tab says where the user is.
  const current = menu.find(({ entry }) => isActive(location.pathname, entry.path));
  const pageTitle = current ? lookup(current.module.messages, locale, current.entry.label) : null;
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} · ${t('app.short')}` : t('app.title');
  }, [pageTitle, t]);
  return (
    <AppShell header={{ height: 56 }} navbar={user ? { width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } } : undefined} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {user && <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />}
            <Title order={1} size="h4" visibleFrom="xs">{t('app.title')}</Title>
            <Title order={1} size="h4" hiddenFrom="xs">{t('app.short')}</Title>
            <HealthBadge />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {user && (
              <Box visibleFrom="xs" style={{ textAlign: 'right', lineHeight: 1.1 }} data-testid="user">
                <Text size="sm" fw={600} component={Link} to="/account" data-testid="my-account" title={t('shell.account')} style={{ color: 'inherit' }}>{user.name}</Text>
                <Text size="xs" c="dimmed" data-testid="role">{roleLabel(user.role, locale)}</Text>
              </Box>
            )}
            <Button size="xs" variant="subtle" onClick={() => setLocale(locale === 'es' ? 'en' : 'es')} data-testid="language-switch" title={t('shell.language')}>
              {t('lang.switch')}
            </Button>
            {user && (
              <Button size="xs" variant="light" onClick={logout}>
                {t('login.logout')}
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      {user && (
        <AppShell.Navbar p="xs" aria-label={t('shell.menu')}>
          <AppShell.Section grow component={ScrollArea}>
            <nav>
              {MENU_SECTIONS.map((section) => {
                const entries = menu.filter(({ module }) => (module.section ?? 'operations') === section);
                return entries.length === 0 ? null : (
                  <div key={section} role="group" aria-labelledby={`menu-section-${section}`}>
                    <Text id={`menu-section-${section}`} size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
                      {t(`menu.${section}`)}
                    </Text>
                    {entries.map(({ module, entry }) => (
                <NavLink
                  key={`${module.id}:${entry.path}`}
                  component={Link}
                  to={`/${entry.path}`}
                  label={lookup(module.messages, locale, entry.label)}
                  leftSection={entry.icon}
                  active={isActive(location.pathname, entry.path)}
                  aria-current={isActive(location.pathname, entry.path) ? 'page' : undefined}
                  data-testid={entry.testId ?? `nav-${entry.path.split('/').pop()}`}
                />
                    ))}
                  </div>
                );
              })}
            </nav>
          </AppShell.Section>
          {/* My account is every user's (also on a phone, where the header hides the user block). */}
          <AppShell.Section hiddenFrom="xs">
            <NavLink component={Link} to="/account" label={t('shell.account')} active={location.pathname === '/account'} data-testid="nav-account" />
          </AppShell.Section>
        </AppShell.Navbar>
      )}
      <AppShell.Main>
        <HealthAlert />
        {me.isPending ? <Loading /> : !user || isOneTimeLink(location.pathname) ? (
          <Suspense fallback={<Loading />}>
            <Login />
          </Suspense>
        ) : (
          <Suspense fallback={<Loading />}>
            {navigation.state === 'loading' && <Loading />}
            <div style={navigation.state === 'loading' ? { display: 'none' } : undefined}>
              <Outlet />
            </div>
          </Suspense>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

/** Invitation and reset links open the set-password form (Login) even in a browser someone is signed in on. */
const isOneTimeLink = (path: string) => path === '/accept-invitation' || path === '/reset-password';

const isActive = (pathname: string, path: string) => pathname === `/${path}` || pathname.startsWith(`/${path}/`);

function roleLabel(role: string, locale: Locale): string {
  const key = `role.${role}` as CommonKey;
  const text = lookup(null, locale, key);
  return text === key ? role : text;
}

function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: async () => {
      const r = await fetch('/health');
      return (await r.json()) as Health;
    },
    refetchInterval: 60_000,
    retry: 1,
  });
}

function HealthBadge() {
  const { t } = useT();
  const h = useHealth();
  if (!h.data) return null;
  const label = `${t('health.version', { version: h.data.version })} · ${t('health.db', { engine: h.data.database.engine, location: h.data.database.location })}`;
  return (
    <Badge color={h.data.status === 'ok' ? 'green' : 'red'} variant="light" data-testid="health" visibleFrom="sm" title={label}>
      {h.data.status === 'ok' ? t('health.ok') : t('health.degraded')}
    </Badge>
  );
}

/** A red line over the page when the server cannot be reached or says it is degraded. */
function HealthAlert() {
  const { t } = useT();
  const h = useHealth();
  if (h.error) return <Text c="white" bg="red" px="md" py={6} mb="sm" role="alert">{t('health.unreachable')}</Text>;
  if (h.data?.status === 'degraded') return <Text c="white" bg="red" px="md" py={6} mb="sm" role="alert">{t('health.degraded')}</Text>;
  return null;
}
