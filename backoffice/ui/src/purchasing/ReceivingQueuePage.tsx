/** Recepción: the orders waiting for goods (sent or partly received); a click opens the receiving screen. */
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import { statusLabel, type OrderRow } from './queries';

export default function ReceivingQueuePage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const columns: Array<ColumnDef<OrderRow>> = [
    { id: 'number', header: t('o.number'), accessorKey: 'number' },
    { id: 'status', header: t('o.status'), enableSorting: false, cell: ({ row: { original: o } }) => statusLabel(t, o.status) },
    { id: 'supplier', header: t('o.supplier'), accessorKey: 'supplierName' },
    { id: 'deliverTo', header: t('o.deliverTo'), enableSorting: false, accessorKey: 'locationName' },
    { id: 'expectedDate', header: t('o.expected'), cell: ({ row: { original: o } }) => o.expectedDate ?? '—' },
    { id: 'totalCents', header: t('o.total'), meta: { align: 'right' }, cell: ({ row: { original: o } }) => f.money(o.totalCents) },
  ];
  return (
    <>
      <PageHeader title={t('r.queue')} />
      <DataTable
        testId="receiving-queue"
        endpoint="/api/purchase-orders"
        defaults={{ sort: 'expectedDate', dir: 'asc', filters: { status: 'sent' } }}
        filters={[{ name: 'status', label: t('o.status'), required: true, options: ['sent', 'partially_received'].map((s) => ({ value: s, label: statusLabel(t, s) })) }]}
        columns={columns}
        rowKey={(o) => o.id}
        search={t('o.search')}
        exportName={false}
        onRowClick={(o) => void navigate(`/purchasing/orders/${o.id}/receive`)}
      />
    </>
  );
}
