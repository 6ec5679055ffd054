/**
 * The cashiers report's drill-down (issue 18): the cashier's voided lines, cancelled tickets and cash closes of
 * the period, each with its time, store, till, amount and the supervisor who authorised or confirmed it. The
 * amount is in two columns (voided; a close's cash difference) so each has a total, as in the CSV/XLSX/PDF files
 * the buttons download (the same query with `format`).
 */
import { useState } from 'react';
import { Button, Group, Table, Text, Title } from '@mantine/core';
import { formatMoney } from '@tpv/shared/money';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { downloadCashierEvents, useCashierEvents } from './api';
import { messages } from './messages';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function CashierEventsPanel({ cashierId, cashier, from, to, storeId, onClose }: {
  cashierId: string;
  cashier: string;
  from?: string | undefined;
  to?: string | undefined;
  storeId?: string | undefined;
  onClose: () => void;
}) {
  const { t, locale } = useT(messages);
  const q = useCashierEvents({ cashierId, from, to, storeId });
  const [busy, setBusy] = useState<string | null>(null);
  const exportAs = (format: 'csv' | 'xlsx' | 'pdf') => {
    setBusy(format);
    void downloadCashierEvents({ cashierId, from, to, storeId }, format).finally(() => setBusy(null));
  };
  const time = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div data-testid="cashier-events">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('drill.title', { cashier })}</Title>
        <Group gap="xs">
          {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
            <Button key={f} size="xs" variant="light" loading={busy === f} onClick={() => exportAs(f)} data-testid={`cashier-events-export-${f}`}>{f.toUpperCase()}</Button>
          ))}
          <Button size="xs" variant="subtle" onClick={onClose} data-testid="cashier-events-close">{t('drill.close')}</Button>
        </Group>
      </Group>
      <QueryState query={q}>
        {(r) =>
          r.events.length === 0 ? (
            <Text c="dimmed" data-testid="cashier-events-empty">{t('drill.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={600}>
              <Table striped data-testid="cashier-events-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('drill.time')}</Table.Th>
                    <Table.Th>{t('drill.kind')}</Table.Th>
                    <Table.Th>{t('drill.store')}</Table.Th>
                    <Table.Th>{t('drill.till')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('drill.lines')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('drill.amount')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('drill.difference')}</Table.Th>
                    <Table.Th>{t('drill.supervisor')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.events.map((e) => (
                    <Table.Tr key={e.id} data-testid={`cashier-event-${e.kind}`}>
                      <Table.Td>{time(e.at)}</Table.Td>
                      <Table.Td>{t(`drill.kind.${e.kind}`)}</Table.Td>
                      <Table.Td>{e.store}</Table.Td>
                      <Table.Td>{e.till}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{e.kind === 'cash_close' ? '—' : e.lines}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{e.kind === 'cash_close' ? '—' : formatMoney(e.cents, locale)}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{e.kind === 'cash_close' ? formatMoney(e.cents, locale) : '—'}</Table.Td>
                      <Table.Td>{e.supervisor ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr data-testid="cashier-events-totals" style={{ fontWeight: 700 }}>
                    <Table.Td colSpan={4}>{t('drill.total')}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{sum(r.events.filter((e) => e.kind !== 'cash_close').map((e) => e.lines))}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatMoney(sum(r.events.filter((e) => e.kind !== 'cash_close').map((e) => e.cents)), locale)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatMoney(sum(r.events.filter((e) => e.kind === 'cash_close').map((e) => e.cents)), locale)}</Table.Td>
                    <Table.Td />
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
              {r.truncated && <Text size="sm" c="dimmed">{t('drill.truncated')}</Text>}
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </div>
  );
}
