/** Pickers and the book-rows table the taxes pages share. */
import { Badge, Button, Group, Select, Table, Text } from '@mantine/core';
import type { VatBookRowWire } from '@tpv/shared/wire/http/accounting-taxes';
import { download, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { messages } from './messages';

const thisYear = new Date().getFullYear();
export const yearOptions = Array.from({ length: 6 }, (_, i) => String(thisYear - i)).map((y) => ({ value: y, label: y }));
/** The current quarter as yyyy-nT. */
export const currentQuarter = () => `${thisYear}-${Math.floor(new Date().getMonth() / 3) + 1}T`;

export function PeriodPicker({ value, onChange }: { value: string; onChange: (p: string) => void }) {
  const { t } = useT(messages);
  const year = value.slice(0, 4);
  const sub = value.slice(5);
  const subs = [
    ...[1, 2, 3, 4].map((n) => ({ value: `${n}T`, label: t('c.q', { n }) })),
    ...Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')).map((m) => ({ value: m, label: `${year}-${m}` })),
  ];
  return (
    <Group gap="xs" align="flex-end">
      <Select label={t('c.year')} data={yearOptions} value={year} onChange={(y) => y && onChange(`${y}-${sub}`)} allowDeselect={false} w={110} data-testid="tax-year" />
      <Select label={t('c.period')} data={subs} value={sub} onChange={(s) => s && onChange(`${year}-${s}`)} allowDeselect={false} w={150} data-testid="tax-period" />
    </Group>
  );
}

export function Downloads({ path, query, name }: { path: string; query: Record<string, string | number>; name: string }) {
  const { t } = useT(messages);
  return (
    <Group gap="xs">
      <Button variant="default" size="xs" onClick={() => void download(withQuery(path, { ...query, format: 'xlsx' }), `${name}.xlsx`)} data-testid="download-xlsx">{t('c.xlsx')}</Button>
      <Button variant="default" size="xs" onClick={() => void download(withQuery(path, { ...query, format: 'csv' }), `${name}.csv`)} data-testid="download-csv">{t('c.csv')}</Button>
    </Group>
  );
}

export function BookRows({ rows, testId }: { rows: readonly VatBookRowWire[]; testId: string }) {
  const { t } = useT(messages);
  const f = useFormat();
  if (rows.length === 0) return <Text c="dimmed" data-testid={`${testId}-empty`}>{t('b.none')}</Text>;
  const right = { textAlign: 'right' } as const;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('b.date')}</Table.Th>
            <Table.Th>{t('b.type')}</Table.Th>
            <Table.Th>{t('b.number')}</Table.Th>
            <Table.Th>{t('b.nif')}</Table.Th>
            <Table.Th>{t('b.name')}</Table.Th>
            <Table.Th style={right}>{t('b.base')}</Table.Th>
            <Table.Th style={right}>{t('b.iva')}</Table.Th>
            <Table.Th style={right}>{t('b.re')}</Table.Th>
            <Table.Th style={right}>{t('b.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-testid="book-row" data-key={r.key} style={r.counted ? undefined : { opacity: 0.55 }}>
              <Table.Td>{f.date(r.date)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={r.invoiceType.startsWith('R') ? 'orange' : r.source === 'tickets' ? 'teal' : 'gray'}>{r.invoiceType}</Badge>
                {r.status === 'cancelled' && <Badge ml={4} color="red" variant="light">{t('b.cancelled')}</Badge>}
                {r.invoiceType === 'F3' && <Badge ml={4} color="gray" variant="outline">{t('b.f3')}</Badge>}
              </Table.Td>
              <Table.Td>
                {r.number}
                {r.ticketCount !== undefined && <Text size="xs" c="dimmed">{t('b.tickets', { count: r.ticketCount })}</Text>}
              </Table.Td>
              <Table.Td>{r.counterpartyNif ?? '—'}</Table.Td>
              <Table.Td>{r.counterpartyName ?? '—'}</Table.Td>
              <Table.Td style={right}>{f.money(r.baseCents)} <Text span size="xs" c="dimmed">{f.percentBp(r.ivaRateBp)}</Text></Table.Td>
              <Table.Td style={right}>{f.money(r.ivaCents)}</Table.Td>
              <Table.Td style={right}>{r.reRateBp || r.reCents ? `${f.money(r.reCents)} (${f.percentBp(r.reRateBp)})` : '—'}</Table.Td>
              <Table.Td style={right}>{f.money(r.rowTotalCents)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
