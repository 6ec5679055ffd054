/** Savings by promotion over a period (per promotion, and per store and day), from the tickets HQ ingested. */
import { SimpleGrid, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface Totals { byPromotion: Array<{ promotionId: string; name: string; tickets: number; cents: number }>; totalCents: number }

const today = () => new Date().toISOString().slice(0, 10);

export default function TotalsPage() {
  const { t } = useT(messages);
  const fmt = useFormat();
  const [from, setFrom] = useState(() => today().slice(0, 8) + '01');
  const [to, setTo] = useState(today);
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const q = useQuery({ queryKey: ['promotions', 'totals', from, to], queryFn: () => get<Totals>(withQuery('/api/promotions/totals', { from, to })), enabled: ok });
  return (
    <>
      <PageHeader title={t('t.title')} />
      <Section>
        <SimpleGrid cols={2}>
          <TextInput type="date" label={t('t.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('t.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </SimpleGrid>
        <Table striped mt="md" data-testid="promotion-totals">
          <Table.Thead><Table.Tr><Table.Th>{t('p.name')}</Table.Th><Table.Th ta="right">{t('t.tickets')}</Table.Th><Table.Th ta="right">{t('t.saving')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {q.data?.byPromotion.map((r) => (
              <Table.Tr key={r.promotionId}><Table.Td>{r.name}</Table.Td><Table.Td ta="right">{r.tickets}</Table.Td><Table.Td ta="right">{fmt.money(r.cents)}</Table.Td></Table.Tr>
            ))}
            <Table.Tr><Table.Td fw={700}>{t('t.total')}</Table.Td><Table.Td /><Table.Td ta="right" fw={700}>{fmt.money(q.data?.totalCents ?? 0)}</Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      </Section>
    </>
  );
}
