/** Reglas de reposición: a store's rules (min/max or days of cover, pack, lead time, source), add/edit/remove. */
import { Button, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RuleView } from '@tpv/shared/wire/http/restocking';
import { ApiError, api, get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export default function RulesPage() {
  const { t } = useT(messages);
  const stores = useStoreOptions();
  const [storeId, setStoreId] = useState<string | null>(null);
  const current = storeId ?? stores.stores[0]?.id ?? null;
  return (
    <>
      <PageHeader title={t('r.rules.title')} />
      <QueryState query={stores}>
        {() => (
          <Stack>
            <Select label={t('r.store')} data={stores.options} value={current} onChange={setStoreId} data-testid="rules-store" maw={360} allowDeselect={false} />
            {current && <StoreRules storeId={current} />}
          </Stack>
        )}
      </QueryState>
    </>
  );
}

interface Draft {
  productId: string;
  method: 'minmax' | 'cover';
  minQty: number | '';
  maxQty: number | '';
  coverDays: number | '';
  packMultiple: number | '';
  leadTimeDays: number | '';
  supplierId: string;
}
const EMPTY: Draft = { productId: '', method: 'cover', minQty: '', maxQty: '', coverDays: 14, packMultiple: 1, leadTimeDays: '', supplierId: '' };
const n = (v: number | '') => (v === '' ? null : v);

function StoreRules({ storeId }: { storeId: string }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['restock-rules', storeId];
  const rules = useQuery({ queryKey: key, queryFn: () => get<RuleView[]>(`/api/stores/${storeId}/restock-rules`) });
  const [d, setD] = useState<Draft>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: async () => {
      let productId = d.productId.trim();
      // A SKU typed instead of an id: look it up.
      if (productId && !/^[0-9a-f-]{36}$/i.test(productId)) {
        const found = await get<{ items: Array<{ id: string; sku: string }> }>(`/api/products?q=${encodeURIComponent(productId)}&pageSize=5`);
        productId = found.items.find((p) => p.sku === productId)?.id ?? productId;
      }
      return api('PUT', `/api/stores/${storeId}/restock-rules/${encodeURIComponent(productId)}`, {
        method: d.method,
        minQty: n(d.minQty),
        maxQty: n(d.maxQty),
        coverDays: n(d.coverDays),
        packMultiple: d.packMultiple === '' ? 1 : d.packMultiple,
        leadTimeDays: n(d.leadTimeDays),
        source: d.supplierId ? 'supplier' : 'warehouse',
        supplierId: d.supplierId || null,
      });
    },
    onSuccess: () => {
      toast.ok(t('r.saved'));
      setD(EMPTY);
      setFieldErrors({});
      void qc.invalidateQueries({ queryKey: key });
    },
    onError: (e) => {
      const errors = e instanceof ApiError ? e.fieldErrors : [];
      setFieldErrors(Object.fromEntries(errors.map((x) => [x.path, x.message])));
      toast.fail(e);
    },
  });
  const remove = useMutation({
    mutationFn: (productId: string) => api('DELETE', `/api/stores/${storeId}/restock-rules/${productId}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
    onError: (e) => toast.fail(e),
  });
  const num = (k: keyof Draft, label: string) => (
    <NumberInput label={label} value={d[k] as number | ''} onChange={(v) => setD({ ...d, [k]: typeof v === 'number' ? v : '' })} min={0} allowDecimal={false} w={130} error={fieldErrors[k]} data-testid={`rule-${k}`} />
  );
  return (
    <Stack>
      <Section title={t('r.save')} testId="rule-form">
        <Group align="end" wrap="wrap">
          <TextInput label={t('r.productId')} value={d.productId} onChange={(e) => setD({ ...d, productId: e.currentTarget.value })} error={fieldErrors.productId} data-testid="rule-productId" />
          <Select
            label={t('r.method')}
            data={[{ value: 'cover', label: t('r.method.cover') }, { value: 'minmax', label: t('r.method.minmax') }]}
            value={d.method}
            onChange={(v) => setD({ ...d, method: (v as Draft['method']) ?? 'cover' })}
            allowDeselect={false}
            w={170}
            data-testid="rule-method"
          />
          {d.method === 'minmax' ? (
            <>
              {num('minQty', t('r.min'))}
              {num('maxQty', t('r.max'))}
            </>
          ) : (
            num('coverDays', t('r.coverDays'))
          )}
          {num('packMultiple', t('r.pack'))}
          {num('leadTimeDays', t('r.lead'))}
          <TextInput label={t('r.supplierId')} value={d.supplierId} onChange={(e) => setD({ ...d, supplierId: e.currentTarget.value })} error={fieldErrors.supplierId} data-testid="rule-supplierId" />
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="rule-save">{t('r.save')}</Button>
        </Group>
      </Section>
      <QueryState query={rules}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('r.rules.empty')}</Text>
          ) : (
            <Table striped data-testid="rules">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('r.product')}</Table.Th>
                  <Table.Th>{t('r.method')}</Table.Th>
                  <Table.Th ta="right">{t('r.min')} / {t('r.max')} / {t('r.coverDays')}</Table.Th>
                  <Table.Th ta="right">{t('r.pack')}</Table.Th>
                  <Table.Th ta="right">{t('r.lead')}</Table.Th>
                  <Table.Th>{t('r.source')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.productId} data-testid={`rule-${r.sku}`}>
                    <Table.Td>{`${r.sku} · ${r.name}`}</Table.Td>
                    <Table.Td>{t(`r.method.${r.method}`)}</Table.Td>
                    <Table.Td ta="right">{r.method === 'minmax' ? `${r.minQty} / ${r.maxQty}` : `${r.coverDays} d`}</Table.Td>
                    <Table.Td ta="right">{r.packMultiple}</Table.Td>
                    <Table.Td ta="right">{r.leadTimeDays ?? '—'}</Table.Td>
                    <Table.Td>{r.source === 'supplier' ? t('r.source.supplier') : t('r.source.warehouse')}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(r.productId)} data-testid={`rule-delete-${r.sku}`}>{t('r.delete')}</Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Stack>
  );
}
