/**
 * One delivery note: both companies, lines with shipped / received / damaged and the difference, what is
 * still in transit, its incidents. While shipped, the store (inventory.write) types what arrived and confirms
 * the receipt; a manager or HQ (inventory.admin) closes it, writing off what never arrived.
 */
import { Anchor, Badge, Button, Group, NumberInput, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NoteDetail } from '@tpv/shared/wire/http/replenishment';
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

interface Typed { received: number; damaged: number; note: string }

export default function NotePage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const confirm = useConfirm();
  const qc = useQueryClient();
  const mayReceive = useCan('inventory.write');
  const mayClose = useCan('inventory.admin');
  const q = useQuery({ queryKey: ['replenishment', 'note', id], queryFn: () => get<NoteDetail>(`/api/delivery-notes/${encodeURIComponent(id)}`) });
  const [typed, setTyped] = useState<Record<string, Typed>>({});
  const receiving = mayReceive && q.data?.status === 'shipped';
  useEffect(() => {
    // What was shipped is the starting point: the store corrects the lines that differ.
    if (q.data && q.data.status === 'shipped') setTyped(Object.fromEntries(q.data.items.map((l) => [l.productId, { received: l.shipped, damaged: 0, note: '' }])));
  }, [q.data]);
  const set = (productId: string, patch: Partial<Typed>) => setTyped((x) => ({ ...x, [productId]: { ...x[productId]!, ...patch } }));
  const act = useMutation({
    mutationFn: (what: 'receive' | 'close') =>
      what === 'receive'
        ? api('POST', `/api/delivery-notes/${encodeURIComponent(id)}/receive`, {
            lines: Object.entries(typed).map(([productId, x]) => ({ productId, received: x.received, ...(x.damaged ? { damaged: x.damaged } : {}), ...(x.note.trim() ? { note: x.note.trim() } : {}) })),
          })
        : api('POST', `/api/delivery-notes/${encodeURIComponent(id)}/close`),
    onSuccess: (_r, what) => {
      toast.ok(what === 'receive' ? t('note.receivedOk') : t('note.closed'));
      void qc.invalidateQueries({ queryKey: ['replenishment'] });
      void qc.invalidateQueries({ queryKey: ['list'] });
    },
    onError: (e) => toast.fail(e),
  });
  const qty = (n: number | null, weighed: boolean) => (n === null ? '—' : weighed ? `${f.number(n / 1000, 3)} kg` : f.number(n));

  return (
    <QueryState query={q}>
      {(n) => (
        <DetailLayout
          back={{ to: '/replenishment/delivery-notes', label: t('note.back') }}
          title={<span data-testid="note-title">{t('note.title', { number: n.number })}</span>}
          subtitle={<Group gap="xs"><StatusBadge status={n.status} /><Text size="sm">{`${n.storeCode} · ${n.storeName}`}</Text></Group>}
          actions={
            <Group>
              {receiving ? <Button onClick={() => act.mutate('receive')} loading={act.isPending} data-testid="note-receive">{t('note.receive')}</Button> : null}
              {mayClose && n.status !== 'closed' ? (
                <Button color="red" variant="light" loading={act.isPending} data-testid="note-close" onClick={async () => (await confirm.action(t('note.close'), t('note.closeConfirm'), t('note.close'), true)) && act.mutate('close')}>
                  {t('note.close')}
                </Button>
              ) : null}
              <Button variant="default" onClick={() => download(`/api/delivery-notes/${n.id}/pdf`, `albaran-${n.number}.pdf`).catch((e: unknown) => toast.fail(e))} data-testid="note-pdf">
                {t('note.pdf')}
              </Button>
            </Group>
          }
        >
          <Section>
            <Fields
              items={[
                [t('note.from'), `${n.fromCompanyName} · ${n.warehouseName}`],
                [t('note.to'), `${n.toCompanyName} · ${n.storeCode} ${n.storeName}`],
                [t('notes.order'), <Anchor component={Link} to={`/replenishment/orders/${n.orderId}`} key="o">{n.orderNumber}</Anchor>],
                [t('notes.shippedAt'), f.dateTime(n.shippedAt)],
                [t('notes.receivedAt'), f.dateTime(n.receivedAt)],
                [t('note.inTransit'), <span data-testid="note-in-transit" key="t">{n.inTransit}</span>],
              ]}
            />
          </Section>
          <Section title={t('orders.lines')} testId="note-lines">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('order.sku')}</Table.Th>
                  <Table.Th>{t('order.article')}</Table.Th>
                  <Table.Th ta="right">{t('note.shipped')}</Table.Th>
                  <Table.Th ta="right">{t('note.received')}</Table.Th>
                  <Table.Th ta="right">{t('note.damaged')}</Table.Th>
                  <Table.Th ta="right">{t('note.difference')}</Table.Th>
                  <Table.Th ta="right">{t('note.price')}</Table.Th>
                  <Table.Th ta="right">{t('note.iva')}</Table.Th>
                  <Table.Th>{t('note.comment')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {n.items.map((l) => (
                  <Table.Tr key={l.productId} data-testid={`note-line-${l.sku}`}>
                    <Table.Td>{l.sku}</Table.Td>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td ta="right">{qty(l.shipped, l.weighed)}</Table.Td>
                    <Table.Td ta="right">
                      {receiving && typed[l.productId] ? (
                        <NumberInput size="xs" w={100} min={0} value={typed[l.productId]!.received} onChange={(v) => set(l.productId, { received: Number(v) || 0 })} data-testid={`note-received-${l.sku}`} />
                      ) : (
                        qty(l.received, l.weighed)
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      {receiving && typed[l.productId] ? (
                        <NumberInput size="xs" w={90} min={0} value={typed[l.productId]!.damaged} onChange={(v) => set(l.productId, { damaged: Number(v) || 0 })} data-testid={`note-damaged-${l.sku}`} />
                      ) : (
                        qty(l.damaged, l.weighed)
                      )}
                    </Table.Td>
                    <Table.Td ta="right" data-testid={`note-difference-${l.sku}`}>
                      {l.difference === null ? '—' : l.difference === 0 ? '0' : <Badge color={l.difference < 0 ? 'red' : 'orange'} variant="light">{l.difference > 0 ? `+${l.difference}` : l.difference}</Badge>}
                    </Table.Td>
                    <Table.Td ta="right">{f.money(l.unitPriceCents)}</Table.Td>
                    <Table.Td ta="right">{f.percentBp(l.taxRateBp)}</Table.Td>
                    <Table.Td>
                      {receiving && typed[l.productId] ? <TextInput size="xs" value={typed[l.productId]!.note} onChange={(e) => set(l.productId, { note: e.currentTarget.value })} maxLength={300} /> : (l.note ?? '')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title={t('note.incidents')} testId="note-incidents">
            {n.incidents.length === 0 ? (
              <Text size="sm">{t('note.noIncidents')}</Text>
            ) : (
              n.incidents.map((i) => (
                <Text size="sm" key={i.id}>
                  <Anchor component={Link} to={`/quality/incidents/${i.id}`} data-testid="note-incident">{i.number}</Anchor>
                  {` · ${i.kind === 'damaged_goods' || i.kind === 'delivery_discrepancy' ? t(`note.kind.${i.kind}`) : i.kind} · ${n.items.find((l) => l.productId === i.productId)?.sku ?? ''} ${i.quantity ?? ''}`}
                </Text>
              ))
            )}
          </Section>
        </DetailLayout>
      )}
    </QueryState>
  );
}
