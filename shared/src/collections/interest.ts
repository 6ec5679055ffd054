/**
 * Late-payment interest in commercial transactions (Ley 3/2004 de lucha contra la morosidad, arts. 5, 7, 8).
 *
 * - Interest runs by law from the day after the due date, without any notice (art. 5), to the payment date.
 * - Statutory rate (art. 7.2): the ECB main refinancing rate of its last operation before the half-year
 *   + 8 points, published in the BOE each half-year by the Secretaría General del Tesoro and fixed for that
 *   half-year. A late period crossing 1 January or 1 July is split and each part uses its half-year's rate.
 * - Simple interest, actual/365: interest = principal × rate × days / 365 (365 also in leap years).
 * - Rounded half-up to cents once per half-year segment; the total is the sum of the rounded segments, so a
 *   dunning letter's lines add up to its total.
 * - A fixed €40 compensation for recovery costs per debt (art. 8.1), whatever the amount.
 */
import { mulDiv, type BasisPoints, type Cents } from '../money';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { dayNumber, isIsoDate, isoDateOf } from './days';

export interface StatutoryRate {
  /** First day of the half-year (YYYY-01-01 or YYYY-07-01). */
  readonly from: string;
  /** Last day (YYYY-06-30 or YYYY-12-31). */
  readonly to: string;
  readonly rateBp: BasisPoints;
  /** The BOE resolution (or the ECB rate it rests on). */
  readonly source: string;
}

const h1 = (y: number, rateBp: BasisPoints, source: string): StatutoryRate => ({ from: `${y}-01-01`, to: `${y}-06-30`, rateBp, source });
const h2 = (y: number, rateBp: BasisPoints, source: string): StatutoryRate => ({ from: `${y}-07-01`, to: `${y}-12-31`, rateBp, source });

/**
 * "Tipo legal de interés de demora en operaciones comerciales", 2020 H1 – 2026 H1 (ECB main refinancing rate
 * + 8 points). How each row was checked: 2020 H1 against the BOE text (BOE-A-2019-18736: ECB 0,00 % → 8,00 %);
 * 2024 H1/H2 are the figures the brief quotes; the BOE resolutions for 2025 H2 (BOE-A-2025-13217) and 2026 H1
 * (BOE-A-2025-27201) were found but their figures were not readable in the sources at hand; every other row
 * (and those two) is the ECB rate in force at the end of the previous half-year + 8: 0,00 % until July 2022,
 * 2,50 % Dec 2022, 4,00 % Jun 2023, 4,50 % Dec 2023, 4,25 % Jun 2024, 3,15 % Dec 2024, 2,15 % Jun and Dec
 * 2025. Compare with the BOE before relying on a claim. Half-years after 2026 H1 are added by the back office
 * as published (pass them in `rates`).
 */
export const STATUTORY_LATE_PAYMENT_RATES: readonly StatutoryRate[] = [
  h1(2020, 800, 'BOE-A-2019-18736 (BCE 0,00 % + 8)'),
  h2(2020, 800, 'BOE 2º semestre 2020 (BCE 0,00 % + 8)'),
  h1(2021, 800, 'BOE 1er semestre 2021 (BCE 0,00 % + 8)'),
  h2(2021, 800, 'BOE 2º semestre 2021 (BCE 0,00 % + 8)'),
  h1(2022, 800, 'BOE 1er semestre 2022 (BCE 0,00 % + 8)'),
  h2(2022, 800, 'BOE 2º semestre 2022 (BCE 0,00 % + 8)'),
  h1(2023, 1050, 'BOE 1er semestre 2023 (BCE 2,50 % + 8)'),
  h2(2023, 1200, 'BOE 2º semestre 2023 (BCE 4,00 % + 8)'),
  h1(2024, 1250, 'BOE 1er semestre 2024 (BCE 4,50 % + 8)'),
  h2(2024, 1225, 'BOE 2º semestre 2024 (BCE 4,25 % + 8)'),
  h1(2025, 1115, 'BOE 1er semestre 2025 (BCE 3,15 % + 8)'),
  h2(2025, 1015, 'BOE-A-2025-13217, 2º semestre 2025 (BCE 2,15 % + 8)'),
  h1(2026, 1015, 'BOE-A-2025-27201, 1er semestre 2026 (BCE 2,15 % + 8)'),
];

/** Fixed compensation for recovery costs (art. 8.1 Ley 3/2004): 40 €. */
export const RECOVERY_COMPENSATION_CENTS: Cents = 4000;
/** Actual/365: the year has 365 days also in leap years. */
export const DAYS_PER_YEAR = 365;

export type InterestErrorCode = 'INTEREST_DATE_INVALID' | 'INTEREST_PRINCIPAL_INVALID' | 'INTEREST_RATE_UNKNOWN' | 'INTEREST_RATE_INVALID';
export type InterestError = DomainError<InterestErrorCode>;

/** First day of the half-year `date` falls in. */
export function halfYearStart(date: string): string {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '01' : '07'}-01`;
}

/** Last day of the half-year `date` falls in. */
export function halfYearEnd(date: string): string {
  return `${date.slice(0, 4)}-${Number(date.slice(5, 7)) <= 6 ? '06-30' : '12-31'}`;
}

/** The statutory rate in force on `date`, looked up in `rates` (default: the published table). */
export function statutoryRateOn(date: string, rates: readonly StatutoryRate[] = STATUTORY_LATE_PAYMENT_RATES): Result<StatutoryRate, InterestError> {
  if (!isIsoDate(date)) return err(domainError('INTEREST_DATE_INVALID', `fecha no válida / invalid date: ${date}`));
  for (const r of rates) if (r.from <= date && date <= r.to) return ok(r);
  return err(domainError('INTEREST_RATE_UNKNOWN', `no consta el tipo legal de demora para ${date} / no statutory late-payment rate known for ${date}`, { date }));
}

export interface InterestSegment {
  /** First day of interest in this segment (the day after the due date, or a half-year's first day). */
  readonly from: string;
  /** Last day (the payment date, or a half-year's last day). */
  readonly to: string;
  readonly days: number;
  readonly rateBp: BasisPoints;
  readonly interestCents: Cents;
}

export interface LateInterest {
  readonly principalCents: Cents;
  readonly days: number;
  readonly segments: readonly InterestSegment[];
  readonly interestCents: Cents;
}

export interface LateInterestInput {
  readonly principalCents: Cents;
  readonly dueDate: string;
  /** Payment date, or the date the claim is worked out. */
  readonly paidOn: string;
  /** An agreed rate instead of the statutory one (art. 7.1 lets the parties agree one). */
  readonly agreedRateBp?: BasisPoints;
  readonly rates?: readonly StatutoryRate[];
}

/** One segment's interest: roundHalfUp(principal × rateBp × days / (10 000 × 365)). */
export function simpleInterest(principalCents: Cents, rateBp: BasisPoints, days: number): Cents {
  return mulDiv(principalCents, rateBp * days, 10_000 * DAYS_PER_YEAR, 'halfUp');
}

/**
 * Interest on `principalCents` unpaid from the day after `dueDate` to `paidOn` inclusive (paid on or before
 * the due date: no interest, no segments). Refuses a malformed date, a principal that is not a positive
 * integer, and a day whose half-year has no known rate.
 */
export function lateInterest(input: LateInterestInput): Result<LateInterest, InterestError> {
  const { principalCents, dueDate, paidOn } = input;
  if (!isIsoDate(dueDate) || !isIsoDate(paidOn)) return err(domainError('INTEREST_DATE_INVALID', `fecha no válida / invalid date: ${dueDate} – ${paidOn}`));
  if (!Number.isSafeInteger(principalCents) || principalCents <= 0) {
    return err(domainError('INTEREST_PRINCIPAL_INVALID', `el principal debe ser positivo / the principal must be positive: ${String(principalCents)}`));
  }
  if (input.agreedRateBp !== undefined && (!Number.isSafeInteger(input.agreedRateBp) || input.agreedRateBp < 0)) {
    return err(domainError('INTEREST_RATE_INVALID', `tipo pactado no válido / invalid agreed rate: ${String(input.agreedRateBp)}`));
  }
  const last = dayNumber(paidOn);
  let day = dayNumber(dueDate) + 1;
  const segments: InterestSegment[] = [];
  let total = 0;
  while (day <= last) {
    const from = isoDateOf(day);
    const end = Math.min(dayNumber(halfYearEnd(from)), last);
    let rateBp: BasisPoints;
    if (input.agreedRateBp !== undefined) rateBp = input.agreedRateBp;
    else {
      const r = statutoryRateOn(from, input.rates);
      if (!r.ok) return r;
      rateBp = r.value.rateBp;
    }
    const days = end - day + 1;
    const interestCents = simpleInterest(principalCents, rateBp, days);
    segments.push({ from, to: isoDateOf(end), days, rateBp, interestCents });
    total += interestCents;
    day = end + 1;
  }
  const days = segments.reduce((s, x) => s + x.days, 0);
  return ok({ principalCents, days, segments, interestCents: total });
}

/**
 * Interest on a debt paid in instalments: each payment stops the interest on its own amount at its date; what
 * is still unpaid runs to `asOf`. Payments after `asOf` are ignored; payments beyond the principal are capped.
 * The total is the sum of each tranche's lateInterest.
 */
export function lateInterestWithPayments(
  input: { readonly principalCents: Cents; readonly dueDate: string; readonly asOf: string; readonly payments: readonly { readonly on: string; readonly amountCents: Cents }[]; readonly agreedRateBp?: BasisPoints; readonly rates?: readonly StatutoryRate[] },
): Result<{ readonly tranches: readonly LateInterest[]; readonly interestCents: Cents }, InterestError> {
  let left = input.principalCents;
  const tranches: LateInterest[] = [];
  const sorted = [...input.payments].filter((p) => p.on <= input.asOf).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const run = (principalCents: Cents, paidOn: string): Result<void, InterestError> => {
    const r = lateInterest({ principalCents, dueDate: input.dueDate, paidOn, ...(input.agreedRateBp !== undefined ? { agreedRateBp: input.agreedRateBp } : {}), ...(input.rates !== undefined ? { rates: input.rates } : {}) });
    if (!r.ok) return r;
    if (r.value.days > 0) tranches.push(r.value);
    return ok(undefined);
  };
  for (const p of sorted) {
    if (left <= 0) break;
    const amount = Math.min(p.amountCents, left);
    if (amount <= 0) continue;
    const r = run(amount, p.on);
    if (!r.ok) return r;
    left -= amount;
  }
  if (left > 0) {
    const r = run(left, input.asOf);
    if (!r.ok) return r;
  }
  return ok({ tranches, interestCents: tranches.reduce((s, t) => s + t.interestCents, 0) });
}

export interface LateClaim {
  readonly principalCents: Cents;
  readonly interest: LateInterest;
  /** RECOVERY_COMPENSATION_CENTS when claimed, else 0. */
  readonly compensationCents: Cents;
  /** principal + interest + compensation: what a formal demand asks for. */
  readonly totalCents: Cents;
}

/**
 * What a formal demand claims for one unpaid amount on `asOf`: the principal, the statutory (or agreed)
 * interest to that day, and — once per debt, so the caller passes `withCompensation` on one due date of an
 * invoice only — the €40 fixed compensation of art. 8.1.
 */
export function lateClaim(input: { readonly principalCents: Cents; readonly dueDate: string; readonly asOf: string; readonly withCompensation: boolean; readonly agreedRateBp?: BasisPoints; readonly rates?: readonly StatutoryRate[] }): Result<LateClaim, InterestError> {
  const r = lateInterest({
    principalCents: input.principalCents,
    dueDate: input.dueDate,
    paidOn: input.asOf,
    ...(input.agreedRateBp !== undefined ? { agreedRateBp: input.agreedRateBp } : {}),
    ...(input.rates !== undefined ? { rates: input.rates } : {}),
  });
  if (!r.ok) return r;
  // no compensation before the debt is late
  const compensationCents = input.withCompensation && r.value.days > 0 ? RECOVERY_COMPENSATION_CENTS : 0;
  return ok({ principalCents: input.principalCents, interest: r.value, compensationCents, totalCents: input.principalCents + r.value.interestCents + compensationCents });
}
