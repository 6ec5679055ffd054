/**
 * One incident: what, where, which product/supplier/customer/document; its photos; assign it, start it,
 * resolve and close it (a resolution is required, and the server says so); comments and the history of every change.
 */
import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IncidentDetail } from '@tpv/shared/wire/http/quality';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { AuthPhoto } from './photos';
import { ProblemAlert } from './ProblemAlert';
import { SEVERITY_COLOR, STATE_COLOR } from './IncidentsPage';

export default function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('incidents.write');
  const key = ['quality', 'incident', id];
  const q = useQuery({ queryKey: key, queryFn: () => get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`) });
  const assignees = useQuery({
    queryKey: [...key, 'assignees'],
    queryFn: () => get<{ items: Array<{ id: string; email: string; name: string }> }>(`/api/incidents/${encodeURIComponent(id)}/assignees`),
    enabled: canWrite,
  });
  const [assignee, setAssignee] = useState<string | null>(null);
  const [resolution, setResolution] = useState('');
  const [comment, setComment] = useState('');
  const done = (r: IncidentDetail) => {
    qc.setQueryData(key, r);
    void qc.invalidateQueries({ queryKey: ['/api/incidents'] });
  };
  const assign = useMutation({ mutationFn: () => api<IncidentDetail>('POST', `/api/incidents/${id}/assign`, { userId: assignee }), onSuccess: done });
  const move = useMutation({
    mutationFn: (state: 'in_progress' | 'resolved' | 'closed') => api<IncidentDetail>('POST', `/api/incidents/${id}/state`, { state, ...(resolution.trim() ? { resolution } : {}) }),
    onSuccess: (r) => (done(r), setResolution('')),
  });
  const say = useMutation({ mutationFn: () => api<IncidentDetail>('POST', `/api/incidents/${id}/comments`, { text: comment }), onSuccess: (r) => (done(r), setComment('')) });
  return (
    <QueryState query={q}>
      {(i) => (
        <DetailLayout
          back={{ to: '/quality/incidents', label: t('incident.back') }}
          title={<span data-testid="incident-heading">{`${i.number} · ${i.title}`}</span>}
          actions={<Badge size="lg" variant="light" color={STATE_COLOR[i.state]} data-testid="incident-state">{t(`state.${i.state}`)}</Badge>}
        >
          <Stack>
            <Section>
              <Fields
                items={[
                  [t('incidents.kind'), <span key="k" data-testid="incident-kind">{t(`kind.${i.kind}`)}</span>],
                  [t('incidents.severity'), <Badge key="s" variant="light" color={SEVERITY_COLOR[i.severity]}>{t(`severity.${i.severity}`)}</Badge>],
                  [t('incidents.store'), i.storeName ?? '—'],
                  [t('incidents.source'), <span key="o" data-testid="incident-source">{t(`source.${i.source}`)}</span>],
                  [t('incidents.date'), f.dateTime(i.createdAt)],
                  [t('incidents.due'), i.dueAt ? f.dateTime(i.dueAt) : '—'],
                  [t('incidents.assignee'), <span key="a" data-testid="incident-assignee">{i.assigneeEmail ?? '—'}</span>],
                  [t('incident.product'), i.productName ?? '—'],
                  [t('incident.supplier'), i.supplierName ?? '—'],
                  [t('incident.customer'), i.customerName ?? '—'],
                  [t('incidents.quantity'), i.quantity === null ? '—' : String(i.quantity)],
                  [
                    t('incidents.document'),
                    i.documentType === 'delivery_note' && i.documentId ? (
                      <Anchor key="d" component={Link} to={`/replenishment/delivery-notes/${i.documentId}`}>{i.documentNumber}</Anchor>
                    ) : (
                      (i.documentNumber ?? '—')
                    ),
                  ],
                  [t('incident.complaintForm'), i.complaintFormNumber ?? '—'],
                  [t('incident.description'), i.description ?? '—'],
                  [t('incident.createdBy'), <span key="c" data-testid="incident-created-by">{i.createdBy ?? '—'}</span>],
                  [t('incident.resolution'), <span key="r" data-testid="incident-resolution">{i.resolution ?? '—'}</span>],
                ]}
              />
            </Section>
            <Section title={t('incident.photos')} testId="incident-photos">
              {i.photos.length === 0 ? <Text c="dimmed">—</Text> : (
                <Group>{i.photos.map((p) => <AuthPhoto key={p.fileId} url={p.url} alt={i.title} testId="incident-photo" />)}</Group>
              )}
            </Section>
            {canWrite && i.state !== 'closed' && (
              <Section>
                <Stack>
                  <Group align="end">
                    <Select
                      label={t('incident.assignTo')} data={(assignees.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.email}` }))}
                      value={assignee} onChange={setAssignee} searchable w={360} data-testid="incident-assignee-select"
                    />
                    <Button onClick={() => assign.mutate()} disabled={!assignee} loading={assign.isPending} data-testid="incident-assign">{t('incident.assign')}</Button>
                  </Group>
                  <Textarea label={t('incident.resolution')} description={t('incident.resolutionHint')} value={resolution} onChange={(e) => setResolution(e.currentTarget.value)} autosize minRows={2} data-testid="incident-resolution-input" />
                  <Group>
                    {(i.state === 'assigned' || i.state === 'resolved') && <Button variant="light" onClick={() => move.mutate('in_progress')} data-testid="incident-start">{t('incident.start')}</Button>}
                    {i.state !== 'resolved' && <Button variant="light" onClick={() => move.mutate('resolved')} data-testid="incident-resolve">{t('incident.resolve')}</Button>}
                    <Button color="green" onClick={() => move.mutate('closed')} loading={move.isPending} data-testid="incident-close">{t('incident.close')}</Button>
                  </Group>
                  <ProblemAlert error={assign.error ?? move.error} />
                </Stack>
              </Section>
            )}
            <Section title={t('incident.comments')} testId="incident-comments">
              <Stack>
                {i.comments.length === 0 ? <Text c="dimmed">{t('incident.noComments')}</Text> : i.comments.map((c) => (
                  <Text key={c.id} data-testid="incident-comment"><b>{c.by ?? '—'}</b> · {f.dateTime(c.createdAt)}: {c.text}</Text>
                ))}
                {canWrite && (
                  <Group align="end">
                    <Textarea placeholder={t('incident.commentPlaceholder')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize style={{ flex: 1 }} data-testid="incident-comment-input" />
                    <Button variant="light" onClick={() => say.mutate()} disabled={!comment.trim()} data-testid="incident-comment-send">{t('incident.comment')}</Button>
                  </Group>
                )}
              </Stack>
            </Section>
            <Section title={t('incident.history')} testId="incident-history">
              <Table striped>
                <Table.Tbody>
                  {i.history.map((e) => (
                    <Table.Tr key={e.id} data-testid="incident-event">
                      <Table.Td>{f.dateTime(e.createdAt)}</Table.Td>
                      <Table.Td>{t(`action.${e.action}` as 'action.opened')}</Table.Td>
                      <Table.Td>{e.by ?? '—'}</Table.Td>
                      <Table.Td>{e.detail ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          </Stack>
        </DetailLayout>
      )}
    </QueryState>
  );
}
