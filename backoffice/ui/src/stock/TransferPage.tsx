/** One transfer: ship it (origin), receive it typing what arrived (destination), close it with differences, cancel a draft. */
import { Button, Group, NumberInput, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { Transfer } from '@tpv/shared/wire/http/stock-operations';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { StatusBadge } from './operations-common';
import { opsMessages } from './operations-messages';

export default function TransferPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['stock-transfer', id], queryFn: () => get<Transfer>(`/api/stock/transfers/${id}`) });
  return <QueryState query={q}>{(x) => <TransferView transfer={x} />}</QueryState>;
}

function useTransferStep(id: string, what: 'ship' | 'receive' | 'close' | 'cancel') {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (body?: unknown) => api<Transfer>('POST', `/api/stock/transfers/${id}/${what}`, body),
    onSuccess: (next) => {
      qc.setQueryData(['stock-transfer', id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
    },
    onError: (e) => toast.fail(e),
  });
}

function TransferView({ transfer: x }: { transfer: Transfer }) {
  const { t } = useT(opsMessages);
  const f = useFormat();
  const mayWrite = useCan('inventory.write');
  const mayAdmin = useCan('inventory.admin');
  const [received, setReceived] = useState<Record<string, number>>({});
  const ship = useTransferStep(x.id, 'ship');
  const receive = useTransferStep(x.id, 'receive');
  const close = useTransferStep(x.id, 'close');
  const cancel = useTransferStep(x.id, 'cancel');
  return (
    <DetailLayout
      back={{ to: '/stock/transfers' }}
      title={<span data-testid="transfer-title">{t('tr.detail', { number: x.number })}</span>}
      subtitle={<Group gap="xs"><StatusBadge status={x.status} /><Text size="sm">{x.fromName} → {x.toName}</Text></Group>}
      actions={mayWrite && (
        <Group gap="xs">
          {x.status === 'draft' && <Button onClick={() => ship.mutate(undefined)} loading={ship.isPending} data-testid="transfer-ship">{t('tr.ship')}</Button>}
          {x.status === 'shipped' && (
            <Button onClick={() => receive.mutate({ lines: x.lines.map((l) => ({ productId: l.productId, received: received[l.productId] ?? l.quantity })) })} loading={receive.isPending} data-testid="transfer-receive">
              {t('tr.receive')}
            </Button>
          )}
          {x.status === 'received' && mayAdmin && <Button color="orange" onClick={() => close.mutate(undefined)} loading={close.isPending} data-testid="transfer-close">{t('tr.close')}</Button>}
          {x.status === 'draft' && <Button variant="default" color="red" onClick={() => cancel.mutate(undefined)} data-testid="transfer-cancel">{t('ops.cancel')}</Button>}
        </Group>
      )}
    >
      <Fields items={[[t('ops.date'), f.dateTime(x.createdAt)], [t('tr.shipped'), f.dateTime(x.shippedAt)], [t('tr.received'), f.dateTime(x.receivedAt)]]} />
      <Section title={t('ops.lines')}>
        <Table striped data-testid="transfer-lines">
          <Table.Thead><Table.Tr><Table.Th>{t('ops.product')}</Table.Th><Table.Th ta="right">{t('tr.shipped')}</Table.Th><Table.Th ta="right">{t('tr.received')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {x.lines.map((l) => (
              <Table.Tr key={l.productId} data-testid={`transfer-line-${l.sku}`}>
                <Table.Td>{l.sku} · {l.name}</Table.Td>
                <Table.Td ta="right">{f.number(l.quantity)}</Table.Td>
                <Table.Td ta="right">
                  {x.status === 'shipped'
                    ? <NumberInput size="xs" w={110} ml="auto" min={0} allowDecimal={false} value={received[l.productId] ?? l.quantity} onChange={(v) => setReceived((r) => ({ ...r, [l.productId]: Number(v) || 0 }))} data-testid={`received-${l.sku}`} />
                    : l.received === null ? '—' : f.number(l.received)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </DetailLayout>
  );
}
