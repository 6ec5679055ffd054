/** Companies with their stores and terminals (what the user's scope covers). */
import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import { useOrganisation } from './queries';

export default function NetworkPage() {
  const { t, locale } = useT(messages);
  const org = useOrganisation();
  return (
    <>
      <PageHeader title={t('org.title')} />
      <QueryState query={org}>
        {(data) =>
          data.companies.length === 0 ? (
            <Text c="dimmed">{t('org.empty')}</Text>
          ) : (
            <Stack gap="md">
              {data.companies.map((c) => (
                <Paper key={c.id} withBorder p="md" radius="md" className="company" data-testid="company">
                  <Title order={3} size="h4" mb="xs">
                    {c.legalName}{' '}
                    <Badge variant="light" color={c.kind === 'franchisor' ? 'grape' : 'blue'}>{c.kind === 'franchisor' ? t('org.franchisor') : t('org.franchisee')}</Badge>{' '}
                    <Text span size="sm" c="dimmed">{t('org.nif')} {c.nif}</Text>
                  </Title>
                  <Table.ScrollContainer minWidth={500}>
                    <Table striped>
                      <Table.Thead>
                        <Table.Tr><Table.Th>{t('org.store')}</Table.Th><Table.Th>{t('org.terminals')}</Table.Th><Table.Th>{t('org.lastSeen')}</Table.Th></Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {c.stores.flatMap((s) =>
                          (s.terminals.length ? s.terminals : [null]).map((term, i) => (
                            <Table.Tr key={`${s.id}-${term?.id ?? 'none'}`}>
                              <Table.Td>{i === 0 ? `${s.code} · ${s.name}` : ''}</Table.Td>
                              <Table.Td>{term ? `${term.code} · ${term.name}` : '—'}</Table.Td>
                              <Table.Td>{term ? (term.lastSeenAt ? new Date(term.lastSeenAt).toLocaleString(locale) : t('org.never')) : ''}</Table.Td>
                            </Table.Tr>
                          )),
                        )}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Paper>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </>
  );
}
