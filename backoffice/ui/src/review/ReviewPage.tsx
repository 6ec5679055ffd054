/** The review queue: filter by kind and status (open by default), the item's document and decisions, re-apply or accept. */
import { Button, Code, Grid, Group, List, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { QueryState, toast, useConfirm, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import type { ListQuery } from '../components/list';
import { messages } from './messages';

const KINDS = ['rejected', 'break', 'gap', 'batch', 'anomaly'] as const;
const STATUSES = ['open', 'accepted', 'reapplied', 'resolved'] as const;

/** GET /api/review item (back office persistence/review-queue.ts). */
export interface ReviewItem {
  id: string;
  terminalId: string;
  terminalCode: string;
  storeId: string;
  storeCode: string;
  seq: number | null;
  ticketId: string | null;
  kind: (typeof KINDS)[number];
  code: string;
  reason: string;
  status: (typeof STATUSES)[number];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}
export interface ReviewDetail extends ReviewItem {
  payload: string | null;
  decisions: Array<{ id: string; userEmail: string; action: 'reapply' | 'accept'; outcome: 'reapplied' | 'accepted' | 'failed'; detail: string | null; at: string }>;
}

/** The route as it was before the list contract: limit/offset and its own filters. */
const legacyQuery = (q: ListQuery) => ({ limit: q.pageSize, offset: (q.page - 1) * q.pageSize, kind: q.filters.kind, status: q.filters.status });

export default function ReviewPage() {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const fail = useToast().fail;
  const confirm = useConfirm();
  const mayDecide = useCan('review.write');
  const [selected, setSelected] = useState<string | null>(null);

  const decide = useMutation({
    mutationFn: ({ item, action, note }: { item: ReviewItem; action: 'reapply' | 'accept'; note?: string }) =>
      api<ReviewDetail>('POST', `/api/review/${item.id}/${action}`, action === 'accept' ? (note ? { note } : {}) : undefined),
    onSuccess: (_d, { item, action }) => toast.ok(t(action === 'accept' ? 'review.acceptedMsg' : 'review.reappliedMsg', { seq: item.seq ?? '—' })),
    onError: (e) => fail(e, t('review.failedMsg', { message: '' }).replace(/:\s*$/, '')),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['list', '/api/review'] }), qc.invalidateQueries({ queryKey: ['review'] })]),
  });

  const accept = async (item: ReviewItem) => {
    let note = '';
    const ok = await confirm.action(
      t('review.acceptTitle', { seq: item.seq ?? '—' }),
      <>
        <Text size="sm" mb="sm">{t('review.acceptBody')}</Text>
        <Textarea label={t('review.acceptNote')} maxLength={500} autosize minRows={2} onChange={(e) => (note = e.currentTarget.value)} data-testid="accept-note" />
      </>,
      t('review.accept'),
    );
    if (ok) decide.mutate({ item, action: 'accept', note: note.trim() || undefined });
  };

  const columns: Array<ColumnDef<ReviewItem>> = [
    { id: 'createdAt', header: t('review.at'), enableSorting: false, cell: ({ row: { original: x } }) => new Date(x.createdAt).toLocaleString(locale) },
    { id: 'terminal', header: t('review.terminal'), enableSorting: false, cell: ({ row: { original: x } }) => `${x.storeCode} · ${x.terminalCode}` },
    { id: 'seq', header: t('review.seq'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => x.seq ?? '—' },
    { id: 'kind', header: t('review.kind'), enableSorting: false, cell: ({ row: { original: x } }) => t(`review.kind.${x.kind}`) },
    {
      id: 'reason',
      header: t('review.reason'),
      enableSorting: false,
      cell: ({ row: { original: x } }) => (
        <span className="reason">
          <strong className="code">{x.code}</strong> {x.reason}
        </span>
      ),
    },
    { id: 'status', header: t('review.status'), enableSorting: false, cell: ({ row: { original: x } }) => t(`review.status.${x.status}`) },
    {
      id: 'actions',
      header: '',
      enableSorting: false,
      cell: ({ row: { original: x } }) =>
        mayDecide && x.status === 'open' && (
          <Group gap={6} wrap="nowrap" onClick={(e) => e.stopPropagation()}>
            {x.kind !== 'anomaly' && (
              <Button size="xs" variant="light" loading={decide.isPending && decide.variables?.item.id === x.id && decide.variables.action === 'reapply'} onClick={() => decide.mutate({ item: x, action: 'reapply' })}>
                {t('review.reapply')}
              </Button>
            )}
            <Button size="xs" variant="subtle" onClick={() => void accept(x)}>{t('review.accept')}</Button>
          </Group>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('review.title')} />
      <Grid>
        <Grid.Col span={{ base: 12, xl: selected ? 7 : 12 }}>
          <DataTable
            testId="review"
            endpoint="/api/review"
            legacy={{ query: legacyQuery }}
            exportName="revision"
            defaults={{ filters: { status: 'open' } }}
            filters={[
              { name: 'kind', label: t('review.kind'), options: KINDS.map((k) => ({ value: k, label: t(`review.kind.${k}`) })), testId: 'review-kind' },
              { name: 'status', label: t('review.status'), options: STATUSES.map((s) => ({ value: s, label: t(`review.status.${s}`) })), testId: 'review-status' },
            ]}
            columns={columns}
            rowKey={(x) => x.id}
            onRowClick={(x) => setSelected(x.id)}
            selectedKey={selected}
            empty={t('review.empty')}
          />
        </Grid.Col>
        {selected && (
          <Grid.Col span={{ base: 12, xl: 5 }}>
            <Detail id={selected} />
          </Grid.Col>
        )}
      </Grid>
    </>
  );
}

function Detail({ id }: { id: string }) {
  const { t, locale } = useT(messages);
  const detail = useQuery({ queryKey: ['review', id], queryFn: () => get<ReviewDetail>(`/api/review/${id}`) });
  return (
    <QueryState query={detail}>
      {(d) => (
        <Section title={t('review.detail', { code: d.code, seq: d.seq ?? '—' })} testId="review-detail">
          <Text size="sm" className="reason">{d.reason}</Text>
          {d.resolution && <Text size="sm" mt="xs">{t('review.resolution', { by: d.resolvedBy ?? '—', text: d.resolution })}</Text>}
          <Text fw={600} mt="md">{t('review.decisions')}</Text>
          {d.decisions.length === 0 ? (
            <Text size="sm" c="dimmed">{t('review.noDecisions')}</Text>
          ) : (
            <List size="sm">
              {d.decisions.map((x) => (
                <List.Item key={x.id}>
                  {new Date(x.at).toLocaleString(locale)} · {x.userEmail} · {t(`review.action.${x.action}`)} → {t(`review.outcome.${x.outcome}`)}
                  {x.detail ? `: ${x.detail}` : ''}
                </List.Item>
              ))}
            </List>
          )}
          <Text fw={600} mt="md">{t('review.payload')}</Text>
          <Code block className="payload">{d.payload ? pretty(d.payload) : '—'}</Code>
        </Section>
      )}
    </QueryState>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
