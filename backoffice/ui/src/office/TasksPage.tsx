/**
 * Tasks and checklists for the stores: counters (open, overdue, done) and each store's tasks, soonest due first
 * with the overdue ones marked, filtered by status and store; for office.write (HQ; a franchisee for their own
 * stores) a new task — kind, title, description, due moment, its items one per line, and the stores it is for.
 * The tills show it and tick its items; a store manager can tick them here too (the task's page).
 */
import { Alert, Badge, Button, Group, Progress, SegmentedControl, Select, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { TaskDetail, TaskListAnswer } from '@tpv/shared/wire/http/office-tasks';
import { TASK_KINDS } from '@tpv/shared/office/tasks';
import { api, ApiError, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { AudiencePicker, useAudience } from './AudiencePicker';

type Status = 'all' | 'open' | 'overdue' | 'done';
export const STATUS_COLOR = { open: 'blue', overdue: 'red', done: 'green' } as const;
const instant = (v: string) => (v ? new Date(v).toISOString() : '');
const fieldError = (e: unknown, path: string) => (e instanceof ApiError ? e.fieldErrors.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message : undefined);

export default function TasksPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('office.write');
  const stores = useStoreOptions();
  const [status, setStatus] = useState<Status>('all');
  const [store, setStore] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['office-tasks', status, store],
    queryFn: () => get<z.output<typeof TaskListAnswer>>(withQuery('/api/office/tasks', { status, storeId: store })),
  });
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<(typeof TASK_KINDS)[number]>('checklist');
  const [description, setDescription] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [items, setItems] = useState('');
  const audience = useAudience('store');
  const post = useMutation({
    mutationFn: () => api<TaskDetail>('POST', '/api/office/tasks', {
      title, kind, description: description.trim() || null, dueAt: instant(dueAt),
      items: items.split('\n').map((l) => l.trim()).filter(Boolean), ...audience.body,
    }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['office-tasks'] });
      navigate(`/office/tasks/${r.task.id}`);
    },
  });
  const c = list.data?.counters;
  return (
    <>
      <PageHeader title={t('tk.title')} subtitle={t('tk.help')} />
      {canWrite && (
        <Section title={t('tk.new')} testId="task-new">
          <Group align="end" wrap="wrap">
            <Select label={t('tk.kind')} w={220} data={TASK_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind((v ?? 'other') as typeof kind)} data-testid="task-kind" />
            <TextInput label={t('tk.titleField')} w={360} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(post.error, 'title')} data-testid="task-title" />
            <TextInput label={t('tk.dueAt')} type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} error={fieldError(post.error, 'dueAt')} data-testid="task-due" />
          </Group>
          <Group align="start" mt="sm" wrap="wrap">
            <Textarea label={t('tk.items')} description={t('tk.itemsHelp')} w={360} autosize minRows={4} value={items} onChange={(e) => setItems(e.currentTarget.value)} error={fieldError(post.error, 'items')} data-testid="task-items" />
            <Textarea label={t('tk.description')} w={360} autosize minRows={4} value={description} onChange={(e) => setDescription(e.currentTarget.value)} data-testid="task-description" />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <AudiencePicker audience={audience} testId="task" error={fieldError(post.error, 'targetIds')} />
            <Button disabled={!title.trim() || !dueAt || !items.trim() || !audience.chosen} loading={post.isPending} onClick={() => post.mutate()} data-testid="task-assign">{t('tk.assign')}</Button>
          </Group>
          {post.error && <Alert color="red" mt="sm" data-testid="task-error">{post.error.message}</Alert>}
        </Section>
      )}
      <Section>
        <Group justify="space-between" wrap="wrap" mb="sm">
          <SegmentedControl
            value={status}
            onChange={(v) => setStatus(v as Status)}
            data={(['all', 'open', 'overdue', 'done'] as const).map((s) => ({ value: s, label: s === 'all' ? t('tk.all') : `${t(`st.${s}`)}${c ? ` (${c[s]})` : ''}` }))}
            data-testid="task-status-filter"
          />
          <Select placeholder={t('tk.anyStore')} w={300} clearable searchable data={stores.options} value={store} onChange={setStore} data-testid="task-store-filter" />
        </Group>
        {list.error && <Alert color="red">{list.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('tk.none')}</Text> : (
          <Table striped highlightOnHover data-testid="tasks-table">
            <Table.Thead><Table.Tr><Table.Th>{t('tk.dueAt')}</Table.Th><Table.Th>{t('tk.titleField')}</Table.Th><Table.Th>{t('d.store')}</Table.Th><Table.Th>{t('tk.progress')}</Table.Th><Table.Th>{t('n.status')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((r) => (
                <Table.Tr key={`${r.taskId}:${r.storeId}`} style={{ cursor: 'pointer' }} onClick={() => navigate(`/office/tasks/${r.taskId}`)} data-testid="task-row" data-status={r.status}>
                  <Table.Td>{f.dateTime(r.dueAt)}</Table.Td>
                  <Table.Td>{r.title} <Text span c="dimmed" size="sm">· {t(`kind.${r.kind}`)}</Text></Table.Td>
                  <Table.Td>{r.storeCode} · {r.storeName}</Table.Td>
                  <Table.Td w={180}><Group gap={6} wrap="nowrap"><Progress value={r.items ? (100 * r.done) / r.items : 0} w={100} color={STATUS_COLOR[r.status]} /><Text size="sm" data-testid="task-row-done">{r.done} / {r.items}</Text></Group></Table.Td>
                  <Table.Td><Badge variant="light" color={STATUS_COLOR[r.status]} data-testid="task-row-status">{t(`st.${r.status}`)}</Badge></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
