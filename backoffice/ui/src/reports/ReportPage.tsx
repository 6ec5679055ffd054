/**
 * One report, any report of GET /api/reports: its filters (period presets or from/to, company, store,
 * category, product, cashier, grouping, comparison — those the report takes), its chart, its table with
 * totals and the comparison's columns, and CSV/XLSX/PDF downloads of the same query from the API. The
 * filters live in the URL (a link reopens the same report); a user saves them as a named view and schedules
 * it into their report inbox (ViewsPanel).
 */
import { Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { formatMoney } from '@tpv/shared/money';
import { useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { useCategories } from '../catalog/queries';
import { QueryState } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { downloadReport, tr, useReport, useReportList, type ReportColumn, type ReportFilters, type ReportResult, type ReportRow } from './api';
import { CashierEventsPanel } from './CashierEventsPanel';
import { ReportChart } from './ReportChart';
import { messages } from './messages';
import { ViewsPanel } from './ViewsPanel';

const FILTER_NAMES = ['period', 'from', 'to', 'company', 'store', 'category', 'product', 'cashier', 'groupBy', 'compare'] as const;

const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** from/to of a period preset, in the browser's local calendar. */
export function presetRange(preset: string, today = new Date()): { from: string; to: string } | null {
  const y = today.getFullYear();
  const m = today.getMonth();
  const d = today.getDate();
  switch (preset) {
    case 'today': return { from: iso(today), to: iso(today) };
    case 'yesterday': return { from: iso(new Date(y, m, d - 1)), to: iso(new Date(y, m, d - 1)) };
    case 'last7': return { from: iso(new Date(y, m, d - 6)), to: iso(today) };
    case 'last30': return { from: iso(new Date(y, m, d - 29)), to: iso(today) };
    case 'last90': return { from: iso(new Date(y, m, d - 89)), to: iso(today) };
    case 'thisMonth': return { from: iso(new Date(y, m, 1)), to: iso(today) };
    case 'lastMonth': return { from: iso(new Date(y, m - 1, 1)), to: iso(new Date(y, m, 0)) };
    case 'thisYear': return { from: iso(new Date(y, 0, 1)), to: iso(today) };
    case 'lastYear': return { from: iso(new Date(y - 1, 0, 1)), to: iso(new Date(y - 1, 11, 31)) };
    default: return null;
  }
}
const PRESETS = ['today', 'yesterday', 'last7', 'last30', 'last90', 'thisMonth', 'lastMonth', 'thisYear', 'lastYear'] as const;

export function formatCell(v: unknown, kind: ReportColumn['kind'], locale: 'es' | 'en'): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(v);
  if (kind === 'cents') return Number.isFinite(n) ? formatMoney(Math.round(n), locale) : String(v);
  if (kind === 'int') return Number.isFinite(n) ? n.toLocaleString(locale) : String(v);
  if (kind === 'pct') return Number.isFinite(n) ? `${n.toLocaleString(locale, { maximumFractionDigits: 1 })} %` : String(v);
  return String(v);
}

/** Rows drawn before "show all". */
const MAX_ROWS = 200;

const isMeasure = (c: ReportColumn) => c.kind === 'cents' || c.kind === 'int';

/** The comparison's row for a row: by position over dates (the periods differ), by the dimension's value otherwise. */
function comparedRows(r: ReportResult): Array<ReportRow | undefined> {
  if (!r.compare) return [];
  const dim = r.columns.find((c) => !isMeasure(c) && c.kind !== 'pct');
  if (!dim || dim.kind === 'date') return r.rows.map((_, i) => r.compare!.rows[i]);
  const by = new Map(r.compare.rows.map((x) => [String(x[dim.key]), x]));
  return r.rows.map((x) => by.get(String(x[dim.key])));
}

const delta = (now: unknown, before: unknown) => {
  const a = Number(now);
  const b = Number(before);
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? Math.round(((a - b) / Math.abs(b)) * 1000) / 10 : null;
};

function ReportTable({ report, locale, t, onRow }: {
  report: ReportResult;
  locale: 'es' | 'en';
  t: (k: 'report.vs' | 'report.change' | 'report.total' | 'report.empty' | 'report.showAll') => string;
  /** A row opens its drill-down (the cashiers report: the cashier's events). */
  onRow?: ((row: ReportRow) => void) | undefined;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  // A long report (ABC over every product) shows its first rows; the totals are over all of them.
  const [all, setAll] = useState(false);
  const cmp = useMemo(() => comparedRows(report), [report]);
  type Row = { row: ReportRow; before: ReportRow | undefined };
  const data = useMemo<Row[]>(() => report.rows.map((row, i) => ({ row, before: cmp[i] })), [report, cmp]);
  const cmpLabel = report.compare ? tr(report.compare.label, locale) : '';
  const { columns, totals } = useMemo(() => {
    const out: Array<ColumnDef<Row>> = [];
    const totals = new Map<string, string>();
    for (const c of report.columns) {
      const right = c.kind !== 'text' && c.kind !== 'date';
      out.push({ id: c.key, header: tr(c.label, locale), accessorFn: (r) => r.row[c.key], cell: (x) => formatCell(x.getValue(), c.kind, locale), meta: { align: right ? 'right' : 'left', testId: c.key } });
      totals.set(c.key, right ? formatCell(report.totals[c.key], c.kind, locale) : '');
      if (report.compare && isMeasure(c)) {
        out.push({ id: `${c.key}__cmp`, header: `${tr(c.label, locale)} · ${cmpLabel}`, accessorFn: (r) => r.before?.[c.key] ?? null, cell: (x) => formatCell(x.getValue(), c.kind, locale), meta: { align: 'right', testId: `${c.key}-compare` } });
        totals.set(`${c.key}__cmp`, formatCell(report.compare.totals[c.key], c.kind, locale));
        out.push({ id: `${c.key}__delta`, header: `${t('report.change')} %`, accessorFn: (r) => delta(r.row[c.key], r.before?.[c.key]), cell: (x) => formatCell(x.getValue(), 'pct', locale), meta: { align: 'right', testId: `${c.key}-change` } });
        totals.set(`${c.key}__delta`, formatCell(delta(report.totals[c.key], report.compare.totals[c.key]), 'pct', locale));
      }
    }
    return { columns: out, totals };
  }, [report, locale, cmpLabel, t]);
  const table = useReactTable({ data, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  if (report.rows.length === 0) return <Text c="dimmed" data-testid="report-empty">{t('report.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover data-testid="report-table">
        <Table.Thead>
          {table.getHeaderGroups().map((g) => (
            <Table.Tr key={g.id}>
              {g.headers.map((h) => (
                <Table.Th key={h.id} style={{ textAlign: h.column.columnDef.meta?.align, cursor: 'pointer', whiteSpace: 'nowrap' }} onClick={h.column.getToggleSortingHandler()}>
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {{ asc: ' ▲', desc: ' ▼' }[h.column.getIsSorted() as string] ?? ''}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.slice(0, all ? undefined : MAX_ROWS).map((r) => (
            <Table.Tr key={r.id} onClick={onRow ? () => onRow(r.original.row) : undefined} style={onRow ? { cursor: 'pointer' } : undefined} data-testid={onRow ? 'report-row-drill' : undefined}>
              {r.getVisibleCells().map((c) => (
                <Table.Td key={c.id} style={{ textAlign: c.column.columnDef.meta?.align }}>{flexRender(c.column.columnDef.cell, c.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr data-testid="report-totals" style={{ fontWeight: 700 }}>
            {table.getVisibleLeafColumns().map((col, i) => {
              const right = col.columnDef.meta?.align === 'right';
              const value = i === 0 && !right ? t('report.total') : (totals.get(col.id) ?? '');
              return <Table.Td key={col.id} data-testid={`total-${col.columnDef.meta?.testId ?? col.id}`} style={{ textAlign: right ? 'right' : 'left' }}>{value}</Table.Td>;
            })}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {!all && report.rows.length > MAX_ROWS && (
        <Button variant="subtle" size="xs" onClick={() => setAll(true)} data-testid="report-show-all">{`${t('report.showAll')} (${report.rows.length})`}</Button>
      )}
    </Table.ScrollContainer>
  );
}

export default function ReportPage() {
  const { key = '' } = useParams();
  const { t, locale } = useT(messages);
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const list = useReportList();
  const def = list.data?.find((r) => r.key === key);
  const takes = (name: string) => !def || def.filters.includes(name);
  const groupings = def?.groupBy ?? [];
  const filters = useMemo(() => {
    const f: ReportFilters = {};
    for (const n of FILTER_NAMES) {
      const v = params.get(n);
      if (v) f[n] = v;
    }
    // A preset is resolved on today's date (a saved view keeps the preset, not the dates); a first visit: the last 30 days.
    const range = presetRange(f.period ?? (!f.from && !f.to ? 'last30' : ''));
    if (range) Object.assign(f, range);
    return f;
  }, [params]);
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries({ ...filters, ...patch })) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const report = useReport(key, filters);
  // The cashier whose events are open below the cashiers report (in the URL: a link reopens it).
  const drill = params.get('drill');
  const org = useOrganisation();
  const companies = org.data?.companies ?? [];
  const stores = companies.filter((c) => !filters.company || c.id === filters.company).flatMap((c) => c.stores);
  const categories = useCategories();
  const [busy, setBusy] = useState<string | null>(null);
  const exportAs = (format: 'csv' | 'xlsx' | 'pdf') => {
    setBusy(format);
    void downloadReport(key, filters, format).finally(() => setBusy(null));
  };

  return (
    <>
      <PageHeader
        title={def ? tr(def.title, locale) : report.data ? tr(report.data.title, locale) : key}
        actions={
          <Group gap="xs">
            {(['csv', 'xlsx', 'pdf'] as const).map((f) => (
              <Button key={f} size="xs" variant="light" loading={busy === f} onClick={() => exportAs(f)} data-testid={`export-${f}`}>{f.toUpperCase()}</Button>
            ))}
          </Group>
        }
      />
      <Stack>
        <Section testId="report-filters">
          <Group align="flex-end" wrap="wrap">
            <Select label={t('report.period')} placeholder={t('report.custom')} data={PRESETS.map((p) => ({ value: p, label: t(`preset.${p}`) }))} clearable
              value={filters.period ?? null} onChange={(p) => set({ period: p, ...(p ? presetRange(p) : {}) })} data-testid="filter-preset" w={170} />
            <TextInput type="date" label={t('report.from')} value={filters.from ?? ''} onChange={(e) => set({ period: null, from: e.currentTarget.value })} data-testid="filter-from" />
            <TextInput type="date" label={t('report.to')} value={filters.to ?? ''} onChange={(e) => set({ period: null, to: e.currentTarget.value })} data-testid="filter-to" />
            {takes('company') && companies.length > 1 && (
              <Select label={t('report.company')} clearable searchable data={companies.map((c) => ({ value: c.id, label: c.legalName }))} value={filters.company ?? null}
                onChange={(v) => set({ company: v, store: null })} data-testid="filter-company" w={200} />
            )}
            {takes('store') && (
              <Select label={t('report.store')} clearable searchable data={stores.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))} value={filters.store ?? null}
                onChange={(v) => set({ store: v })} data-testid="filter-store" w={200} />
            )}
            {takes('category') && (
              <Select label={t('report.category')} clearable searchable data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} value={filters.category ?? null}
                onChange={(v) => set({ category: v })} data-testid="filter-category" w={180} />
            )}
            {takes('product') && <TextInput label={t('report.product')} placeholder="id" value={filters.product ?? ''} onChange={(e) => set({ product: e.currentTarget.value.trim() })} data-testid="filter-product" w={150} />}
            {takes('cashier') && <TextInput label={t('report.cashier')} placeholder="id" value={filters.cashier ?? ''} onChange={(e) => set({ cashier: e.currentTarget.value.trim() })} data-testid="filter-cashier" w={150} />}
            {groupings.length > 0 && (
              <Select label={t('report.groupBy')} data={groupings.map((g) => ({ value: g, label: t(`group.${g}` as 'group.day') }))} value={filters.groupBy ?? groupings[0]!}
                onChange={(v) => set({ groupBy: v })} data-testid="filter-groupBy" w={150} />
            )}
            {(!def || def.compare) && (
              <Select label={t('report.compare')} data={['none', 'previous', 'last_year'].map((c) => ({ value: c, label: t(`compare.${c}` as 'compare.none') }))} value={filters.compare ?? 'none'}
                onChange={(v) => set({ compare: v === 'none' ? null : v })} data-testid="filter-compare" w={190} />
            )}
          </Group>
        </Section>
        <QueryState query={report}>
          {(r) => (
            <>
              <Section testId="report-chart-section"><ReportChart report={r} locale={locale} suggested={def?.chart} /></Section>
              <Section testId="report-table-section">
                <ReportTable report={r} locale={locale} t={t} onRow={key === 'cashiers' ? (row) => set({ drill: String(row.cashierId ?? ''), drillName: String(row.cashier ?? '') }) : undefined} />
                {key === 'cashiers' && r.rows.length > 0 && !drill && <Text size="sm" c="dimmed" mt="xs">{t('drill.hint')}</Text>}
              </Section>
              {key === 'cashiers' && drill && (
                <Section testId="cashier-events-section">
                  <CashierEventsPanel cashierId={drill} cashier={params.get('drillName') ?? drill} from={r.from} to={r.to} storeId={filters.store} onClose={() => set({ drill: null, drillName: null })} />
                </Section>
              )}
            </>
          )}
        </QueryState>
        <ViewsPanel reportKey={key} filters={filters} onApply={(f) => setParams(new URLSearchParams(f), { replace: true })} canShare={user.franchiseWide && user.role !== 'auditor'} companies={companies.filter((c) => c.kind === 'franchisee')} />
      </Stack>
    </>
  );
}
