/**
 * Price resolution, pure (no I/O): what a product costs in a store at an instant, and the schedule a till
 * receives so it can switch prices on its own clock while offline.
 *
 * Levels: a store override beats a company override beats the base price. Inside a level the newest
 * effective value wins: a scheduled change that has taken effect beats the level's fixed price, and a fixed
 * price written later supersedes the changes that had already taken effect (prices.ts marks them
 * `superseded`, so they are not passed here).
 */
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';

export type PriceLevel = 'base' | 'company' | 'store';
export const LEVEL_ORDER: readonly PriceLevel[] = ['store', 'company', 'base'];

/** A scheduled change still in force or to come (status `scheduled`), already filtered to one store's levels. */
export interface ScheduledPrice {
  id: string;
  level: PriceLevel;
  priceCents: number;
  /** ISO-8601 UTC instant. */
  effectiveAt: string;
}

/** The fixed prices of one product as seen from one store (null: no override at that level). */
export interface FixedPrices {
  base: number;
  company: number | null;
  store: number | null;
}

/** The value of one level at an instant: its newest change effective by then, else its fixed price. */
function levelValue(level: PriceLevel, fixed: FixedPrices, changes: readonly ScheduledPrice[], atIso: string): number | null {
  let best: ScheduledPrice | undefined;
  for (const c of changes) {
    if (c.level !== level || c.effectiveAt > atIso) continue;
    if (!best || c.effectiveAt > best.effectiveAt || (c.effectiveAt === best.effectiveAt && c.id > best.id)) best = c;
  }
  return best ? best.priceCents : fixed[level];
}

/** The price in the store at `atIso`: store > company > base. */
export function priceAt(fixed: FixedPrices, changes: readonly ScheduledPrice[], atIso: string): number {
  for (const level of LEVEL_ORDER) {
    const v = levelValue(level, fixed, changes, atIso);
    if (v !== null) return v;
  }
  return fixed.base;
}

export interface ScheduleEntry {
  at: string;
  priceCents: number;
}

/**
 * The schedule a store's tills keep for one product: the price now (when a change has already taken effect,
 * so a till whose fixed price predates it still sells right), then the price from each upcoming change on.
 * Empty when nothing is scheduled: the till's fixed price is the truth.
 */
export function scheduleFor(fixed: FixedPrices, changes: readonly ScheduledPrice[], nowIso: string): ScheduleEntry[] {
  const instants = [...new Set(changes.map((c) => c.effectiveAt))].sort();
  const past = instants.filter((t) => t <= nowIso);
  const out: ScheduleEntry[] = [];
  if (past.length > 0) out.push({ at: past[past.length - 1]!, priceCents: priceAt(fixed, changes, nowIso) });
  for (const t of instants.filter((x) => x > nowIso)) out.push({ at: t, priceCents: priceAt(fixed, changes, t) });
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `yyyy-mm-ddThh:mm` of the instant in the zone. */
export function localTimeOf(epochMs: number, timeZone: string): string {
  return fiscalDateTime(epochMs, timeZone).timestamp.slice(0, 16);
}

/**
 * The UTC instant of a wall-clock time in a zone. A time that occurs twice (clocks go back) is the first of
 * the two; a time that does not exist (clocks go forward) is refused: the caller asks for another.
 */
export function localToUtc(local: string, timeZone: string): { ok: true; iso: string } | { ok: false; reason: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return { ok: false, reason: 'expected yyyy-mm-ddThh:mm' };
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(asUtc) || `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}` !== new Date(asUtc).toISOString().slice(0, 16)) {
    return { ok: false, reason: `${local} is not a valid date and time` };
  }
  const offsets = new Set([fiscalDateTime(asUtc - 14 * 3600_000, timeZone).offsetMinutes, fiscalDateTime(asUtc + 14 * 3600_000, timeZone).offsetMinutes]);
  const candidates = [...offsets].map((o) => asUtc - o * 60_000).filter((t) => localTimeOf(t, timeZone) === local).sort((a, b) => a - b);
  if (candidates.length === 0) return { ok: false, reason: `${local} does not exist in ${timeZone} (the clocks go forward then)` };
  return { ok: true, iso: new Date(candidates[0]!).toISOString() };
}
