/**
 * The customer page (360): purchases in every store, returns, per-store totals, invoices, the balance owed
 * with its open items, notes (add one), segments, and the sections other modules contribute (loyalty, consents).
 */
import { Badge, Button, Group, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { Customer360 } from '@tpv/shared/wire/http/crm';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

export default function CustomerPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const { id } = useParams();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const page = useQuery({ queryKey: ['crm', 'customer', id], queryFn: () => get<Customer360>(`/api/crm/customers/${id}`) });
  const addNote = useMutation({
    mutationFn: () => api('POST', `/api/crm/customers/${id}/notes`, { body: note }),
    onSuccess: () => (setNote(''), void qc.invalidateQueries({ queryKey: ['crm', 'customer', id] })),
  });
  const p = page.data;
  if (!p) return null;
  const c = p.customer;
  const tickets = (rows: Customer360['purchases'], testId: string) =>
    rows.length === 0 ? <Text c="dimmed">{t('p.nothing')}</Text> : (
      <Table data-testid={testId}>
        <Table.Thead><Table.Tr><Table.Th>{t('p.date')}</Table.Th><Table.Th>{t('p.ticket')}</Table.Th><Table.Th>{t('p.store')}</Table.Th><Table.Th ta="right">{t('p.total')}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>{rows.map((r) => <Table.Tr key={r.id}><Table.Td>{f.date(r.businessDate)}</Table.Td><Table.Td>{r.fiscalNumber}</Table.Td><Table.Td>{r.storeName}</Table.Td><Table.Td ta="right">{f.money(r.totalCents)}</Table.Td></Table.Tr>)}</Table.Tbody>
      </Table>
    );
  return (
    <>
      <PageHeader title={<span data-testid="customer-name">{c.name}</span>} subtitle={[c.nif, c.phone, c.email, c.loyaltyCard].filter(Boolean).join(' · ')} />
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Section title={t('p.balance')} testId="customer-balance"><Title order={3}>{f.money(p.balanceCents)}</Title></Section>
          <Section title={t('p.segments')}><Group>{p.segments.length ? p.segments.map((s) => <Badge key={s.id}>{s.name}</Badge>) : <Text c="dimmed">{t('p.nothing')}</Text>}</Group></Section>
          <Section title={t('p.merged')}><Text size="sm" data-testid="customer-merged-from">{p.mergedFrom.length ? p.mergedFrom.map((m) => m.id).join(', ') : '—'}</Text></Section>
        </SimpleGrid>
        <Section title={t('p.stores')}>
          <Table><Table.Tbody>{p.stores.map((s) => <Table.Tr key={s.storeId}><Table.Td>{s.storeName}</Table.Td><Table.Td>{s.tickets} {t('p.tickets')}</Table.Td><Table.Td ta="right">{f.money(s.spendCents)}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
        </Section>
        <Section title={t('p.purchases')}>{tickets(p.purchases, 'customer-purchases')}</Section>
        <Section title={t('p.returns')}>{tickets(p.returns, 'customer-returns')}</Section>
        <Section title={t('p.invoices')}>
          {p.invoices.length === 0 ? <Text c="dimmed">{t('p.nothing')}</Text> : (
            <Table><Table.Tbody>{p.invoices.map((i) => <Table.Tr key={i.id}><Table.Td>{i.number ?? '—'}</Table.Td><Table.Td>{f.date(i.issueDate)}</Table.Td><Table.Td>{i.status}</Table.Td><Table.Td ta="right">{f.money(i.totalCents)}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
          )}
        </Section>
        {p.sections.map((s) => (
          <Section key={s.module} title={s.title} testId={`customer-section-${s.module}`}>
            {s.rows.length === 0 ? <Text c="dimmed">{t('p.nothing')}</Text> : (
              <Table><Table.Tbody>{s.rows.map((r, i) => <Table.Tr key={i}>{Object.entries(r).map(([k, v]) => <Table.Td key={k}><Text size="xs" c="dimmed">{k}</Text>{String(v ?? '—')}</Table.Td>)}</Table.Tr>)}</Table.Tbody></Table>
            )}
          </Section>
        ))}
        <Section title={t('p.notes')}>
          <Stack>
            {p.notes.map((n) => <Text key={n.id} size="sm" data-testid="customer-note">{f.dateTime(n.createdAt)} · {n.author ?? '—'}: {n.body}</Text>)}
            <Textarea value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="customer-note-input" />
            <Group><Button onClick={() => addNote.mutate()} disabled={!note.trim()} loading={addNote.isPending} data-testid="customer-note-add">{t('p.addNote')}</Button></Group>
          </Stack>
        </Section>
      </Stack>
    </>
  );
}
