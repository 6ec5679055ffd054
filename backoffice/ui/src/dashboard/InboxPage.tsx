/** The report inbox: files the user's scheduled views delivered, newest first; download marks an item read. */
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InboxItem } from '@tpv/shared/wire/http/dashboard';
import { api, download, get } from '../app/api';
import { useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

export default function InboxPage() {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['report-inbox'], queryFn: () => get<{ items: InboxItem[]; unread: number }>('/api/report-inbox') });
  const read = useMutation({ mutationFn: (id: string) => api('POST', `/api/report-inbox/${id}/read`), onSuccess: () => qc.invalidateQueries({ queryKey: ['report-inbox'] }) });
  const items = q.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('inbox.title')} subtitle={t('inbox.subtitle')} />
      <Section testId="report-inbox">
        {items.length === 0 ? (
          <Text c="dimmed">{t('inbox.empty')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr><Table.Th>{t('inbox.report')}</Table.Th><Table.Th>{t('inbox.date')}</Table.Th><Table.Th /><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} data-testid={`inbox-${i.id}`} style={{ fontWeight: i.read ? undefined : 700 }}>
                  <Table.Td>{i.title}</Table.Td>
                  <Table.Td>{new Date(i.createdAt).toLocaleString(locale)}</Table.Td>
                  <Table.Td><Badge color={i.read ? 'gray' : 'grape'}>{i.read ? t('inbox.read') : t('inbox.unread')}</Badge></Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => void download(`/api/files/${i.fileId}`, i.fileName).then(() => !i.read && read.mutate(i.id))}>{t('inbox.download')}</Button>
                      {!i.read && <Button size="xs" variant="subtle" onClick={() => read.mutate(i.id)}>{t('inbox.markRead')}</Button>}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
