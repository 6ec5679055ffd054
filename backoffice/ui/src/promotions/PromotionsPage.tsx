/**
 * Promotions: the list (status, validity) and, for HQ (`promotions.write`), a form for every kind with its
 * conditions, and "end now". Refusals show the server's message on the field it names.
 */
import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PromotionRule } from '@tpv/shared/promotions/definition';
import type { PromotionItem } from '@tpv/shared/wire/http/promotions';
import { api, ApiError, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

const KINDS = ['n_for_m', 'nth_unit', 'mix_match', 'bundle', 'category', 'ticket'] as const;
type Kind = (typeof KINDS)[number];
const STATUS_COLOR = { scheduled: 'blue', active: 'green', ended: 'gray' } as const;

interface Form {
  name: string; kind: Kind; products: string; categories: string; items: string;
  buy: number; pay: number; nth: number; percent: number | ''; amount: number | ''; quantity: number; price: number | ''; threshold: number;
  from: string; to: string; stores: string; weekdays: string; hoursFrom: string; hoursTo: string; loyalty: boolean; priority: number; exclusive: boolean;
}
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const cents = (eur: number | '') => (eur === '' ? undefined : Math.round(eur * 100));
const bp = (pct: number | '') => (pct === '' ? undefined : Math.round(pct * 100));
const localInput = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().slice(0, 16) : '');

const emptyForm = (): Form => ({
  name: '', kind: 'n_for_m', products: '', categories: '', items: '', buy: 3, pay: 2, nth: 2, percent: '', amount: '', quantity: 3, price: '', threshold: 30,
  from: new Date().toISOString().slice(0, 16), to: '', stores: '', weekdays: '', hoursFrom: '', hoursTo: '', loyalty: false, priority: 0, exclusive: false,
});

function formOf(p: PromotionItem): Form {
  const r = p.rule;
  const c = p.conditions;
  return {
    ...emptyForm(), name: p.name, kind: r.kind,
    products: 'productIds' in r ? r.productIds.join(', ') : '', categories: r.kind === 'category' ? r.categoryIds.join(', ') : '',
    items: r.kind === 'bundle' ? r.items.map((i) => `${i.productId}:${i.units}`).join(', ') : '',
    buy: r.kind === 'n_for_m' ? r.buy : 3, pay: r.kind === 'n_for_m' ? r.pay : 2, nth: r.kind === 'nth_unit' ? r.nth : 2,
    percent: 'percentBp' in r && r.percentBp !== undefined ? r.percentBp / 100 : '', amount: 'amountCents' in r && r.amountCents !== undefined ? r.amountCents / 100 : '',
    quantity: r.kind === 'mix_match' ? r.quantity : 3, price: 'priceCents' in r && r.priceCents !== undefined ? r.priceCents / 100 : '', threshold: r.kind === 'ticket' ? r.thresholdCents / 100 : 30,
    from: localInput(c.validFrom), to: localInput(c.validTo), stores: (c.storeIds ?? []).join(', '), weekdays: (c.weekdays ?? []).join(', '),
    hoursFrom: c.hours?.from ?? '', hoursTo: c.hours?.to ?? '', loyalty: c.loyaltyOnly === true, priority: p.priority, exclusive: p.exclusive,
  };
}

function bodyOf(f: Form) {
  const rule = ((): PromotionRule | Record<string, unknown> => {
    switch (f.kind) {
      case 'n_for_m': return { kind: f.kind, productIds: list(f.products), buy: f.buy, pay: f.pay };
      case 'nth_unit': return { kind: f.kind, productIds: list(f.products), nth: f.nth, percentBp: bp(f.percent) };
      case 'mix_match': return { kind: f.kind, productIds: list(f.products), quantity: f.quantity, priceCents: cents(f.price), percentBp: bp(f.percent) };
      case 'bundle': return { kind: f.kind, items: list(f.items).map((x) => ({ productId: x.split(':')[0]!.trim(), units: Number(x.split(':')[1] ?? 1) })), priceCents: cents(f.price) };
      case 'category': return { kind: f.kind, categoryIds: list(f.categories), percentBp: bp(f.percent), amountCents: cents(f.amount) };
      case 'ticket': return { kind: f.kind, thresholdCents: cents(f.threshold), percentBp: bp(f.percent), amountCents: cents(f.amount) };
    }
  })();
  return {
    name: f.name, rule, priority: f.priority, exclusive: f.exclusive,
    conditions: {
      validFrom: new Date(f.from).toISOString(), ...(f.to ? { validTo: new Date(f.to).toISOString() } : {}),
      ...(list(f.stores).length ? { storeIds: list(f.stores) } : {}), ...(list(f.weekdays).length ? { weekdays: list(f.weekdays).map(Number) } : {}),
      ...(f.hoursFrom && f.hoursTo ? { hours: { from: f.hoursFrom, to: f.hoursTo } } : {}), ...(f.loyalty ? { loyaltyOnly: true } : {}),
    },
  };
}

export default function PromotionsPage() {
  const { t } = useT(messages);
  const fmt = useFormat();
  const canWrite = useCan('promotions.write');
  const qc = useQueryClient();
  const promos = useQuery({ queryKey: ['promotions'], queryFn: () => get<{ items: PromotionItem[] }>('/api/promotions') });
  const [editing, setEditing] = useState<{ id: string | null; form: Form } | null>(null);
  const save = useMutation({
    mutationFn: (e: { id: string | null; form: Form }) => (e.id ? api('PUT', `/api/promotions/${e.id}`, bodyOf(e.form)) : api('POST', '/api/promotions', bodyOf(e.form))),
    onSuccess: () => (setEditing(null), qc.invalidateQueries({ queryKey: ['promotions'] })),
  });
  const end = useMutation({ mutationFn: (id: string) => api('POST', `/api/promotions/${id}/end`), onSuccess: () => qc.invalidateQueries({ queryKey: ['promotions'] }) });
  const err = save.error instanceof ApiError ? save.error : null;
  const fieldError = (path: string) => err?.fieldErrors.find((x) => x.path === path || x.path.startsWith(`${path}.`))?.message;
  const set = (patch: Partial<Form>) => setEditing((e) => (e ? { ...e, form: { ...e.form, ...patch } } : e));
  const f = editing?.form;
  return (
    <>
      <PageHeader title={t('p.title')} subtitle={t('p.help')} actions={canWrite && <Button onClick={() => (save.reset(), setEditing({ id: null, form: emptyForm() }))} data-testid="promotion-new">{t('p.new')}</Button>} />
      <Section>
        {promos.data?.items.length === 0 && <Alert>{t('p.none')}</Alert>}
        <Table striped data-testid="promotions-table">
          <Table.Thead><Table.Tr><Table.Th>{t('p.name')}</Table.Th><Table.Th>{t('p.kind')}</Table.Th><Table.Th>{t('p.status')}</Table.Th><Table.Th>{t('p.validity')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {promos.data?.items.map((p) => (
              <Table.Tr key={p.id} data-testid="promotion-row">
                <Table.Td>{p.name}{p.exclusive ? ' ★' : ''}</Table.Td>
                <Table.Td>{t(`k.${p.rule.kind}`)}</Table.Td>
                <Table.Td><Badge color={STATUS_COLOR[p.status]}>{t(`s.${p.status}`)}</Badge></Table.Td>
                <Table.Td>{fmt.dateTime(p.conditions.validFrom)} → {p.conditions.validTo ? fmt.dateTime(p.conditions.validTo) : '∞'}</Table.Td>
                <Table.Td>
                  {canWrite && (
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => (save.reset(), setEditing({ id: p.id, form: formOf(p) }))}>{t('p.edit')}</Button>
                      {p.status !== 'ended' && <Button size="xs" color="red" variant="light" loading={end.isPending} onClick={() => end.mutate(p.id)} data-testid="promotion-end">{t('p.end')}</Button>}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing?.id ? t('p.edit') : t('p.new')} size="lg">
        {f && (
          <Stack>
            {err && <Alert color="red" data-testid="promotion-error">{err.message}</Alert>}
            <TextInput label={t('p.name')} value={f.name} onChange={(e) => set({ name: e.currentTarget.value })} error={fieldError('name')} data-testid="promotion-name" />
            <Select label={t('p.kind')} data={KINDS.map((k) => ({ value: k, label: t(`k.${k}`) }))} value={f.kind} onChange={(v) => set({ kind: (v as Kind) ?? 'n_for_m' })} allowDeselect={false} data-testid="promotion-kind" />
            {['n_for_m', 'nth_unit', 'mix_match'].includes(f.kind) && <TextInput label={t('f.products')} value={f.products} onChange={(e) => set({ products: e.currentTarget.value })} error={fieldError('rule.productIds')} data-testid="promotion-products" />}
            {f.kind === 'bundle' && <TextInput label={t('f.items')} value={f.items} onChange={(e) => set({ items: e.currentTarget.value })} error={fieldError('rule.items')} />}
            {f.kind === 'category' && <TextInput label={t('f.categories')} value={f.categories} onChange={(e) => set({ categories: e.currentTarget.value })} error={fieldError('rule.categoryIds')} />}
            <SimpleGrid cols={3}>
              {f.kind === 'n_for_m' && <NumberInput label={t('f.buy')} value={f.buy} min={2} onChange={(v) => set({ buy: Number(v) })} />}
              {f.kind === 'n_for_m' && <NumberInput label={t('f.pay')} value={f.pay} min={1} onChange={(v) => set({ pay: Number(v) })} error={fieldError('rule.pay')} />}
              {f.kind === 'nth_unit' && <NumberInput label={t('f.nth')} value={f.nth} min={2} onChange={(v) => set({ nth: Number(v) })} />}
              {f.kind === 'mix_match' && <NumberInput label={t('f.quantity')} value={f.quantity} min={2} onChange={(v) => set({ quantity: Number(v) })} />}
              {(f.kind === 'mix_match' || f.kind === 'bundle') && <NumberInput label={t('f.price')} value={f.price} decimalScale={2} min={0} onChange={(v) => set({ price: v === '' ? '' : Number(v) })} error={fieldError('rule.priceCents')} />}
              {f.kind === 'ticket' && <NumberInput label={t('f.threshold')} value={f.threshold} decimalScale={2} min={0} onChange={(v) => set({ threshold: Number(v) })} />}
              {f.kind !== 'n_for_m' && f.kind !== 'bundle' && <NumberInput label={t('f.percent')} value={f.percent} decimalScale={2} min={0} max={100} onChange={(v) => set({ percent: v === '' ? '' : Number(v) })} error={fieldError('rule.percentBp')} />}
              {(f.kind === 'category' || f.kind === 'ticket') && <NumberInput label={t('f.amount')} value={f.amount} decimalScale={2} min={0} onChange={(v) => set({ amount: v === '' ? '' : Number(v) })} error={fieldError('rule.amountCents')} />}
            </SimpleGrid>
            <SimpleGrid cols={2}>
              <TextInput type="datetime-local" label={t('f.from')} value={f.from} onChange={(e) => set({ from: e.currentTarget.value })} />
              <TextInput type="datetime-local" label={t('f.to')} value={f.to} onChange={(e) => set({ to: e.currentTarget.value })} error={fieldError('conditions.validTo')} />
              <TextInput label={t('f.stores')} value={f.stores} onChange={(e) => set({ stores: e.currentTarget.value })} error={fieldError('conditions.storeIds')} />
              <TextInput label={t('f.weekdays')} value={f.weekdays} onChange={(e) => set({ weekdays: e.currentTarget.value })} />
              <TextInput type="time" label={t('f.hoursFrom')} value={f.hoursFrom} onChange={(e) => set({ hoursFrom: e.currentTarget.value })} />
              <TextInput type="time" label={t('f.hoursTo')} value={f.hoursTo} onChange={(e) => set({ hoursTo: e.currentTarget.value })} error={fieldError('conditions.hours')} />
              <NumberInput label={t('f.priority')} value={f.priority} min={0} max={1000} onChange={(v) => set({ priority: Number(v) })} />
            </SimpleGrid>
            <Checkbox label={t('f.loyalty')} checked={f.loyalty} onChange={(e) => set({ loyalty: e.currentTarget.checked })} />
            <Checkbox label={t('f.exclusive')} checked={f.exclusive} onChange={(e) => set({ exclusive: e.currentTarget.checked })} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>{t('p.cancel')}</Button>
              <Button loading={save.isPending} onClick={() => editing && save.mutate(editing)} data-testid="promotion-save">{t('p.save')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
