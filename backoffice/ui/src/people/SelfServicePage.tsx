/**
 * The worker's self-service page (issue 16), outside the admin shell: sign in with the company's NIF, the
 * employee code and the self-service password or till PIN; see the month, approve the company's
 * corrections of their record, download the monthly PDF. Its own session (sessionStorage), not an admin one.
 */
import { Alert, Badge, Button, Container, Group, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../app/i18n';
import { messages } from './messages';
import { SelfServiceAbsences } from './SelfServiceAbsences';

const KEY = 'tpv.self-service';
interface RecordRow { id: string; kind: string; event: string | null; at: string; correctsId: string | null; reason: string | null; recordedBy: string | null; recordedAt: string }
interface Month {
  employee: { name: string; code: string };
  records: RecordRow[];
  corrections: Array<{ correction: RecordRow; company: RecordRow | null; worker: RecordRow | null; rejected: RecordRow | null; effective: boolean }>;
  shifts: Array<{ date: string; start: number; end: number | null; workedMinutes: number; breakMinutes: number; flags: string[] }>;
  totals: { workedMinutes: number; ordinaryMinutes: number; overtimeMinutes: number };
}
const hhmm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
const stamp = (iso: string) => new Date(iso).toLocaleString('es-ES', { dateStyle: 'short', timeStyle: 'short' });
const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleTimeString('es-ES', { hour: '2-digit', minute: '2-digit' }));

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
  if (!res.ok) throw new Error(json.detail ?? json.title ?? `HTTP ${res.status}`);
  return json as T;
}

export default function SelfServicePage() {
  const { t } = useT(messages);
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [nif, setNif] = useState('');
  const [code, setCode] = useState('');
  const [secret, setSecret] = useState('');
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const [view, setView] = useState<Month | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!token) return;
    try {
      setView(await call<Month>('GET', `/api/people/self-service/month?month=${month}`, token));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [token, month]);
  useEffect(() => void load(), [load]);
  const signIn = async () => {
    try {
      const s = await call<{ token: string }>('POST', '/api/people/self-service/login', null, { companyNif: nif, code, secret });
      sessionStorage.setItem(KEY, s.token);
      setToken(s.token);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const approve = async (id: string) => {
    try {
      await call('POST', `/api/people/self-service/corrections/${id}/approve`, token);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const pdf = async () => {
    const res = await fetch(`/api/people/self-service/month.pdf?month=${month}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return setError(`HTTP ${res.status}`);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `registro-jornada-${month}.pdf`;
    document.body.append(a);
    a.click();
    a.remove();
  };
  return (
    <Container size="md" py="lg">
      <Title order={2} mb="md">{t('s.title')}</Title>
      {error && <Alert color="red" mb="md" data-testid="self-error">{error}</Alert>}
      {!token ? (
        <Stack maw={360}>
          <TextInput label={t('s.nif')} value={nif} onChange={(e) => setNif(e.currentTarget.value)} data-testid="self-nif" />
          <TextInput label={t('p.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} data-testid="self-code" />
          <PasswordInput label={t('s.secret')} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} data-testid="self-secret" />
          <Button onClick={() => void signIn()} data-testid="self-login">{t('s.signIn')}</Button>
        </Stack>
      ) : (
        <Stack>
          <Group>
            <Text fw={600} data-testid="self-name">{view ? `${view.employee.name} (${view.employee.code})` : '…'}</Text>
            <TextInput type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)} aria-label={t('e.month')} data-testid="self-month" />
            <Button variant="default" onClick={() => void pdf()} data-testid="self-pdf">{t('e.pdf')}</Button>
            <Button variant="subtle" onClick={() => (sessionStorage.removeItem(KEY), setToken(null), setView(null))}>{t('s.signOut')}</Button>
          </Group>
          {view && <Text data-testid="self-totals">{t('e.worked')} {hhmm(view.totals.workedMinutes)} · {t('e.ordinary')} {hhmm(view.totals.ordinaryMinutes)} · {t('e.overtime')} {hhmm(view.totals.overtimeMinutes)}</Text>}
          <Table striped>
            <Table.Thead><Table.Tr><Table.Th>{t('e.day')}</Table.Th><Table.Th>{t('e.in')}</Table.Th><Table.Th>{t('e.out')}</Table.Th><Table.Th>{t('e.breaks')}</Table.Th><Table.Th>{t('e.worked')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(view?.shifts ?? []).map((s) => (
                <Table.Tr key={s.start} data-testid="self-shift"><Table.Td>{s.date}</Table.Td><Table.Td>{time(s.start)}</Table.Td><Table.Td>{time(s.end)}</Table.Td><Table.Td>{hhmm(s.breakMinutes)}</Table.Td><Table.Td>{hhmm(s.workedMinutes)}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={4}>{t('e.corrections')}</Title>
          {(view?.corrections ?? []).map((c) => {
            const o = view?.records.find((r) => r.id === c.correction.correctsId);
            return (
              <Group key={c.correction.id} data-testid="self-correction">
                <Text size="sm">{o ? `${t(`ev.${o.kind}` as 'ev.clock_in')} ${stamp(o.at)} → ` : ''}{t(`ev.${c.correction.event}` as 'ev.clock_in')} {stamp(c.correction.at)} — {c.correction.reason}</Text>
                {c.rejected ? <Badge color="red" data-testid="self-correction-rejected">{t('e.rejected')}</Badge> : c.effective ? <Badge color="green" data-testid="self-correction-effective">{t('e.effective')}</Badge> : c.worker ? <Badge color="gray">{t('e.pending')}</Badge> : (
                  <Button size="xs" onClick={() => void approve(c.correction.id)} data-testid="self-approve">{t('s.approve')}</Button>
                )}
              </Group>
            );
          })}
          <SelfServiceAbsences token={token} />
        </Stack>
      )}
    </Container>
  );
}
