/**
 * One block's page: per store (the caller's) the units sold since the reference date, the stock on hand to
 * withdraw, what was withdrawn and whether the store is done; the withdrawals recorded; a store records its
 * withdrawal (inventory.write); HQ lifts the block (quality.write).
 */
import { Alert, Badge, Button, Checkbox, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { STATUS_COLOR, type BlockSummary } from './BlocksPage';

interface StoreRow { storeId: string; storeCode: string; storeName: string; unitsSold: number; gramsSold: number; tickets: number; onHand: number; withdrawnUnits: number; withdrawnAt: string | null }
interface Withdrawal { id: string; storeId: string; method: 'adjustment' | 'store_return' | 'none'; units: number; documentNumber: string | null; note: string | null; createdAt: string }
interface Detail { block: BlockSummary; stores: StoreRow[]; withdrawals: Withdrawal[]; totals: { unitsSold: number; onHand: number; withdrawnUnits: number } }

export default function BlockPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('quality.write');
  const canWithdraw = useCan('inventory.write');
  const d = useQuery({ queryKey: ['product-blocks', id], queryFn: () => get<Detail>(`/api/product-blocks/${id}`) });
  const [storeId, setStoreId] = useState<string | null>(null);
  const [method, setMethod] = useState<'adjustment' | 'none'>('adjustment');
  const [units, setUnits] = useState<number | string>('');
  const [complete, setComplete] = useState(false);
  const [note, setNote] = useState('');
  const refresh = () => void qc.invalidateQueries({ queryKey: ['product-blocks'] });
  const withdraw = useMutation({
    mutationFn: () => api('POST', `/api/product-blocks/${id}/withdrawals`, { id: crypto.randomUUID(), storeId, method, units: method === 'none' ? 0 : Number(units), complete: method === 'none' || complete }),
    onSuccess: () => (setUnits(''), refresh()),
  });
  const lift = useMutation({ mutationFn: () => api('POST', `/api/product-blocks/${id}/lift`, { note }), onSuccess: () => (setNote(''), refresh()) });
  if (!d.data) return d.error ? <Alert color="red">{d.error.message}</Alert> : null;
  const { block: b, stores, withdrawals, totals } = d.data;
  const storeName = (sid: string) => stores.find((s) => s.storeId === sid)?.storeCode ?? sid;
  return (
    <DetailLayout back={{ to: '/quality/blocks', label: t('d.back') }} title={`${b.number} · ${b.productName}`} subtitle={b.reason}
      actions={<Badge size="lg" variant="light" color={STATUS_COLOR[b.status]} data-testid="block-status">{t(`st.${b.status}`)}</Badge>}>
      <Stack>
        <Section>
          <Fields items={[
            [t('b.product'), `${b.productSku} · ${b.productName}`],
            [t('b.scope'), `${t(`scope.${b.scope}`)}${b.lot ? ` ${b.lot}` : ''}${b.scope === 'best_before' ? ` ${b.bestBeforeFrom ?? '…'} – ${b.bestBeforeTo ?? '…'}` : ''}`],
            [t('b.reference'), f.date(b.referenceDate)],
            [t('b.stores'), b.network ? t('d.network') : t('d.someStores')],
            ...(b.liftNote ? [[t('l.note'), b.liftNote] as [string, string]] : []),
          ]} />
        </Section>
        <Section testId="block-stores">
          <Table striped data-testid="block-stores-table">
            <Table.Thead><Table.Tr><Table.Th>{t('d.store')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.sold')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.tickets')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.onHand')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.withdrawnUnits')}</Table.Th><Table.Th>{t('d.done')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {stores.map((s) => (
                <Table.Tr key={s.storeId} data-testid="block-store-row">
                  <Table.Td>{s.storeCode} · {s.storeName}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }} data-testid="block-store-sold">{s.gramsSold ? `${s.unitsSold} · ${s.gramsSold} g` : s.unitsSold}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{s.tickets}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{s.onHand}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{s.withdrawnUnits}</Table.Td>
                  <Table.Td>{s.withdrawnAt ? <Badge color="green" variant="light">{f.dateTime(s.withdrawnAt)}</Badge> : '—'}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr fw={700}><Table.Td>{t('d.total')}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{totals.unitsSold}</Table.Td><Table.Td /><Table.Td style={{ textAlign: 'right' }}>{totals.onHand}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{totals.withdrawnUnits}</Table.Td><Table.Td /></Table.Tr>
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('d.withdrawals')}>
          {withdrawals.length === 0 ? <Text c="dimmed">—</Text> : (
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('d.at')}</Table.Th><Table.Th>{t('d.store')}</Table.Th><Table.Th>{t('d.method')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.units')}</Table.Th><Table.Th>{t('d.document')}</Table.Th><Table.Th>{t('d.note')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {withdrawals.map((w) => (
                  <Table.Tr key={w.id}><Table.Td>{f.dateTime(w.createdAt)}</Table.Td><Table.Td>{storeName(w.storeId)}</Table.Td><Table.Td>{t(`m.${w.method}`)}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{w.units}</Table.Td><Table.Td ff="monospace">{w.documentNumber ?? ''}</Table.Td><Table.Td>{w.note ?? ''}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {canWithdraw && b.status !== 'lifted' && (
            <Group align="end" mt="md" wrap="wrap" data-testid="block-withdraw">
              <Select label={t('w.store')} w={220} data={stores.filter((s) => !s.withdrawnAt).map((s) => ({ value: s.storeId, label: `${s.storeCode} · ${s.storeName}` }))} value={storeId} onChange={setStoreId} />
              <Select label={t('w.method')} w={220} data={[{ value: 'adjustment', label: t('m.adjustment') }, { value: 'none', label: t('m.none') }]} value={method} onChange={(v) => setMethod((v ?? 'adjustment') as 'adjustment' | 'none')} />
              {method === 'adjustment' && <NumberInput label={t('w.units')} w={120} min={1} value={units} onChange={setUnits} />}
              {method === 'adjustment' && <Checkbox label={t('w.complete')} checked={complete} onChange={(e) => setComplete(e.currentTarget.checked)} />}
              <Button disabled={!storeId || (method === 'adjustment' && !Number(units))} loading={withdraw.isPending} onClick={() => withdraw.mutate()}>{t('w.save')}</Button>
            </Group>
          )}
          {withdraw.error && <Alert color="red" mt="sm">{withdraw.error.message}</Alert>}
        </Section>
        {canWrite && b.status !== 'lifted' && (
          <Section title={t('l.title')}>
            <Group align="end">
              <TextInput label={t('l.note')} w={360} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              <Button variant="light" color="green" disabled={note.trim().length < 3} loading={lift.isPending} onClick={() => lift.mutate()}>{t('l.lift')}</Button>
            </Group>
            {lift.error && <Alert color="red" mt="sm">{lift.error.message}</Alert>}
          </Section>
        )}
      </Stack>
    </DetailLayout>
  );
}
