/** An open item: its postings (the balance is their sum) and its write-offs; ask for one (collections.write), approve or refuse it (collections.admin). */
import { Alert, Badge, Button, Group, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { OpenItemDetail } from '@tpv/shared/wire/http/collections-payments';
import { api, get, type ApiError } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';
import { STATUS_COLOR } from './OpenItemsPage';

export default function OpenItemPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['collections', 'item', id], queryFn: () => get<OpenItemDetail>(`/api/collections/items/${id}`), enabled: !!id });
  return <QueryState query={q}>{(i) => <ItemView i={i} />}</QueryState>;
}

function ItemView({ i }: { i: OpenItemDetail }) {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const scope = useScopeOptions();
  const canWrite = useCan('collections.write');
  const canDecide = useCan('collections.admin');
  const [reason, setReason] = useState('');
  const today = new Date().toISOString().slice(0, 10);
  const act = useMutation({
    mutationFn: (a: { what: 'request' } | { what: 'approve' | 'refuse'; id: string }) =>
      a.what === 'request' ? api('POST', `/api/collections/items/${i.id}/write-off`, { reason }) : api('POST', `/api/collections/write-offs/${a.id}/${a.what}`, { onDate: today }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['collections', 'item', i.id] });
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(t('p.done'));
    },
  });
  const pending = i.writeOffs.find((w) => w.status === 'requested');
  return (
    <DetailLayout back={{ to: '/collections/items' }} title={<span data-testid="item-title">{i.documentRef} · {i.counterpartyName ?? i.counterpartyId}</span>} subtitle={<Badge color={STATUS_COLOR[i.status]} variant="light">{t(`st.${i.status}`)}</Badge>}>
      <Stack>
        <Section>
          <Fields
            items={[
              [t('c.company'), scope.companyName(i.companyId)],
              [t('c.side'), t(`side.${i.side}`)],
              [t('c.issueDate'), f.date(i.issueDate)],
              [t('c.dueDate'), f.date(i.dueDate)],
              [t('c.amount'), f.money(i.amountCents)],
              [t('c.balance'), <b key="b" data-testid="item-detail-balance">{f.money(i.balanceCents)}</b>],
            ]}
          />
        </Section>
        <Section title={t('o.postings')}>
          <Table data-testid="item-postings">
            <Table.Thead><Table.Tr><Table.Th>{t('c.date')}</Table.Th><Table.Th>{t('s.concept')}</Table.Th><Table.Th>{t('c.note')}</Table.Th><Table.Th ta="right">{t('c.amount')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {i.postings.map((p) => <Table.Tr key={p.id}><Table.Td>{f.date(p.onDate)}</Table.Td><Table.Td>{t(`k.${p.kind}`)}</Table.Td><Table.Td>{p.note ?? ''}</Table.Td><Table.Td ta="right">{f.money(p.signedCents)}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('o.writeOffs')}>
          <Stack>
            {i.writeOffs.map((w) => (
              <Group key={w.id} justify="space-between" data-testid="item-write-off">
                <span>{f.dateTime(w.requestedAt)} · {w.reason} · {f.money(w.amountCents)}</span>
                <Group>
                  <Badge variant="light">{t(`wo.${w.status}`)}</Badge>
                  {canDecide && w.status === 'requested' && (
                    <>
                      <Button size="xs" onClick={() => act.mutate({ what: 'approve', id: w.id })} data-testid="write-off-approve">{t('o.approve')}</Button>
                      <Button size="xs" variant="default" onClick={() => act.mutate({ what: 'refuse', id: w.id })} data-testid="write-off-refuse">{t('o.refuse')}</Button>
                    </>
                  )}
                </Group>
              </Group>
            ))}
            {canWrite && i.side === 'receivable' && i.balanceCents > 0 && !pending && (
              <Group align="end">
                <TextInput label={t('o.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="write-off-reason" />
                <Button variant="light" color="red" onClick={() => act.mutate({ what: 'request' })} disabled={reason.trim().length < 3} loading={act.isPending} data-testid="write-off-request">{t('o.request')}</Button>
              </Group>
            )}
          </Stack>
        </Section>
        {act.error && <Alert color="red">{(act.error as ApiError).message}</Alert>}
      </Stack>
    </DetailLayout>
  );
}
