/**
 * One replenishment order. HQ's warehouse (warehouse.write) changes approved quantities while registered or
 * approved, approves, starts picking (pick list PDF), types picked quantities and ships; the store follows it
 * and may cancel it while registered. Every quantity change is listed.
 */
import { Anchor, Button, Group, NumberInput, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderDetail } from '@tpv/shared/wire/http/replenishment';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { StatusBadge } from './status';

export default function OrderPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const confirm = useConfirm();
  const qc = useQueryClient();
  const warehouse = useCan('warehouse.write');
  const mayCancel = useCan('restocking.write');
  const key = ['replenishment', 'order', id];
  const q = useQuery({ queryKey: key, queryFn: () => get<OrderDetail>(`/api/replenishment-orders/${encodeURIComponent(id)}`) });
  const [qty, setQty] = useState<Record<string, number>>({});
  const d = q.data;
  const field: 'approved' | 'picked' | null = !warehouse || !d ? null : d.status === 'registered' || d.status === 'approved' ? 'approved' : d.status === 'picking' ? 'picked' : null;
  useEffect(() => {
    if (d && field) setQty(Object.fromEntries(d.items.map((l) => [l.productId, field === 'picked' ? (l.picked ?? l.approved) : l.approved])));
  }, [d, field]);

  const act = useMutation({
    mutationFn: async (what: 'save' | 'approve' | 'picking' | 'ship' | 'cancel') => {
      const base = `/api/replenishment-orders/${encodeURIComponent(id)}`;
      const lines = Object.entries(qty).map(([productId, quantity]) => ({ productId, quantity }));
      if (what === 'save') return api('PUT', `${base}/${field === 'picked' ? 'picked' : 'quantities'}`, { lines });
      if (what === 'ship') {
        // What is typed is what ships: saved first.
        if (field === 'picked') await api('PUT', `${base}/picked`, { lines });
        return api<{ number: string }>('POST', `${base}/ship`);
      }
      if (what === 'approve' && field === 'approved') await api('PUT', `${base}/quantities`, { lines });
      return api('POST', `${base}/${what}`);
    },
    onSuccess: (r, what) => {
      if (what === 'ship') toast.ok(t('order.shipped', { number: (r as { number: string }).number }));
      else if (what === 'save') toast.ok(t('order.saved'));
      void qc.invalidateQueries({ queryKey: ['replenishment'] });
      void qc.invalidateQueries({ queryKey: ['list'] });
    },
    onError: (e) => toast.fail(e),
  });

  return (
    <QueryState query={q}>
      {(o) => (
        <DetailLayout
          back={{ to: '/replenishment/orders', label: t('order.back') }}
          title={<span data-testid="order-title">{t('order.title', { number: o.number })}</span>}
          subtitle={<Group gap="xs"><StatusBadge status={o.status} /><Text size="sm">{`${o.storeCode} · ${o.storeName}`}</Text></Group>}
          actions={
            <Group>
              {field ? <Button variant="light" onClick={() => act.mutate('save')} loading={act.isPending} data-testid="order-save">{t('order.save')}</Button> : null}
              {warehouse && o.status === 'registered' ? <Button onClick={() => act.mutate('approve')} loading={act.isPending} data-testid="order-approve">{t('order.approve')}</Button> : null}
              {warehouse && o.status === 'approved' ? <Button onClick={() => act.mutate('picking')} loading={act.isPending} data-testid="order-picking">{t('order.pick')}</Button> : null}
              {warehouse && (o.status === 'approved' || o.status === 'picking') ? (
                <Button variant="default" onClick={() => download(`/api/replenishment-orders/${o.id}/pick-list`, `preparacion-${o.number}.pdf`).catch((e: unknown) => toast.fail(e))} data-testid="order-pick-list">
                  {t('order.pickList')}
                </Button>
              ) : null}
              {warehouse && o.status === 'picking' ? <Button color="orange" onClick={() => act.mutate('ship')} loading={act.isPending} data-testid="order-ship">{t('order.ship')}</Button> : null}
              {mayCancel && ['registered', 'approved', 'picking'].includes(o.status) ? (
                <Button
                  color="red"
                  variant="subtle"
                  data-testid="order-cancel"
                  onClick={async () => (await confirm.action(t('order.cancelConfirm', { number: o.number }), o.number, t('order.cancel'), true)) && act.mutate('cancel')}
                >
                  {t('order.cancel')}
                </Button>
              ) : null}
            </Group>
          }
        >
          <Section>
            <Fields
              items={[
                [t('order.warehouse'), o.warehouseName],
                [t('orders.date'), f.dateTime(o.createdAt)],
                [t('order.createdBy'), o.createdBy ?? '—'],
                [t('order.approvedBy'), o.approvedBy ? `${o.approvedBy} · ${f.dateTime(o.approvedAt)}` : '—'],
                [t('order.note'), o.deliveryNoteId ? <Anchor component={Link} to={`/replenishment/delivery-notes/${o.deliveryNoteId}`} data-testid="order-note-link" key="n">{o.deliveryNoteNumber}</Anchor> : '—'],
                [t('new.note'), o.note ?? '—'],
              ]}
            />
          </Section>
          <Section title={t('orders.lines')} testId="order-lines">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('order.sku')}</Table.Th>
                  <Table.Th>{t('order.article')}</Table.Th>
                  <Table.Th ta="right">{t('order.requested')}</Table.Th>
                  <Table.Th ta="right">{t('order.approved')}</Table.Th>
                  <Table.Th ta="right">{t('order.picked')}</Table.Th>
                  {warehouse ? <Table.Th ta="right">{t('order.onHand')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {o.items.map((l) => (
                  <Table.Tr key={l.productId} data-testid={`order-line-${l.sku}`}>
                    <Table.Td>{l.sku}</Table.Td>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td ta="right">{l.requested}</Table.Td>
                    <Table.Td ta="right">
                      {field === 'approved' ? (
                        <NumberInput size="xs" w={100} min={0} value={qty[l.productId] ?? l.approved} onChange={(v) => setQty((x) => ({ ...x, [l.productId]: Number(v) || 0 }))} data-testid={`order-approved-${l.sku}`} />
                      ) : (
                        l.approved
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {field === 'picked' ? (
                        <NumberInput size="xs" w={100} min={0} value={qty[l.productId] ?? l.approved} onChange={(v) => setQty((x) => ({ ...x, [l.productId]: Number(v) || 0 }))} data-testid={`order-picked-${l.sku}`} />
                      ) : (
                        (l.picked ?? '—')
                      )}
                    </Table.Td>
                    {warehouse ? <Table.Td ta="right">{l.warehouseOnHand}</Table.Td> : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title={t('order.changes')} testId="order-changes">
            {o.changes.length === 0 ? (
              <Text size="sm">{t('order.noChanges')}</Text>
            ) : (
              o.changes.map((c, i) => (
                <Text size="sm" key={i}>
                  {t('order.change', {
                    field: `${o.items.find((l) => l.productId === c.productId)?.sku ?? c.productId} ${c.field === 'picked' ? t('order.picked') : t('order.approved')}`,
                    from: c.from ?? '—', to: c.to, by: c.by ?? '—', at: f.dateTime(c.at),
                  })}
                </Text>
              ))
            )}
          </Section>
        </DetailLayout>
      )}
    </QueryState>
  );
}
