/**
 * Saved views of a report: the current filters saved under a name (HQ may share a view with a company),
 * applied with one click, scheduled daily or weekly at a time into the report inbox as PDF or XLSX.
 */
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReportView } from '@tpv/shared/wire/http/dashboard';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { errorText } from '../components/feedback';
import { Section } from '../components/layout';
import type { ReportFilters } from './api';
import { messages } from './messages';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function ViewsPanel({ reportKey, filters, onApply, canShare, companies }: {
  reportKey: string;
  filters: ReportFilters;
  onApply: (f: Record<string, string>) => void;
  canShare: boolean;
  companies: Array<{ id: string; legalName: string }>;
}) {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const views = useQuery({ queryKey: ['report-views'], queryFn: () => get<{ items: ReportView[] }>('/api/report-views') });
  const mine = (views.data?.items ?? []).filter((v) => v.reportKey === reportKey);
  const [name, setName] = useState('');
  const [share, setShare] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plan, setPlan] = useState<{ viewId: string; frequency: string; weekday: string; time: string; format: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['report-views'] });
  const onError = (e: unknown) => setError(errorText(e, locale));
  const save = useMutation({
    mutationFn: () => api('POST', '/api/report-views', { name, reportKey, filters, ...(share ? { companyId: share } : {}) }),
    onSuccess: () => (setName(''), setShare(null), setError(null), refresh()),
    onError,
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/report-views/${id}`), onSuccess: refresh, onError });
  const schedule = useMutation({
    mutationFn: (p: NonNullable<typeof plan>) =>
      api('POST', `/api/report-views/${p.viewId}/schedules`, { frequency: p.frequency, ...(p.frequency === 'weekly' ? { weekday: Number(p.weekday) } : {}), timeOfDay: p.time, format: p.format, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    onSuccess: () => (setPlan(null), setError(null), refresh()),
    onError,
  });
  const unschedule = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/report-schedules/${id}`), onSuccess: refresh, onError });

  return (
    <Section title={t('views.title')} testId="report-views">
      <Stack>
        <Group align="flex-end">
          <TextInput label={t('views.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="view-name" />
          {canShare && <Select label={t('views.share')} clearable data={companies.map((c) => ({ value: c.id, label: c.legalName }))} value={share} onChange={setShare} w={220} data-testid="view-share" />}
          <Button onClick={() => save.mutate()} disabled={!name.trim()} loading={save.isPending} data-testid="view-save">{t('views.save')}</Button>
        </Group>
        {error && <Text c="red" size="sm" data-testid="views-error">{error}</Text>}
        {mine.length === 0 ? (
          <Text c="dimmed" size="sm">{t('views.empty')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {mine.map((v) => (
                <Table.Tr key={v.id} data-testid={`view-${v.name}`}>
                  <Table.Td>
                    <Text fw={600}>{v.name}</Text>
                    {!v.mine && <Badge size="xs" variant="light">{t('views.shared')}</Badge>}
                    {v.schedules.map((s) => (
                      <Group key={s.id} gap="xs">
                        <Text size="xs">
                          {s.frequency === 'daily' ? t('views.daily') : `${t('views.weekly')} · ${t(`weekday.${s.weekday ?? 1}` as 'weekday.1')}`} · {s.timeOfDay} · {s.format.toUpperCase()} · {t('views.next')} {new Date(s.nextRunAt).toLocaleString(locale)}
                        </Text>
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => unschedule.mutate(s.id)}>{t('views.unschedule')}</Button>
                      </Group>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => onApply(v.filters)} data-testid={`view-apply-${v.name}`}>{t('views.apply')}</Button>
                      <Button size="xs" variant="light" onClick={() => setPlan({ viewId: v.id, frequency: 'daily', weekday: '1', time: '07:00', format: 'pdf' })}>{t('views.schedule')}</Button>
                      {v.mine && <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(v.id)}>{t('views.delete')}</Button>}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {plan && (
          <Group align="flex-end" data-testid="view-schedule-form">
            <Select label={t('views.frequency')} data={[{ value: 'daily', label: t('views.daily') }, { value: 'weekly', label: t('views.weekly') }]} value={plan.frequency} onChange={(v) => setPlan({ ...plan, frequency: v ?? 'daily' })} w={130} />
            {plan.frequency === 'weekly' && (
              <Select label={t('views.weekday')} data={WEEKDAYS.map((d) => ({ value: String(d), label: t(`weekday.${d}`) }))} value={plan.weekday} onChange={(v) => setPlan({ ...plan, weekday: v ?? '1' })} w={130} />
            )}
            <TextInput type="time" label={t('views.time')} value={plan.time} onChange={(e) => setPlan({ ...plan, time: e.currentTarget.value })} w={110} />
            <Select label={t('views.format')} data={[{ value: 'pdf', label: 'PDF' }, { value: 'xlsx', label: 'XLSX' }]} value={plan.format} onChange={(v) => setPlan({ ...plan, format: v ?? 'pdf' })} w={100} />
            <Button onClick={() => schedule.mutate(plan)} loading={schedule.isPending} data-testid="view-schedule-save">{t('views.schedule')}</Button>
            <Button variant="subtle" onClick={() => setPlan(null)}>{t('views.cancel')}</Button>
          </Group>
        )}
      </Stack>
    </Section>
  );
}
