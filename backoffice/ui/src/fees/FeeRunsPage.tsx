/**
 * Fee and wholesale runs (HQ): choose the month and the run → preview per franchisee (fees: per store, royalty
 * and marketing) → post with a progress bar → the invoices posted, each linking to its page (`/invoices/:id`)
 * and its PDF. Month, run and job live in the URL (`?period=2026-11&kind=fee&job=…`).
 */
import { Alert, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { FeePreview, InvoiceRun, RunResult, WholesalePreview } from '@tpv/shared/wire/http/fees';
import { api, download, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, toast, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { JobProgress } from '../jobs/JobProgress';
import { jobActive, type Job } from '../jobs/types';
import { messages } from './messages';

type Kind = 'fee' | 'wholesale';
const POLL_MS = 1000;
const STATUS_COLOR = { to_post: 'blue', posted: 'green', skipped: 'gray' } as const;

/** The last 12 ended months, newest first (yyyy-mm). */
function lastMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
    return d.toISOString().slice(0, 7);
  });
}

export default function FeeRunsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const fail = useToast().fail;
  const confirm = useConfirm();
  const mayPost = useCan('invoicing.write');
  const [params, setParams] = useSearchParams();
  const months = lastMonths();
  const period = params.get('period') ?? months[0]!;
  const kind: Kind = params.get('kind') === 'wholesale' ? 'wholesale' : 'fee';
  const jobId = params.get('job');
  const set = (p: Record<string, string | null>) => {
    const next = { period, kind, ...(jobId ? { job: jobId } : {}), ...p };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null)) as Record<string, string>);
  };

  const previewPath = kind === 'fee' ? '/api/invoicing/fee-runs/preview' : '/api/invoicing/wholesale-runs/preview';
  const preview = useQuery({ queryKey: ['invoice-run-preview', kind, period], queryFn: () => get<FeePreview | WholesalePreview>(withQuery(previewPath, { period })) });
  const runs = useQuery({ queryKey: ['invoice-runs'], queryFn: () => get<InvoiceRun[]>('/api/invoicing/runs') });
  const job = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => get<Job>(`/api/jobs/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data && !jobActive(q.state.data) ? false : POLL_MS),
  });
  const finished = job.data && !jobActive(job.data);
  useEffect(() => {
    if (!finished) return;
    void qc.invalidateQueries({ queryKey: ['invoice-run-preview'] });
    void qc.invalidateQueries({ queryKey: ['invoice-runs'] });
  }, [finished, qc]);

  const post = useMutation({
    mutationFn: () => api<{ runId: string; jobId: string }>('POST', kind === 'fee' ? '/api/invoicing/fee-runs' : '/api/invoicing/wholesale-runs', { period }),
    onSuccess: (r) => {
      toast.ok(t('runs.postTitle'));
      set({ job: r.jobId });
    },
    onError: (e) => fail(e),
  });

  const runOfPeriod = runs.data?.find((r) => r.kind === kind && r.period === period) ?? null;
  const result = (runOfPeriod?.result ?? null) as RunResult | null;

  const askPost = async (count: number, total: number) => {
    if (await confirm.action(t('runs.postTitle'), t('runs.postBody', { count, period, total: f.money(total) }), t('runs.post', { count }))) post.mutate();
  };

  return (
    <>
      <PageHeader title={t('runs.title')} subtitle={t('runs.subtitle')} />
      <Stack>
        <Group align="end">
          <Select label={t('runs.period')} data={months} value={period} onChange={(v) => v && set({ period: v, job: null })} w={160} allowDeselect={false} data-testid="run-period" />
          <SegmentedControl
            value={kind}
            onChange={(v) => set({ kind: v, job: null })}
            data={[
              { value: 'fee', label: t('runs.kind.fee') },
              { value: 'wholesale', label: t('runs.kind.wholesale') },
            ]}
            data-testid="run-kind"
          />
        </Group>

        {jobId && job.data && (
          <Section testId="run-progress">
            <JobProgress job={job.data} label={t('runs.postTitle')} testId="run-job" />
            {job.data.status === 'failed' && <Alert color="red" mt="sm">{job.data.error}</Alert>}
          </Section>
        )}

        <QueryState query={preview}>
          {(p) => (
            <Section
              title={t('runs.preview')}
              testId="run-preview"
              actions={
                mayPost && !runOfPeriod && p.totals.toPost > 0 ? (
                  <Button onClick={() => void askPost(p.totals.toPost, p.totals.totalCents)} loading={post.isPending} data-testid="run-post">
                    {t('runs.post', { count: p.totals.toPost })}
                  </Button>
                ) : undefined
              }
            >
              {runOfPeriod && <Alert color="green" mb="sm" data-testid="run-already">{t('runs.already', { date: f.dateTime(runOfPeriod.finishedAt ?? runOfPeriod.createdAt) })}</Alert>}
              <Text size="sm" mb="sm" data-testid="run-totals">
                {t('runs.totals', { toPost: p.totals.toPost, posted: p.totals.posted, skipped: p.totals.skipped, total: f.money(p.totals.totalCents) })}
              </Text>
              {p.items.length === 0 ? (
                <Text c="dimmed">{t('runs.none')}</Text>
              ) : (
                <Table striped withTableBorder data-testid="run-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('runs.company')}</Table.Th>
                      <Table.Th>{t('runs.status')}</Table.Th>
                      <Table.Th ta="right">{kind === 'fee' ? t('runs.net') : t('runs.lines')}</Table.Th>
                      <Table.Th ta="right">{t('runs.base')}</Table.Th>
                      <Table.Th ta="right">{t('runs.iva')}</Table.Th>
                      <Table.Th ta="right">{t('runs.total')}</Table.Th>
                      <Table.Th>{t('runs.reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {p.items.map((i) => (
                      <Fragment key={i.companyId}>
                        <Table.Tr data-testid="run-row" data-company={i.companyId} data-status={i.status}>
                          <Table.Td>{i.companyName} <Text span size="xs" c="dimmed">{i.nif}</Text></Table.Td>
                          <Table.Td><Badge color={STATUS_COLOR[i.status]} variant="light">{t(`runs.status.${i.status}`)}</Badge></Table.Td>
                          <Table.Td ta="right">{'netSalesCents' in i ? f.money(i.netSalesCents) : f.number(i.lineCount)}</Table.Td>
                          <Table.Td ta="right">{f.money(i.baseCents)}</Table.Td>
                          <Table.Td ta="right">{f.money(i.ivaCents)}</Table.Td>
                          <Table.Td ta="right" data-testid="run-total">{f.money(i.totalCents)}</Table.Td>
                          <Table.Td>
                            {i.invoiceId ? <Link to={`/invoices/${i.invoiceId}`}>{i.invoiceNumber ?? t('runs.invoice')}</Link> : (i.reason ?? '')}
                          </Table.Td>
                        </Table.Tr>
                        {'stores' in i &&
                          i.stores.map((s) => (
                            <Table.Tr key={`${i.companyId}:${s.storeId}`} data-testid="run-store">
                              <Table.Td pl="xl"><Text size="sm" c="dimmed">{s.storeCode} · {s.storeName}</Text></Table.Td>
                              <Table.Td />
                              <Table.Td ta="right"><Text size="sm">{f.money(s.netSalesCents)}</Text></Table.Td>
                              <Table.Td colSpan={4}><Text size="sm" c="dimmed">{t('runs.royalty')} {f.money(s.royaltyCents)} · {t('runs.marketing')} {f.money(s.marketingCents)}</Text></Table.Td>
                            </Table.Tr>
                          ))}
                        {'notes' in i && i.notes.length > 0 && (
                          <Table.Tr>
                            <Table.Td pl="xl" colSpan={7}><Text size="sm" c="dimmed">{t('runs.notes')}: {i.notes.map((n) => n.number).join(', ')}</Text></Table.Td>
                          </Table.Tr>
                        )}
                      </Fragment>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          )}
        </QueryState>

        {result && result.posted.length > 0 && (
          <Section title={`${t('runs.invoices')} (${result.posted.length})`} testId="run-invoices">
            <Table withTableBorder>
              <Table.Tbody>
                {result.posted.map((x) => (
                  <Table.Tr key={x.invoiceId} data-testid="run-invoice">
                    <Table.Td><Link to={`/invoices/${x.invoiceId}`}>{x.number}</Link></Table.Td>
                    <Table.Td>{preview.data?.items.find((i) => i.companyId === x.companyId)?.companyName ?? x.companyId}</Table.Td>
                    <Table.Td ta="right">{f.money(x.totalCents)}</Table.Td>
                    <Table.Td>
                      {x.pdfFileId && (
                        <Button size="compact-xs" variant="subtle" onClick={() => void download(`/api/files/${x.pdfFileId}`, `${x.number}.pdf`)}>
                          {t('runs.pdf')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        )}

        <QueryState query={runs}>
          {(rs) =>
            rs.length > 0 ? (
              <Section title={t('runs.history')} testId="run-history">
                <Table withTableBorder>
                  <Table.Tbody>
                    {rs.map((r) => (
                      <Table.Tr key={r.id}>
                        <Table.Td>{r.period}</Table.Td>
                        <Table.Td>{t(`runs.kind.${r.kind}`)}</Table.Td>
                        <Table.Td>{f.dateTime(r.finishedAt ?? r.createdAt)}</Table.Td>
                        <Table.Td>{r.createdBy ?? ''}</Table.Td>
                        <Table.Td ta="right">{((r.result as RunResult | null)?.posted.length ?? 0).toString()}</Table.Td>
                        <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => set({ period: r.period, kind: r.kind, job: r.jobId })}>{t('runs.preview')}</Button></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
            ) : null
          }
        </QueryState>
      </Stack>
    </>
  );
}
