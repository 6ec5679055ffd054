/** Ticket search: filters in the URL, server-side paging and sorting, CSV/XLSX export; a row opens the ticket. */
import { Anchor, Badge } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { TicketSummary } from '@tpv/shared/wire/http/tickets';
import { useNavigate, useSearchParams } from 'react-router';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useOrganisation, useStoreOptions } from '../network/queries';
import { messages } from './messages';

export default function TicketsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const [, setParams] = useSearchParams();
  const stores = useStoreOptions();
  const org = useOrganisation();
  const tills = (org.data?.companies ?? []).flatMap((c) => c.stores.flatMap((s) => s.terminals.map((x) => ({ value: x.id, label: `${s.code} · ${x.name}` }))));
  // A cashier's or customer's name filters the list by them (the API filters by id).
  const filterBy = (name: string, value: string | null) => (e: React.MouseEvent) => {
    e.stopPropagation();
    if (!value) return;
    setParams((p) => {
      p.set(name, value);
      p.delete('page');
      return p;
    });
  };
  const columns: Array<ColumnDef<TicketSummary>> = [
    { id: 'issuedAt', header: t('tickets.date'), cell: ({ row: { original: x } }) => f.dateTime(x.issuedAt) },
    { id: 'number', header: t('tickets.number'), cell: ({ row: { original: x } }) => <span data-testid="ticket-number">{x.fiscalNumber}</span> },
    { id: 'kind', header: t('tickets.kind'), enableSorting: false, cell: ({ row: { original: x } }) => (x.kind === 'return' ? <Badge color="orange" variant="light">{t('tickets.kind.return')}</Badge> : t('tickets.kind.sale')) },
    { id: 'store', header: t('tickets.store'), cell: ({ row: { original: x } }) => `${x.storeCode} · ${x.storeName}` },
    { id: 'till', header: t('tickets.till'), enableSorting: false, cell: ({ row: { original: x } }) => x.terminalCode },
    {
      id: 'cashier',
      header: t('tickets.cashier'),
      enableSorting: false,
      cell: ({ row: { original: x } }) => (x.cashierId ? <Anchor size="sm" title={t('tickets.filterBy', { name: x.cashierName ?? '' })} onClick={filterBy('cashierId', x.cashierId)}>{x.cashierName ?? '—'}</Anchor> : '—'),
    },
    {
      id: 'customer',
      header: t('tickets.customer'),
      enableSorting: false,
      cell: ({ row: { original: x } }) => (x.customerId ? <Anchor size="sm" title={t('tickets.filterBy', { name: x.customerName ?? '' })} onClick={filterBy('customerId', x.customerId)}>{x.customerName ?? '—'}</Anchor> : ''),
    },
    { id: 'total', header: t('tickets.total'), meta: { align: 'right' }, cell: ({ row: { original: x } }) => f.money(x.totalCents) },
    { id: 'chain', header: t('tickets.chain'), enableSorting: false, cell: ({ row: { original: x } }) => (x.chainOk ? t('tickets.chainOk') : <Badge color="red">{t('tickets.chainBroken')}</Badge>) },
  ];
  return (
    <>
      <PageHeader title={t('tickets.title')} subtitle={t('tickets.subtitle')} />
      <DataTable
        testId="tickets"
        endpoint="/api/tickets"
        columns={columns}
        rowKey={(x) => x.id}
        defaults={{ sort: 'issuedAt', dir: 'desc' }}
        filters={[
          { name: 'from', label: t('tickets.from'), type: 'date', testId: 'tickets-from' },
          { name: 'to', label: t('tickets.to'), type: 'date', testId: 'tickets-to' },
          { name: 'storeId', label: t('tickets.store'), options: stores.options, testId: 'tickets-store' },
          { name: 'terminalId', label: t('tickets.till'), options: tills, testId: 'tickets-till' },
          { name: 'kind', label: t('tickets.kind'), options: [{ value: 'sale', label: t('tickets.kind.sale') }, { value: 'return', label: t('tickets.kind.return') }], testId: 'tickets-kind' },
          { name: 'number', label: t('tickets.numberFilter'), testId: 'tickets-number' },
          { name: 'minTotal', label: t('tickets.minTotal'), testId: 'tickets-min' },
          { name: 'maxTotal', label: t('tickets.maxTotal'), testId: 'tickets-max' },
        ]}
        exportName="tickets"
        onRowClick={(x) => navigate(`/tickets/${x.id}`)}
        empty={t('tickets.empty')}
      />
    </>
  );
}
