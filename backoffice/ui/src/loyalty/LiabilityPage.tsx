/** The points liability per franchisee company and the monthly settlement between franchisees (HQ accounting). */
import { Button, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface Liability { pointValueCents: number; overdraftPoints: number; rows: Array<{ companyId: string; companyName: string; points: number; cents: number }> }
interface Settlement { lines: Array<{ debtorCompanyId: string; debtorName: string; creditorCompanyId: string; creditorName: string; points: number; cents: number }> }

export default function LiabilityPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const liability = useQuery({ queryKey: ['loyalty', 'liability'], queryFn: () => get<Liability>('/api/loyalty/liability') });
  const okMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const settlement = useQuery({ queryKey: ['loyalty', 'settlement', month], queryFn: () => get<Settlement>(withQuery('/api/loyalty/settlement', { month })), enabled: okMonth });
  const expire = useMutation({ mutationFn: () => api('POST', '/api/loyalty/expire', {}), onSuccess: () => toast.ok(t('l.expireStarted')) });
  return (
    <>
      <PageHeader title={t('l.title')} subtitle={t('l.help')} actions={<Button variant="default" onClick={() => expire.mutate()} loading={expire.isPending}>{t('l.expire')}</Button>} />
      <Stack>
        <Section title={t('l.liability')} testId="loyalty-liability">
          <QueryState query={liability}>
            {(l) => (
              <>
                <Table>
                  <Table.Thead><Table.Tr><Table.Th>{t('l.company')}</Table.Th><Table.Th>{t('l.points')}</Table.Th><Table.Th>{t('l.value')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {l.rows.map((r) => (
                      <Table.Tr key={r.companyId}><Table.Td>{r.companyName}</Table.Td><Table.Td>{f.number(r.points)}</Table.Td><Table.Td>{f.money(r.cents)}</Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {l.overdraftPoints > 0 && <Text c="red" size="sm">{t('l.overdraft', { points: f.number(l.overdraftPoints) })}</Text>}
              </>
            )}
          </QueryState>
        </Section>
        <Section title={t('l.settlement')} testId="loyalty-settlement">
          <Stack>
            <TextInput label={t('l.month')} type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)} error={!okMonth} w={200} />
            <QueryState query={settlement}>
              {(s) =>
                s.lines.length === 0 ? <Text c="dimmed">{t('l.noSettlement')}</Text> : (
                  <Table>
                    <Table.Thead><Table.Tr><Table.Th>{t('l.debtor')}</Table.Th><Table.Th>{t('l.creditor')}</Table.Th><Table.Th>{t('l.points')}</Table.Th><Table.Th>{t('l.value')}</Table.Th></Table.Tr></Table.Thead>
                    <Table.Tbody>
                      {s.lines.map((x) => (
                        <Table.Tr key={`${x.debtorCompanyId}|${x.creditorCompanyId}`}><Table.Td>{x.debtorName}</Table.Td><Table.Td>{x.creditorName}</Table.Td><Table.Td>{f.number(x.points)}</Table.Td><Table.Td>{f.money(x.cents)}</Table.Td></Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )
              }
            </QueryState>
          </Stack>
        </Section>
      </Stack>
    </>
  );
}
