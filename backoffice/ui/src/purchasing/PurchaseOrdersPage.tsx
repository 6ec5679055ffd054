/** Purchase orders: the list (search, status/supplier filters, export) and the way to a new one. */
import { Badge, Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { PURCHASE_ORDER_STATUSES } from '@tpv/shared/wire/http/purchasing';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useSupplierOptions } from '../catalog/queries';
import { messages } from './messages';
import { STATUS_COLOR, statusLabel, type OrderRow } from './queries';

export default function PurchaseOrdersPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const canWrite = useCan('purchasing.write');
  const suppliers = useSupplierOptions();
  const columns: Array<ColumnDef<OrderRow>> = [
    { id: 'number', header: t('o.number'), cell: ({ row: { original: o } }) => o.number ?? t('o.draft') },
    { id: 'status', header: t('o.status'), enableSorting: false, cell: ({ row: { original: o } }) => <Badge color={STATUS_COLOR[o.status]} variant="light" data-testid="po-status">{statusLabel(t, o.status)}</Badge> },
    { id: 'supplier', header: t('o.supplier'), accessorKey: 'supplierName' },
    { id: 'deliverTo', header: t('o.deliverTo'), enableSorting: false, accessorKey: 'locationName' },
    { id: 'expectedDate', header: t('o.expected'), cell: ({ row: { original: o } }) => o.expectedDate ?? '—' },
    { id: 'totalCents', header: t('o.total'), meta: { align: 'right' }, cell: ({ row: { original: o } }) => f.money(o.totalCents) },
    { id: 'createdAt', header: t('o.created'), cell: ({ row: { original: o } }) => f.date(o.createdAt) },
  ];
  return (
    <>
      <PageHeader title={t('o.title')} actions={canWrite && <Button onClick={() => void navigate('/purchasing/orders/new')} data-testid="new-po">{t('o.new')}</Button>} />
      <DataTable
        testId="purchase-orders"
        endpoint="/api/purchase-orders"
        defaults={{ sort: 'createdAt', dir: 'desc' }}
        columns={columns}
        rowKey={(o) => o.id}
        search={t('o.search')}
        filters={[
          { name: 'status', label: t('o.status'), options: PURCHASE_ORDER_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) })), testId: 'filter-status' },
          { name: 'supplierId', label: t('o.supplier'), options: suppliers.data ?? [] },
        ]}
        exportName="pedidos-compra"
        onRowClick={(o) => void navigate(`/purchasing/orders/${o.id}`)}
      />
    </>
  );
}
