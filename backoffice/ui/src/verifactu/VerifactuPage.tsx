/**
 * Veri*Factu status: per company in scope and month, its records pending / sent / accepted / rejected; the
 * month's XML export (a job, then the download); "send now" for HQ; the rejected records with the AEAT's
 * error and a resend once corrected.
 */
import { Badge, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { VerifactuCompanyStatusSchema, VerifactuRecordSchema } from '@tpv/shared/wire/http/verifactu';
import { api, download, get, withQuery } from '../app/api';
import { can, useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

type CompanyStatus = z.output<typeof VerifactuCompanyStatusSchema>;
type VfRecord = z.output<typeof VerifactuRecordSchema>;
type Job = { id: string; status: string; resultFileId: string | null; message: string | null; result: { records?: number } | null; error?: string | null };

const thisMonth = () => new Date().toISOString().slice(0, 7);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function finished(jobId: string): Promise<Job> {
  for (;;) {
    const j = await get<Job>(`/api/jobs/${jobId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
    await sleep(500);
  }
}

function Rejected({ company, month }: { company: CompanyStatus; month: string }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const user = useUser();
  const q = useQuery({
    queryKey: ['verifactu', 'rejected', company.companyId, month],
    queryFn: () => get<VfRecord[]>(withQuery('/api/verifactu/records', { companyId: company.companyId, month, status: 'rejected' })),
  });
  const resend = useMutation({
    mutationFn: (r: VfRecord) => api<VfRecord>('POST', `/api/verifactu/records/${r.id}/resend`),
    onSuccess: (r) => {
      toast.ok(t('vf.resent', { number: r.invoiceNumber }));
      void qc.invalidateQueries({ queryKey: ['verifactu'] });
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <Section title={t('vf.rejectedTitle', { company: company.companyName })} testId="vf-rejected">
      <QueryState query={q}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('vf.none')}</Text>
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('vf.invoice')}</Table.Th>
                  <Table.Th>{t('vf.installation')}</Table.Th>
                  <Table.Th>{t('vf.error')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id} data-testid="vf-rejected-row">
                    <Table.Td>{`${r.invoiceNumber} (${r.issueDate})`}</Table.Td>
                    <Table.Td>{r.installation}</Table.Td>
                    <Table.Td>{`${r.errorCode ?? ''} ${r.errorDescription ?? ''}`}</Table.Td>
                    <Table.Td>
                      {can(user, 'invoicing.write') && (
                        <Button size="xs" variant="light" loading={resend.isPending} onClick={() => resend.mutate(r)} data-testid="vf-resend">
                          {t('vf.resend')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </Section>
  );
}

export default function VerifactuPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const user = useUser();
  const [month, setMonth] = useState(thisMonth());
  const [open, setOpen] = useState<string | null>(null);
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const q = useQuery({ queryKey: ['verifactu', 'status', month], queryFn: () => get<CompanyStatus[]>(withQuery('/api/verifactu/status', { month })), enabled: valid });
  const exportMonth = useMutation({
    mutationFn: async (c: CompanyStatus) => {
      const { jobId } = await api<{ jobId: string }>('POST', '/api/verifactu/exports', { companyId: c.companyId, month });
      const job = await finished(jobId);
      if (job.status !== 'succeeded' || !job.resultFileId) throw new Error(job.error ?? job.message ?? job.status);
      await download(`/api/files/${job.resultFileId}`, `verifactu-${c.nif}-${month}.xml`);
      return job;
    },
    onSuccess: (job) => toast.ok(t('vf.exported', { records: job.result?.records ?? 0 })),
    onError: (e) => toast.fail(e),
  });
  const send = useMutation({
    mutationFn: async (c: CompanyStatus) => finished((await api<{ jobId: string }>('POST', '/api/verifactu/send', { companyId: c.companyId })).jobId),
    onSuccess: (job) => {
      if (job.status === 'succeeded') toast.ok(t('vf.sent', { message: job.message ?? '' }));
      else toast.fail(new Error(job.error ?? job.message ?? job.status));
      void qc.invalidateQueries({ queryKey: ['verifactu'] });
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <>
      <PageHeader title={t('vf.title')} subtitle={t('vf.subtitle')} />
      <Group mb="md">
        <TextInput label={t('vf.month')} type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)} error={valid ? undefined : 'yyyy-mm'} data-testid="vf-month" />
      </Group>
      <QueryState query={q}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('vf.empty')}</Text>
          ) : (
            <Table striped highlightOnHover data-testid="vf-status">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('vf.company')}</Table.Th>
                  <Table.Th>{t('vf.notQueued')}</Table.Th>
                  <Table.Th>{t('vf.pending')}</Table.Th>
                  <Table.Th>{t('vf.accepted')}</Table.Th>
                  <Table.Th>{t('vf.acceptedWithErrors')}</Table.Th>
                  <Table.Th>{t('vf.rejected')}</Table.Th>
                  <Table.Th>{t('vf.nextSend')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => (
                  <Table.Tr key={c.companyId} data-testid={`vf-company-${c.nif}`}>
                    <Table.Td>{`${c.companyName} (${c.nif})`}</Table.Td>
                    <Table.Td>{f.number(c.notQueued)}</Table.Td>
                    <Table.Td>{f.number(c.pending + c.sending)}</Table.Td>
                    <Table.Td data-testid="vf-accepted">{f.number(c.accepted)}</Table.Td>
                    <Table.Td>{f.number(c.acceptedWithErrors)}</Table.Td>
                    <Table.Td>{c.rejected > 0 ? <Badge color="red" data-testid="vf-rejected-count">{c.rejected}</Badge> : '0'}</Table.Td>
                    <Table.Td>{f.dateTime(c.nextSendAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="light" loading={exportMonth.isPending && exportMonth.variables?.companyId === c.companyId} onClick={() => exportMonth.mutate(c)} data-testid="vf-export">
                          {t('vf.export')}
                        </Button>
                        {user.franchiseWide && can(user, 'invoicing.write') && (
                          <Button size="xs" loading={send.isPending && send.variables?.companyId === c.companyId} onClick={() => send.mutate(c)} data-testid="vf-send">
                            {t('vf.send')}
                          </Button>
                        )}
                        <Button size="xs" variant="subtle" onClick={() => setOpen(open === c.companyId ? null : c.companyId)} data-testid="vf-show-rejected">
                          {t('vf.showRejected')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      {open && q.data?.find((c) => c.companyId === open) && <Rejected company={q.data.find((c) => c.companyId === open)!} month={month} />}
    </>
  );
}
