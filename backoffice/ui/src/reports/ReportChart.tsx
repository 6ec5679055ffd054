/**
 * The chart of a report, chosen from its shape: an hour × weekday grid (heatmap) when the rows have an hour and
 * a weekday column; Pareto bars with the cumulative share as a line for an ABC report; otherwise a line over a
 * date column or bars over a text column, of the first money (else count) measure, with the comparison's
 * series beside it when there is one.
 */
import { Box, Text, Tooltip as MTooltip } from '@mantine/core';
import { formatMoney } from '@tpv/shared/money';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReportColumn, ReportResult } from './api';
import { tr } from './api';

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : 0);

export type ChartKind = 'heatmap' | 'pareto' | 'line' | 'bar' | 'none';

/** The report list's suggested chart, else guessed from the columns (a date → line, a text → bars). */
export function chartKindOf(r: Pick<ReportResult, 'key' | 'columns'>, suggested?: ChartKind): ChartKind {
  if (suggested) return suggested;
  const x = r.columns.find((c) => c.kind === 'text' || c.kind === 'date');
  const y = measureOf(r.columns);
  if (!x || !y) return 'none';
  return x.kind === 'date' ? 'line' : 'bar';
}

export function measureOf(columns: readonly ReportColumn[]): ReportColumn | undefined {
  return columns.find((c) => c.kind === 'cents') ?? columns.find((c) => c.kind === 'int');
}

export function ReportChart({ report, locale, suggested }: { report: ReportResult; locale: 'es' | 'en'; suggested?: ChartKind | undefined }) {
  const kind = chartKindOf(report, suggested);
  const y = measureOf(report.columns);
  if (kind === 'none' || !y || report.rows.length === 0) return null;
  const fmt = (v: number) => (y.kind === 'cents' ? formatMoney(Math.round(v), locale) : v.toLocaleString(locale));
  if (kind === 'heatmap') return <Heatmap report={report} fmt={fmt} locale={locale} />;
  const x = report.columns.find((c) => c.key === 'product') ?? report.columns.find((c) => c.kind === 'text' || c.kind === 'date')!;
  const name = tr(y.label, locale);

  if (kind === 'pareto') {
    // Sorted by the measure, descending; the cumulative share of the total (0–100 %) on the right axis.
    const sorted = [...report.rows].sort((a, b) => num(b[y.key]) - num(a[y.key]));
    const total = sorted.reduce((s, r) => s + num(r[y.key]), 0) || 1;
    let acc = 0;
    // The cumulative share runs over every row; the chart draws the first 80 (the A and B items, what a reader looks at).
    const data = sorted.map((r) => ((acc += num(r[y.key])), { x: String(r[x.key] ?? ''), v: num(r[y.key]), cum: Math.round((acc / total) * 1000) / 10 })).slice(0, 80);
    return (
      <Box h={320} data-testid="report-chart" data-chart="pareto">
        <ResponsiveContainer>
          <ComposedChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="x" tick={false} />
            <YAxis yAxisId="v" tickFormatter={fmt} width={90} />
            <YAxis yAxisId="c" orientation="right" domain={[0, 100]} unit=" %" />
            <Tooltip formatter={(v: number, n: string) => (n === 'cum' ? `${v} %` : fmt(v))} />
            <Bar yAxisId="v" dataKey="v" name={name} fill="#9c36b5" isAnimationActive={false} />
            <Line yAxisId="c" dataKey="cum" name={locale === 'en' ? 'Cumulative %' : '% acumulado'} stroke="#f08c00" dot={false} isAnimationActive={false} />
            <Legend />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
    );
  }

  // Line over dates / bars over categories, with the comparison period's series when present.
  const cmp = report.compare;
  const data = report.rows.map((r, i) => ({ x: String(r[x.key] ?? ''), v: num(r[y.key]), ...(cmp ? { c: num(cmp.rows[i]?.[y.key]) } : {}) }));
  const cmpName = cmp ? tr(cmp.label, locale) : '';
  return (
    <Box h={320} data-testid="report-chart" data-chart={kind}>
      <ResponsiveContainer>
        <ComposedChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" />
          <YAxis tickFormatter={fmt} width={90} />
          <Tooltip formatter={(v: number) => fmt(v)} />
          {kind === 'line' ? (
            <Line dataKey="v" name={name} stroke="#9c36b5" dot={false} isAnimationActive={false} />
          ) : (
            <Bar dataKey="v" name={name} fill="#9c36b5" isAnimationActive={false} />
          )}
          {cmp && (kind === 'line' ? <Line dataKey="c" name={cmpName} stroke="#adb5bd" dot={false} isAnimationActive={false} /> : <Bar dataKey="c" name={cmpName} fill="#ced4da" isAnimationActive={false} />)}
          <Legend />
        </ComposedChart>
      </ResponsiveContainer>
    </Box>
  );
}

/**
 * The hour × weekday grid: one row per hour (the first column), one cell per weekday column (the money columns
 * but the row's total), shaded by its share of the busiest cell.
 */
function Heatmap({ report, fmt, locale }: { report: ReportResult; fmt: (v: number) => string; locale: 'es' | 'en' }) {
  const label = report.columns[0]!;
  const days = report.columns.filter((c) => c.kind === 'cents' && c.key !== 'total');
  const max = Math.max(1, ...report.rows.flatMap((r) => days.map((d) => num(r[d.key]))));
  return (
    <Box data-testid="report-chart" data-chart="heatmap" style={{ overflowX: 'auto' }}>
      <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
        <thead>
          <tr><th />{days.map((d) => <th key={d.key} style={{ padding: '2px 8px' }}>{tr(d.label, locale)}</th>)}</tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={String(r[label.key])}>
              <th style={{ padding: '2px 8px', textAlign: 'right' }}>{String(r[label.key])}</th>
              {days.map((d) => {
                const v = num(r[d.key]);
                return (
                  <MTooltip key={d.key} label={fmt(v)}>
                    <td data-testid={`heat-${String(r[label.key])}-${d.key}`} style={{ width: 44, height: 20, background: `rgba(156, 54, 181, ${(v / max).toFixed(3)})`, border: '1px solid #fff' }} />
                  </MTooltip>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Text size="xs" c="dimmed">{`max ${fmt(max)}`}</Text>
    </Box>
  );
}
