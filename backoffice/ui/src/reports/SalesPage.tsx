/** Sales per store and day over a period (default: the last 30 days), one store or all the user sees. */
import type { ColumnDef } from '@tanstack/react-table';
import { formatMoney } from '@tpv/shared/money';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

/** GET /api/sales/daily row. */
export interface DailySales {
  businessDate: string;
  storeId: string;
  storeCode: string;
  storeName: string;
  tickets: number;
  returns: number;
  totalCents: number;
  taxCents: number;
}

export default function SalesPage() {
  const { t, locale } = useT(messages);
  const stores = useStoreOptions();
  const money = (c: number) => formatMoney(c, locale);
  const columns: Array<ColumnDef<DailySales>> = [
    { id: 'businessDate', header: t('sales.date'), accessorKey: 'businessDate' },
    { id: 'storeCode', header: t('sales.store'), accessorKey: 'storeCode', cell: ({ row: { original: d } }) => `${d.storeCode} · ${d.storeName}` },
    { id: 'tickets', header: t('sales.tickets'), accessorKey: 'tickets', meta: { align: 'right' } },
    { id: 'returns', header: t('sales.returns'), accessorKey: 'returns', meta: { align: 'right' } },
    { id: 'totalCents', header: t('sales.total'), accessorKey: 'totalCents', meta: { align: 'right' }, cell: ({ row: { original: d } }) => money(d.totalCents) },
    { id: 'taxCents', header: t('sales.tax'), accessorKey: 'taxCents', meta: { align: 'right' }, cell: ({ row: { original: d } }) => money(d.taxCents) },
  ];
  return (
    <>
      <PageHeader title={t('sales.title')} />
      <DataTable
        testId="sales"
        // storeId, from, to: the route's filters (default: the last 30 days of every store the user sees).
        endpoint="/api/sales/daily"
        exportName="ventas-diarias"
        columns={columns}
        rowKey={(d) => `${d.storeId}-${d.businessDate}`}
        filters={[
          { name: 'storeId', label: t('sales.store'), options: stores.options, testId: 'sales-store' },
          { name: 'from', label: t('sales.from'), type: 'date' },
          { name: 'to', label: t('sales.to'), type: 'date' },
        ]}
        empty={t('sales.empty')}
      />
    </>
  );
}
