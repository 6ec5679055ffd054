/** The shell's own pages: not allowed (a route the user's permissions do not cover) and not found. */
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { useT } from './i18n';

export function NotAllowed() {
  const { t } = useT();
  return (
    <Center py="xl" data-testid="not-allowed">
      <Stack align="center" gap="sm">
        <Title order={2}>{t('notAllowed.title')}</Title>
        <Text c="dimmed" ta="center" maw={420}>{t('notAllowed.body')}</Text>
        <Button component={Link} to="/" variant="light">{t('common.home')}</Button>
      </Stack>
    </Center>
  );
}

export function NotFound() {
  const { t } = useT();
  return (
    <Center py="xl" data-testid="not-found">
      <Stack align="center" gap="sm">
        <Title order={2}>{t('notFound.title')}</Title>
        <Text c="dimmed">{t('notFound.body')}</Text>
        <Button component={Link} to="/" variant="light">{t('common.home')}</Button>
      </Stack>
    </Center>
  );
}

/** A page that failed to load or render (e.g. its code changed after a deployment): say so, offer a reload. */
export function RouteError() {
  const { t } = useT();
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <Center py="xl" data-testid="route-error">
      <Stack align="center" gap="sm">
        <Title order={2}>{t('routeError.title')}</Title>
        <Text c="dimmed" ta="center" maw={480}>{t('routeError.body')}</Text>
        <Text size="xs" c="dimmed" ff="monospace">{message}</Text>
        <Button onClick={() => window.location.reload()} variant="light">{t('routeError.reload')}</Button>
      </Stack>
    </Center>
  );
}
