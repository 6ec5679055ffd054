/**
 * IVA at the till (ARCHITECTURE invariant 2). Prices include tax; the tax is worked out once per ticket and
 * per rate from the summed line totals, never per unit or per line.
 */
import { mulDiv, type BasisPoints, type Cents } from './money';
import { domainError, err, ok, type DomainError, type Result } from './result';

/** Spanish IVA rates in basis points: general 21 %, reducido 10 %, superreducido 4 %, 0 %. */
export const IVA_RATES = [2100, 1000, 400, 0] as const;
export type IvaRate = (typeof IVA_RATES)[number];

/** Recargo de equivalencia matching each IVA rate: 5.2 % / 1.4 % / 0.5 % (none for 0 %). */
export const RE_RATES: Readonly<Record<IvaRate, BasisPoints>> = { 2100: 520, 1000: 140, 400: 50, 0: 0 };

/** Veri*Factu CausaExencion codes (art. 20 … 25 LIVA and "otros"). Only valid with rate 0. */
export const EXEMPTION_CAUSES = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'] as const;
export type ExemptionCause = (typeof EXEMPTION_CAUSES)[number];

export type TaxErrorCode = 'TAX_RATE_UNKNOWN' | 'EXEMPTION_UNKNOWN' | 'EXEMPTION_NEEDS_ZERO_RATE' | 'TAX_AMOUNT_INVALID';
export type TaxError = DomainError<TaxErrorCode>;

export function isIvaRate(rate: unknown): rate is IvaRate {
  return rate === 2100 || rate === 1000 || rate === 400 || rate === 0;
}

export function isExemptionCause(value: unknown): value is ExemptionCause {
  return typeof value === 'string' && (EXEMPTION_CAUSES as readonly string[]).includes(value);
}

/** The RE rate that applies to `rate` for a customer in (or out of) the recargo regime. */
export function reRateFor(rate: IvaRate, reRegime: boolean): BasisPoints {
  return reRegime ? RE_RATES[rate] : 0;
}

/** One taxable amount (a priced line total after all discounts), tax included. */
export interface TaxableAmount {
  readonly taxRate: number;
  readonly exemption?: ExemptionCause | undefined;
  readonly gross: Cents;
}

export interface TaxBreakdownRow {
  readonly rate: IvaRate;
  readonly reRate: BasisPoints;
  readonly exemption?: ExemptionCause;
  /** Σ line totals at this rate (tax included). gross = base + ivaCuota + reCuota exactly. */
  readonly gross: Cents;
  readonly base: Cents;
  readonly ivaCuota: Cents;
  readonly reCuota: Cents;
}

/**
 * Splits one rate's gross (tax included) into base and cuotas:
 *   base     = roundHalfUp(gross × 10000 / (10000 + r + re))
 *   taxes    = gross − base
 *   ivaCuota = roundHalfUp(base × r / 10000)
 *   reCuota  = taxes − ivaCuota
 * Choice (with recargo): IVA cuota is computed from the base as the law states it (base × tipo) and the
 * recargo takes the remainder, so base + ivaCuota + reCuota = gross to the cent; the rounding cent, if any,
 * lands in the recargo, never in the printed gross.
 * Without recargo (re = 0) the whole difference is IVA: ivaCuota = gross − base, reCuota = 0. This can differ
 * by one cent from roundHalfUp(base × r / 10000): gross 0,03 € at 21 % gives base = round(300/121 = 2.479) = 2,
 * gross − base = 1, while 2 × 21 % = 0.42 → 0. gross − base is kept, so the ticket adds up and no stray cent
 * shows up as a recargo the customer does not pay.
 * halfUp is symmetric (half away from zero), so a return row is exactly the negation of its sale row.
 */
export function splitGross(gross: Cents, rate: IvaRate, reRate: BasisPoints): { base: Cents; ivaCuota: Cents; reCuota: Cents } {
  gross += 0; // −0 → 0
  const base = mulDiv(gross, 10_000, 10_000 + rate + reRate, 'halfUp');
  const taxes = gross - base;
  if (reRate === 0) return { base, ivaCuota: taxes, reCuota: 0 };
  const ivaCuota = mulDiv(base, rate, 10_000, 'halfUp');
  return { base, ivaCuota, reCuota: taxes - ivaCuota };
}

const EXEMPT_ORDER: Record<string, number> = { '': 0, E1: 1, E2: 2, E3: 3, E4: 4, E5: 5, E6: 6 };

/**
 * The ticket's tax breakdown: one row per (rate, exemption cause), sorted by rate descending; at rate 0 the
 * non-exempt row comes first, then exempt rows by cause E1…E6. A row exists for every group that has at
 * least one amount, even if the amounts net to 0. Recargo applies to every non-exempt rate > 0 when the
 * customer is in the regime.
 */
export function taxBreakdown(amounts: readonly TaxableAmount[], reRegime: boolean): Result<TaxBreakdownRow[], TaxError> {
  const groups = new Map<string, { rate: IvaRate; exemption: ExemptionCause | undefined; gross: number }>();
  for (let i = 0; i < amounts.length; i++) {
    const a = amounts[i]!;
    if (!isIvaRate(a.taxRate)) {
      return err(domainError('TAX_RATE_UNKNOWN', `unknown IVA rate ${String(a.taxRate)} bp`, { index: i, rate: a.taxRate }));
    }
    if (a.exemption !== undefined) {
      if (!isExemptionCause(a.exemption)) {
        return err(domainError('EXEMPTION_UNKNOWN', `unknown exemption cause ${String(a.exemption)}`, { index: i }));
      }
      if (a.taxRate !== 0) {
        return err(domainError('EXEMPTION_NEEDS_ZERO_RATE', `exempt (${a.exemption}) amounts must have rate 0`, { index: i }));
      }
    }
    if (!Number.isSafeInteger(a.gross)) {
      return err(domainError('TAX_AMOUNT_INVALID', `amount must be integer cents, got ${String(a.gross)}`, { index: i }));
    }
    const key = `${a.taxRate}|${a.exemption ?? ''}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { rate: a.taxRate, exemption: a.exemption, gross: a.gross });
    else g.gross += a.gross;
  }
  const rows: TaxBreakdownRow[] = [];
  for (const g of groups.values()) {
    if (!Number.isSafeInteger(g.gross)) return err(domainError('TAX_AMOUNT_INVALID', 'sum of amounts out of range'));
    const reRate = g.exemption === undefined ? reRateFor(g.rate, reRegime) : 0;
    const { base, ivaCuota, reCuota } = splitGross(g.gross, g.rate, reRate);
    const row: TaxBreakdownRow =
      g.exemption === undefined
        ? { rate: g.rate, reRate, gross: g.gross, base, ivaCuota, reCuota }
        : { rate: g.rate, reRate, exemption: g.exemption, gross: g.gross, base, ivaCuota, reCuota };
    rows.push(row);
  }
  rows.sort((a, b) => b.rate - a.rate || EXEMPT_ORDER[a.exemption ?? '']! - EXEMPT_ORDER[b.exemption ?? '']!);
  return ok(rows);
}

/** Σ (ivaCuota + reCuota) over the rows: the ticket's total tax. */
export function totalTax(rows: readonly TaxBreakdownRow[]): Cents {
  let t = 0;
  for (const r of rows) t += r.ivaCuota + r.reCuota;
  return t;
}
