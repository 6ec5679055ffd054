/**
 * Catalog import: upload a CSV/XLSX → the server checks every row in a job (progress polled) → a preview with
 * the counts and every bad row → apply (all or nothing) with its own progress. The import and apply job ids
 * live in the URL (`?import=…&apply=…`), so a reload or a shared link shows the same state.
 */
import { Alert, Button, FileInput, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useSearchParams } from 'react-router';
import { useEffect, useState } from 'react';
import { api, ApiError, get, session } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { ErrorState, toast, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { JobProgress } from '../jobs/JobProgress';
import { jobActive, type Job } from '../jobs/types';
import { messages } from './messages';

interface ImportError {
  row: number;
  column: string;
  code: string;
  message: string;
  value?: string;
  params?: Record<string, string | number>;
}
interface Counts {
  rows: number;
  new: number;
  changed: number;
  unchanged: number;
  categoriesNew: number;
}
interface ImportView {
  id: string;
  fileName: string | null;
  job: Job;
  preview: { format: 'csv' | 'xlsx'; counts: Counts; errorCount: number; badRows: number; errors: ImportError[]; page: number; pageSize: number; hasMore: boolean } | null;
}

/** The file itself as the body (the API takes CSV/XLSX raw, not multipart). */
async function uploadFile(file: File): Promise<{ id: string; job: Job }> {
  const token = session.get();
  const res = await fetch(`/api/catalog/imports?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as { id: string; job: Job; detail?: string; title?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.detail ?? body?.title ?? `HTTP ${res.status}`, body as never);
  return body!;
}

const POLL_MS = 1000;

export default function ImportPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const fail = useToast().fail;
  const confirm = useConfirm();
  const mayImport = useCan('catalog.write');
  const [params, setParams] = useSearchParams();
  const importId = params.get('import');
  const applyId = params.get('apply');
  const [file, setFile] = useState<File | null>(null);

  const upload = useMutation({
    mutationFn: uploadFile,
    onSuccess: (r) => setParams({ import: r.id }),
    onError: (e) => fail(e, t('import.uploadFailed')),
  });

  const view = useQuery({
    queryKey: ['catalog-import', importId],
    queryFn: () => get<ImportView>(`/api/catalog/imports/${importId}?pageSize=1`),
    enabled: importId !== null,
    refetchInterval: (q) => (q.state.data && !jobActive(q.state.data.job) ? false : POLL_MS),
  });
  const applyJob = useQuery({
    queryKey: ['job', applyId],
    queryFn: () => get<Job>(`/api/jobs/${applyId}`),
    enabled: applyId !== null,
    refetchInterval: (q) => (q.state.data && !jobActive(q.state.data) ? false : POLL_MS),
  });

  const apply = useMutation({
    mutationFn: () => api<{ id: string; job: Job }>('POST', `/api/catalog/imports/${importId}/apply`),
    onSuccess: (r) => setParams({ import: importId!, apply: r.job.id }),
    onError: (e) => fail(e),
  });

  const preview = view.data?.preview ?? null;
  const checked = view.data && !jobActive(view.data.job);
  const appliedJob = applyJob.data;
  const appliedCounts = (appliedJob?.result as { counts?: Counts } | null)?.counts;
  const justApplied = appliedJob?.status === 'succeeded' && appliedCounts !== undefined && !params.get('done');
  useEffect(() => {
    if (!justApplied || !appliedCounts || !importId || !applyId) return;
    // Once: a toast, and the lists that show products refreshed.
    toast.ok(t('import.applied', { new: appliedCounts.new, changed: appliedCounts.changed, unchanged: appliedCounts.unchanged }));
    void qc.invalidateQueries({ queryKey: ['list'] });
    setParams({ import: importId, apply: applyId, done: '1' }, { replace: true });
  }, [justApplied, appliedCounts, importId, applyId, qc, setParams, t]);

  const confirmApply = async (c: Counts) => {
    if (await confirm.action(t('import.applyTitle'), t('import.applyBody', { new: c.new, changed: c.changed }), t('import.apply', { count: c.new + c.changed }))) apply.mutate();
  };

  // The server's reason code in the user's language (its English message when the code is new to this UI).
  const errorText = (e: ImportError) => {
    const key = `err.${e.code}`;
    return key in messages.es ? t(key as Parameters<typeof t>[0], { ...e.params, value: e.value ?? '', column: e.column }) : e.message;
  };
  const errorColumns: Array<ColumnDef<ImportError>> = [
    { id: 'row', header: t('import.row'), enableSorting: false, meta: { align: 'right', testId: 'error-row' }, cell: ({ row: { original: e } }) => e.row },
    { id: 'column', header: t('import.column'), enableSorting: false, meta: { testId: 'error-column' }, cell: ({ row: { original: e } }) => e.column },
    { id: 'message', header: t('import.error'), enableSorting: false, meta: { testId: 'error-message' }, cell: ({ row: { original: e } }) => errorText(e) },
    { id: 'value', header: t('import.value'), enableSorting: false, cell: ({ row: { original: e } }) => e.value ?? '' },
  ];

  return (
    <>
      <PageHeader title={t('import.title')} subtitle={t('import.subtitle')} />
      <Stack>
        {!importId && (
          <Section testId="import-upload">
            <Text size="sm" c="dimmed" mb="sm">{t('import.columns')}</Text>
            <Group align="end">
              <FileInput
                label={t('import.file')}
                placeholder={t('import.filePlaceholder')}
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={setFile}
                style={{ minWidth: 320 }}
                data-testid="import-file"
                clearable
              />
              <Button disabled={!file || !mayImport} loading={upload.isPending} onClick={() => file && upload.mutate(file)} data-testid="import-check">
                {t('import.check')}
              </Button>
            </Group>
          </Section>
        )}

        {importId && view.error && <ErrorState error={view.error} retry={() => void view.refetch()} />}
        {importId && view.data && (
          <Section title={view.data.fileName ?? ''} testId="import-check-section">
            {!checked && (
              <>
                <Text size="sm" mb="xs">{t('import.checking')}</Text>
                <JobProgress job={view.data.job} testId="import-check-progress" />
              </>
            )}
            {checked && view.data.job.status !== 'succeeded' && <Alert color="red">{t('import.checkFailed', { message: view.data.job.error ?? view.data.job.status })}</Alert>}
            {checked && preview && (
              <Stack>
                <SimpleGrid cols={{ base: 2, sm: 5 }} data-testid="import-counts">
                  {(['rows', 'new', 'changed', 'unchanged', 'categoriesNew'] as const).map((k) => (
                    <div key={k} data-testid={`count-${k}`}>
                      <Text size="xs" c="dimmed">{t(`import.${k}`)}</Text>
                      <Text fw={700} size="lg">{f.number(preview.counts[k])}</Text>
                    </div>
                  ))}
                </SimpleGrid>
                {preview.errorCount > 0 ? (
                  <>
                    <Alert color="red" data-testid="import-bad">{t('import.bad', { count: preview.badRows })}</Alert>
                    <DataTable
                      testId="import-errors"
                      paramPrefix="e."
                      queryKey={['catalog-import-errors', importId]}
                      fetchPage={async (q) => {
                        const v = await get<ImportView>(`/api/catalog/imports/${importId}?page=${q.page}&pageSize=${q.pageSize}`);
                        return { items: v.preview?.errors ?? [], page: q.page, pageSize: q.pageSize, total: v.preview?.errorCount ?? 0, hasMore: v.preview?.hasMore ?? false };
                      }}
                      exportName={false}
                      columns={errorColumns}
                      rowKey={(e) => `${e.row}:${e.column}:${e.message}`}
                    />
                  </>
                ) : (
                  <Alert color="green" data-testid="import-ok">{t('import.ok')}</Alert>
                )}
                {preview.errorCount === 0 && !applyId && mayImport && (
                  <Group>
                    <Button loading={apply.isPending} onClick={() => void confirmApply(preview.counts)} data-testid="import-apply" disabled={preview.counts.new + preview.counts.changed === 0}>
                      {t('import.apply', { count: preview.counts.new + preview.counts.changed })}
                    </Button>
                  </Group>
                )}
              </Stack>
            )}
          </Section>
        )}

        {applyId && appliedJob && (
          <Section title={t('import.applying')} testId="import-apply-section">
            <JobProgress job={appliedJob} testId="import-apply-progress" />
            {appliedJob.status === 'failed' && <Alert color="red" mt="sm">{t('import.applyFailed', { message: appliedJob.error ?? '' })}</Alert>}
            {appliedJob.status === 'succeeded' && appliedCounts && (
              <Alert color="green" mt="sm" data-testid="import-applied">
                {t('import.applied', { new: appliedCounts.new, changed: appliedCounts.changed, unchanged: appliedCounts.unchanged })}
              </Alert>
            )}
          </Section>
        )}

        {importId && (checked || appliedJob?.status === 'succeeded') && !(applyId && appliedJob && jobActive(appliedJob)) && (
          <Group>
            <Button variant="subtle" onClick={() => (setFile(null), setParams({}))} data-testid="import-another">{t('import.another')}</Button>
          </Group>
        )}
      </Stack>
    </>
  );
}
