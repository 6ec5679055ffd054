/** The requests served (export, erasure, retention) with their files, and the retention policy (privacy.admin sets it and runs the job). */
import { Anchor, Badge, Button, Group, NumberInput, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { RequestItem } from '@tpv/shared/wire/http/privacy';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { ErrorState, QueryState, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

export function FileLinks({ r }: { r: Pick<RequestItem, 'jsonFileId' | 'pdfFileId' | 'customerId'> }) {
  return (
    <Group gap="xs">
      {r.jsonFileId && <Anchor component="button" onClick={() => void download(`/api/files/${r.jsonFileId}`, `datos-${r.customerId}.json`)}>JSON</Anchor>}
      {r.pdfFileId && <Anchor component="button" onClick={() => void download(`/api/files/${r.pdfFileId}`, `datos-${r.customerId}.pdf`)}>PDF</Anchor>}
    </Group>
  );
}

interface Policy { retentionYears: number | null; updatedBy: string | null; updatedAt: string | null }

export default function RequestsPage() {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const toast = useToast();
  const requests = useQuery({ queryKey: ['privacy', 'requests'], queryFn: () => get<{ items: RequestItem[] }>('/api/privacy/requests') });
  const policy = useQuery({ queryKey: ['privacy', 'policy'], queryFn: () => get<Policy>('/api/privacy/retention') });
  const [years, setYears] = useState<number | string>('');
  useEffect(() => setYears(policy.data?.retentionYears ?? ''), [policy.data]);
  const save = useMutation({
    mutationFn: () => api('PUT', '/api/privacy/retention', { retentionYears: years === '' ? null : Number(years) }),
    onSuccess: () => (toast.ok(t('actions.done')), qc.invalidateQueries({ queryKey: ['privacy', 'policy'] })),
  });
  const run = useMutation({ mutationFn: () => api('POST', '/api/privacy/retention/run'), onSuccess: () => toast.ok(t('retention.queued')) });
  const admin = useCan('privacy.admin');
  return (
    <>
      <PageHeader title={t('requests.title')} subtitle={t('requests.subtitle')} />
      <Section title={t('retention.title')} testId="privacy-retention">
        <Group align="end">
          <NumberInput label={t('retention.years')} min={1} max={50} value={years} onChange={setYears} disabled={!admin} data-testid="privacy-retention-years" w={360} />
          {admin && <Button onClick={() => save.mutate()} loading={save.isPending}>{t('retention.save')}</Button>}
          {admin && <Button variant="light" onClick={() => run.mutate()} loading={run.isPending}>{t('retention.run')}</Button>}
        </Group>
        {policy.data?.updatedBy && <Text size="xs" c="dimmed" mt="xs">{policy.data.updatedBy} · {policy.data.updatedAt ? new Date(policy.data.updatedAt).toLocaleString(locale) : ''}</Text>}
        {save.error != null && <ErrorState error={save.error} />}
      </Section>
      <QueryState query={requests}>
        {(d) => d.items.length === 0 ? <Text c="dimmed">{t('requests.empty')}</Text> : (
          <Table data-testid="privacy-requests">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('requests.date')}</Table.Th><Table.Th>{t('requests.customer')}</Table.Th><Table.Th>{t('requests.kind')}</Table.Th><Table.Th>{t('requests.status')}</Table.Th><Table.Th>{t('requests.by')}</Table.Th><Table.Th>{t('requests.files')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{new Date(r.createdAt).toLocaleString(locale)}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/privacy/customers?customerId=${r.customerId}`}>{r.customerName ?? r.customerId}</Anchor></Table.Td>
                  <Table.Td><Badge variant="light">{t(`kind.${r.kind}`)}</Badge></Table.Td>
                  <Table.Td>{t(`status.${r.status}`)}</Table.Td>
                  <Table.Td>{r.requestedBy ?? '—'}</Table.Td>
                  <Table.Td><FileLinks r={r} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
