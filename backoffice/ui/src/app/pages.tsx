/** The shell's own pages: not allowed (a route the user's permissions do not cover) and not found. */
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
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
