/** On-hand stock of one store (search by SKU/name), and the movements of the item clicked. */
import { Grid, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { listSearch, pageOf, toPage, useListParams, type Page } from '../components/list';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

/** GET /api/stores/:id/stock row. */
export interface StockRow {
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  quantity: number;
  updatedAt: string;
}
/** GET /api/stores/:id/stock/:productId/movements. */
export interface Movements {
  quantity: number;
  movements: Array<{ id: string; delta: number; reason: string; ticketId: string | null; lineNo: number | null; fiscalNumber: string | null; at: string }>;
}

export default function StockPage() {
  const { t } = useT(messages);
  const stores = useStoreOptions();
  return (
    <>
      <PageHeader title={t('stock.title')} />
      <QueryState query={stores}>{() => <StockOfStore firstStore={stores.stores[0]?.id ?? ''} options={stores.options} />}</QueryState>
    </>
  );
}

function StockOfStore({ firstStore, options }: { firstStore: string; options: Array<{ value: string; label: string }> }) {
  const { t, locale } = useT(messages);
  const defaults = { filters: { storeId: firstStore } };
  const storeId = useListParams(defaults).query.filters.storeId ?? '';
  const [product, setProduct] = useState<StockRow | null>(null);
  useEffect(() => setProduct(null), [storeId]);
  const qty = (quantity: number, weighed: boolean) => (weighed ? `${(quantity / 1000).toLocaleString(locale)} kg` : quantity.toLocaleString(locale));
  const columns: Array<ColumnDef<StockRow>> = [
    { id: 'sku', header: t('stock.product'), accessorKey: 'sku', cell: ({ row: { original: r } }) => `${r.sku} · ${r.name}` },
    { id: 'quantity', header: t('stock.quantity'), accessorKey: 'quantity', meta: { align: 'right' }, cell: ({ row: { original: r } }) => qty(r.quantity, r.weighed) },
    { id: 'updatedAt', header: t('stock.updated'), accessorKey: 'updatedAt', cell: ({ row: { original: r } }) => new Date(r.updatedAt).toLocaleString(locale) },
  ];
  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: product ? 6 : 12 }}>
        <DataTable
          testId="stock"
          defaults={defaults}
          endpoint={(q) => (q.filters.storeId ? `/api/stores/${encodeURIComponent(q.filters.storeId)}/stock` : null)}
          // The store is part of the path; the route searches (q) itself.
          pathFilters={['storeId']}
          exportName="stock"
          columns={columns}
          rowKey={(r) => r.productId}
          filters={[{ name: 'storeId', label: t('stock.store'), options, required: true, testId: 'stock-store' }]}
          search={t('stock.search')}
          onRowClick={setProduct}
          selectedKey={product?.productId ?? null}
          empty={t('stock.empty')}
          minWidth={420}
        />
      </Grid.Col>
      {product && storeId && (
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <MovementsOf storeId={storeId} product={product} qty={qty} />
        </Grid.Col>
      )}
    </Grid>
  );
}

function MovementsOf({ storeId, product, qty }: { storeId: string; product: StockRow; qty: (n: number, weighed: boolean) => string }) {
  const { t, locale } = useT(messages);
  const reason = (r: string) => (`reason.${r}` in messages.es ? t(`reason.${r}` as 'reason.sale') : r);
  type Mv = Movements['movements'][number];
  const columns: Array<ColumnDef<Mv>> = [
    { id: 'at', header: t('stock.at'), enableSorting: false, cell: ({ row: { original: m } }) => new Date(m.at).toLocaleString(locale) },
    { id: 'reason', header: t('stock.reason'), enableSorting: false, cell: ({ row: { original: m } }) => reason(m.reason) },
    { id: 'delta', header: t('stock.delta'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: m } }) => qty(m.delta, product.weighed) },
    { id: 'ticket', header: t('stock.ticket'), enableSorting: false, cell: ({ row: { original: m } }) => m.fiscalNumber ?? '—' },
  ];
  return (
    <Section title={t('stock.movements', { name: product.name })}>
      <DataTable
        testId="movements"
        paramPrefix="mv."
        queryKey={['stock-movements', storeId, product.productId]}
        fetchPage={async (q) => {
          const body = await get<Movements | Page<Mv>>(withQuery(`/api/stores/${encodeURIComponent(storeId)}/stock/${encodeURIComponent(product.productId)}/movements`, listSearch(q)));
          return 'movements' in body ? pageOf(body.movements, q) : toPage(body, q);
        }}
        columns={columns}
        rowKey={(m) => m.id}
        empty={<Text c="dimmed">—</Text>}
        minWidth={420}
      />
    </Section>
  );
}
