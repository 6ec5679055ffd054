/**
 * A manual entry: date, description, lines (account from the chart's postable sub-accounts, debit or credit,
 * store) with live totals and the difference, attachments uploaded to the files area. The server refuses an
 * unbalanced entry (the difference shown, nothing saved) and a locked month.
 */
import { ActionIcon, Alert, Autocomplete, Badge, Button, FileButton, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { AttachmentView, EntrySummary } from '@tpv/shared/wire/http/accounting-journal';
import { api, ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { errorText, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { messages } from './messages';
import { CompanyPicker, parseCents, uploadAttachment, useChart, useCompany } from './shared';

interface Line {
  account: string;
  debit: string;
  credit: string;
  storeId: string | null;
}
const empty = (): Line => ({ account: '', debit: '', credit: '', storeId: null });
const codeOf = (s: string) => /^\s*(\d{8})\b/.exec(s)?.[1] ?? s.trim();

export default function ManualEntryPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const company = useCompany();
  const chart = useChart(company.companyId);
  const org = useOrganisation();
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [description, setDescription] = useState('');
  const [lines, setLines] = useState<Line[]>([empty(), empty()]);
  const [files, setFiles] = useState<AttachmentView[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const accounts = (chart.data?.accounts ?? []).filter((a) => a.postable && !a.blocked).map((a) => `${a.code} · ${a.name}`);
  const stores = (org.data?.companies.find((c) => c.id === company.companyId)?.stores ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }));
  const cents = lines.map((l) => ({ d: parseCents(l.debit), c: parseCents(l.credit) }));
  const bad = cents.some((x) => x.d === null || x.c === null);
  const debit = cents.reduce((s, x) => s + (x.d ?? 0), 0);
  const credit = cents.reduce((s, x) => s + (x.c ?? 0), 0);
  const diff = debit - credit;
  const setLine = (i: number, p: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...p } : l)));

  const save = async () => {
    setError(null);
    setPending(true);
    try {
      const body = {
        date,
        description,
        attachments: files.map((x) => x.id),
        lines: lines.map((l, i) => ({ account: codeOf(l.account), debitCents: cents[i]!.d ?? 0, creditCents: cents[i]!.c ?? 0, storeId: l.storeId })),
      };
      const r = await api<{ entry: EntrySummary }>('POST', `/api/accounting/companies/${company.companyId}/entries`, body);
      toast.ok(t('m.saved', { year: r.entry.year, number: r.entry.number }));
      await qc.invalidateQueries({ queryKey: ['accounting'] });
      void navigate(`/accounting/entries/${company.companyId}/${r.entry.id}?company=${company.companyId}`);
    } catch (e) {
      const p = e instanceof ApiError ? e.problem : null;
      if (p?.code === 'ENTRY_UNBALANCED' && typeof p.differenceCents === 'number') setError(t('m.refusedUnbalanced', { diff: f.money(Math.abs(p.differenceCents)) }));
      else {
        const fields = e instanceof ApiError ? e.fieldErrors.map((x) => `${x.path}: ${x.message}`).join(' · ') : '';
        setError([errorText(e, locale), fields].filter(Boolean).join(' — '));
      }
    } finally {
      setPending(false);
    }
  };
  const attach = async (file: File | null) => {
    if (!file || !company.companyId) return;
    setUploading(true);
    try {
      const a = await uploadAttachment(company.companyId, file);
      setFiles((x) => [...x, a]);
    } catch (e) {
      toast.fail(e);
    } finally {
      setUploading(false);
    }
  };

  return (
    <DetailLayout back={{ to: `/accounting/entries?company=${company.companyId ?? ''}`, label: t('e.back') }} title={t('m.title')}>
      <Stack>
        <Section>
          <Group align="end">
            <CompanyPicker company={company} />
            <TextInput label={t('c.date')} type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} w={180} data-testid="entry-date" />
            <TextInput label={t('c.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} style={{ flex: 1 }} maxLength={300} data-testid="entry-description" />
          </Group>
        </Section>
        <Section>
          <Table data-testid="entry-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('c.account')}</Table.Th>
                <Table.Th w={150}>{t('c.debit')}</Table.Th>
                <Table.Th w={150}>{t('c.credit')}</Table.Th>
                <Table.Th w={220}>{t('c.store')}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={i} data-testid="entry-line">
                  <Table.Td><Autocomplete data={accounts} value={l.account} onChange={(v) => setLine(i, { account: v })} limit={30} placeholder="57200000" data-testid="line-account" /></Table.Td>
                  <Table.Td><TextInput value={l.debit} onChange={(e) => setLine(i, { debit: e.currentTarget.value })} error={cents[i]!.d === null ? t('m.badAmount') : undefined} inputMode="decimal" data-testid="line-debit" /></Table.Td>
                  <Table.Td><TextInput value={l.credit} onChange={(e) => setLine(i, { credit: e.currentTarget.value })} error={cents[i]!.c === null ? t('m.badAmount') : undefined} inputMode="decimal" data-testid="line-credit" /></Table.Td>
                  <Table.Td><Select data={stores} value={l.storeId} onChange={(v) => setLine(i, { storeId: v })} clearable data-testid="line-store" /></Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" disabled={lines.length <= 2} onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} aria-label={t('m.remove')} data-testid="line-remove">×</ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" mt="sm">
            <Button variant="default" size="xs" onClick={() => setLines((ls) => [...ls, empty()])} data-testid="entry-add-line">{t('m.addLine')}</Button>
            <Group>
              <Text data-testid="entry-totals">{t('m.totals', { debit: f.money(debit), credit: f.money(credit) })}</Text>
              {diff === 0 ? (
                <Badge color="green" data-testid="entry-difference">{t('m.balanced')}</Badge>
              ) : (
                <Badge color="red" data-testid="entry-difference">{t('m.difference', { diff: f.money(Math.abs(diff)) })}</Badge>
              )}
            </Group>
          </Group>
        </Section>
        <Section title={t('m.attachments')}>
          <Group>
            <FileButton onChange={(file) => void attach(file)}>
              {(props) => <Button {...props} variant="default" size="xs" loading={uploading} data-testid="entry-attach">{t('m.attach')}</Button>}
            </FileButton>
            {files.map((x) => <Badge key={x.id} variant="light" data-testid="entry-attachment">{x.name}</Badge>)}
          </Group>
        </Section>
        {error && <Alert color="red" data-testid="entry-error">{error}</Alert>}
        <Group justify="flex-end">
          <Button onClick={() => void save()} loading={pending} disabled={bad || !description.trim() || !company.companyId} data-testid="entry-save">{t('c.save')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
