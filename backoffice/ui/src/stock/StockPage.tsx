/**
 * Stock of one location (warehouse or store, search by SKU/name, sort, export, "below minimum": restocking's
 * min/max rules) with each item's minimum, average cost and value, and the movements of the item clicked: here, or across every location in scope, each with the
 * document (or ticket) it came from.
 */
import { Grid, Switch, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import type { LocationStockItem, ProductMovementItem } from '@tpv/shared/wire/http/stock-valuation';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useListParams } from '../components/list';
import { messages } from './messages';
import { costCentsOf, useStockLocations } from './queries';

export default function StockPage() {
  const { t } = useT(messages);
  const locations = useStockLocations();
  // The first store is the default (a store manager's own; HQ's first store), warehouses are one pick away.
  const first = locations.locations.find((l) => l.kind === 'store') ?? locations.locations[0];
  return (
    <>
      <PageHeader title={t('stock.title')} />
      <QueryState query={locations}>{() => <StockOfLocation first={first?.id ?? ''} options={locations.options} />}</QueryState>
    </>
  );
}

function StockOfLocation({ first, options }: { first: string; options: Array<{ value: string; label: string }> }) {
  const { t, locale } = useT(messages);
  const f = useFormat();
  // `storeId` stays the parameter's name: links to /stock?storeId=… keep working (a warehouse id works too).
  const defaults = { filters: { storeId: first } };
  const locationId = useListParams(defaults).query.filters.storeId ?? '';
  const [product, setProduct] = useState<LocationStockItem | null>(null);
  useEffect(() => setProduct(null), [locationId]);
  const qty = (quantity: number, weighed: boolean) => (weighed ? `${(quantity / 1000).toLocaleString(locale)} kg` : quantity.toLocaleString(locale));
  const columns: Array<ColumnDef<LocationStockItem>> = [
    { id: 'sku', header: t('stock.product'), accessorKey: 'sku', cell: ({ row: { original: r } }) => `${r.sku} · ${r.name}` },
    { id: 'quantity', header: t('stock.quantity'), accessorKey: 'quantity', meta: { align: 'right' }, cell: ({ row: { original: r } }) => qty(r.quantity, r.weighed) },
    {
      id: 'minQty',
      header: t('stock.minQty'),
      enableSorting: false,
      meta: { align: 'right' },
      cell: ({ row: { original: r } }) =>
        r.minQty === null ? '—' : (
          <Text span size="sm" c={r.quantity < r.minQty ? 'red' : undefined} fw={r.quantity < r.minQty ? 600 : undefined} data-testid={`stock-min-${r.sku}`}>
            {qty(r.minQty, r.weighed)}
          </Text>
        ),
    },
    { id: 'category', header: t('stock.category'), accessorKey: 'categoryName', cell: ({ row: { original: r } }) => r.categoryName ?? '—' },
    {
      id: 'avgCost',
      header: t('stock.avgCost'),
      enableSorting: false,
      meta: { align: 'right' },
      cell: ({ row: { original: r } }) => (r.avgCostMicros === null ? '—' : `${f.money(Math.round(costCentsOf(r.avgCostMicros, r.weighed)))}${r.weighed ? '/kg' : ''}`),
    },
    { id: 'value', header: t('stock.value'), meta: { align: 'right' }, cell: ({ row: { original: r } }) => (r.valueCents === null ? '—' : f.money(r.valueCents)) },
    { id: 'updatedAt', header: t('stock.updated'), enableSorting: false, cell: ({ row: { original: r } }) => f.dateTime(r.updatedAt) },
  ];
  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: product ? 6 : 12 }}>
        <DataTable
          testId="stock"
          defaults={defaults}
          endpoint={(q) => (q.filters.storeId ? `/api/stock/locations/${encodeURIComponent(q.filters.storeId)}/stock` : null)}
          pathFilters={['storeId']}
          exportName="stock"
          columns={columns}
          rowKey={(r) => r.productId}
          filters={[
            { name: 'storeId', label: t('stock.location'), options, required: true, testId: 'stock-store' },
            { name: 'belowMin', label: t('stock.belowMin'), options: [{ value: 'true', label: t('stock.belowMinOnly') }], testId: 'stock-below-min' },
          ]}
          search={t('stock.search')}
          onRowClick={setProduct}
          selectedKey={product?.productId ?? null}
          empty={t('stock.empty')}
          minWidth={620}
        />
      </Grid.Col>
      {product && locationId && (
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <MovementsOf locationId={locationId} product={product} qty={qty} />
        </Grid.Col>
      )}
    </Grid>
  );
}

function MovementsOf({ locationId, product, qty }: { locationId: string; product: LocationStockItem; qty: (n: number, weighed: boolean) => string }) {
  const { t } = useT(messages);
  const f = useFormat();
  const [everywhere, setEverywhere] = useState(false);
  const reason = (r: string) => (`reason.${r}` in messages.es ? t(`reason.${r}` as 'reason.sale') : r);
  const columns: Array<ColumnDef<ProductMovementItem>> = [
    { id: 'at', header: t('stock.at'), enableSorting: false, cell: ({ row: { original: m } }) => f.dateTime(m.at) },
    ...(everywhere ? [{ id: 'location', header: t('stock.location'), enableSorting: false, cell: ({ row: { original: m } }: { row: { original: ProductMovementItem } }) => m.locationCode }] : []),
    { id: 'reason', header: t('stock.reason'), enableSorting: false, cell: ({ row: { original: m } }) => reason(m.reason) + (m.cause ? ` (${m.cause})` : '') },
    { id: 'delta', header: t('stock.delta'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: m } }) => qty(m.delta, product.weighed) },
    { id: 'document', header: t('stock.document'), enableSorting: false, cell: ({ row: { original: m } }) => m.documentNumber ?? m.fiscalNumber ?? '—' },
    {
      id: 'unitCost',
      header: t('stock.unitCost'),
      enableSorting: false,
      meta: { align: 'right' },
      cell: ({ row: { original: m } }) => (m.unitCostMicros === null ? '—' : f.money(Math.round(costCentsOf(m.unitCostMicros, product.weighed)))),
    },
  ];
  const base = `/api/stock/products/${encodeURIComponent(product.productId)}/movements`;
  return (
    <Section
      title={t('stock.movements', { name: product.name })}
      actions={<Switch data-testid="movements-everywhere" label={t('stock.everywhere')} checked={everywhere} onChange={(e) => setEverywhere(e.currentTarget.checked)} />}
    >
      <DataTable
        testId="movements"
        paramPrefix="mv."
        queryKey={['stock-movements', locationId, product.productId, everywhere]}
        endpoint={everywhere ? base : `${base}?locationId=${encodeURIComponent(locationId)}`}
        exportName={`movements-${product.sku}`}
        columns={columns}
        rowKey={(m) => m.id}
        empty={<Text c="dimmed">—</Text>}
        minWidth={480}
      />
    </Section>
  );
}
