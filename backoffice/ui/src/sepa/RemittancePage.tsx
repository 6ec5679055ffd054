/** One remittance: its debits, the XML download, settlement by the bank, and recording a returned debit. */
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { RemittanceDetail } from '@tpv/shared/wire/http/sepa-remittances';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';

const LINE_COLOR: Record<string, string> = { pending: 'blue', settled: 'green', returned: 'red' };
const today = () => new Date().toISOString().slice(0, 10);

export default function RemittancePage() {
  const { id } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('collections.write');
  const key = ['collections', 'remittance', id];
  const q = useQuery({ queryKey: key, queryFn: () => get<RemittanceDetail>(`/api/collections/remittances/${id}`), enabled: !!id });
  const [settledOn, setSettledOn] = useState(today());
  const [ret, setRet] = useState({ endToEndId: '', reasonCode: 'AM04', returnedOn: today(), fee: '0' });
  const done = (r: RemittanceDetail) => {
    qc.setQueryData(key, r);
    void qc.invalidateQueries({ queryKey: ['collections', 'remittances'] });
  };
  const settle = useMutation({ mutationFn: () => api<RemittanceDetail>('POST', `/api/collections/remittances/${id}/settle`, { settledOn }), onSuccess: done });
  const record = useMutation({
    mutationFn: () =>
      api<RemittanceDetail>('POST', `/api/collections/remittances/${id}/returns`, {
        returns: [{ endToEndId: ret.endToEndId, reasonCode: ret.reasonCode, returnedOn: ret.returnedOn, bankFeeCents: Math.round(Number(ret.fee.replace(',', '.') || '0') * 100) }],
      }),
    onSuccess: done,
  });
  const r = q.data;
  if (!r) return null;
  const returnable = r.lines.filter((l) => l.status !== 'returned').map((l) => ({ value: l.endToEndId, label: `${l.endToEndId} · ${l.documentRef} · ${f.money(l.amountCents)}` }));
  return (
    <DetailLayout
      back={{ to: '/collections/remittances', label: t('r.back') }}
      title={r.number}
      subtitle={`${f.date(r.collectionDate)} · ${r.itemCount} · ${f.money(r.totalCents)}`}
      actions={<Group>
        <Badge color={r.status === 'settled' ? 'green' : 'blue'} variant="light" data-testid="remittance-status">{t(`rs.${r.status}`)}</Badge>
        <Button variant="default" onClick={() => void download(`/api/collections/remittances/${r.id}/xml`, `${r.number}.xml`)} data-testid="remittance-xml">{t('r.xml')}</Button>
      </Group>}
    >
      <Stack>
        <Section title={t('r.lines')}>
          <Table striped data-testid="remittance-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('r.e2e')}</Table.Th>
                <Table.Th>{t('r.document')}</Table.Th>
                <Table.Th>{t('r.debtor')}</Table.Th>
                <Table.Th>{t('r.mandate')}</Table.Th>
                <Table.Th>{t('r.sequence')}</Table.Th>
                <Table.Th ta="right">{t('r.total')}</Table.Th>
                <Table.Th>{t('r.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.lines.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>{l.endToEndId}</Table.Td>
                  <Table.Td>{l.documentRef}</Table.Td>
                  <Table.Td>{l.counterpartyName ?? '—'}</Table.Td>
                  <Table.Td>{l.mandateReference}</Table.Td>
                  <Table.Td>{l.sequenceType}</Table.Td>
                  <Table.Td ta="right">{f.money(l.amountCents)}</Table.Td>
                  <Table.Td>
                    <Badge color={LINE_COLOR[l.status]} variant="light">{t(`ls.${l.status}`)}</Badge>
                    {l.returnReason && ` ${l.returnReason}`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        {canWrite && r.status === 'sent' && (
          <Section title={t('r.settle')}>
            <Group align="end">
              <TextInput label={t('r.settledOn')} type="date" value={settledOn} onChange={(e) => setSettledOn(e.currentTarget.value)} />
              <Button onClick={() => settle.mutate()} loading={settle.isPending} data-testid="remittance-settle">{t('r.settle')}</Button>
            </Group>
            {settle.error && <Alert color="red" mt="sm">{settle.error.message}</Alert>}
          </Section>
        )}
        {canWrite && returnable.length > 0 && (
          <Section title={t('r.return')}>
            <SimpleGrid cols={{ base: 1, md: 4 }}>
              <Select label={t('r.e2e')} data={returnable} value={ret.endToEndId || null} onChange={(v) => setRet((s) => ({ ...s, endToEndId: v ?? '' }))} searchable />
              <TextInput label={t('r.reason')} value={ret.reasonCode} onChange={(e) => setRet((s) => ({ ...s, reasonCode: e.currentTarget.value }))} />
              <TextInput label={t('r.returnedOn')} type="date" value={ret.returnedOn} onChange={(e) => setRet((s) => ({ ...s, returnedOn: e.currentTarget.value }))} />
              <TextInput label={t('r.fee')} value={ret.fee} onChange={(e) => setRet((s) => ({ ...s, fee: e.currentTarget.value }))} />
            </SimpleGrid>
            <Group mt="md">
              <Button onClick={() => record.mutate()} loading={record.isPending} disabled={!ret.endToEndId} data-testid="remittance-return">{t('r.return')}</Button>
            </Group>
            {record.isSuccess && <Alert color="green" mt="sm">{t('r.returned')}</Alert>}
            {record.error && <Alert color="red" mt="sm">{record.error.message}</Alert>}
          </Section>
        )}
      </Stack>
    </DetailLayout>
  );
}
