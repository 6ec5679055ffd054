/**
 * Prices of a product in a store: the price in force now, scheduling a change at a local date and time
 * (store, its company, or the base price), and the changes to come with cancel.
 */
import { Badge, Button, Grid, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useConfirm, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { messages } from './messages';
import { euros } from './queries';
import type { ProductRow } from './ProductsPage';

interface PriceChange {
  id: string; productId: string; level: 'base' | 'company' | 'store'; companyId: string | null; storeId: string | null; priceCents: number;
  effectiveAt: string; localTime: string; timezone: string; status: 'scheduled' | 'cancelled' | 'superseded'; sku?: string; productName?: string;
  storeName?: string | null; companyName?: string | null;
}

export default function PricesPage() {
  const { t, locale } = useT(messages);
  const org = useOrganisation();
  const [params, setParams] = useSearchParams();
  const storeId = params.get('store') ?? '';
  const productId = params.get('productId') ?? '';
  const set = (k: string, v: string | null) => setParams((p) => (v ? p.set(k, v) : p.delete(k), p), { replace: true });
  const stores = org.data?.companies.flatMap((c) => c.stores.map((s) => ({ ...s, companyId: c.id }))) ?? [];
  const store = stores.find((s) => s.id === storeId);
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['catalog', 'price-product-search', search, productId],
    queryFn: async () => {
      const page = await get<{ items: ProductRow[] }>(`/api/products?pageSize=20&sort=name${search ? `&q=${encodeURIComponent(search)}` : ''}`);
      const current = productId && !page.items.some((p) => p.id === productId) ? [await get<ProductRow>(`/api/products/${productId}`)] : [];
      return [...current, ...page.items];
    },
  });
  const product = found.data?.find((p) => p.id === productId);
  const now = useQuery({
    queryKey: ['catalog', 'price-now', storeId, productId],
    queryFn: () => get<{ priceCents: number }>(`/api/stores/${storeId}/prices/${productId}`),
    enabled: !!storeId && !!productId,
  });
  return (
    <>
      <PageHeader title={t('pr.title')} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select label={t('pr.store')} data={stores.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))} value={storeId || null} onChange={(v) => set('store', v)} data-testid="price-store" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select
            label={t('pr.product')} placeholder={t('pr.productSearch')} searchable searchValue={search} onSearchChange={setSearch} filter={({ options }) => options}
            data={(found.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${p.name}` }))} value={productId || null} onChange={(v) => set('productId', v)} data-testid="price-product"
          />
        </Grid.Col>
      </Grid>
      {store && product ? (
        <Grid mt="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Section title={t('pr.now')}>
              <Text size="xl" fw={700} data-testid="price-now">{now.data ? euros(now.data.priceCents, locale) : '…'}</Text>
            </Section>
            <ScheduleForm storeId={store.id} companyId={store.companyId} productId={product.id} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Changes storeId={store.id} productId={product.id} />
          </Grid.Col>
        </Grid>
      ) : (
        <Text c="dimmed" mt="md">{t('pr.pick')}</Text>
      )}
      {!(store && product) && <Changes storeId={storeId || undefined} />}
    </>
  );
}

function ScheduleForm({ storeId, companyId, productId }: { storeId: string; companyId: string; productId: string }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const canWrite = useCan('prices.write');
  const [level, setLevel] = useState<'store' | 'company' | 'base'>('store');
  const [price, setPrice] = useState<number | string>('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('08:00');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const schedule = useMutation({
    mutationFn: () =>
      api<PriceChange>('POST', '/api/price-changes', {
        productId, level, priceCents: Math.round(Number(price) * 100), effectiveLocal: `${date}T${time}`,
        ...(level === 'store' ? { storeId } : level === 'company' ? { companyId } : {}),
      }),
    onSuccess: async (c) => {
      setErrors({});
      await qc.invalidateQueries();
      toast.ok(t('pr.scheduled', { when: `${c.localTime.replace('T', ' ')} (${c.timezone})` }));
    },
    onError: (e) => {
      setErrors(e instanceof ApiError ? Object.fromEntries(e.fieldErrors.map((f) => [f.path, f.message])) : {});
      toast.fail(e);
    },
  });
  if (!canWrite) return null;
  return (
    <Section title={t('pr.schedule')} testId="schedule-form">
      <Stack gap="sm">
        <Select
          label={t('pr.level')} value={level} onChange={(v) => setLevel((v ?? 'store') as 'store')} allowDeselect={false}
          data={[{ value: 'store', label: t('pr.level.store') }, { value: 'company', label: t('pr.level.company') }, { value: 'base', label: t('pr.level.base') }]}
        />
        <NumberInput label={t('pr.newPrice')} decimalScale={2} fixedDecimalScale min={0} value={price} onChange={setPrice} error={errors.priceCents} data-testid="schedule-price" />
        <Group grow>
          <TextInput type="date" label={t('pr.date')} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.effectiveLocal} data-testid="schedule-date" />
          <TextInput type="time" label={t('pr.time')} value={time} onChange={(e) => setTime(e.currentTarget.value)} data-testid="schedule-time" />
        </Group>
        <Text size="xs" c="dimmed">{t('pr.tzNote', { tz: 'Europe/Madrid' })}</Text>
        <Group justify="flex-end">
          <Button onClick={() => schedule.mutate()} loading={schedule.isPending} disabled={price === '' || !date} data-testid="schedule-submit">{t('pr.schedule')}</Button>
        </Group>
      </Stack>
    </Section>
  );
}

function Changes({ storeId, productId }: { storeId?: string | undefined; productId?: string }) {
  const { t, locale } = useT(messages);
  const toast = useToast();
  const confirm = useConfirm();
  const qc = useQueryClient();
  const canWrite = useCan('prices.write');
  const cancel = async (c: PriceChange) => {
    if (!(await confirm.action(t('pr.cancel'), t('pr.cancelConfirm', { price: euros(c.priceCents, locale), when: c.localTime.replace('T', ' ') }), t('pr.cancelYes'), true))) return;
    try {
      await api('POST', `/api/price-changes/${c.id}/cancel`);
      await qc.invalidateQueries();
      toast.ok(t('pr.cancelled'));
    } catch (e) {
      toast.fail(e);
    }
  };
  const columns: Array<ColumnDef<PriceChange>> = [
    { id: 'effectiveAt', header: t('pr.when'), accessorKey: 'effectiveAt', cell: ({ row: { original: c } }) => `${c.localTime.replace('T', ' ')} (${c.timezone})` },
    { id: 'sku', header: t('pr.product'), accessorKey: 'sku', cell: ({ row: { original: c } }) => `${c.sku ?? ''} · ${c.productName ?? ''}` },
    { id: 'level', header: t('pr.level'), enableSorting: false, cell: ({ row: { original: c } }) => (c.level === 'store' ? c.storeName : c.level === 'company' ? c.companyName : t('pr.level.base')) },
    { id: 'priceCents', header: t('pr.newPrice'), accessorKey: 'priceCents', meta: { align: 'right' }, cell: ({ row: { original: c } }) => euros(c.priceCents, locale) },
    {
      id: 'status', header: '', enableSorting: false,
      cell: ({ row: { original: c } }) =>
        c.status === 'scheduled' && canWrite && c.effectiveAt > new Date().toISOString() ? (
          <Button size="xs" variant="light" color="red" onClick={(e) => (e.stopPropagation(), void cancel(c))} data-testid="cancel-change">{t('pr.cancel')}</Button>
        ) : (
          <Badge variant="light" color={c.status === 'scheduled' ? 'blue' : 'gray'}>{t(`pr.status.${c.status}`)}</Badge>
        ),
    },
  ];
  return (
    <Section title={t('pr.upcoming')} testId="price-changes">
      <DataTable
        paramPrefix="c."
        endpoint={`/api/price-changes?${new URLSearchParams({ ...(storeId ? { storeId } : {}), ...(productId ? { productId } : {}) }).toString()}`}
        defaults={{ sort: 'effectiveAt', filters: { upcoming: 'true' } }}
        filters={[{ name: 'upcoming', label: t('pr.upcoming'), options: [{ value: 'true', label: t('pr.upcoming') }, { value: 'false', label: t('pr.all') }] }]}
        columns={columns}
        rowKey={(c) => c.id}
        exportName={false}
      />
    </Section>
  );
}
