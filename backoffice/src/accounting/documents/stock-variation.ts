/**
 * Stock variation at a period's end (variación de existencias, 610/300): the company's stock valued at the
 * end of the month (every location it owns, goods in transit included, at its average cost then — the
 * inventory's own valuation) against what the books hold on the stock account (the 300 balance up to that
 * month). The difference posts on the month's last day: stock grew → debit 300 / credit 610; it shrank →
 * debit 610 / credit 300. Once per company and month (source key `stock-variation:<company>:<yyyy-mm>`);
 * a month not over yet, a locked month, or a month before one already posted is refused.
 */
import type { Clock } from '@tpv/shared/clock';
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import { firstDayOf, lastDayOf, nextPeriod, signedLine, type DraftLine } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { refused } from '../../platform/api';
import { valuationAt } from '../../stock/valuation-repository';
import { all, num, one, type Db } from '../../persistence/sql';
import { postEntry, type PostedEntry } from '../core/journal';
import { rulesOf } from '../core/rules';

export const stockVariationKey = (companyId: string, period: string) => `stock-variation:${companyId}:${period}`;

/** The UTC instant a Madrid calendar day starts (00:00 local; the offset is +1 h or +2 h). */
export function madridDayStart(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  for (const hours of [1, 2, 0]) {
    const t = utcMidnight - hours * 3_600_000;
    const f = fiscalDateTime(t);
    if (f.timestamp.startsWith(`${day}T00:00:00`)) return t;
  }
  return utcMidnight - 3_600_000;
}

/** The last instant of a month in Madrid, as the stock ledger stores instants (UTC ISO). */
export const periodEndInstant = (period: string) => new Date(madridDayStart(firstDayOf(nextPeriod(period))) - 1).toISOString();

/** The lines of a variation (pure given the rules): positive = stock grew. */
export function stockVariationLines(variationCents: number, rules: RuleOverrides): DraftLine[] {
  return [...signedLine({ account: accountFor(rules, 'stock') }, variationCents), ...signedLine({ account: accountFor(rules, 'stock_variation') }, -variationCents)];
}

export interface StockVariationFigures {
  companyId: string;
  period: string;
  /** The entry's date: the month's last day. */
  date: string;
  /** The instant the stock is valued at (the month's last moment, Madrid time). */
  valuedAt: string;
  stockAccount: string;
  variationAccount: string;
  stockValueCents: number;
  inTransitCents: number;
  productsWithoutCost: number;
  /** The stock account's balance up to the month (debit − credit). */
  bookedCents: number;
  variationCents: number;
  /** The month is over (the variation may post). */
  ended: boolean;
  /** Already posted for this month: the entry. */
  entry: { id: string; year: number; number: number; entryDate: string; totalCents: number } | null;
}

export async function stockVariationFigures(m: Db, clock: Clock, companyId: string, period: string): Promise<StockVariationFigures> {
  const rules = await rulesOf(m, companyId);
  const stockAccount = accountFor(rules, 'stock');
  const valuedAt = periodEndInstant(period);
  const locations = await valuationAt(m, valuedAt, { companyIds: null, storeId: null }, { companyId });
  const stockValueCents = locations.reduce((s, l) => s + l.valueCents, 0);
  const booked = await one<{ d: unknown; c: unknown }>(
    m,
    `SELECT COALESCE(SUM(debit_cents), 0) AS d, COALESCE(SUM(credit_cents), 0) AS c FROM acc_balance WHERE company_id = ? AND account = ? AND period <= ?`,
    [companyId, stockAccount, period],
  );
  const bookedCents = num(booked!.d)! - num(booked!.c)!;
  const e = await one<Record<string, unknown>>(m, `SELECT id, year, number, entry_date, total_cents FROM acc_entry WHERE company_id = ? AND source_key = ?`, [companyId, stockVariationKey(companyId, period)]);
  return {
    companyId,
    period,
    date: lastDayOf(period),
    valuedAt,
    stockAccount,
    variationAccount: accountFor(rules, 'stock_variation'),
    stockValueCents,
    inTransitCents: locations.filter((l) => l.kind === 'transit').reduce((s, l) => s + l.valueCents, 0),
    productsWithoutCost: locations.reduce((s, l) => s + l.productsWithoutCost, 0),
    bookedCents,
    variationCents: stockValueCents - bookedCents,
    ended: Date.parse(valuedAt) < clock.now(),
    entry: e ? { id: String(e.id), year: num(e.year)!, number: num(e.number)!, entryDate: String(e.entry_date), totalCents: num(e.total_cents)! } : null,
  };
}

/**
 * Posts the variation of a month (once). A zero variation posts nothing and answers the figures with no
 * entry. Refusals: the month posted already (409), a later month posted already (409: its figure would be
 * stale), the month not over (422), the month locked (409 PERIOD_LOCKED, from the journal).
 */
export async function postStockVariation(m: Db, clock: Clock, companyId: string, period: string, by: string | null): Promise<{ figures: StockVariationFigures; entry: PostedEntry | null }> {
  const figures = await stockVariationFigures(m, clock, companyId, period);
  if (figures.entry) {
    throw refused(409, 'STOCK_VARIATION_POSTED', `La variación de existencias de ${period} ya está contabilizada (asiento ${figures.entry.year}/${figures.entry.number}) / the stock variation of ${period} was already posted`, 'period');
  }
  const later = await all<{ source_key: string }>(m, `SELECT source_key FROM acc_entry WHERE company_id = ? AND kind = 'stock_variation' AND period > ? AND reverses_id IS NULL`, [companyId, period]);
  if (later.length > 0) {
    throw refused(409, 'STOCK_VARIATION_LATER_POSTED', `Ya hay una variación de existencias posterior (${later[0]!.source_key.slice(-7)}): la de ${period} no puede contabilizarse después / a later month's stock variation is already posted`, 'period');
  }
  if (!figures.ended) throw refused(422, 'PERIOD_NOT_ENDED', `${period} no ha terminado: las existencias se valoran al cierre del mes / the month is not over yet`, 'period');
  if (figures.variationCents === 0) return { figures, entry: null };
  const entry = await postEntry(m, clock, {
    companyId,
    date: figures.date,
    kind: 'stock_variation',
    description: `Variación de existencias ${period}: ${(figures.bookedCents / 100).toFixed(2)} € → ${(figures.stockValueCents / 100).toFixed(2)} €`,
    lines: stockVariationLines(figures.variationCents, await rulesOf(m, companyId)),
    source: { type: 'stock_variation', id: `${companyId}:${period}`, key: stockVariationKey(companyId, period), ref: period },
    // A period-end adjustment belongs to its month: a locked month refuses it rather than moving it.
    mode: 'manual',
    by,
  });
  return { figures: await stockVariationFigures(m, clock, companyId, period), entry };
}
