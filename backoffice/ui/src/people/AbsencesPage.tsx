/**
 * Absences and holidays for managers (issue 16): the requests waiting for a decision (approve, or refuse with a
 * reason), recording an absence for a worker (approved as recorded), and every absence of the caller's workers
 * filtered by status, each cancellable before it starts. Field errors from the API show beside the fields.
 */
import { Alert, Badge, Button, Group, SegmentedControl, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AbsenceOut } from '@tpv/shared/wire/http/people-absences';
import { ABSENCE_KINDS, ABSENCE_STATUSES, type AbsenceKind, type AbsenceStatus } from '@tpv/shared/people/absences';
import { api, ApiError, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { absenceMessages } from './absence-messages';
import type { Employee } from './PeoplePage';

export const STATUS_COLOR: Record<AbsenceStatus, string> = { requested: 'orange', approved: 'green', refused: 'red', cancelled: 'gray' };
const fieldError = (e: unknown, path: string) => (e instanceof ApiError ? e.fieldErrors.find((x) => x.path === path)?.message : undefined);

export default function AbsencesPage() {
  const { t } = useT(absenceMessages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('people.write');
  const [status, setStatus] = useState<AbsenceStatus | 'all'>('all');
  const pending = useQuery({ queryKey: ['absences', 'requested'], queryFn: () => get<{ items: AbsenceOut[] }>('/api/people/absences?status=requested') });
  const list = useQuery({ queryKey: ['absences', status], queryFn: () => get<{ items: AbsenceOut[] }>(withQuery('/api/people/absences', { status: status === 'all' ? null : status })) });
  const people = useQuery({ queryKey: ['people'], queryFn: () => get<{ items: Employee[] }>('/api/people/employees') });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['absences'] });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const decide = useMutation({ mutationFn: (d: { id: string; decision: 'approve' | 'refuse' }) => api<AbsenceOut>('POST', `/api/people/absences/${d.id}/decision`, { decision: d.decision, ...(reasons[d.id]?.trim() ? { note: reasons[d.id] } : {}) }), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: (id: string) => api<AbsenceOut>('POST', `/api/people/absences/${id}/cancel`, {}), onSuccess: refresh });
  const [employeeId, setEmployeeId] = useState<string | null>(null);
  const [kind, setKind] = useState<AbsenceKind>('sick_leave');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: () => api<AbsenceOut>('POST', '/api/people/absences', { employeeId, kind, fromDate: from, toDate: to, ...(note.trim() ? { note } : {}) }),
    onSuccess: () => (refresh(), setFrom(''), setTo(''), setNote('')),
  });
  const today = new Date().toISOString().slice(0, 10);
  const label = (a: AbsenceOut) => `${f.date(a.fromDate)} – ${f.date(a.toDate)}`;
  return (
    <>
      <PageHeader title={t('a.title')} subtitle={t('a.help')} />
      <Section title={t('a.pending')} testId="absences-pending">
        {decide.error && <Alert color="red" mb="sm" data-testid="absence-decide-error">{decide.error.message}</Alert>}
        {pending.data && pending.data.items.length === 0 ? <Text c="dimmed">{t('a.none')}</Text> : (
          <Table striped>
            <Table.Tbody>
              {(pending.data?.items ?? []).map((a) => (
                <Table.Tr key={a.id} data-testid="absence-pending">
                  <Table.Td>{a.employeeName} <Text span c="dimmed" size="sm">({a.employeeCode})</Text></Table.Td>
                  <Table.Td>{t(`kind.${a.kind}`)}</Table.Td>
                  <Table.Td>{label(a)}</Table.Td>
                  <Table.Td>{a.days}</Table.Td>
                  <Table.Td>{a.note ?? ''}</Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" color="green" onClick={() => decide.mutate({ id: a.id, decision: 'approve' })} data-testid="absence-approve">{t('a.approve')}</Button>
                        <TextInput size="xs" placeholder={t('a.reason')} value={reasons[a.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [a.id]: e.currentTarget.value })} data-testid="absence-reason" />
                        <Button size="xs" color="red" variant="light" onClick={() => decide.mutate({ id: a.id, decision: 'refuse' })} data-testid="absence-refuse">{t('a.refuse')}</Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      {canWrite && (
        <Section title={t('a.record')} testId="absence-record">
          <Group align="end" wrap="wrap">
            <Select label={t('a.employee')} w={280} searchable data={(people.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} (${e.code})` }))} value={employeeId} onChange={setEmployeeId} error={fieldError(record.error, 'employeeId')} data-testid="absence-employee" />
            <Select label={t('a.kind')} w={180} data={ABSENCE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind((v ?? 'sick_leave') as AbsenceKind)} data-testid="absence-kind" />
            <TextInput label={t('a.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fieldError(record.error, 'fromDate')} data-testid="absence-from" />
            <TextInput label={t('a.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={fieldError(record.error, 'toDate')} data-testid="absence-to" />
            <TextInput label={t('a.note')} w={240} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Button disabled={!employeeId || !from || !to} loading={record.isPending} onClick={() => record.mutate()} data-testid="absence-save">{t('a.save')}</Button>
          </Group>
          {record.error && !(record.error instanceof ApiError && record.error.fieldErrors.length) && <Alert color="red" mt="sm">{record.error.message}</Alert>}
        </Section>
      )}
      <Section>
        <SegmentedControl mb="sm" value={status} onChange={(v) => setStatus(v as AbsenceStatus | 'all')} data={[{ value: 'all', label: t('a.all') }, ...ABSENCE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]} data-testid="absence-status-filter" />
        {cancel.error && <Alert color="red" mb="sm">{cancel.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('a.none')}</Text> : (
          <Table striped data-testid="absences-table">
            <Table.Thead><Table.Tr><Table.Th>{t('a.employee')}</Table.Th><Table.Th>{t('a.kind')}</Table.Th><Table.Th>{t('a.period')}</Table.Th><Table.Th>{t('a.days')}</Table.Th><Table.Th>{t('a.status')}</Table.Th><Table.Th>{t('a.decided')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((a) => (
                <Table.Tr key={a.id} data-testid="absence-row" data-status={a.status}>
                  <Table.Td>{a.employeeName}</Table.Td>
                  <Table.Td>{t(`kind.${a.kind}`)}</Table.Td>
                  <Table.Td>{label(a)}</Table.Td>
                  <Table.Td>{a.days}</Table.Td>
                  <Table.Td><Badge variant="light" color={STATUS_COLOR[a.status]}>{t(`status.${a.status}`)}</Badge></Table.Td>
                  <Table.Td>{a.decidedByName ?? ''}{a.decisionNote ? <Text span c="dimmed" size="sm"> · {a.decisionNote}</Text> : null}</Table.Td>
                  <Table.Td>{canWrite && (a.status === 'requested' || a.status === 'approved') && a.fromDate > today && <Button size="xs" variant="subtle" color="gray" onClick={() => cancel.mutate(a.id)}>{t('a.cancel')}</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
