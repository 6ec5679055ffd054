/** Pieces the users pages share: role labels, company/store options, the one-time link box, the sessions table. */
import { Alert, Badge, Button, CopyButton, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionRow, UserRow } from '@tpv/shared/wire/http/auth';
import { ROLE_VALUES } from '@tpv/shared/wire/http/auth';
import { api, get } from '../app/api';
import { lookup, useT } from '../app/i18n';
import type { CommonKey } from '../app/messages';
import { QueryState, useToast } from '../components/feedback';
import { useOrganisation } from '../network/queries';
import { messages } from './messages';

export type { UserRow };

export type { SessionRow };

export interface OneTimeLink {
  token: string;
  expiresAt: string;
  path: string;
}

export function useRoleLabel() {
  const { locale } = useT();
  return (role: string) => {
    const text = lookup(null, locale, `role.${role}` as CommonKey);
    return text === `role.${role}` ? role : text;
  };
}

/** Roles the caller may give: an HQ admin any; a franchisee manager store managers only (the server checks again). */
export function useRoleOptions(callerRole: string) {
  const label = useRoleLabel();
  const roles = callerRole === 'hq_admin' ? ROLE_VALUES : (['store_manager'] as const);
  return roles.map((r) => ({ value: r, label: label(r) }));
}

/** Companies and stores the caller sees (GET /api/organisation), as select options and name lookups. */
export function useScopeOptions() {
  const org = useOrganisation();
  const companies = org.data?.companies ?? [];
  const stores = companies.flatMap((c) => c.stores);
  return {
    ...org,
    companyOptions: companies.map((c) => ({ value: c.id, label: c.legalName })),
    storeOptions: stores.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` })),
    companyName: (id: string) => companies.find((c) => c.id === id)?.legalName ?? id,
    storeName: (id: string) => {
      const s = stores.find((x) => x.id === id);
      return s ? `${s.code} · ${s.name}` : id;
    },
  };
}

export function StatusBadge({ user }: { user: Pick<UserRow, 'active' | 'invitationPending'> }) {
  const { t } = useT(messages);
  if (!user.active) return <Badge color="gray" data-testid="user-status">{t('users.inactive')}</Badge>;
  if (user.invitationPending) return <Badge color="yellow" data-testid="user-status">{t('users.pending')}</Badge>;
  return <Badge color="green" data-testid="user-status">{t('users.active')}</Badge>;
}

/** A link shown once (invitation or reset): the full URL to copy and send, since there is no mail server. */
export function OneTimeLinkBox({ link, email, kind, onDone }: { link: OneTimeLink; email: string; kind: 'invitation' | 'reset'; onDone?: () => void }) {
  const { t, locale } = useT(messages);
  const url = `${window.location.origin}${link.path}`;
  const date = new Date(link.expiresAt).toLocaleString(locale);
  return (
    <Alert color="blue" title={t(kind === 'invitation' ? 'users.invitationTitle' : 'users.resetTitle')} data-testid="one-time-link">
      <Stack gap="xs">
        <Text size="sm">{t(kind === 'invitation' ? 'users.invitationBody' : 'users.resetBody', { email, date })}</Text>
        <Group gap="xs" wrap="nowrap">
          <TextInput readOnly value={url} style={{ flex: 1 }} data-testid="one-time-url" aria-label={t('users.invitationTitle')} />
          <CopyButton value={url}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? t('users.copied') : t('users.copy')}</Button>}</CopyButton>
        </Group>
        {onDone && (
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>{t('users.done')}</Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** Open sessions of a user (own: /api/auth/sessions; another's: /api/users/:id/sessions), each one can be ended. */
export function SessionsTable({ userId }: { userId: string | null }) {
  const { t, locale } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const path = userId ? `/api/users/${userId}/sessions` : '/api/auth/sessions';
  const q = useQuery({ queryKey: ['sessions', userId ?? 'me'], queryFn: () => get<SessionRow[]>(path) });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `${path}/${id}`),
    onSuccess: async () => {
      toast.ok(t('users.revoked'));
      await qc.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <QueryState query={q}>
      {(rows) =>
        rows.length === 0 ? (
          <Text c="dimmed" size="sm">{t('users.noSessions')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table data-testid="sessions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.sessionStarted')}</Table.Th>
                  <Table.Th>{t('users.sessionExpires')}</Table.Th>
                  <Table.Th>{t('users.sessionDevice')}</Table.Th>
                  <Table.Th>{t('users.sessionIp')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.id} data-testid="session-row">
                    <Table.Td>{new Date(s.createdAt).toLocaleString(locale)}</Table.Td>
                    <Table.Td>{new Date(s.expiresAt).toLocaleString(locale)}</Table.Td>
                    <Table.Td><Text size="xs" lineClamp={1} title={s.userAgent ?? ''}>{s.userAgent ?? '—'}</Text></Table.Td>
                    <Table.Td>{s.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      {s.current ? (
                        <Badge variant="light">{t('users.sessionCurrent')}</Badge>
                      ) : (
                        <Button size="xs" variant="light" color="red" loading={revoke.isPending} onClick={() => revoke.mutate(s.id)} data-testid="revoke-session">
                          {t('users.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      }
    </QueryState>
  );
}
