/**
 * The tills' daily sales in the books: what is still to post per company, store and day; "Post up to…" runs
 * the posting job (progress bar) up to a date; the reconciliation table shows per store, day and IVA rate the
 * tickets beside the journal's 700 and 477, differences highlighted. Company and job live in the URL.
 */
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PendingDay, ReconciliationRow, SalesPostingResult } from '@tpv/shared/wire/http/accounting-sales';
import { api, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { toast, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { JobProgress } from '../jobs/JobProgress';
import { jobActive, type Job } from '../jobs/types';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

const POLL_MS = 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const yesterday = () => isoDay(new Date(Date.now() - 86_400_000));
const monthStart = () => `${yesterday().slice(0, 7)}-01`;
const validDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
const right = { textAlign: 'right' as const };

export default function TillSalesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const fail = useToast().fail;
  const confirm = useConfirm();
  const mayPost = useCan('accounting.write');
  const scope = useScopeOptions();
  const [params, setParams] = useSearchParams();
  const companyId = params.get('company');
  const jobId = params.get('job');
  const set = (p: Record<string, string | null>) => {
    const next = { company: companyId, job: jobId, ...p };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null)) as Record<string, string>);
  };
  const [through, setThrough] = useState(yesterday);
  const [from, setFrom] = useState(monthStart);
  const [to, setTo] = useState(yesterday);

  const pending = useQuery({
    queryKey: ['accounting', 'sales-pending', companyId],
    queryFn: () => get<{ days: PendingDay[] }>(withQuery('/api/accounting/sales-postings/pending', { companyId: companyId ?? undefined })),
  });
  const rec = useQuery({
    queryKey: ['accounting', 'sales-reconciliation', companyId, from, to],
    queryFn: () => get<{ rows: ReconciliationRow[] }>(withQuery(`/api/accounting/companies/${companyId}/sales-reconciliation`, { from, to })),
    enabled: companyId !== null && validDay(from) && validDay(to) && from <= to,
  });
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => get<Job>(`/api/jobs/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && !jobActive(q.state.data) ? false : POLL_MS),
  });
  const finished = job.data && !jobActive(job.data);
  useEffect(() => {
    if (!finished) return;
    void qc.invalidateQueries({ queryKey: ['accounting'] });
  }, [finished, qc]);

  const post = useMutation({
    mutationFn: () => api<{ jobId: string }>('POST', '/api/accounting/sales-postings', { throughDate: through, companyIds: companyId ? [companyId] : null }),
    onSuccess: (r) => set({ job: r.jobId }),
    onError: (e) => fail(e),
  });
  const days = pending.data?.days ?? [];
  const upTo = days.filter((d) => d.businessDate <= through);
  const askPost = async () => {
    const total = upTo.reduce((a, d) => a + d.pendingCents, 0);
    if (await confirm.action(t('s.postTitle'), t('s.postBody', { date: f.date(through), count: upTo.length, total: f.money(total) }), t('s.post'))) post.mutate();
  };
  const result = finished && job.data?.status === 'succeeded' ? (job.data.result as SalesPostingResult | null) : null;
  useEffect(() => {
    if (result) toast.ok(t('s.posted', { entries: result.entries }));
  }, [result, t]);

  const rows = rec.data?.rows ?? [];
  const off = rows.filter((r) => r.diffBaseCents !== 0 || r.diffIvaCents !== 0);
  const showCompany = !companyId && scope.companyOptions.length > 1;

  return (
    <>
      <PageHeader title={t('s.title')} subtitle={t('s.help')} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select
              label={t('s.company')}
              data={[{ value: '', label: t('s.allCompanies') }, ...scope.companyOptions]}
              value={companyId ?? ''}
              onChange={(v) => set({ company: v || null })}
              searchable
              data-testid="till-sales-company"
            />
            <TextInput label={t('s.through')} type="date" value={through} onChange={(e) => setThrough(e.currentTarget.value)} error={!validDay(through)} data-testid="till-sales-through" />
            {mayPost && (
              <Group align="end">
                <Button onClick={() => void askPost()} disabled={!validDay(through) || post.isPending || (job.data !== undefined && jobActive(job.data))} data-testid="till-sales-post">
                  {t('s.post')}
                </Button>
              </Group>
            )}
          </SimpleGrid>
          {job.data && <JobProgress job={job.data} testId="till-sales-progress" />}
          {job.data?.status === 'failed' && <Alert color="red" mt="sm" data-testid="till-sales-failed">{job.data.message}</Alert>}
        </Section>

        <Section title={t('s.pendingTitle')} testId="till-sales-pending">
          {pending.error && <Alert color="red">{pending.error.message}</Alert>}
          {pending.data && days.length === 0 ? (
            <Text c="dimmed" data-testid="till-sales-nothing">{t('s.nothingPending')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={700}>
              <Table striped data-testid="till-sales-pending-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('s.day')}</Table.Th>
                    {showCompany && <Table.Th>{t('s.company')}</Table.Th>}
                    <Table.Th>{t('s.store')}</Table.Th>
                    <Table.Th style={right}>{t('s.sessions')}</Table.Th>
                    <Table.Th style={right}>{t('s.pendingBase')}</Table.Th>
                    <Table.Th style={right}>{t('s.pendingAmount')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {days.map((d) => (
                    <Table.Tr key={`${d.storeId}:${d.businessDate}`} data-testid="till-sales-pending-row" data-date={d.businessDate} data-store={d.storeCode}>
                      <Table.Td>{f.date(d.businessDate)}</Table.Td>
                      {showCompany && <Table.Td>{scope.companyName(d.companyId)}</Table.Td>}
                      <Table.Td>{d.storeCode}</Table.Td>
                      <Table.Td style={right}>{d.sessions}</Table.Td>
                      <Table.Td style={right}>{f.money(d.baseCents)}</Table.Td>
                      <Table.Td style={right} fw={600}>{f.money(d.pendingCents)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th>{t('s.total')}</Table.Th>
                    {showCompany && <Table.Th />}
                    <Table.Th />
                    <Table.Th style={right}>{days.reduce((a, d) => a + d.sessions, 0)}</Table.Th>
                    <Table.Th style={right}>{f.money(days.reduce((a, d) => a + d.baseCents, 0))}</Table.Th>
                    <Table.Th style={right} data-testid="till-sales-pending-total">{f.money(days.reduce((a, d) => a + d.pendingCents, 0))}</Table.Th>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          )}
        </Section>

        <Section title={t('r.title')} testId="till-sales-reconciliation">
          <SimpleGrid cols={{ base: 1, md: 3 }} mb="sm">
            <TextInput label={t('r.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={!validDay(from)} data-testid="till-sales-from" />
            <TextInput label={t('r.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={!validDay(to) || from > to} data-testid="till-sales-to" />
          </SimpleGrid>
          {!companyId ? (
            <Text c="dimmed">{t('r.pickCompany')}</Text>
          ) : rec.error ? (
            <Alert color="red">{rec.error.message}</Alert>
          ) : rec.data && rows.length === 0 ? (
            <Text c="dimmed">{t('r.none')}</Text>
          ) : (
            <>
              {rec.data && (
                <Badge color={off.length ? 'orange' : 'green'} variant="light" mb="sm" data-testid="till-sales-rec-status">
                  {off.length ? t('r.differences', { count: off.length }) : t('r.allMatch')}
                </Badge>
              )}
              <Table.ScrollContainer minWidth={900}>
                <Table striped data-testid="till-sales-rec-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('s.day')}</Table.Th>
                      <Table.Th>{t('s.store')}</Table.Th>
                      <Table.Th style={right}>{t('r.rate')}</Table.Th>
                      <Table.Th style={right}>{t('r.ticketsBase')}</Table.Th>
                      <Table.Th style={right}>{t('r.journalBase')}</Table.Th>
                      <Table.Th style={right}>{t('r.diffBase')}</Table.Th>
                      <Table.Th style={right}>{t('r.ticketsIva')}</Table.Th>
                      <Table.Th style={right}>{t('r.journalIva')}</Table.Th>
                      <Table.Th style={right}>{t('r.diffIva')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => {
                      const bad = r.diffBaseCents !== 0 || r.diffIvaCents !== 0;
                      return (
                        <Table.Tr key={`${r.storeId}:${r.businessDate}:${r.ivaRateBp}`} bg={bad ? 'var(--mantine-color-orange-light)' : undefined} data-testid="till-sales-rec-row" data-diff={bad ? 'yes' : 'no'}>
                          <Table.Td>{f.date(r.businessDate)}</Table.Td>
                          <Table.Td>{r.storeCode}</Table.Td>
                          <Table.Td style={right}>{f.percentBp(r.ivaRateBp)}</Table.Td>
                          <Table.Td style={right}>{f.money(r.ticketsBaseCents)}</Table.Td>
                          <Table.Td style={right}>{f.money(r.journalBaseCents)}</Table.Td>
                          <Table.Td style={right} fw={bad ? 700 : undefined} c={r.diffBaseCents ? 'orange' : undefined}>{r.diffBaseCents ? f.money(r.diffBaseCents) : '—'}</Table.Td>
                          <Table.Td style={right}>{f.money(r.ticketsIvaCents)}</Table.Td>
                          <Table.Td style={right}>{f.money(r.journalIvaCents)}</Table.Td>
                          <Table.Td style={right} fw={bad ? 700 : undefined} c={r.diffIvaCents ? 'orange' : undefined}>{r.diffIvaCents ? f.money(r.diffIvaCents) : '—'}</Table.Td>
                          <Table.Td>{r.pending && <Badge color="blue" variant="light">{t('r.pending')}</Badge>}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </Section>
      </Stack>
    </>
  );
}
