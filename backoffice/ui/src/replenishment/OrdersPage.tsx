/** Replenishment orders: a store's own, or HQ's queue to approve / pick / ship (filter by status and store). */
import { Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { OrderItem } from '@tpv/shared/wire/http/replenishment';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { ORDER_STATUS_KEYS, StatusBadge } from './status';

export default function OrdersPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const stores = useStoreOptions();
  const mayOrder = useCan('restocking.write');
  const columns: Array<ColumnDef<OrderItem>> = [
    { id: 'number', header: t('orders.number'), cell: ({ row: { original: x } }) => <span data-testid="order-number">{x.number}</span> },
    { id: 'createdAt', header: t('orders.date'), cell: ({ row: { original: x } }) => f.dateTime(x.createdAt) },
    { id: 'store', header: t('orders.store'), cell: ({ row: { original: x } }) => `${x.storeCode} · ${x.storeName}` },
    { id: 'status', header: t('orders.status'), cell: ({ row: { original: x } }) => <StatusBadge status={x.status} /> },
    { id: 'lines', header: t('orders.lines'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => x.lines },
    { id: 'source', header: t('orders.source'), enableSorting: false, cell: ({ row: { original: x } }) => x.source },
  ];
  return (
    <>
      <PageHeader
        title={t('orders.title')}
        subtitle={t('orders.subtitle')}
        actions={mayOrder ? <Button component={Link} to="/replenishment/orders/new" data-testid="order-new">{t('orders.new')}</Button> : undefined}
      />
      <DataTable
        testId="orders"
        endpoint="/api/replenishment-orders"
        columns={columns}
        rowKey={(x) => x.id}
        defaults={{ sort: 'createdAt', dir: 'desc' }}
        search
        filters={[
          { name: 'status', label: t('orders.status'), options: ORDER_STATUS_KEYS.map((s) => ({ value: s, label: t(`status.${s}`) })), testId: 'orders-status' },
          { name: 'storeId', label: t('orders.store'), options: stores.options, testId: 'orders-store' },
        ]}
        exportName={false}
        onRowClick={(x) => navigate(`/replenishment/orders/${x.id}`)}
        empty={t('orders.empty')}
      />
    </>
  );
}
