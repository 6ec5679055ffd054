/**
 * The weekly rota of a store (issue 16): shifts per person × day, added one by one (each checked by HQ against
 * the contract, rest and daily limits — a refusal shows its field messages), copied from the previous week or
 * from a named template ("Guardar como plantilla" / "Aplicar plantilla", RotaTemplates.tsx),
 * and below it, per hour, the people planned beside the store's sale tickets, so a manager sees hours with
 * sales and nobody planned (under-staffed) or people planned and no sales (over-staffed).
 */
import { Alert, Badge, Button, CloseButton, Group, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DetailLayout, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { RotaTemplates } from './RotaTemplates';

interface Shift { id: string; employeeId: string; date: string; start: string; end: string; breakMinutes: number; workedMinutes: number }
interface Week {
  week: string;
  days: string[];
  employees: Array<{ id: string; code: string; name: string; weeklyMinutes: number | null; plannedMinutes: number }>;
  shifts: Shift[];
  hours: Array<{ date: string; hour: number; tickets: number; salesCents: number; staff: number }>;
}

const DAY_MS = 86_400_000;
const mondayOf = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return new Date(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
};
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const hhmm = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
const euros = (c: number) => (c / 100).toLocaleString('es-ES', { style: 'currency', currency: 'EUR' });
const dayLabel = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString('es-ES', { weekday: 'short', day: 'numeric', month: 'numeric', timeZone: 'UTC' });

export default function RotaPage() {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const canPlan = useCan('people.write');
  const org = useStoreOptions();
  const [storeId, setStoreId] = useState<string | null>(null);
  const store = storeId ?? org.options[0]?.value ?? null;
  const [week, setWeek] = useState(mondayOf(new Date().toISOString().slice(0, 10)));
  const view = useQuery({ queryKey: ['rota', store, week], enabled: !!store, queryFn: () => get<Week>(`/api/rotas/week?storeId=${store}&week=${week}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['rota', store] });
  const [employeeId, setEmployeeId] = useState<string | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('14:00');
  const [brk, setBrk] = useState<number | string>(0);
  const add = useMutation({
    mutationFn: () => api<Shift>('POST', '/api/rotas/shifts', { storeId: store, employeeId, date: date ?? week, start, end, breakMinutes: Number(brk) || 0 }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/rotas/shifts/${id}`), onSuccess: refresh });
  const copy = useMutation({ mutationFn: () => api<{ created: number }>('POST', '/api/rotas/weeks/copy', { storeId: store, fromWeek: addDays(week, -7), toWeek: week }), onSuccess: refresh });
  const w = view.data;
  const problemOf = (e: Error | null) => (e instanceof ApiError && e.fieldErrors.length ? e.fieldErrors.map((f) => f.message) : e ? [e.message] : []);
  const hourRange = w && w.hours.length ? [Math.min(...w.hours.map((h) => h.hour)), Math.max(...w.hours.map((h) => h.hour))] : null;
  const at = (d: string, h: number) => w?.hours.find((x) => x.date === d && x.hour === h);
  return (
    <DetailLayout
      back={{ to: '/people', label: t('e.back') }}
      title={t('r.title')}
      subtitle={t('r.help')}
      actions={
        <Group align="end">
          <Select label={t('r.store')} w={240} data={org.options} value={store} onChange={setStoreId} searchable data-testid="rota-store" />
          <TextInput label={t('r.week')} type="date" value={week} onChange={(e) => e.currentTarget.value && setWeek(mondayOf(e.currentTarget.value))} data-testid="rota-week" />
          <Button variant="default" onClick={() => setWeek(addDays(week, -7))} data-testid="rota-prev">{t('r.prev')}</Button>
          <Button variant="default" onClick={() => setWeek(addDays(week, 7))} data-testid="rota-next">{t('r.next')}</Button>
        </Group>
      }
    >
      {!store && <Text c="dimmed">{t('r.none')}</Text>}
      {view.error && <Alert color="red">{view.error.message}</Alert>}
      {w && (
        <Section
          title={`${dayLabel(w.days[0]!)} – ${dayLabel(w.days[6]!)}`}
          testId="rota"
          actions={canPlan ? <Button variant="light" loading={copy.isPending} onClick={() => copy.mutate()} data-testid="rota-copy-prev">{t('r.copyPrev')}</Button> : undefined}
        >
          {copy.data && <Alert color="green" mb="sm" data-testid="rota-copied">{t('r.copied', { n: copy.data.created })}</Alert>}
          {problemOf(copy.error).map((m) => <Alert key={m} color="red" mb="xs" data-testid="rota-copy-error">{m}</Alert>)}
          <Table withColumnBorders data-testid="rota-table">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('r.employee')}</Table.Th>{w.days.map((d) => <Table.Th key={d}>{dayLabel(d)}</Table.Th>)}<Table.Th>{t('r.planned')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {w.employees.map((e) => (
                <Table.Tr key={e.id} data-testid="rota-row" data-code={e.code}>
                  <Table.Td>{e.name} <Text span c="dimmed" size="xs">{e.code}</Text></Table.Td>
                  {w.days.map((d) => (
                    <Table.Td key={d} data-testid="rota-cell" data-date={d}>
                      {w.shifts.filter((s) => s.employeeId === e.id && s.date === d).map((s) => (
                        <Group key={s.id} gap={4} wrap="nowrap" data-testid="rota-shift">
                          <Text size="sm">{s.start}–{s.end}{s.breakMinutes ? ` (${s.breakMinutes}′)` : ''}</Text>
                          {canPlan && <CloseButton size="xs" aria-label={t('r.remove')} onClick={() => remove.mutate(s.id)} />}
                        </Group>
                      ))}
                    </Table.Td>
                  ))}
                  <Table.Td data-testid="rota-planned">{hhmm(e.plannedMinutes)} / {e.weeklyMinutes === null ? '—' : hhmm(e.weeklyMinutes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {canPlan && (
            <Group align="end" mt="md" wrap="wrap" data-testid="rota-add">
              <Select label={t('r.employee')} w={220} data={w.employees.map((e) => ({ value: e.id, label: `${e.name} (${e.code})` }))} value={employeeId} onChange={setEmployeeId} data-testid="rota-employee" />
              <Select label={t('r.day')} w={150} data={w.days.map((d) => ({ value: d, label: dayLabel(d) }))} value={date ?? w.days[0]!} onChange={setDate} data-testid="rota-day" />
              <TextInput label={t('r.start')} type="time" value={start} onChange={(e) => setStart(e.currentTarget.value)} data-testid="rota-start" />
              <TextInput label={t('r.end')} type="time" value={end} onChange={(e) => setEnd(e.currentTarget.value)} data-testid="rota-end" />
              <NumberInput label={t('r.break')} w={110} min={0} max={240} value={brk} onChange={setBrk} data-testid="rota-break" />
              <Button disabled={!employeeId} loading={add.isPending} onClick={() => add.mutate()} data-testid="rota-save">{t('r.save')}</Button>
            </Group>
          )}
          {problemOf(add.error).map((m) => <Alert key={m} color="red" mt="xs" data-testid="rota-error">{m}</Alert>)}
        </Section>
      )}
      {w && store && canPlan && <RotaTemplates storeId={store} week={week} onApplied={refresh} />}
      {w && hourRange && (
        <Section title={t('r.hours')} testId="rota-hours">
          <Table withColumnBorders data-testid="rota-hours-table">
            <Table.Thead><Table.Tr><Table.Th>{t('r.hour')}</Table.Th>{w.days.map((d) => <Table.Th key={d}>{dayLabel(d)}</Table.Th>)}</Table.Tr></Table.Thead>
            <Table.Tbody>
              {Array.from({ length: hourRange[1]! - hourRange[0]! + 1 }, (_, i) => hourRange[0]! + i).map((h) => (
                <Table.Tr key={h}>
                  <Table.Td>{String(h).padStart(2, '0')}:00</Table.Td>
                  {w.days.map((d) => {
                    const c = at(d, h);
                    const under = !!c && c.tickets > 0 && c.staff === 0;
                    const over = !!c && c.staff > 0 && c.tickets === 0;
                    return (
                      <Table.Td key={d} data-testid="rota-hour" data-date={d} data-hour={h} bg={under ? 'red.1' : undefined}>
                        {c && (
                          <Group gap={6} wrap="nowrap">
                            <Badge variant="light" color={under ? 'red' : over ? 'orange' : 'blue'} title={under ? t('r.under') : over ? t('r.over') : undefined}>{c.staff} {t('r.staffShort')}</Badge>
                            {c.tickets > 0 && <Text size="xs">{c.tickets} · {euros(c.salesCents)}</Text>}
                          </Group>
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed" mt="xs">{t('r.salesNote')}</Text>
        </Section>
      )}
    </DetailLayout>
  );
}
