/** A member's points: balance, holds and postings (newest first); HQ adjusts with a reason. */
import { Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

interface Ledger {
  customerId: string; name: string; card: string | null; points: number; held: number;
  postings: Array<{ id: string; kind: 'earn' | 'redeem' | 'reverse' | 'expire' | 'adjust' | 'merge'; points: number; companyId: string; ticketId: string | null; day: string; flagged: boolean; note: string | null }>;
}

export default function MembersPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const scope = useScopeOptions();
  const canWrite = useCan('loyalty.write');
  const [typed, setTyped] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [points, setPoints] = useState('');
  const [note, setNote] = useState('');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['loyalty', 'member', customerId], queryFn: () => get<Ledger>(`/api/loyalty/members/${customerId}`), enabled: !!customerId });
  const adjust = useMutation({
    mutationFn: () => api('POST', '/api/loyalty/adjustments', { customerId, points: Number(points), companyId, note }),
    onSuccess: () => (toast.ok(t('m.adjusted')), setPoints(''), setNote(''), void qc.invalidateQueries({ queryKey: ['loyalty', 'member'] })),
  });
  return (
    <>
      <PageHeader title={t('m.title')} subtitle={t('m.help')} />
      <Stack>
        <Group>
          <TextInput label={t('m.customer')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} w={360} data-testid="loyalty-customer" />
          <Button mt="lg" onClick={() => setCustomerId(typed.trim() || null)} data-testid="loyalty-open">OK</Button>
        </Group>
        {customerId && (
          <QueryState query={q}>
            {(l) => (
              <Section title={`${l.name}${l.card ? ` · ${t('m.card')} ${l.card}` : ''}`}>
                <Stack>
                  <Group>
                    <Badge size="lg" data-testid="loyalty-balance">{t('m.balance')}: {f.number(l.points)}</Badge>
                    <Badge size="lg" color="gray">{t('m.held')}: {f.number(l.held)}</Badge>
                  </Group>
                  {canWrite && (
                    <SimpleGrid cols={{ base: 1, md: 4 }}>
                      <TextInput label={t('m.points')} type="number" value={points} onChange={(e) => setPoints(e.currentTarget.value)} />
                      <Select label={t('m.company')} data={scope.companyOptions} value={companyId} onChange={setCompanyId} searchable />
                      <TextInput label={t('m.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
                      <Button mt="lg" onClick={() => adjust.mutate()} loading={adjust.isPending} disabled={!points || !companyId}>{t('m.adjust')}</Button>
                    </SimpleGrid>
                  )}
                  {l.postings.length === 0 ? <Text c="dimmed">{t('m.none')}</Text> : (
                    <Table data-testid="loyalty-postings">
                      <Table.Thead>
                        <Table.Tr><Table.Th>{t('m.day')}</Table.Th><Table.Th>{t('m.kind')}</Table.Th><Table.Th>{t('m.points')}</Table.Th><Table.Th>{t('m.company')}</Table.Th><Table.Th>{t('m.ticket')}</Table.Th><Table.Th /></Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {l.postings.map((p) => (
                          <Table.Tr key={p.id}>
                            <Table.Td>{p.day}</Table.Td>
                            <Table.Td>{t(`k.${p.kind}`)}{p.note ? ` · ${p.note}` : ''}</Table.Td>
                            <Table.Td>{f.number(p.points)}</Table.Td>
                            <Table.Td>{scope.companyName(p.companyId)}</Table.Td>
                            <Table.Td>{p.ticketId ?? '—'}</Table.Td>
                            <Table.Td>{p.flagged && <Badge color="red">{t('m.flagged')}</Badge>}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Stack>
              </Section>
            )}
          </QueryState>
        )}
      </Stack>
    </>
  );
}
