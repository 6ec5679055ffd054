/**
 * One task's page: what was asked and by when, then each store's items with who ticked them, when and where
 * (at the till or here). A user who may act on a store ticks its open items here (the first tick stands).
 */
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { TaskDetail } from '@tpv/shared/wire/http/office-tasks';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { STATUS_COLOR } from './TasksPage';

export default function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const d = useQuery({ queryKey: ['office-tasks', 'detail', id], queryFn: () => get<TaskDetail>(`/api/office/tasks/${id}`) });
  const check = useMutation({
    mutationFn: (p: { storeId: string; itemNo: number }) => api<TaskDetail>('POST', `/api/office/tasks/${id}/stores/${p.storeId}/items/${p.itemNo}/check`, {}),
    onSuccess: (r) => {
      qc.setQueryData(['office-tasks', 'detail', id], r);
      void qc.invalidateQueries({ queryKey: ['office-tasks'] });
    },
  });
  if (!d.data) return d.error ? <Alert color="red">{d.error.message}</Alert> : null;
  const { task, stores } = d.data;
  return (
    <DetailLayout back={{ to: '/office/tasks', label: t('tk.back') }} title={task.title} subtitle={t(`kind.${task.kind}`)}>
      <Stack>
        <Section>
          {task.description && <Text style={{ whiteSpace: 'pre-wrap' }} mb="sm">{task.description}</Text>}
          <Fields items={[[t('tk.dueAt'), f.dateTime(task.dueAt)], [t('tk.created'), f.dateTime(task.createdAt)], [t('tk.items'), String(task.items.length)]]} />
        </Section>
        {check.error && <Alert color="red" data-testid="task-check-error">{check.error.message}</Alert>}
        {stores.map((s) => (
          <Section key={s.storeId} title={`${s.storeCode} · ${s.storeName}`} testId="task-store">
            <Group mb="xs">
              <Badge variant="light" color={STATUS_COLOR[s.status]} data-testid="task-store-status">{t(`st.${s.status}`)}</Badge>
              {s.completedAt && <Text size="sm" c="dimmed">{t('tk.completedAt', { at: f.dateTime(s.completedAt) })}</Text>}
            </Group>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th w={40}>#</Table.Th><Table.Th>{t('tk.item')}</Table.Th><Table.Th>{t('tk.doneBy')}</Table.Th><Table.Th>{t('tk.doneAt')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
              <Table.Tbody>
                {s.items.map((i) => (
                  <Table.Tr key={i.itemNo} data-testid="task-store-item" data-done={i.doneAt ? 'yes' : 'no'}>
                    <Table.Td>{i.itemNo}</Table.Td>
                    <Table.Td>{i.text}</Table.Td>
                    <Table.Td data-testid="task-item-by">{i.doneBy ?? ''}{i.source && <Text span c="dimmed" size="sm"> · {t(`src.${i.source}`)}</Text>}</Table.Td>
                    <Table.Td>{i.doneAt ? f.dateTime(i.doneAt) : ''}</Table.Td>
                    <Table.Td>
                      {!i.doneAt && (
                        <Button size="xs" variant="light" loading={check.isPending && check.variables?.storeId === s.storeId && check.variables.itemNo === i.itemNo}
                          onClick={() => check.mutate({ storeId: s.storeId, itemNo: i.itemNo })} data-testid="task-item-check">{t('tk.check')}</Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        ))}
      </Stack>
    </DetailLayout>
  );
}
