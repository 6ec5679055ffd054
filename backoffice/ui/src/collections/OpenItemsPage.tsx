/** "Cobros y pagos": the open items (filters: side, company, status, overdue, due range) and the payments recorded. */
import { Badge, Button, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ITEM_STATUSES, SIDES, type OpenItemRow, type PaymentRow } from '@tpv/shared/wire/http/collections-payments';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

export const STATUS_COLOR: Record<string, string> = { open: 'blue', partial: 'orange', paid: 'green', written_off: 'gray', overpaid: 'grape', cancelled: 'red', posted: 'green' };

export default function OpenItemsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const canWrite = useCan('collections.write');
  const scope = useScopeOptions();
  const [balance, setBalance] = useState<number | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const items: Array<ColumnDef<OpenItemRow>> = [
    { id: 'dueDate', header: t('c.dueDate'), cell: ({ row: { original: i } }) => <Text size="sm" c={i.balanceCents > 0 && i.dueDate < today ? 'red' : undefined}>{f.date(i.dueDate)}</Text> },
    { id: 'documentRef', header: t('c.document'), accessorKey: 'documentRef' },
    { id: 'counterparty', header: t('c.counterparty'), cell: ({ row: { original: i } }) => i.counterpartyName ?? i.counterpartyId },
    { id: 'side', header: t('c.side'), enableSorting: false, cell: ({ row: { original: i } }) => t(`side.${i.side}`) },
    { id: 'company', header: t('c.company'), enableSorting: false, cell: ({ row: { original: i } }) => scope.companyName(i.companyId) },
    { id: 'issueDate', header: t('c.issueDate'), cell: ({ row: { original: i } }) => f.date(i.issueDate) },
    { id: 'amountCents', header: t('c.amount'), meta: { align: 'right' }, cell: ({ row: { original: i } }) => f.money(i.amountCents) },
    { id: 'balanceCents', header: t('c.balance'), meta: { align: 'right' }, cell: ({ row: { original: i } }) => <b data-testid="item-balance">{f.money(i.balanceCents)}</b> },
    { id: 'status', header: t('c.status'), cell: ({ row: { original: i } }) => <Badge color={STATUS_COLOR[i.status]} variant="light">{t(`st.${i.status}`)}</Badge> },
  ];
  const payments: Array<ColumnDef<PaymentRow>> = [
    { id: 'receivedOn', header: t('c.date'), cell: ({ row: { original: p } }) => f.date(p.receivedOn) },
    { id: 'number', header: t('c.number'), accessorKey: 'number' },
    { id: 'counterparty', header: t('c.counterparty'), cell: ({ row: { original: p } }) => p.counterpartyName ?? p.counterpartyId },
    { id: 'method', header: t('c.method'), enableSorting: false, cell: ({ row: { original: p } }) => t(`m.${p.method}`) },
    { id: 'amountCents', header: t('c.amount'), meta: { align: 'right' }, cell: ({ row: { original: p } }) => f.money(p.amountCents) },
    { id: 'creditCents', header: t('c.credit'), meta: { align: 'right' }, cell: ({ row: { original: p } }) => f.money(p.creditCents) },
    { id: 'status', header: t('c.status'), enableSorting: false, cell: ({ row: { original: p } }) => <Badge color={STATUS_COLOR[p.status]} variant="light">{t(`st.${p.status}`)}</Badge> },
  ];
  const companyFilter = scope.companyOptions.length > 1 ? [{ name: 'companyId', label: t('c.company'), options: scope.companyOptions }] : [];
  return (
    <>
      <PageHeader
        title={t('i.title')}
        subtitle={t('i.help')}
        actions={canWrite && <Button onClick={() => void navigate('/collections/payments/new')} data-testid="record-payment">{t('i.record')}</Button>}
      />
      <Stack>
        {balance !== null && <Text fw={600} data-testid="items-balance">{t('i.totalBalance', { amount: f.money(balance) })}</Text>}
        <DataTable
          testId="collection-items"
          endpoint="/api/collections/items"
          defaults={{ sort: 'dueDate', dir: 'asc' }}
          columns={items}
          rowKey={(i) => i.id}
          search={t('i.search')}
          onPage={(p) => setBalance((p as unknown as { balanceCents?: number }).balanceCents ?? null)}
          filters={[
            { name: 'side', label: t('c.side'), options: SIDES.map((s) => ({ value: s, label: t(`side.${s}`) })), testId: 'filter-side' },
            { name: 'status', label: t('c.status'), options: ITEM_STATUSES.map((s) => ({ value: s, label: t(`st.${s}`) })), testId: 'filter-status' },
            { name: 'overdue', label: t('c.overdue'), options: [{ value: 'true', label: t('yes') }, { value: 'false', label: t('no') }], testId: 'filter-overdue' },
            { name: 'dueFrom', label: t('c.dueFrom'), type: 'date' },
            { name: 'dueTo', label: t('c.dueTo'), type: 'date' },
            ...companyFilter,
          ]}
          onRowClick={(i) => void navigate(`/collections/items/${i.id}`)}
        />
        <Section title={t('i.payments')}>
          <DataTable
            testId="collection-payments"
            endpoint="/api/collections/payments"
            paramPrefix="p"
            defaults={{ sort: 'receivedOn', dir: 'desc' }}
            columns={payments}
            rowKey={(p) => p.id}
            filters={[{ name: 'side', label: t('c.side'), options: SIDES.map((s) => ({ value: s, label: t(`side.${s}`) })) }, ...companyFilter]}
            onRowClick={(p) => void navigate(`/collections/payments/${p.id}`)}
          />
        </Section>
      </Stack>
    </>
  );
}
