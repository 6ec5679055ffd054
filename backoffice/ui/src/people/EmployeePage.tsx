/**
 * One worker's month: shifts, daily/weekly totals (ordinary / overtime), every record (originals kept,
 * corrections and approvals beside them), corrections approved for the company, the PDF, and leaving (HR).
 */
import { Alert, Badge, Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DetailLayout, Section } from '../components/layout';
import type { Employee } from './PeoplePage';
import { messages } from './messages';

interface RecordRow { id: string; seq: number; chainKey: string; kind: string; event: string | null; at: string; correctsId: string | null; party: string | null; reason: string | null; source: string; recordedBy: string | null; recordedAt: string; hash: string }
interface Month {
  employee: Employee;
  records: RecordRow[];
  corrections: Array<{ correction: RecordRow; company: RecordRow | null; worker: RecordRow | null; rejected: RecordRow | null; effective: boolean }>;
  shifts: Array<{ date: string; start: number; end: number | null; workedMinutes: number; breakMinutes: number; flags: string[] }>;
  totals: { workedMinutes: number; ordinaryMinutes: number; overtimeMinutes: number; weeks: Array<{ weekOf: string; days: number; workedMinutes: number; ordinaryAllowanceMinutes: number; overtimeMinutes: number }> };
}

const hhmm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleTimeString('es-ES', { hour: '2-digit', minute: '2-digit' }));
const stamp = (iso: string) => new Date(iso).toLocaleString('es-ES', { dateStyle: 'short', timeStyle: 'short' });

export default function EmployeePage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const qc = useQueryClient();
  const canCorrect = useCan('people.write');
  const canHr = useCan('hr.write');
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const detail = useQuery({ queryKey: ['people', id], queryFn: () => get<{ employee: Employee; contracts: Array<{ type: string; weeklyMinutes: number; startsOn: string; endsOn: string | null }>; personal?: Record<string, string | null> }>(`/api/people/employees/${id}`) });
  const view = useQuery({ queryKey: ['people', id, month], queryFn: () => get<Month>(`/api/people/employees/${id}/time-records?month=${month}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['people', id] });
  const [correctsId, setCorrectsId] = useState<string | null>(null);
  const [event, setEvent] = useState<string | null>('clock_out');
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [leftOn, setLeftOn] = useState(new Date().toISOString().slice(0, 10));
  const correct = useMutation({ mutationFn: () => api('POST', `/api/people/employees/${id}/corrections`, { correctsId, event, at: new Date(at).toISOString(), reason }), onSuccess: refresh });
  const approve = useMutation({ mutationFn: (correctionId: string) => api('POST', `/api/people/employees/${id}/corrections/${correctionId}/approve`, { party: 'company' }), onSuccess: refresh });
  const leave = useMutation({ mutationFn: () => api('POST', `/api/people/employees/${id}/leave`, { leftOn, reason: 'Baja / leaves' }), onSuccess: refresh });
  const e = detail.data?.employee;
  const m = view.data;
  const clockRecords = (m?.records ?? []).filter((r) => ['clock_in', 'break_start', 'break_end', 'clock_out'].includes(r.kind));
  return (
    <DetailLayout
      back={{ to: '/people', label: t('e.back') }}
      title={e ? `${e.name} (${e.code})` : '…'}
      subtitle={e?.leftOn ? `${t('p.left')} ${e.leftOn}` : detail.data?.contracts.map((c) => `${c.type} ${hhmm(c.weeklyMinutes)} h`).join(' · ')}
      actions={
        <Group>
          <TextInput type="month" value={month} onChange={(ev) => setMonth(ev.currentTarget.value)} aria-label={t('e.month')} data-testid="month" />
          <Button variant="default" onClick={() => void download(`/api/people/employees/${id}/time-records.pdf?month=${month}`, `registro-${month}.pdf`)} data-testid="month-pdf">{t('e.pdf')}</Button>
        </Group>
      }
    >
      {view.error && <Alert color="red">{view.error.message}</Alert>}
      <Section title={t('e.shifts')} testId="shifts">
        <Table striped data-testid="shifts-table">
          <Table.Thead><Table.Tr><Table.Th>{t('e.day')}</Table.Th><Table.Th>{t('e.in')}</Table.Th><Table.Th>{t('e.out')}</Table.Th><Table.Th>{t('e.breaks')}</Table.Th><Table.Th>{t('e.worked')}</Table.Th><Table.Th>{t('e.flags')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(m?.shifts ?? []).map((s) => (
              <Table.Tr key={s.start}>
                <Table.Td>{s.date}</Table.Td><Table.Td>{time(s.start)}</Table.Td><Table.Td>{time(s.end)}</Table.Td><Table.Td>{hhmm(s.breakMinutes)}</Table.Td><Table.Td>{hhmm(s.workedMinutes)}</Table.Td>
                <Table.Td>{s.flags.map((f) => <Badge key={f} color="orange" variant="light">{t(`flag.${f}` as 'flag.open')}</Badge>)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      {m && (
        <Section title={t('e.totals')} testId="totals">
          <Text data-testid="month-totals">{t('e.worked')} {hhmm(m.totals.workedMinutes)} · {t('e.ordinary')} {hhmm(m.totals.ordinaryMinutes)} · {t('e.overtime')} {hhmm(m.totals.overtimeMinutes)}</Text>
          <Text size="sm" c="dimmed">{t('e.rule')}</Text>
        </Section>
      )}
      <Section title={t('e.corrections')} testId="corrections">
        <Table data-testid="corrections-table">
          <Table.Thead><Table.Tr><Table.Th>{t('e.correctsId')}</Table.Th><Table.Th>{t('e.event')}</Table.Th><Table.Th>{t('e.reason')}</Table.Th><Table.Th>{t('e.company')}</Table.Th><Table.Th>{t('e.worker')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(m?.corrections ?? []).map((c) => {
              const o = m?.records.find((r) => r.id === c.correction.correctsId);
              return (
                <Table.Tr key={c.correction.id} data-testid="correction-row">
                  <Table.Td>{o ? `${t(`ev.${o.kind}` as 'ev.clock_in')} ${stamp(o.at)}` : c.correction.correctsId}</Table.Td>
                  <Table.Td>{t(`ev.${c.correction.event}` as 'ev.clock_in')} {stamp(c.correction.at)}</Table.Td>
                  <Table.Td>{c.correction.reason}</Table.Td>
                  <Table.Td>{c.company ? `${c.company.recordedBy} ${stamp(c.company.recordedAt)}` : t('e.pending')}</Table.Td>
                  <Table.Td>{c.worker ? `${c.worker.recordedBy} ${stamp(c.worker.recordedAt)}` : t('e.pending')}</Table.Td>
                  <Table.Td>
                    {c.rejected ? <Badge color="red">{t('e.rejected')}</Badge> : c.effective ? <Badge color="green">{t('e.effective')}</Badge> : !c.company && canCorrect ? (
                      <Button size="xs" onClick={() => approve.mutate(c.correction.id)} data-testid="approve-company">{t('e.approve')}</Button>
                    ) : <Badge color="gray">{t('e.pending')}</Badge>}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {approve.error && <Alert color="red" mt="sm">{approve.error.message}</Alert>}
        {canCorrect && (
          <Group align="end" mt="md" wrap="wrap" data-testid="correct-form">
            <Select label={t('e.correctsId')} w={260} data={clockRecords.map((r) => ({ value: r.id, label: `${t(`ev.${r.kind}` as 'ev.clock_in')} ${stamp(r.at)}` }))} value={correctsId} onChange={setCorrectsId} data-testid="correct-original" />
            <Select label={t('e.event')} w={150} data={(['clock_in', 'break_start', 'break_end', 'clock_out'] as const).map((v) => ({ value: v, label: t(`ev.${v}`) }))} value={event} onChange={setEvent} data-testid="correct-event" />
            <TextInput label={t('e.at')} type="datetime-local" value={at} onChange={(ev) => setAt(ev.currentTarget.value)} data-testid="correct-at" />
            <TextInput label={t('e.reason')} w={240} value={reason} onChange={(ev) => setReason(ev.currentTarget.value)} data-testid="correct-reason" />
            <Button disabled={!correctsId || !at || reason.trim().length < 3} loading={correct.isPending} onClick={() => correct.mutate()} data-testid="correct-save">{t('e.propose')}</Button>
          </Group>
        )}
        {correct.error && <Alert color="red" mt="sm" data-testid="correct-error">{correct.error.message}</Alert>}
      </Section>
      <Section title={t('e.records')} testId="records">
        <Table striped data-testid="records-table">
          <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('e.kind')}</Table.Th><Table.Th>{t('e.at')}</Table.Th><Table.Th>{t('e.source')}</Table.Th><Table.Th>{t('e.hash')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(m?.records ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.seq}</Table.Td>
                <Table.Td>{t(`ev.${r.kind}` as 'ev.clock_in')}{r.event ? ` → ${t(`ev.${r.event}` as 'ev.clock_in')}` : ''}{r.party ? ` (${r.party === 'company' ? t('e.company') : t('e.worker')})` : ''}</Table.Td>
                <Table.Td>{stamp(r.at)}</Table.Td><Table.Td>{r.source}</Table.Td><Table.Td ff="monospace">{r.hash.slice(0, 16)}…</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      {canHr && e && !e.leftOn && (
        <Section title={t('e.leave')} testId="leave">
          <Group align="end">
            <TextInput label={t('e.leftOn')} type="date" value={leftOn} onChange={(ev) => setLeftOn(ev.currentTarget.value)} data-testid="leave-date" />
            <Button color="red" loading={leave.isPending} onClick={() => leave.mutate()} data-testid="leave-save">{t('e.leave')}</Button>
          </Group>
          {leave.error && <Alert color="red" mt="sm">{leave.error.message}</Alert>}
        </Section>
      )}
    </DetailLayout>
  );
}
