/**
 * Export for the accountant's office: pick a company (the caller's scope), the journal for a date range or the
 * chart of accounts, and a format (A3, ContaPlus, CSV, XLSX); the file downloads. The last export's choices are
 * kept in this browser (localStorage) and filled in again next time.
 */
import { Alert, Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '@tpv/shared/wire/http/accounting-exports';
import { download, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { toast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

type What = 'journal' | 'chart';
interface LastExport {
  companyId: string;
  what: What;
  format: ExportFormat;
  from: string;
  to: string;
  a3Company: string;
  at: string;
}

const STORE = 'tpv.bo.accounting-exports.last';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function readLast(): LastExport | null {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? 'null') as LastExport | null;
    return v && typeof v.companyId === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v.format) ? v : null;
  } catch {
    return null;
  }
}

/** The previous calendar month: what a gestoría usually asks for. */
function previousMonth(): { from: string; to: string } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

export default function AccountingExportsPage() {
  const { t, locale } = useT(messages);
  const scope = useScopeOptions();
  const [last, setLast] = useState<LastExport | null>(readLast);
  const month = previousMonth();
  const [companyId, setCompanyId] = useState<string | null>(last?.companyId ?? null);
  const [what, setWhat] = useState<What>(last?.what ?? 'journal');
  const [format, setFormat] = useState<ExportFormat>(last?.format ?? 'a3');
  const [from, setFrom] = useState(last?.from ?? month.from);
  const [to, setTo] = useState(last?.to ?? month.to);
  const [a3Company, setA3Company] = useState(last?.a3Company ?? '1');
  const [busy, setBusy] = useState(false);

  const company = companyId ?? (scope.companyOptions.length === 1 ? scope.companyOptions[0]!.value : null);
  const fromBad = what === 'journal' && !DAY.test(from);
  const toBad = what === 'journal' && !DAY.test(to);
  const backwards = what === 'journal' && !fromBad && !toBad && from > to;
  const a3Bad = format === 'a3' && !/^\d{1,5}$/.test(a3Company);
  const ready = !!company && !fromBad && !toBad && !backwards && !a3Bad && !busy;

  const run = async () => {
    if (!company) return;
    setBusy(true);
    try {
      const path = withQuery(`/api/accounting/companies/${company}/exports/${what}`, { format, ...(what === 'journal' ? { from, to } : {}), ...(format === 'a3' ? { a3Company } : {}) });
      await download(path, `${what}.${format === 'a3' ? 'dat' : format === 'contaplus' ? 'dbf' : format}`);
      const done: LastExport = { companyId: company, what, format, from, to, a3Company, at: new Date().toISOString() };
      localStorage.setItem(STORE, JSON.stringify(done));
      setLast(done);
      toast.ok(t('x.done'));
    } catch (e) {
      toast.fail(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const lastText = last
    ? t('x.last', {
        what: t(last.what === 'journal' ? 'x.journal' : 'x.chart'),
        company: scope.companyName(last.companyId),
        format: t(`f.${last.format}`),
        range: last.what === 'journal' ? ` (${last.from} – ${last.to})` : '',
        at: new Date(last.at).toLocaleString(locale === 'es' ? 'es-ES' : 'en-GB'),
      })
    : t('x.lastNone');

  return (
    <>
      <PageHeader title={t('x.title')} subtitle={t('x.help')} />
      <Stack>
        <Section>
          <Stack>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Select label={t('x.company')} placeholder={t('x.pickCompany')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable data-testid="export-company" />
              <div>
                <Text size="sm" fw={500} mb={4}>{t('x.what')}</Text>
                <SegmentedControl value={what} onChange={(v) => setWhat(v as What)} data={[{ value: 'journal', label: t('x.journal') }, { value: 'chart', label: t('x.chart') }]} data-testid="export-what" />
              </div>
            </SimpleGrid>
            {what === 'journal' && (
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <TextInput label={t('x.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={fromBad ? t('x.badDate') : undefined} data-testid="export-from" />
                <TextInput label={t('x.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={toBad ? t('x.badDate') : backwards ? t('x.rangeBackwards') : undefined} data-testid="export-to" />
              </SimpleGrid>
            )}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Select
                label={t('x.format')}
                data={EXPORT_FORMATS.map((f) => ({ value: f, label: t(`f.${f}`) }))}
                value={format}
                onChange={(v) => v && setFormat(v as ExportFormat)}
                allowDeselect={false}
                description={t(`h.${format}`)}
                data-testid="export-format"
              />
              {format === 'a3' && (
                <TextInput label={t('x.a3Company')} description={t('x.a3CompanyHelp')} value={a3Company} onChange={(e) => setA3Company(e.currentTarget.value.trim())} error={a3Bad ? t('x.badA3') : undefined} data-testid="export-a3-company" />
              )}
            </SimpleGrid>
            <Group>
              <Button onClick={() => void run()} disabled={!ready} loading={busy} data-testid="export-download">{t('x.download')}</Button>
            </Group>
          </Stack>
        </Section>
        <Alert color="gray" variant="light" data-testid="export-last">{lastText}</Alert>
      </Stack>
    </>
  );
}
