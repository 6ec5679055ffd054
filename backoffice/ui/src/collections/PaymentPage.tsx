/** A payment: header, its allocations and credit movements; apply its credit, refund it, or cancel the payment. */
import { Alert, Badge, Button, Group, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { PaymentDetail } from '@tpv/shared/wire/http/collections-payments';
import { api, get, type ApiError } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { centsOf, messages } from './messages';
import { STATUS_COLOR } from './OpenItemsPage';

export default function PaymentPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['collections', 'payment', id], queryFn: () => get<PaymentDetail>(`/api/collections/payments/${id}`), enabled: !!id });
  return <QueryState query={q}>{(p) => <PaymentView p={p} />}</QueryState>;
}

function PaymentView({ p }: { p: PaymentDetail }) {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const scope = useScopeOptions();
  const canWrite = useCan('collections.write');
  const today = new Date().toISOString().slice(0, 10);
  const [refund, setRefund] = useState('');
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: (what: 'allocate' | 'refund' | 'cancel') =>
      api<PaymentDetail>('POST', `/api/collections/payments/${p.id}/${what}`, what === 'allocate' ? { onDate: today } : what === 'refund' ? { onDate: today, amountCents: centsOf(refund) ?? -1 } : { onDate: today, reason }),
    onSuccess: (next) => {
      qc.setQueryData(['collections', 'payment', p.id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(t('p.done'));
    },
  });
  const posted = p.status === 'posted';
  return (
    <DetailLayout back={{ to: '/collections/items' }} title={<span data-testid="payment-number">{p.number}</span>} subtitle={<Badge color={STATUS_COLOR[p.status]} variant="light" data-testid="payment-status">{t(`st.${p.status}`)}</Badge>}>
      <Stack>
        <Section>
          <Fields
            items={[
              [t('c.company'), scope.companyName(p.companyId)],
              [t('c.side'), t(`side.${p.side}`)],
              [t('c.counterparty'), p.counterpartyName ?? p.counterpartyId],
              [t('c.method'), t(`m.${p.method}`)],
              [t('c.date'), f.date(p.receivedOn)],
              [t('c.reference'), p.reference ?? '—'],
              [t('c.amount'), <b key="a">{f.money(p.amountCents)}</b>],
              [t('c.allocated'), f.money(p.allocatedCents)],
              [t('c.refunded'), f.money(p.refundedCents)],
              [t('c.credit'), <b key="c" data-testid="payment-credit">{f.money(p.creditCents)}</b>],
              [t('c.note'), p.note ?? '—'],
            ]}
          />
        </Section>
        <Section title={t('p.allocations')}>
          <Table data-testid="payment-allocations">
            <Table.Thead><Table.Tr><Table.Th>{t('c.document')}</Table.Th><Table.Th>{t('c.dueDate')}</Table.Th><Table.Th>{t('c.date')}</Table.Th><Table.Th ta="right">{t('c.amount')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {p.allocations.map((a, i) => <Table.Tr key={i}><Table.Td>{a.documentRef}</Table.Td><Table.Td>{f.date(a.dueDate)}</Table.Td><Table.Td>{f.date(a.onDate)}</Table.Td><Table.Td ta="right">{f.money(a.amountCents)}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </Section>
        {p.creditMovements.length > 0 && (
          <Section title={t('p.credits')}>
            <Table>
              <Table.Tbody>
                {p.creditMovements.map((m, i) => <Table.Tr key={i}><Table.Td>{f.date(m.onDate)}</Table.Td><Table.Td>{t(`cm.${m.kind}`)}</Table.Td><Table.Td ta="right">{f.money(m.amountCents)}</Table.Td></Table.Tr>)}
              </Table.Tbody>
            </Table>
          </Section>
        )}
        {canWrite && posted && (
          <Section>
            <Stack>
              {p.creditCents > 0 && (
                <Group align="end">
                  <Button onClick={() => act.mutate('allocate')} loading={act.isPending && act.variables === 'allocate'} data-testid="payment-allocate">{t('p.allocate')}</Button>
                  <TextInput label={t('f.amount')} value={refund} onChange={(e) => setRefund(e.currentTarget.value)} data-testid="payment-refund-amount" />
                  <Button variant="default" onClick={() => act.mutate('refund')} disabled={centsOf(refund) === null} loading={act.isPending && act.variables === 'refund'} data-testid="payment-refund">{t('p.refund')}</Button>
                </Group>
              )}
              <Group align="end">
                <TextInput label={t('p.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="payment-cancel-reason" />
                <Button color="red" variant="light" onClick={() => act.mutate('cancel')} disabled={!reason.trim()} loading={act.isPending && act.variables === 'cancel'} data-testid="payment-cancel">{t('p.cancel')}</Button>
              </Group>
            </Stack>
          </Section>
        )}
        {act.error && <Alert color="red" data-testid="payment-error">{(act.error as ApiError).message}</Alert>}
      </Stack>
    </DetailLayout>
  );
}
