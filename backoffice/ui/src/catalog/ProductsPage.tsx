/** Products: server-side list with filters and export; bulk edit of everything the filter matches. */
import { Badge, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useToast } from '../components/feedback';
import { PageHeader } from '../components/layout';
import { useListParams, type ListQuery } from '../components/list';
import { messages } from './messages';
import { TAX_OPTIONS, categoryPaths, euros, useCategories, useSupplierOptions } from './queries';

export interface ProductRow {
  id: string; sku: string; name: string; nameEn: string | null; categoryId: string | null; categoryName: string | null;
  taxRateBp: number; exemption: string | null; weighed: boolean; priceCents: number; costCents: number | null; active: boolean;
}

export default function ProductsPage() {
  const { t, locale } = useT(messages);
  const navigate = useNavigate();
  const canWrite = useCan('catalog.write');
  const cats = useCategories();
  const suppliers = useSupplierOptions();
  const { query } = useListParams();
  const [total, setTotal] = useState(0);
  const [bulk, setBulk] = useState(false);
  // Rows ticked for a bulk edit of the selection; none ticked: the edit applies to the whole filter.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  const columns: Array<ColumnDef<ProductRow>> = [
    ...(canWrite
      ? [{
          id: 'select', header: '', enableSorting: false,
          cell: ({ row: { original: p } }: { row: { original: ProductRow } }) => (
            <Checkbox aria-label={p.sku} checked={selected.has(p.id)} onClick={(e) => e.stopPropagation()} onChange={() => toggle(p.id)} data-testid={`select-${p.sku}`} />
          ),
        } satisfies ColumnDef<ProductRow>]
      : []),
    { id: 'sku', header: t('p.sku'), accessorKey: 'sku' },
    { id: 'name', header: t('p.name'), accessorKey: 'name', cell: ({ row: { original: p } }) => (locale === 'en' && p.nameEn ? p.nameEn : p.name) },
    { id: 'category', header: t('p.category'), accessorKey: 'categoryName', cell: ({ row: { original: p } }) => p.categoryName ?? '—' },
    { id: 'taxRateBp', header: t('p.tax'), accessorKey: 'taxRateBp', meta: { align: 'right' }, cell: ({ row: { original: p } }) => `${p.taxRateBp / 100} %` },
    { id: 'priceCents', header: t('p.price'), accessorKey: 'priceCents', meta: { align: 'right' }, cell: ({ row: { original: p } }) => euros(p.priceCents, locale) },
    { id: 'cost', header: t('p.cost'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: p } }) => euros(p.costCents, locale) },
    {
      id: 'active', header: t('p.status'), enableSorting: false,
      cell: ({ row: { original: p } }) => <Badge color={p.active ? 'green' : 'gray'} variant="light">{p.active ? t('p.active') : t('p.inactive')}</Badge>,
    },
  ];
  return (
    <>
      <PageHeader
        title={t('p.title')}
        actions={
          canWrite && (
            <Group>
              <Button variant="default" onClick={() => setBulk(true)} disabled={total === 0} data-testid="bulk-edit">{selected.size > 0 ? t('bulk.openSelected', { n: String(selected.size) }) : t('bulk.open')}</Button>
              <Button onClick={() => navigate('new')} data-testid="new-product">{t('p.new')}</Button>
            </Group>
          )
        }
      />
      <DataTable
        testId="products"
        endpoint="/api/products"
        defaults={{ sort: 'name' }}
        columns={columns}
        rowKey={(p) => p.id}
        search={t('p.search')}
        filters={[
          { name: 'categoryId', label: t('p.category'), options: categoryPaths(cats.data?.items ?? []).map((c) => ({ value: c.value, label: c.label })), testId: 'filter-category' },
          { name: 'taxRateBp', label: t('p.tax'), options: TAX_OPTIONS, testId: 'filter-tax' },
          { name: 'active', label: t('p.status'), options: [{ value: 'true', label: t('p.active') }, { value: 'false', label: t('p.inactive') }], testId: 'filter-active' },
          { name: 'supplierId', label: t('p.supplier'), options: suppliers.data ?? [], testId: 'filter-supplier' },
        ]}
        exportName="articulos"
        onPage={(p) => setTotal(p.total)}
        onRowClick={(p) => navigate(p.id)}
        empty={t('p.empty')}
      />
      {bulk && <BulkEdit query={query} ids={[...selected]} count={selected.size || total} onClose={(done) => (setBulk(false), done && setSelected(new Set()))} />}
    </>
  );
}

/** One change to every product the list's filter matches (the server applies it all or not at all). */
function BulkEdit({ query, ids, count, onClose }: { query: ListQuery; ids: string[]; count: number; onClose: (done?: boolean) => void }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const cats = useCategories();
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [tax, setTax] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [mode, setMode] = useState<string | null>(null);
  const [value, setValue] = useState<number | string>('');
  const f = query.filters;
  const filter = {
    ...(query.q ? { q: query.q } : {}),
    ...(f.categoryId ? { categoryId: f.categoryId } : {}),
    ...(f.taxRateBp ? { taxRateBp: Number(f.taxRateBp) } : {}),
    ...(f.active ? { active: f.active === 'true' } : {}),
    ...(f.supplierId ? { supplierId: f.supplierId } : {}),
  };
  const v = Number(value);
  const price = mode === 'percent' ? { mode, value: v } : mode === 'delta' || mode === 'fixed' ? { mode, cents: Math.round(v * 100) } : undefined;
  const set = {
    ...(categoryId ? { categoryId } : {}),
    ...(tax ? { taxRateBp: Number(tax) } : {}),
    ...(active ? { active: active === 'true' } : {}),
    ...(price && value !== '' ? { price } : {}),
  };
  const apply = useMutation({
    mutationFn: () => api<{ updated: number }>('POST', '/api/products/bulk-edit', ids.length > 0 ? { ids, set } : { filter, set }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: ['list'] });
      await qc.invalidateQueries();
      toast.ok(t('bulk.done', { n: String(r.updated) }));
      onClose(true);
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <Modal opened onClose={() => onClose()} title={ids.length > 0 ? t('bulk.titleSelected', { n: String(count) }) : t('bulk.title', { n: String(count) })} data-testid="bulk-modal">
      <Stack>
        <Select label={t('p.category')} placeholder={t('bulk.keep')} clearable data={categoryPaths(cats.data?.items ?? []).map((c) => ({ value: c.value, label: c.label }))} value={categoryId} onChange={setCategoryId} />
        <Select label={t('p.tax')} placeholder={t('bulk.keep')} clearable data={TAX_OPTIONS} value={tax} onChange={setTax} />
        <Select label={t('p.status')} placeholder={t('bulk.keep')} clearable data={[{ value: 'true', label: t('p.active') }, { value: 'false', label: t('p.inactive') }]} value={active} onChange={setActive} />
        <Group grow>
          <Select label={t('bulk.priceMode')} placeholder={t('bulk.keep')} clearable data={[{ value: 'percent', label: t('bulk.percent') }, { value: 'delta', label: t('bulk.delta') }, { value: 'fixed', label: t('bulk.fixed') }]} value={mode} onChange={setMode} data-testid="bulk-price-mode" />
          <NumberInput label={t('bulk.value')} value={value} onChange={setValue} decimalScale={2} disabled={!mode} data-testid="bulk-price-value" />
        </Group>
        {ids.length === 0 && <Text size="sm" c="dimmed">{Object.entries(filter).map(([k, x]) => `${k}: ${String(x)}`).join(' · ')}</Text>}
        <Group justify="flex-end">
          <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={Object.keys(set).length === 0} data-testid="bulk-apply">{t('bulk.apply', { n: String(count) })}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
