/** Delivery notes to the stores in scope: in transit, received, closed. */
import type { ColumnDef } from '@tanstack/react-table';
import type { NoteItem } from '@tpv/shared/wire/http/replenishment';
import { useNavigate } from 'react-router';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { StatusBadge } from './status';

export default function NotesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const stores = useStoreOptions();
  const columns: Array<ColumnDef<NoteItem>> = [
    { id: 'number', header: t('notes.number'), cell: ({ row: { original: x } }) => <span data-testid="note-number">{x.number}</span> },
    { id: 'order', header: t('notes.order'), enableSorting: false, cell: ({ row: { original: x } }) => x.orderNumber },
    { id: 'store', header: t('orders.store'), cell: ({ row: { original: x } }) => `${x.storeCode} · ${x.storeName}` },
    { id: 'status', header: t('orders.status'), cell: ({ row: { original: x } }) => <StatusBadge status={x.status} /> },
    { id: 'shippedAt', header: t('notes.shippedAt'), cell: ({ row: { original: x } }) => f.dateTime(x.shippedAt) },
    { id: 'receivedAt', header: t('notes.receivedAt'), enableSorting: false, cell: ({ row: { original: x } }) => f.dateTime(x.receivedAt) },
  ];
  return (
    <>
      <PageHeader title={t('notes.title')} subtitle={t('notes.subtitle')} />
      <DataTable
        testId="notes"
        endpoint="/api/delivery-notes"
        columns={columns}
        rowKey={(x) => x.id}
        defaults={{ sort: 'shippedAt', dir: 'desc' }}
        search
        filters={[
          { name: 'status', label: t('orders.status'), options: (['shipped', 'received', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) })), testId: 'notes-status' },
          { name: 'storeId', label: t('orders.store'), options: stores.options, testId: 'notes-store' },
        ]}
        exportName={false}
        onRowClick={(x) => navigate(`/replenishment/delivery-notes/${x.id}`)}
        empty={t('notes.empty')}
      />
    </>
  );
}
