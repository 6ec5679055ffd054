/**
 * Supplier returns: the store returns in the caller's stores (the warehouse receives them: warehouse.write)
 * and the returns to suppliers of the caller's companies, with the credit expected, the supplier's credit
 * note and the difference; whoever buys (purchasing.write) records the credit note.
 */
import { Alert, Badge, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface StoreReturn { id: string; number: string; storeName: string; warehouseName: string; supplierName: string; status: 'shipped' | 'received'; reason: string; valueCents: number; shippedAt: string }
interface SupplierReturn {
  id: string; number: string; warehouseName: string; supplierName: string; status: 'posted' | 'credited'; reason: string; expectedCreditCents: number; postedAt: string;
  credit: { number: string; date: string; amountCents: number; differenceCents: number; matched: boolean } | null;
}

export default function SupplierReturnsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canReceive = useCan('warehouse.write');
  const canCredit = useCan('purchasing.write');
  const stores = useQuery({ queryKey: ['returns', 'store'], queryFn: () => get<{ items: StoreReturn[] }>('/api/store-returns') });
  const suppliers = useQuery({ queryKey: ['returns', 'supplier'], queryFn: () => get<{ items: SupplierReturn[] }>('/api/supplier-returns') });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['returns'] });
  const receive = useMutation({ mutationFn: (id: string) => api('POST', `/api/store-returns/${id}/receive`), onSuccess: refresh });
  const [crediting, setCrediting] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [amount, setAmount] = useState<number | string>('');
  const credit = useMutation({
    mutationFn: () => api('POST', `/api/supplier-returns/${crediting}/credit-note`, { creditNumber: number, creditDate: date, amountCents: Math.round(Number(amount) * 100) }),
    onSuccess: () => (setCrediting(null), setNumber(''), setAmount(''), refresh()),
  });
  return (
    <>
      <PageHeader title={t('r.title')} subtitle={t('r.help')} />
      <Stack>
        <Section title={t('r.storeReturns')} testId="store-returns">
          {stores.error && <Alert color="red">{stores.error.message}</Alert>}
          {stores.data?.items.length === 0 ? <Text c="dimmed">{t('r.none')}</Text> : (
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('r.number')}</Table.Th><Table.Th>{t('r.date')}</Table.Th><Table.Th>{t('r.store')}</Table.Th><Table.Th>{t('r.warehouse')}</Table.Th><Table.Th>{t('r.supplier')}</Table.Th><Table.Th>{t('r.reason')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('r.value')}</Table.Th><Table.Th>{t('r.status')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(stores.data?.items ?? []).map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td ff="monospace">{r.number}</Table.Td><Table.Td>{f.dateTime(r.shippedAt)}</Table.Td><Table.Td>{r.storeName}</Table.Td><Table.Td>{r.warehouseName}</Table.Td><Table.Td>{r.supplierName}</Table.Td>
                    <Table.Td>{r.reason}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{f.money(r.valueCents)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.status === 'received' ? 'green' : 'blue'}>{t(`st.${r.status}`)}</Badge>
                      {canReceive && r.status === 'shipped' && <Button size="xs" variant="subtle" ml="xs" onClick={() => receive.mutate(r.id)}>{t('r.receive')}</Button>}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {receive.error && <Alert color="red" mt="sm">{receive.error.message}</Alert>}
        </Section>
        <Section title={t('r.supplierReturns')} testId="supplier-returns">
          {suppliers.data?.items.length === 0 ? <Text c="dimmed">{t('r.none')}</Text> : (
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('r.number')}</Table.Th><Table.Th>{t('r.date')}</Table.Th><Table.Th>{t('r.supplier')}</Table.Th><Table.Th>{t('r.reason')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('r.expected')}</Table.Th><Table.Th>{t('r.credit')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('r.difference')}</Table.Th><Table.Th>{t('r.status')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(suppliers.data?.items ?? []).map((r) => (
                  <Table.Tr key={r.id} data-testid="supplier-return-row">
                    <Table.Td ff="monospace">{r.number}</Table.Td><Table.Td>{f.dateTime(r.postedAt)}</Table.Td><Table.Td>{r.supplierName}</Table.Td><Table.Td>{r.reason}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{f.money(r.expectedCreditCents)}</Table.Td>
                    <Table.Td>{r.credit ? `${r.credit.number} · ${f.money(r.credit.amountCents)}` : '—'}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} c={r.credit && !r.credit.matched ? 'red' : undefined}>{r.credit ? (r.credit.matched ? t('r.matched') : f.money(r.credit.differenceCents)) : ''}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.status === 'credited' ? 'green' : 'orange'}>{t(`st.${r.status}`)}</Badge>
                      {canCredit && r.status === 'posted' && <Button size="xs" variant="subtle" ml="xs" onClick={() => setCrediting(r.id)}>{t('c.title')}</Button>}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {crediting && (
            <Group align="end" mt="md">
              <TextInput label={t('c.number')} value={number} onChange={(e) => setNumber(e.currentTarget.value)} />
              <TextInput label={t('c.date')} type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} />
              <NumberInput label={t('c.amount')} decimalScale={2} value={amount} onChange={setAmount} w={160} />
              <Button disabled={!number || !Number(amount)} loading={credit.isPending} onClick={() => credit.mutate()}>{t('c.save')}</Button>
            </Group>
          )}
          {credit.error && <Alert color="red" mt="sm">{credit.error.message}</Alert>}
        </Section>
      </Stack>
    </>
  );
}
