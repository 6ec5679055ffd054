/** The franchise's customers: search (name words, phone, email, NIF, card), filters, a new customer at HQ. */
import { Alert, Anchor, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CustomerSummary } from '@tpv/shared/wire/http/crm';
import { api, get, withQuery, type ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

type Filter = 'all' | 'member' | 'noContact' | 'withNif';

export default function CustomersPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState({ name: '', nif: '', phone: '', email: '', loyaltyCard: '' });
  const list = useQuery({
    queryKey: ['crm', 'customers', q, filter, segmentId],
    queryFn: () => get<{ customers: CustomerSummary[]; total: number }>(withQuery('/api/crm/customers', { q: q || undefined, filter, segmentId: segmentId ?? undefined })),
  });
  const segments = useQuery({ queryKey: ['crm', 'segments'], queryFn: () => get<{ segments: Array<{ id: string; name: string }> }>('/api/crm/segments') });
  const create = useMutation({
    mutationFn: () => api('POST', '/api/crm/customers', Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() === '' ? null : v])) as Record<string, string | null>),
    onSuccess: () => {
      setCreating(false);
      setForm({ name: '', nif: '', phone: '', email: '', loyaltyCard: '' });
      void qc.invalidateQueries({ queryKey: ['crm'] });
    },
  });
  const field = (k: keyof typeof form, label: string) => (
    <TextInput label={label} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.currentTarget.value })} data-testid={`customer-${k}`} />
  );
  return (
    <>
      <PageHeader title={t('l.title')} subtitle={t('l.help')} actions={<Button onClick={() => setCreating(true)} data-testid="customer-new">{t('l.new')}</Button>} />
      <Section>
        <Group mb="md" align="end">
          <TextInput label={t('l.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="customers-search" w={320} />
          <Select label={t('l.filter')} value={filter} onChange={(v) => setFilter((v as Filter) ?? 'all')} allowDeselect={false}
            data={(['all', 'member', 'noContact', 'withNif'] as const).map((v) => ({ value: v, label: t(`l.${v}`) }))} />
          <Select label={t('l.segment')} placeholder={t('l.anySegment')} clearable value={segmentId} onChange={setSegmentId}
            data={(segments.data?.segments ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        </Group>
        <Text size="sm" c="dimmed" mb="xs" data-testid="customers-count">{t('l.count', { count: list.data?.total ?? 0 })}</Text>
        {list.data && list.data.customers.length === 0 ? <Text c="dimmed">{t('l.none')}</Text> : (
          <Table striped highlightOnHover data-testid="customers-table">
            <Table.Thead><Table.Tr><Table.Th>{t('c.name')}</Table.Th><Table.Th>{t('c.nif')}</Table.Th><Table.Th>{t('c.phone')}</Table.Th><Table.Th>{t('c.email')}</Table.Th><Table.Th>{t('c.card')}</Table.Th><Table.Th>{t('c.created')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.customers ?? []).map((c) => (
                <Table.Tr key={c.id} data-testid="customer-row">
                  <Table.Td><Anchor component={Link} to={`/crm/customers/${c.id}`}>{c.name}</Anchor></Table.Td>
                  <Table.Td>{c.nif ?? '—'}</Table.Td><Table.Td>{c.phone ?? '—'}</Table.Td><Table.Td>{c.email ?? '—'}</Table.Td><Table.Td>{c.loyaltyCard ?? '—'}</Table.Td><Table.Td>{f.date(c.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('l.new')}>
        <Stack>
          {field('name', t('c.name'))}{field('nif', t('c.nif'))}{field('phone', t('c.phone'))}{field('email', t('c.email'))}{field('loyaltyCard', t('c.card'))}
          {create.error && <Alert color="red" data-testid="customer-error">{(create.error as ApiError).message}</Alert>}
          <Group justify="end"><Button variant="default" onClick={() => setCreating(false)}>{t('c.cancel')}</Button><Button onClick={() => create.mutate()} loading={create.isPending} data-testid="customer-save">{t('c.save')}</Button></Group>
        </Stack>
      </Modal>
    </>
  );
}
