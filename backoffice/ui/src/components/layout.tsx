/** Page frames: a list page's title bar and a detail page (back link, title, actions, sections). */
import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from '../app/i18n';

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
      <div>
        <Title order={2}>{title}</Title>
        {subtitle && <Text c="dimmed" size="sm">{subtitle}</Text>}
      </div>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

/** A record's page: back to its list, its title and status, the actions, and its sections one under another. */
export function DetailLayout({ back, title, subtitle, actions, children }: { back?: { to: string; label?: string }; title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const { t } = useT();
  return (
    <Stack gap="md">
      {back && (
        <Anchor component={Link} to={back.to} size="sm" data-testid="back">
          ← {back.label ?? t('common.back')}
        </Anchor>
      )}
      <PageHeader title={title} subtitle={subtitle} actions={actions} />
      {children}
    </Stack>
  );
}

export function Section({ title, children, actions, testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      {(title || actions) && (
        <Group justify="space-between" mb="sm">
          {title && <Title order={4}>{title}</Title>}
          {actions}
        </Group>
      )}
      {children}
    </Paper>
  );
}

/** Label/value pairs of a detail page. */
export function Fields({ items }: { items: Array<[ReactNode, ReactNode]> }) {
  return (
    <Stack gap={6}>
      {items.map(([k, v], i) => (
        <Group key={i} gap="md" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed" w={180} style={{ flexShrink: 0 }}>{k}</Text>
          <Text size="sm">{v}</Text>
        </Group>
      ))}
    </Stack>
  );
}
