/**
 * Gift vouchers: search by code (or its first characters), a voucher's ledger and holds with HQ's audited
 * corrections (adjust, credit a refund, void, block/release an overdraft), and the outstanding balance per
 * company for those who may see it (vouchers.admin).
 */
import { Alert, Badge, Button, Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface Voucher { id: string; code: string; companyId: string; companyName: string | null; status: 'active' | 'blocked' | 'void' | 'expired'; balanceCents: number; overdrawn: boolean; expiresAt: string }
interface Posting { id: string; seq: number; kind: string; amountCents: number; balanceAfterCents: number; storeId: string | null; terminalId: string | null; reference: string | null; note: string | null; actor: string | null; at: string }
interface Detail { voucher: Voucher; postings: Posting[]; holds: Array<{ id: string; terminalId: string; amountCents: number; status: string; expiresAt: string }>; sumOfPostingsCents: number }
interface Outstanding { companies: Array<{ companyId: string; companyName: string | null; soldCents: number; redeemedCents: number; expiredCents: number; adjustedCents: number; netCents: number; issuedOutstandingCents: number }>; totalOutstandingCents: number; overdrawn: number }
const COLOR: Record<Voucher['status'], string> = { active: 'green', blocked: 'orange', void: 'gray', expired: 'gray' };

export default function VouchersPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canAdmin = useCan('vouchers.admin');
  const canWrite = useCan('vouchers.write');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [overdrawn, setOverdrawn] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [amount, setAmount] = useState<number | string>('');
  const [note, setNote] = useState('');
  const list = useQuery({ queryKey: ['vouchers', q, status, overdrawn], queryFn: () => get<{ items: Voucher[] }>(withQuery('/api/vouchers', { q: q || undefined, status: status || undefined, overdrawn: overdrawn ? 'true' : undefined })) });
  const out = useQuery({ queryKey: ['vouchers', 'outstanding'], queryFn: () => get<Outstanding>('/api/vouchers/outstanding'), enabled: canAdmin });
  const detail = useQuery({ queryKey: ['vouchers', 'detail', open], queryFn: () => get<Detail>(`/api/vouchers/${open}`), enabled: !!open });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['vouchers'] });
  const correct = useMutation({
    mutationFn: (x: { path: 'adjust' | 'status'; body: unknown }) => api<Detail>('POST', `/api/vouchers/${open}/${x.path}`, x.body),
    onSuccess: () => (setAmount(''), setNote(''), refresh()),
  });
  const expire = useMutation({ mutationFn: () => api('POST', '/api/vouchers/expire'), onSuccess: refresh });
  const d = detail.data;
  const cents = Math.round(Number(amount) * 100);
  return (
    <>
      <PageHeader title={t('v.title')} subtitle={t('v.help')} />
      <Stack>
        {out.data && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="vouchers-kpis">
            <Paper withBorder p="md" radius="md"><Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('k.outstanding')}</Text><Text size="xl" fw={700} data-testid="vouchers-outstanding">{f.money(out.data.totalOutstandingCents)}</Text></Paper>
            <Paper withBorder p="md" radius="md"><Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('k.overdrawn')}</Text><Text size="xl" fw={700} c={out.data.overdrawn ? 'orange' : undefined}>{out.data.overdrawn}</Text></Paper>
          </SimpleGrid>
        )}
        <Section>
          <Group align="end">
            <TextInput label={t('v.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="vouchers-search" />
            <Select label={t('v.status')} data={[{ value: '', label: t('v.any') }, ...(['active', 'blocked', 'void', 'expired'] as const).map((s) => ({ value: s, label: t(`st.${s}`) }))]} value={status} onChange={(v) => setStatus(v ?? '')} />
            <Checkbox label={t('v.overdrawnOnly')} checked={overdrawn} onChange={(e) => setOverdrawn(e.currentTarget.checked)} />
          </Group>
          {list.error && <Alert color="red">{list.error.message}</Alert>}
          {list.data && list.data.items.length === 0 ? <Text c="dimmed" mt="sm">{t('v.none')}</Text> : (
            <Table striped highlightOnHover mt="sm" data-testid="vouchers-table">
              <Table.Thead><Table.Tr><Table.Th>{t('v.code')}</Table.Th><Table.Th>{t('v.company')}</Table.Th><Table.Th>{t('v.status')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('v.balance')}</Table.Th><Table.Th>{t('v.expires')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(list.data?.items ?? []).map((v) => (
                  <Table.Tr key={v.id} onClick={() => setOpen(v.code)} style={{ cursor: 'pointer' }} data-testid="voucher-row">
                    <Table.Td ff="monospace">{v.code}</Table.Td>
                    <Table.Td>{v.companyName ?? v.companyId}</Table.Td>
                    <Table.Td><Badge color={COLOR[v.status]} variant="light">{t(`st.${v.status}`)}</Badge>{v.overdrawn && <Badge color="red" ml="xs">!</Badge>}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{f.money(v.balanceCents)}</Table.Td>
                    <Table.Td>{f.date(v.expiresAt.slice(0, 10))}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
        {d && (
          <Section title={t('d.title', { code: d.voucher.code })} actions={<Button variant="subtle" size="xs" onClick={() => setOpen(null)}>{t('d.close')}</Button>} testId="voucher-detail">
            {d.voucher.overdrawn && <Alert color="orange" mb="sm">{t('d.overdrawn')}</Alert>}
            <Text size="sm" c="dimmed" data-testid="voucher-sum">{t('d.sum', { sum: f.money(d.sumOfPostingsCents) })}</Text>
            <Table striped mt="xs" data-testid="voucher-ledger">
              <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('d.at')}</Table.Th><Table.Th>{t('d.kind')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.amount')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('d.after')}</Table.Th><Table.Th>{t('d.reference')}</Table.Th><Table.Th>{t('d.note')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {d.postings.map((p) => (
                  <Table.Tr key={p.id}><Table.Td>{p.seq}</Table.Td><Table.Td>{f.dateTime(p.at)}</Table.Td><Table.Td>{t(`pk.${p.kind as 'issue'}`)}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{f.money(p.amountCents)}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{f.money(p.balanceAfterCents)}</Table.Td><Table.Td>{p.reference ?? ''}</Table.Td><Table.Td>{[p.note, p.actor].filter(Boolean).join(' · ')}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {canWrite && d.voucher.status !== 'void' && (
              <Group align="end" mt="md">
                <NumberInput label={t('d.amountCents')} value={amount} onChange={setAmount} decimalScale={2} w={160} />
                <TextInput label={t('d.reason')} value={note} onChange={(e) => setNote(e.currentTarget.value)} w={280} />
                <Button disabled={!cents || !note} onClick={() => correct.mutate({ path: 'adjust', body: { amountCents: cents, kind: 'adjust', note } })}>{t('d.adjust')}</Button>
                <Button variant="light" disabled={cents <= 0 || !note} onClick={() => correct.mutate({ path: 'adjust', body: { amountCents: cents, kind: 'refund', note } })}>{t('d.refund')}</Button>
                {d.voucher.status === 'active' ? (
                  <Button variant="light" color="orange" disabled={!note} onClick={() => correct.mutate({ path: 'status', body: { status: 'blocked', note } })}>{t('d.block')}</Button>
                ) : (
                  <Button variant="light" color="green" disabled={!note} onClick={() => correct.mutate({ path: 'status', body: { status: 'active', note } })}>{t('d.unblock')}</Button>
                )}
                <Button variant="light" color="red" disabled={!note} onClick={() => correct.mutate({ path: 'status', body: { status: 'void', note } })}>{t('d.void')}</Button>
              </Group>
            )}
            {correct.error && <Alert color="red" mt="sm">{correct.error.message}</Alert>}
          </Section>
        )}
        {out.data && (
          <Section title={t('o.title')} actions={<Button size="xs" variant="light" onClick={() => expire.mutate()} loading={expire.isPending}>{t('o.expireNow')}</Button>}>
            <Table striped data-testid="vouchers-per-company">
              <Table.Thead><Table.Tr><Table.Th>{t('v.company')}</Table.Th>{(['sold', 'redeemed', 'expired', 'adjusted', 'net', 'issued'] as const).map((k) => <Table.Th key={k} style={{ textAlign: 'right' }}>{t(`o.${k}`)}</Table.Th>)}</Table.Tr></Table.Thead>
              <Table.Tbody>
                {out.data.companies.map((c) => (
                  <Table.Tr key={c.companyId}>
                    <Table.Td>{c.companyName ?? c.companyId}</Table.Td>
                    {[c.soldCents, c.redeemedCents, c.expiredCents, c.adjustedCents, c.netCents, c.issuedOutstandingCents].map((x, i) => <Table.Td key={i} style={{ textAlign: 'right' }}>{f.money(x)}</Table.Td>)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        )}
      </Stack>
    </>
  );
}
