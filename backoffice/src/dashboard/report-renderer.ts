/**
 * Scheduled views render through the reports module's own service and exporters (the same file as
 * `GET /api/reports/{key}?format=…`), in the recipient's scope. A view saved with a period preset
 * (`period=yesterday|last7|…`) is resolved on the run's date, so a daily "yesterday" view brings yesterday each
 * morning; a view with fixed dates brings those dates.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { ReportKeySchema, ReportQuerySchema } from '@tpv/shared/wire/http/reports';
import { reportPdf, reportXlsx } from '../reports/export';
import { runReport } from '../reports/service';
import { localDate } from './figures';
import type { ReportRenderer } from './views';

export const PERIOD_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'last90', 'thisMonth', 'lastMonth', 'thisYear', 'lastYear'] as const;

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** from/to of a preset on a local date (the same presets as the report page). */
export function periodOf(preset: string, today: string): { from: string; to: string } | null {
  const y = Number(today.slice(0, 4));
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (preset) {
    case 'today': return { from: today, to: today };
    case 'yesterday': return { from: shift(today, -1), to: shift(today, -1) };
    case 'last7': return { from: shift(today, -6), to: today };
    case 'last30': return { from: shift(today, -29), to: today };
    case 'last90': return { from: shift(today, -89), to: today };
    case 'thisMonth': return { from: monthStart, to: today };
    case 'lastMonth': {
      const end = shift(monthStart, -1);
      return { from: `${end.slice(0, 7)}-01`, to: end };
    }
    case 'thisYear': return { from: `${y}-01-01`, to: today };
    case 'lastYear': return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    default: return null;
  }
}

export function reportServiceRenderer(ds: DataSource, clock: Clock, timeZone = 'Europe/Madrid'): ReportRenderer {
  return {
    async render(user, key, filters, format) {
      const { period, ...rest } = filters;
      const range = period ? periodOf(period, localDate(clock.now(), timeZone)) : null;
      const q = ReportQuerySchema.parse({ ...rest, ...(range ?? {}), format });
      const r = await runReport(ds, clock, user, ReportKeySchema.parse(key), q);
      const bytes = format === 'xlsx' ? await reportXlsx(r) : await reportPdf(r, new Date(clock.now()).toISOString().slice(0, 16).replace('T', ' '));
      return { bytes, name: `${key}_${r.from}_${r.to}.${format}`, title: r.title.es };
    },
  };
}
