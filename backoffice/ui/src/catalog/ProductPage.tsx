/** A product: its form (new or edit, validated with the API's own schema), packs, suppliers and price list. */
import { Button, Grid, NumberInput, Select, Switch, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useController, type UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { ProductBody } from '@tpv/shared/wire/http/catalog';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { FormShell, applyServerErrors, field, useZodForm } from '../components/form';
import { useSelectField, useSwitchField } from './fields';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';
import { TAX_OPTIONS, categoryPaths, euros, useCategories } from './queries';
import type { ProductRow } from './ProductsPage';

interface ProductDetail extends ProductRow {
  barcodes: string[];
  packs: Array<{ id: string; name: string; units: number; barcode: string | null }>;
  suppliers: Array<{ supplierId: string; supplierName: string; reference: string | null; costCents: number | null }>;
}
interface ProductPrices { basePriceCents: number; companies: Array<{ companyId: string; priceCents: number }>; stores: Array<{ storeId: string; priceCents: number }> }

export default function ProductPage() {
  const { id } = useParams();
  const isNew = !id;
  const q = useQuery({ queryKey: ['catalog', 'product', id], queryFn: () => get<ProductDetail>(`/api/products/${id}`), enabled: !isNew });
  if (isNew) return <ProductForm />;
  return <QueryState query={q}>{(p) => <ProductForm product={p} />}</QueryState>;
}

/** A cents field shown and typed in euros. */
function EuroInput({ form, name, label, testId }: { form: UseFormReturn<never>; name: string; label: string; testId: string }) {
  const { field: f, fieldState } = useController({ control: form.control, name: name as never });
  const v = f.value as number | null | undefined;
  return (
    <NumberInput
      label={label} decimalScale={2} fixedDecimalScale min={0} data-testid={testId} error={fieldState.error?.message}
      value={v === null || v === undefined ? '' : v / 100}
      onChange={(x) => f.onChange(x === '' ? null : Math.round(Number(x) * 100))} onBlur={f.onBlur}
    />
  );
}

function BarcodesInput({ form, label }: { form: UseFormReturn<never>; label: string }) {
  const { field: f, fieldState } = useController({ control: form.control, name: 'barcodes' as never });
  // An error on the array or on one of its codes (`barcodes.2`).
  const errors = fieldState.error as unknown as Record<string, unknown> | undefined;
  const message = typeof errors?.message === 'string' ? errors.message : Object.values(errors ?? {}).map((e) => (e as { message?: string } | undefined)?.message).filter(Boolean).join('; ');
  return (
    <TextInput
      label={label} data-testid="product-barcodes" error={message || undefined}
      value={((f.value as string[] | undefined) ?? []).join(', ')}
      onChange={(e) => f.onChange(e.currentTarget.value.split(/[\s,]+/).filter(Boolean))} onBlur={f.onBlur}
    />
  );
}

function ProductForm({ product }: { product?: ProductDetail }) {
  const { t, locale } = useT(messages);
  const navigate = useNavigate();
  const toast = useToast();
  const confirm = useConfirm();
  const qc = useQueryClient();
  const canWrite = useCan('catalog.write');
  const cats = useCategories();
  const form = useZodForm(ProductBody, {
    defaultValues: product
      ? {
          sku: product.sku, name: product.name, nameEn: product.nameEn, categoryId: product.categoryId, taxRateBp: product.taxRateBp as 2100, exemption: product.exemption as 'E1' | null,
          weighed: product.weighed, priceCents: product.priceCents, costCents: product.costCents, active: product.active, barcodes: product.barcodes,
        }
      : { sku: '', name: '', nameEn: null, categoryId: null, taxRateBp: 2100, exemption: null, weighed: false, priceCents: 0, costCents: null, active: true, barcodes: [] },
  });
  const id = product?.id ?? crypto.randomUUID();
  const save = useMutation({
    mutationFn: (v: unknown) => api('PUT', `/api/products/${id}`, v),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await save.mutateAsync({ ...v, nameEn: v.nameEn || null });
      await qc.invalidateQueries({ queryKey: ['list'] });
      await qc.invalidateQueries({ queryKey: ['catalog'] });
      toast.ok(t('p.saved'));
      if (!product) navigate(`../${id}`, { replace: true });
    } catch (e) {
      applyServerErrors(form as never, e);
      toast.fail(e);
    }
  });
  const deactivate = async () => {
    if (!product || !(await confirm.action(t('p.deactivate'), `${product.sku} · ${product.name}`, t('p.deactivate'), true))) return;
    try {
      await api('DELETE', `/api/products/${product.id}`);
      await qc.invalidateQueries();
      toast.ok(t('p.deactivated'));
    } catch (e) {
      toast.fail(e);
    }
  };
  const prices = useQuery({ queryKey: ['catalog', 'product-prices', product?.id], queryFn: () => get<ProductPrices>(`/api/products/${product!.id}/prices`), enabled: !!product });
  const tax = form.watch('taxRateBp');
  const f = form as never as UseFormReturn<Record<string, unknown>, unknown, Record<string, unknown>>;
  const taxField = useSelectField(f, 'taxRateBp', (v) => Number(v));
  const categoryField = useSelectField(f, 'categoryId');
  const exemptionField = useSelectField(f, 'exemption');
  const weighedField = useSwitchField(f, 'weighed');
  const activeField = useSwitchField(f, 'active');
  return (
    <DetailLayout
      back={{ to: '..' }}
      title={product ? `${product.sku} · ${product.name}` : t('p.new')}
      actions={product && canWrite && product.active && <Button color="red" variant="light" onClick={() => void deactivate()} data-testid="deactivate">{t('p.deactivate')}</Button>}
    >
      <Section>
        <FormShell onSubmit={() => void onSubmit()} pending={save.isPending} testId="product-form" onCancel={() => navigate('..')}>
          <Grid>
            <Grid.Col span={{ base: 12, md: 4 }}><TextInput label={t('p.sku')} data-testid="product-sku" {...field(form, 'sku')} /></Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}><TextInput label={t('p.name')} data-testid="product-name" {...field(form, 'name')} /></Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}><TextInput label={t('p.nameEn')} {...field(form, 'nameEn')} /></Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Select label={t('p.category')} clearable data={categoryPaths(cats.data?.items ?? []).map((c) => ({ value: c.value, label: c.label }))} {...categoryField} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <Select
                label={t('p.tax')} data={TAX_OPTIONS} data-testid="product-tax"
                {...taxField}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <Select label={t('p.exemption')} clearable disabled={tax !== 0} data={['E1', 'E2', 'E3', 'E4', 'E5', 'E6']} {...exemptionField} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}><EuroInput form={form as never} name="priceCents" label={t('p.price')} testId="product-price" /></Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}><EuroInput form={form as never} name="costCents" label={t('p.cost')} testId="product-cost" /></Grid.Col>
            <Grid.Col span={12}><BarcodesInput form={form as never} label={t('p.barcodes')} /></Grid.Col>
            <Grid.Col span={{ base: 6 }}><Switch label={t('p.weighed')} {...weighedField} /></Grid.Col>
            <Grid.Col span={{ base: 6 }}><Switch label={t('p.active')} {...activeField} /></Grid.Col>
          </Grid>
        </FormShell>
      </Section>
      {product && product.packs.length > 0 && (
        <Section title={t('p.packs')}>
          <Table>
            <Table.Tbody>
              {product.packs.map((p) => (
                <Table.Tr key={p.id}><Table.Td>{p.name}</Table.Td><Table.Td>{p.units}</Table.Td><Table.Td>{p.barcode ?? '—'}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}
      {product && product.suppliers.length > 0 && (
        <Section title={t('p.suppliers')} testId="product-suppliers">
          <Table>
            <Table.Tbody>
              {product.suppliers.map((s) => (
                <Table.Tr key={s.supplierId}><Table.Td>{s.supplierName}</Table.Td><Table.Td>{s.reference ?? '—'}</Table.Td><Table.Td ta="right">{euros(s.costCents, locale)}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}
      {product && prices.data && (
        <Section title={t('p.overrides')}>
          <Table>
            <Table.Tbody>
              <Table.Tr><Table.Td>{t('pr.level.base')}</Table.Td><Table.Td ta="right">{euros(prices.data.basePriceCents, locale)}</Table.Td></Table.Tr>
              <Table.Tr><Table.Td>{t('pr.level.company')}</Table.Td><Table.Td ta="right">{prices.data.companies.length}</Table.Td></Table.Tr>
              <Table.Tr><Table.Td>{t('pr.level.store')}</Table.Td><Table.Td ta="right">{prices.data.stores.length}</Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
          <Button variant="subtle" mt="sm" onClick={() => navigate(`../../prices?productId=${product.id}`)}>{t('nav.prices')}</Button>
        </Section>
      )}
    </DetailLayout>
  );
}
