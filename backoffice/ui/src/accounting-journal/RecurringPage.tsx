/**
 * Recurring entries of one company: the templates (lines, day of month, next date, active or paused) and a
 * form to create one; pause, resume, delete a template (its posted entries stay); HQ posts the due ones now.
 */
import { Alert, Badge, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RecurringView, RunDueAnswer } from '@tpv/shared/wire/http/accounting-journal';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { CompanyPicker, parseCents, useCompany } from './shared';

export default function RecurringPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const confirm = useConfirm();
  const qc = useQueryClient();
  const company = useCompany();
  const canWrite = useCan('accounting.write');
  const canAdmin = useCan('accounting.admin');
  const base = `/api/accounting/companies/${company.companyId}/recurring`;
  const list = useQuery({ queryKey: ['accounting', 'recurring', company.companyId], queryFn: () => get<{ items: RecurringView[] }>(base), enabled: !!company.companyId });
  const refresh = () => qc.invalidateQueries({ queryKey: ['accounting'] });
  const [form, setForm] = useState({ description: '', debitAccount: '', creditAccount: '', amount: '', day: 1, start: new Date().toISOString().slice(0, 10), end: '' });
  const amount = parseCents(form.amount);
  const create = useMutation({
    mutationFn: () =>
      api('POST', base, {
        description: form.description,
        dayOfMonth: form.day,
        startDate: form.start,
        endDate: form.end || null,
        lines: [{ account: form.debitAccount.trim(), debitCents: amount ?? 0 }, { account: form.creditAccount.trim(), creditCents: amount ?? 0 }],
      }),
    onSuccess: () => (setForm((x) => ({ ...x, description: '', amount: '' })), void refresh()),
  });
  const act = useMutation({
    mutationFn: (p: { id: string; method: 'PATCH' | 'DELETE'; body?: unknown }) => api(p.method, `${base}/${p.id}`, p.body),
    onSuccess: () => void refresh(),
    onError: (e) => toast.fail(e),
  });
  const run = useMutation({
    mutationFn: () => api<RunDueAnswer>('POST', `/api/accounting/recurring/run?companyId=${company.companyId}`),
    onSuccess: (r) => (toast.ok(t('r.ran', { posted: r.posted })), r.failed.forEach((x) => toast.fail(new Error(x.message))), void refresh()),
    onError: (e) => toast.fail(e),
  });
  const set = (k: keyof typeof form) => (v: string | number) => setForm((x) => ({ ...x, [k]: v }));
  return (
    <>
      <PageHeader title={t('r.title')} subtitle={t('r.help')} actions={canAdmin && company.companyId && <Button variant="default" onClick={() => run.mutate()} loading={run.isPending} data-testid="recurring-run">{t('r.runNow')}</Button>} />
      <Stack>
        <Section><CompanyPicker company={company} /></Section>
        {list.error && <Alert color="red">{errorText(list.error, locale)}</Alert>}
        {list.data && (
          <Section>
            {list.data.items.length === 0 ? (
              <Text c="dimmed" data-testid="recurring-empty">{t('c.none')}</Text>
            ) : (
              <Table striped data-testid="recurring-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('c.description')}</Table.Th>
                    <Table.Th>{t('c.account')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('j.total')}</Table.Th>
                    <Table.Th>{t('r.day')}</Table.Th>
                    <Table.Th>{t('r.next')}</Table.Th>
                    <Table.Th>{t('r.end')}</Table.Th>
                    <Table.Th />
                    {canWrite && <Table.Th>{t('c.actions')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((r) => (
                    <Table.Tr key={r.id} data-testid="recurring-row">
                      <Table.Td>{r.description}</Table.Td>
                      <Table.Td>{r.lines.map((l) => `${l.account} ${l.debitCents ? 'D' : 'H'}`).join(' · ')}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{f.money(r.lines.reduce((s, l) => s + l.debitCents, 0))}</Table.Td>
                      <Table.Td>{r.dayOfMonth}</Table.Td>
                      <Table.Td>{f.date(r.nextDate)}</Table.Td>
                      <Table.Td>{r.endDate ? f.date(r.endDate) : '—'}</Table.Td>
                      <Table.Td><Badge color={r.active ? 'green' : 'gray'} data-testid="recurring-status">{r.active ? t('r.active') : t('r.paused')}</Badge></Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="subtle" onClick={() => act.mutate({ id: r.id, method: 'PATCH', body: { active: !r.active } })} data-testid="recurring-toggle">{r.active ? t('r.pause') : t('r.resume')}</Button>
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => void confirm.delete(r.description, t('r.confirmDelete')).then((ok) => ok && act.mutate({ id: r.id, method: 'DELETE' }))} data-testid="recurring-delete">{t('r.delete')}</Button>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        )}
        {canWrite && company.companyId && (
          <Section title={t('r.create')} testId="recurring-form">
            <Stack>
              <TextInput label={t('c.description')} value={form.description} onChange={(e) => set('description')(e.currentTarget.value)} data-testid="recurring-description" />
              <Group align="end">
                <TextInput label={`${t('c.debit')} · ${t('c.account')}`} value={form.debitAccount} onChange={(e) => set('debitAccount')(e.currentTarget.value)} placeholder="62100000" data-testid="recurring-debit" />
                <TextInput label={`${t('c.credit')} · ${t('c.account')}`} value={form.creditAccount} onChange={(e) => set('creditAccount')(e.currentTarget.value)} placeholder="57200000" data-testid="recurring-credit" />
                <TextInput label={t('j.total')} value={form.amount} onChange={(e) => set('amount')(e.currentTarget.value)} error={amount === null ? t('m.badAmount') : undefined} data-testid="recurring-amount" />
                <NumberInput label={t('r.day')} value={form.day} onChange={(v) => typeof v === 'number' && set('day')(v)} min={1} max={28} w={140} data-testid="recurring-day" />
                <TextInput label={t('r.start')} type="date" value={form.start} onChange={(e) => set('start')(e.currentTarget.value)} data-testid="recurring-start" />
                <TextInput label={t('r.end')} type="date" value={form.end} onChange={(e) => set('end')(e.currentTarget.value)} data-testid="recurring-end" />
              </Group>
              {create.error && <Alert color="red" data-testid="recurring-error">{errorText(create.error, locale)}</Alert>}
              <Group justify="flex-end">
                <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!form.description.trim() || !amount} data-testid="recurring-save">{t('c.save')}</Button>
              </Group>
            </Stack>
          </Section>
        )}
      </Stack>
    </>
  );
}
