/**
 * The labour inspector's page (issue 16), outside the admin shell: sign in with the key HR handed over; the
 * company and the grant's end; a month's workers with days, worked, ordinary and overtime hours; the month's
 * records as CSV (with their hashes) and each worker's monthly PDF. Its own session (sessionStorage).
 */
import { Alert, Button, Container, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../app/i18n';
import { inspectorMessages } from './inspector-messages';

const KEY = 'tpv.inspector';
interface Session { company: { legalName: string; nif: string }; inspectorName: string; reference: string; expiresAt: string }
interface Month { month: string; employees: Array<{ id: string; code: string; name: string; days: number; workedMinutes: number; ordinaryMinutes: number; overtimeMinutes: number }> }
const hhmm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;

async function call<T>(path: string, key: string): Promise<T> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  const json = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
  if (!res.ok) throw new Error(json.detail ?? json.title ?? `HTTP ${res.status}`);
  return json as T;
}
async function save(path: string, key: string, name: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function InspectorPage() {
  const { t } = useT(inspectorMessages);
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [typed, setTyped] = useState('');
  const [session, setSession] = useState<Session | null>(null);
  const [month, setMonth] = useState(() => new Date(Date.now() - 28 * 86_400_000).toISOString().slice(0, 7));
  const [view, setView] = useState<Month | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!key) return;
    try {
      setSession(await call<Session>('/api/people/inspector/session', key));
      setView(await call<Month>(`/api/people/inspector/month?month=${month}`, key));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [key, month]);
  useEffect(() => void load(), [load]);
  const out = () => (sessionStorage.removeItem(KEY), setKey(null), setSession(null), setView(null));
  return (
    <Container size="lg" py="lg">
      <Title order={2} mb="md">{t('i.page')}</Title>
      {error && <Alert color="red" mb="md" data-testid="inspector-error">{error}</Alert>}
      {!key ? (
        <Stack maw={480}>
          <TextInput label={t('i.key')} value={typed} onChange={(e) => setTyped(e.currentTarget.value.trim())} data-testid="inspector-key-input" />
          <Button disabled={!typed} onClick={() => (sessionStorage.setItem(KEY, typed), setKey(typed))} data-testid="inspector-enter">{t('i.enter')}</Button>
        </Stack>
      ) : (
        <Stack>
          {session && (
            <Group justify="space-between">
              <div>
                <Text fw={600} data-testid="inspector-company">{session.company.legalName} · {session.company.nif}</Text>
                <Text size="sm" c="dimmed">{t('i.until', { at: new Date(session.expiresAt).toLocaleString('es-ES'), reference: session.reference })}</Text>
              </div>
              <Button variant="subtle" onClick={out}>{t('i.out')}</Button>
            </Group>
          )}
          <Group align="end">
            <TextInput type="month" label={t('i.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} data-testid="inspector-month" />
            <Button variant="default" onClick={() => void save(`/api/people/inspector/time-records.csv?month=${month}`, key, `registro-jornada-${month}.csv`).catch((e: Error) => setError(e.message))} data-testid="inspector-csv">{t('i.csv')}</Button>
          </Group>
          <Table striped data-testid="inspector-employees">
            <Table.Thead><Table.Tr><Table.Th>{t('i.code')}</Table.Th><Table.Th>{t('i.name')}</Table.Th><Table.Th>{t('i.daysWorked')}</Table.Th><Table.Th>{t('i.worked')}</Table.Th><Table.Th>{t('i.ordinary')}</Table.Th><Table.Th>{t('i.overtime')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(view?.employees ?? []).map((e) => (
                <Table.Tr key={e.id} data-testid="inspector-employee">
                  <Table.Td>{e.code}</Table.Td>
                  <Table.Td>{e.name}</Table.Td>
                  <Table.Td>{e.days}</Table.Td>
                  <Table.Td data-testid="inspector-worked">{hhmm(e.workedMinutes)}</Table.Td>
                  <Table.Td>{hhmm(e.ordinaryMinutes)}</Table.Td>
                  <Table.Td>{hhmm(e.overtimeMinutes)}</Table.Td>
                  <Table.Td><Button size="xs" variant="subtle" onClick={() => void save(`/api/people/inspector/employees/${e.id}/time-records.pdf?month=${month}`, key, `registro-jornada-${e.code}-${month}.pdf`).catch((x: Error) => setError(x.message))} data-testid="inspector-pdf">{t('i.pdf')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Container>
  );
}
