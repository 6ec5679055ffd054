/**
 * The receiving screen of one order: scan (each read adds 1 to its line; a pack's barcode is not a unit's) or
 * type what arrived, lot and best-before where the product tracks them, a reason where the total goes beyond
 * the order's tolerance, then post the receipt (EM). The receipt's id is made once per screen: a retried post
 * is answered "already posted", never booked twice.
 */
import { Alert, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { beyondTolerance } from '@tpv/shared/inventory/purchase-amounts';
import { api, ApiError } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';
import { microsText, qtyText, useOrder, type Order } from './queries';

export default function ReceivingPage() {
  const { id } = useParams();
  const order = useOrder(id);
  return <QueryState query={order}>{(o) => <Receiving o={o} />}</QueryState>;
}

interface Entry { quantity: number; lot: string; bestBefore: string; overReason: string }
const EMPTY: Entry = { quantity: 0, lot: '', bestBefore: '', overReason: '' };

function Receiving({ o }: { o: Order }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [entries, setEntries] = useState<Record<number, Entry>>({});
  const [receiptId, setReceiptId] = useState(() => crypto.randomUUID());
  const [scan, setScan] = useState('');
  const [scanError, setScanError] = useState<string | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const entry = (n: number) => entries[n] ?? EMPTY;
  const set = (n: number, patch: Partial<Entry>) => setEntries((e) => ({ ...e, [n]: { ...(e[n] ?? EMPTY), ...patch } }));

  const onScan = () => {
    const code = scan.trim();
    setScan('');
    if (!code) return;
    const line = o.lines.find((l) => l.barcodes.includes(code) || l.sku === code);
    if (!line) return setScanError(t('r.unknown', { code }));
    setScanError(null);
    set(line.lineNo, { quantity: entry(line.lineNo).quantity + 1 });
  };

  const post = useMutation({
    mutationFn: () =>
      api<Order>('POST', `/api/purchase-orders/${o.id}/receipts`, {
        id: receiptId,
        lines: o.lines.flatMap((l) => {
          const e = entry(l.lineNo);
          return e.quantity > 0 ? [{ orderLineNo: l.lineNo, quantity: e.quantity, lot: e.lot || null, bestBefore: e.bestBefore || null, overReason: e.overReason || null }] : [];
        }),
      }),
    onSuccess: (next) => {
      qc.setQueryData(['purchasing', 'order', o.id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(t('r.posted'));
      setEntries({});
      setReceiptId(crypto.randomUUID());
      void navigate(`/purchasing/orders/${o.id}`);
    },
  });
  const fieldErrors = post.error instanceof ApiError ? post.error.fieldErrors : [];
  const sent = o.lines.filter((l) => entry(l.lineNo).quantity > 0);
  const errorOf = (lineNo: number, field: string) => fieldErrors.find((e) => e.path === `lines.${sent.findIndex((l) => l.lineNo === lineNo)}.${field}`)?.message;

  return (
    <DetailLayout back={{ to: `/purchasing/orders/${o.id}`, label: t('r.back') }} title={`${t('r.title')} · ${o.number ?? ''}`} subtitle={`${o.supplierName} → ${o.locationName}`}>
      <Stack>
        <Section>
          <TextInput
            ref={scanRef} autoFocus label={t('r.scan')} description={t('r.scanHelp')} value={scan} data-testid="receive-scan" error={scanError}
            onChange={(e) => setScan(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), onScan())}
          />
        </Section>
        <Section>
          <Table data-testid="receive-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('o.product')}</Table.Th><Table.Th ta="right">{t('r.ordered')}</Table.Th><Table.Th ta="right">{t('o.received')}</Table.Th><Table.Th ta="right">{t('r.pending')}</Table.Th>
                <Table.Th>{t('r.now')}</Table.Th><Table.Th>{t('r.lot')}</Table.Th><Table.Th>{t('r.bestBefore')}</Table.Th><Table.Th>{t('r.overReason')}</Table.Th><Table.Th ta="right">{t('o.unitCost')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {o.lines.map((l) => {
                const e = entry(l.lineNo);
                const over = e.quantity > 0 && beyondTolerance(l.quantity, l.receivedQuantity + e.quantity, o.toleranceBp);
                return (
                  <Table.Tr key={l.lineNo} data-testid={`receive-line-${l.sku}`}>
                    <Table.Td>{l.sku} · {l.name}</Table.Td>
                    <Table.Td ta="right">{qtyText(l.quantity, l.weighed, locale)}</Table.Td>
                    <Table.Td ta="right">{qtyText(l.receivedQuantity, l.weighed, locale)}</Table.Td>
                    <Table.Td ta="right">{qtyText(Math.max(0, l.quantity - l.receivedQuantity), l.weighed, locale)}</Table.Td>
                    <Table.Td w={130}>
                      <NumberInput value={e.quantity} min={0} onChange={(v) => set(l.lineNo, { quantity: Number(v) || 0 })} rightSection={l.weighed ? 'g' : undefined} data-testid="receive-qty" error={errorOf(l.lineNo, 'quantity')} />
                    </Table.Td>
                    <Table.Td>{l.tracksLots && <TextInput value={e.lot} onChange={(x) => set(l.lineNo, { lot: x.currentTarget.value })} data-testid="receive-lot" error={errorOf(l.lineNo, 'lot')} />}</Table.Td>
                    <Table.Td>{l.tracksLots && <TextInput type="date" value={e.bestBefore} onChange={(x) => set(l.lineNo, { bestBefore: x.currentTarget.value })} data-testid="receive-best-before" error={errorOf(l.lineNo, 'bestBefore')} />}</Table.Td>
                    <Table.Td>{(over || errorOf(l.lineNo, 'overReason')) && <TextInput value={e.overReason} onChange={(x) => set(l.lineNo, { overReason: x.currentTarget.value })} data-testid="receive-over-reason" error={errorOf(l.lineNo, 'overReason')} />}</Table.Td>
                    <Table.Td ta="right">{microsText(l.netUnitCostMicros, l.weighed, locale)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Section>
        {post.error && <Alert color="red" data-testid="receive-error">{post.error.message}</Alert>}
        {sent.length === 0 && <Text c="dimmed" size="sm">{t('r.nothing')}</Text>}
        <Group justify="flex-end">
          <Button onClick={() => post.mutate()} loading={post.isPending} disabled={sent.length === 0} data-testid="receive-post">{t('r.post')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
