/** A draft purchase order, new or edited: supplier, where to deliver, expected date, lines with live totals. */
import { ActionIcon, Alert, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { purchaseAmounts } from '@tpv/shared/inventory/purchase-amounts';
import { api, ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { useSupplierOptions } from '../catalog/queries';
import { messages } from './messages';
import { useLocations, useOrder, useSupplierProducts, type Order } from './queries';

interface Line { productId: string | null; quantity: number; unitCostCents: number; discountBp: number }

export default function PurchaseOrderFormPage() {
  const { id } = useParams();
  const order = useOrder(id);
  if (id && !order.data) return null;
  return <OrderForm key={id ?? 'new'} order={order.data ?? null} />;
}

function OrderForm({ order }: { order: Order | null }) {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const suppliers = useSupplierOptions();
  const locations = useLocations();
  const [supplierId, setSupplierId] = useState<string | null>(order?.supplierId ?? null);
  const [locationId, setLocationId] = useState<string | null>(order?.locationId ?? null);
  const [expectedDate, setExpectedDate] = useState(order?.expectedDate ?? '');
  const [tolerance, setTolerance] = useState<number | ''>(order ? order.toleranceBp / 100 : '');
  const [note, setNote] = useState(order?.note ?? '');
  const [lines, setLines] = useState<Line[]>(order?.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitCostCents: l.unitCostCents, discountBp: l.discountBp })) ?? []);
  const products = useSupplierProducts(supplierId);
  const byId = useMemo(() => new Map((products.data ?? []).map((p) => [p.productId, p])), [products.data]);
  useEffect(() => {
    if (!locationId && locations.data?.length) setLocationId(locations.data.find((l) => l.kind === 'warehouse')?.id ?? locations.data[0]!.id);
  }, [locations.data, locationId]);

  const priced = lines.filter((l) => l.productId && byId.has(l.productId));
  const amounts = purchaseAmounts(priced.map((l) => ({ ...l, taxRateBp: 0, weighed: byId.get(l.productId!)!.weighed })));
  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  const save = useMutation({
    mutationFn: () => {
      const body = {
        supplierId, locationId, expectedDate: expectedDate || null, note: note || null, ...(tolerance === '' ? {} : { toleranceBp: Math.round(Number(tolerance) * 100) }),
        lines: lines.filter((l) => l.productId).map((l) => ({ productId: l.productId, quantity: l.quantity, unitCostCents: l.unitCostCents, discountBp: l.discountBp })),
      };
      return order ? api<Order>('PUT', `/api/purchase-orders/${order.id}`, body) : api<Order>('POST', '/api/purchase-orders', body);
    },
    onSuccess: (o) => {
      toast.ok(t('o.saved'));
      void qc.invalidateQueries({ queryKey: ['list'] });
      void qc.invalidateQueries({ queryKey: ['purchasing'] });
      void navigate(`/purchasing/orders/${o.id}`);
    },
  });
  const fieldError = (path: string) => (save.error instanceof ApiError ? save.error.fieldErrors.find((e) => e.path === path)?.message : undefined);

  return (
    <DetailLayout back={{ to: order ? `/purchasing/orders/${order.id}` : '/purchasing/orders' }} title={order ? (order.number ?? t('o.draft')) : t('o.new')}>
      <Stack>
        <Section title={t('o.supplier')}>
          <Group grow align="flex-start">
            <Select label={t('o.supplier')} data={suppliers.data ?? []} value={supplierId} onChange={setSupplierId} searchable data-testid="po-supplier" error={fieldError('supplierId')} />
            <Select label={t('o.deliverTo')} data={(locations.data ?? []).map((l) => ({ value: l.id, label: `${l.code} · ${l.name}` }))} value={locationId} onChange={setLocationId} data-testid="po-location" error={fieldError('locationId')} />
            <TextInput type="date" label={t('o.expected')} value={expectedDate} onChange={(e) => setExpectedDate(e.currentTarget.value)} data-testid="po-expected" />
            <NumberInput label={t('o.tolerance')} value={tolerance} onChange={(v) => setTolerance(v === '' ? '' : Number(v))} min={0} max={100} decimalScale={2} />
          </Group>
          <Textarea label={t('o.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} mt="sm" />
        </Section>
        <Section title={t('o.lines')} actions={<Button variant="light" disabled={!supplierId} onClick={() => setLines((ls) => [...ls, { productId: null, quantity: 1, unitCostCents: 0, discountBp: 0 }])} data-testid="po-add-line">{t('o.addLine')}</Button>}>
          {!supplierId && <Text c="dimmed" size="sm">{t('o.pickSupplier')}</Text>}
          <Table data-testid="po-lines">
            <Table.Thead><Table.Tr><Table.Th>{t('o.product')}</Table.Th><Table.Th>{t('o.quantity')}</Table.Th><Table.Th>{t('o.unitCost')}</Table.Th><Table.Th>{t('o.discount')}</Table.Th><Table.Th ta="right">{t('o.base')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => {
                const p = l.productId ? byId.get(l.productId) : undefined;
                const base = p ? amounts.lineBases[priced.indexOf(l)] : undefined;
                return (
                  <Table.Tr key={i} data-testid="po-line">
                    <Table.Td miw={260}>
                      <Select
                        data={(products.data ?? []).map((x) => ({ value: x.productId, label: `${x.sku} · ${x.name}` }))} value={l.productId} searchable data-testid="po-line-product"
                        onChange={(v) => set(i, { productId: v, unitCostCents: (v && byId.get(v)?.costCents) || l.unitCostCents })} error={fieldError(`lines.${i}.productId`)}
                      />
                    </Table.Td>
                    <Table.Td><NumberInput value={l.quantity} min={1} onChange={(v) => set(i, { quantity: Number(v) || 1 })} rightSection={p?.weighed ? 'g' : undefined} data-testid="po-line-qty" /></Table.Td>
                    <Table.Td><NumberInput value={l.unitCostCents / 100} min={0} decimalScale={2} onChange={(v) => set(i, { unitCostCents: Math.round(Number(v) * 100) })} rightSection={p?.weighed ? t('o.perKg') : undefined} data-testid="po-line-cost" error={fieldError(`lines.${i}.unitCostCents`)} /></Table.Td>
                    <Table.Td><NumberInput value={l.discountBp / 100} min={0} max={100} decimalScale={2} onChange={(v) => set(i, { discountBp: Math.round(Number(v) * 100) })} data-testid="po-line-discount" /></Table.Td>
                    <Table.Td ta="right">{base === undefined ? '—' : f.money(base)}</Table.Td>
                    <Table.Td><ActionIcon variant="subtle" color="red" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} aria-label={t('o.remove')}>×</ActionIcon></Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Text ta="right" fw={600} mt="sm" data-testid="po-form-base">{t('o.base')}: {f.money(amounts.baseCents)}</Text>
        </Section>
        {save.error && <Alert color="red" data-testid="po-form-error">{save.error.message}</Alert>}
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={lines.every((l) => !l.productId)} data-testid="po-save">{t('o.save')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
