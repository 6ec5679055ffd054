/** A purchase order: header, lines with what arrived, stock and average cost at the destination, IVA per rate, receipts, and its actions. */
import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { api, download } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { STATUS_COLOR, microsText, qtyText, statusLabel, useOrder, type Order } from './queries';

export default function PurchaseOrderPage() {
  const { id } = useParams();
  const order = useOrder(id);
  return <QueryState query={order}>{(o) => <OrderView o={o} />}</QueryState>;
}

function OrderView({ o }: { o: Order }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const toast = useToast();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('purchasing.write');
  const act = useMutation({
    mutationFn: (what: 'send' | 'close' | 'cancel') => api<Order>('POST', `/api/purchase-orders/${o.id}/${what}`),
    onSuccess: (next, what) => {
      qc.setQueryData(['purchasing', 'order', o.id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(what === 'send' ? t('o.sent', { number: next.number ?? '' }) : what === 'close' ? t('o.closed') : t('o.cancelled'));
    },
    onError: (e) => toast.fail(e),
  });
  const receivable = o.status === 'sent' || o.status === 'partially_received';
  return (
    <DetailLayout
      back={{ to: '/purchasing/orders' }}
      title={<span data-testid="po-number">{o.number ?? t('o.draft')}</span>}
      subtitle={<Badge color={STATUS_COLOR[o.status]} variant="light" data-testid="po-detail-status">{statusLabel(t, o.status)}</Badge>}
      actions={
        <Group>
          <Button variant="default" onClick={() => void download(`/api/purchase-orders/${o.id}/pdf`, `pedido-${o.number ?? o.id}.pdf`).catch((e: unknown) => toast.fail(e))} data-testid="po-pdf">{t('o.pdf')}</Button>
          {canWrite && o.status === 'draft' && <Button variant="default" onClick={() => void navigate(`/purchasing/orders/${o.id}/edit`)} data-testid="po-edit">{t('o.edit')}</Button>}
          {canWrite && o.status === 'draft' && <Button onClick={() => act.mutate('send')} loading={act.isPending} data-testid="po-send">{t('o.send')}</Button>}
          {canWrite && receivable && <Button onClick={() => void navigate(`/purchasing/orders/${o.id}/receive`)} data-testid="po-receive">{t('o.receive')}</Button>}
          {canWrite && (receivable || o.status === 'received') && (
            <Button variant="default" onClick={() => void confirm.action(t('o.close'), t('o.closeConfirm')).then((y) => y && act.mutate('close'))} data-testid="po-close">{t('o.close')}</Button>
          )}
          {canWrite && (o.status === 'draft' || o.status === 'sent') && (
            <Button color="red" variant="light" onClick={() => void confirm.action(t('o.cancel'), t('o.cancelConfirm'), t('o.cancel'), true).then((y) => y && act.mutate('cancel'))} data-testid="po-cancel">{t('o.cancel')}</Button>
          )}
        </Group>
      }
    >
      <Stack>
        <Section>
          <Fields
            items={[
              [t('o.supplier'), `${o.supplierName}${o.supplierNif ? ` · ${o.supplierNif}` : ''}`],
              [t('o.deliverTo'), o.locationName],
              [t('o.expected'), o.expectedDate ?? '—'],
              [t('o.tolerance'), f.percentBp(o.toleranceBp)],
              [t('o.note'), o.note ?? '—'],
            ]}
          />
        </Section>
        <Section title={t('o.lines')}>
          <Table data-testid="po-detail-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('o.product')}</Table.Th><Table.Th ta="right">{t('o.quantity')}</Table.Th><Table.Th ta="right">{t('o.unitCost')}</Table.Th><Table.Th ta="right">{t('o.discount')}</Table.Th>
                <Table.Th ta="right">{t('o.tax')}</Table.Th><Table.Th ta="right">{t('o.base')}</Table.Th><Table.Th ta="right">{t('o.received')}</Table.Th><Table.Th ta="right">{t('o.onHand')}</Table.Th><Table.Th ta="right">{t('o.avgCost')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {o.lines.map((l) => (
                <Table.Tr key={l.lineNo} data-testid={`po-line-${l.sku}`}>
                  <Table.Td>{l.sku} · {l.name}</Table.Td>
                  <Table.Td ta="right">{qtyText(l.quantity, l.weighed, locale)}</Table.Td>
                  <Table.Td ta="right">{f.money(l.unitCostCents)}{l.weighed ? '/kg' : ''}</Table.Td>
                  <Table.Td ta="right">{l.discountBp ? f.percentBp(l.discountBp) : ''}</Table.Td>
                  <Table.Td ta="right">{f.percentBp(l.taxRateBp)}</Table.Td>
                  <Table.Td ta="right">{f.money(l.baseCents)}</Table.Td>
                  <Table.Td ta="right" data-testid="po-line-received">{qtyText(l.receivedQuantity, l.weighed, locale)}</Table.Td>
                  <Table.Td ta="right" data-testid="po-line-onhand">{qtyText(l.onHand, l.weighed, locale)}</Table.Td>
                  <Table.Td ta="right" data-testid="po-line-avg">{microsText(l.avgCostMicros, l.weighed, locale)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('o.taxes')}>
          <Table>
            <Table.Tbody>
              {o.taxes.map((x) => (
                <Table.Tr key={x.rateBp}><Table.Td>{t('o.tax')} {f.percentBp(x.rateBp)}</Table.Td><Table.Td ta="right">{f.money(x.baseCents)}</Table.Td><Table.Td ta="right">{f.money(x.taxCents)}</Table.Td></Table.Tr>
              ))}
              <Table.Tr><Table.Td fw={600}>{t('o.total')}</Table.Td><Table.Td ta="right">{f.money(o.baseCents)}</Table.Td><Table.Td ta="right">{f.money(o.taxCents)}</Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
          <Text ta="right" fw={700} size="lg" data-testid="po-total">{t('o.total')}: {f.money(o.totalCents)}</Text>
        </Section>
        {o.receipts.length > 0 && (
          <Section title={t('o.receipts')} testId="po-receipts">
            {o.receipts.map((r) => (
              <Text key={r.id} size="sm" data-testid="po-receipt">
                {r.number} · {f.dateTime(r.postedAt)} · {r.lines.map((x) => {
                  const l = o.lines.find((y) => y.lineNo === x.orderLineNo)!;
                  return `${l.sku} ${qtyText(x.quantity, l.weighed, locale)}${x.lot ? ` (${x.lot}, ${x.bestBefore ?? ''})` : ''}`;
                }).join(', ')}
              </Text>
            ))}
          </Section>
        )}
      </Stack>
    </DetailLayout>
  );
}
