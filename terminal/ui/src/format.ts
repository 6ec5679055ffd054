/** Display helpers for the cashier screen (amounts are integer cents, weights grams, rates basis points). */
import { formatMoney, parseMoney } from '@tpv/shared/money';
import type { Locale } from '@tpv/shared/i18n';
import type { Discount, Quantity } from './api';

export const money = (cents: number, locale: Locale): string => formatMoney(cents, locale);

/** 750 g → "0,750 kg" (es) / "0.750 kg" (en). */
export function kg(grams: number, locale: Locale): string {
  const sign = grams < 0 ? '-' : '';
  const abs = Math.abs(grams);
  const text = `${Math.floor(abs / 1000)}${locale === 'es' ? ',' : '.'}${String(abs % 1000).padStart(3, '0')}`;
  return `${sign}${text} kg`;
}

/** 2100 → "21 %", 1250 → "12,5 %". */
export function percent(bp: number, locale: Locale): string {
  const whole = Math.trunc(bp / 100);
  const frac = Math.abs(bp % 100);
  const sep = locale === 'es' ? ',' : '.';
  const text = frac === 0 ? String(whole) : `${whole}${sep}${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  return `${text} %`;
}

export function quantity(q: Quantity, locale: Locale): string {
  return q.kind === 'weight' ? kg(q.grams, locale) : String(q.units);
}

export function discount(d: Discount, locale: Locale): string {
  return d.kind === 'percent' ? `-${percent(d.bp, locale)}` : `-${money(d.cents, locale)}`;
}

/** "12,50" / "12.50" / "12 €" → cents; null when it is not an amount. */
export function parseAmount(text: string, locale: Locale): number | null {
  const r = parseMoney(text.replace(/\s+/g, ' '), locale);
  if (r.ok) return r.value;
  // Accept the other decimal separator too: a cashier types "12.5" on a Spanish till.
  const other = parseMoney(text, locale === 'es' ? 'en' : 'es');
  return other.ok ? other.value : null;
}

/** "10" → 1000 bp, "12,5" → 1250 bp (up to two decimals, 0–100 %). */
export function parsePercent(text: string, locale: Locale): number | null {
  const bp = parseAmount(text.replace('%', ''), locale);
  return bp !== null && bp >= 0 && bp <= 10_000 ? bp : null;
}

/** "0,750" / "0.75" / "1" kg → grams (integer, > 0). */
export function parseKg(text: string): number | null {
  const m = /^\s*(\d+)(?:[.,](\d{1,3}))?\s*(?:kg)?\s*$/i.exec(text);
  if (!m) return null;
  const grams = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return grams > 0 ? grams : null;
}

export function parseUnits(text: string): number | null {
  const m = /^\s*(\d{1,6})\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

/** Denominations of the euro, largest first (cents). */
export const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

export function denominationLabel(cents: number, locale: Locale): string {
  return cents >= 100 ? money(cents, locale).replace(/[.,]00/, '') : money(cents, locale);
}
