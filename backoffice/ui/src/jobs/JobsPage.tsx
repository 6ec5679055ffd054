/** The caller's jobs (and their scope's): status, progress (refreshed while any runs), result file, cancel. */
import { Badge, Button, Group } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { api, download } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { toast, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import type { Page } from '../components/list';
import { JobProgress } from './JobProgress';
import { messages } from './messages';
import { jobActive, JOB_STATUSES, type Job } from './types';

const BADGE: Record<Job['status'], string> = { queued: 'gray', running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'gray' };

export default function JobsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const fail = useToast().fail;
  const confirm = useConfirm();
  const mayCancel = useCan('jobs.write');
  const [running, setRunning] = useState(false);
  const kindLabel = (k: string) => {
    const key = `jobs.kind.${k}` as Parameters<typeof t>[0];
    const label = t(key);
    return label === key ? k : label;
  };

  const cancel = useMutation({
    mutationFn: (j: Job) => api<Job>('POST', `/api/jobs/${j.id}/cancel`),
    onSuccess: () => toast.ok(t('jobs.cancelled')),
    onError: (e) => fail(e),
    onSettled: () => qc.invalidateQueries({ queryKey: ['list', '/api/jobs'] }),
  });

  const columns: Array<ColumnDef<Job>> = [
    { id: 'createdAt', header: t('jobs.created'), enableSorting: false, cell: ({ row: { original: j } }) => f.dateTime(j.createdAt) },
    { id: 'kind', header: t('jobs.kind'), enableSorting: false, cell: ({ row: { original: j } }) => kindLabel(j.kind) },
    {
      id: 'status',
      header: t('jobs.status'),
      enableSorting: false,
      cell: ({ row: { original: j } }) => <Badge color={BADGE[j.status]} variant="light" data-testid="job-status">{t(`jobs.status.${j.status}`)}</Badge>,
    },
    { id: 'progress', header: t('jobs.progress'), enableSorting: false, cell: ({ row: { original: j } }) => <div style={{ minWidth: 180 }}><JobProgress job={j} /></div> },
    { id: 'message', header: t('jobs.message'), enableSorting: false, cell: ({ row: { original: j } }) => j.error ?? '' },
    {
      id: 'actions',
      header: '',
      enableSorting: false,
      cell: ({ row: { original: j } }) => (
        <Group gap={6} wrap="nowrap">
          {j.resultFileId && (
            <Button size="xs" variant="light" onClick={() => void download(`/api/files/${j.resultFileId}`, `${j.kind}-${j.id}`).catch((e: unknown) => fail(e))}>
              {t('jobs.download')}
            </Button>
          )}
          {mayCancel && jobActive(j) && !j.cancelRequested && (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => void confirm.action(t('jobs.cancelTitle'), t('jobs.cancelBody'), t('jobs.cancel'), true).then((ok) => ok && cancel.mutate(j))}
            >
              {t('jobs.cancel')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('jobs.title')} subtitle={t('jobs.subtitle')} />
      <DataTable
        testId="jobs"
        endpoint="/api/jobs"
        exportName={false}
        filters={[{ name: 'status', label: t('jobs.status'), options: JOB_STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) })), testId: 'jobs-status' }]}
        columns={columns}
        rowKey={(j) => j.id}
        empty={t('jobs.empty')}
        // Refreshed every 2 s while one of the shown jobs is queued or running.
        refetchInterval={running ? 2000 : undefined}
        onPage={(p: Page<Job>) => setRunning(p.items.some(jobActive))}
      />
    </>
  );
}
