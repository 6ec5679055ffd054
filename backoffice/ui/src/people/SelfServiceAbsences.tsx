/**
 * The worker's absences on the self-service page (issue 16): the year's holiday balance, asking for holidays
 * or a leave (the API's refusal — beyond the balance, an overlap — shown as it says), their absences with
 * status and the manager's reason, and cancelling one not started.
 */
import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { EmployeeAbsencesOut } from '@tpv/shared/wire/http/people-absences';
import type { AbsenceKind } from '@tpv/shared/people/absences';
import { useT } from '../app/i18n';
import { absenceMessages } from './absence-messages';
import { STATUS_COLOR } from './AbsencesPage';

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
  if (!res.ok) throw new Error(json.detail ?? json.title ?? `HTTP ${res.status}`);
  return json as T;
}

export function SelfServiceAbsences({ token }: { token: string }) {
  const { t } = useT(absenceMessages);
  const [year, setYear] = useState(new Date().getFullYear());
  const [view, setView] = useState<EmployeeAbsencesOut | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<AbsenceKind>('vacation');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const load = useCallback(async () => {
    try {
      setView(await call<EmployeeAbsencesOut>('GET', `/api/people/self-service/absences?year=${year}`, token));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [token, year]);
  useEffect(() => void load(), [load]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const today = new Date().toISOString().slice(0, 10);
  const b = view?.balance;
  return (
    <Stack data-testid="self-absences">
      <Group justify="space-between">
        <Title order={4}>{t('a.mine')}</Title>
        <TextInput type="number" w={100} value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value) || year)} aria-label="year" />
      </Group>
      {b && <Text data-testid="self-holiday-balance">{t('a.balance', { year: b.year, allowance: b.allowanceDays, approved: b.approvedDays, requested: b.requestedDays, available: b.availableDays })}</Text>}
      {error && <Alert color="red" data-testid="self-absence-error">{error}</Alert>}
      <Group align="end" wrap="wrap">
        <Select label={t('a.kind')} w={160} data={(['vacation', 'leave', 'other'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind((v ?? 'vacation') as AbsenceKind)} data-testid="self-absence-kind" />
        <TextInput label={t('a.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="self-absence-from" />
        <TextInput label={t('a.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="self-absence-to" />
        <TextInput label={t('a.note')} w={200} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button disabled={!from || !to} onClick={() => void act(() => call('POST', '/api/people/self-service/absences', token, { kind, fromDate: from, toDate: to, ...(note.trim() ? { note } : {}) }))} data-testid="self-absence-send">{t('a.send')}</Button>
      </Group>
      <Table striped>
        <Table.Tbody>
          {(view?.items ?? []).map((a) => (
            <Table.Tr key={a.id} data-testid="self-absence" data-status={a.status}>
              <Table.Td>{t(`kind.${a.kind}`)}</Table.Td>
              <Table.Td>{a.fromDate} – {a.toDate}</Table.Td>
              <Table.Td>{a.days}</Table.Td>
              <Table.Td><Badge variant="light" color={STATUS_COLOR[a.status]}>{t(`status.${a.status}`)}</Badge>{a.decisionNote ? <Text span size="sm" c="dimmed"> {a.decisionNote}</Text> : null}</Table.Td>
              <Table.Td>{(a.status === 'requested' || a.status === 'approved') && a.fromDate > today && <Button size="xs" variant="subtle" color="gray" onClick={() => void act(() => call('POST', `/api/people/self-service/absences/${a.id}/cancel`, token))}>{t('a.cancel')}</Button>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
