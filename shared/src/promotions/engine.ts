/**
 * The promotion engine: which promotions a ticket gets and what each takes off each line. Pure (no I/O, no
 * clock: the instant is an input), integer cents. The till runs it on every cart change and at payment; HQ
 * runs it again at ingest on the promotions in force at the ticket's issue time (backoffice/src/promotions)
 * and flags a ticket whose shares differ. Same inputs → same output, on both sides.
 *
 * Eligibility
 * - A promotion is in force when the instant is in [validFrom, validTo), its weekday and local time (in the
 *   store's time zone) are allowed, the store and company match, and the customer fits (segment, loyalty card).
 * - Item promotions take sale lines counted in units, at their unit price; a line with the cashier's own
 *   discount takes no item promotion (the manual discount replaces them). Category promotions also take weighed
 *   lines (a weighed line is one "unit" whose price is its gross). Ticket promotions take every line.
 *
 * Best combination (the rules, tested in shared/test/unit/promotions.test.ts)
 * 1. Each unit is used by at most one item promotion.
 * 2. Item promotions are chosen greedily: each round every candidate is applied to the units still free and
 *    the one saving the most per unit it uses wins (ties: higher priority, then lower id); its units are taken;
 *    repeat until nothing saves more. A promotion is applied as many times as the free units allow (a 3×2
 *    over 7 units makes two groups; the seventh stays free for another promotion).
 * 3. Within a promotion, groups are formed from the most expensive free units down; in an n×m / nth-unit group
 *    the cheapest units are the free / discounted ones, so the customer gets the most the rule allows.
 * 4. Ticket promotions (threshold) apply after item promotions, on what is left to pay (after line discounts
 *    and item promotions); at most one applies: the one saving most (ties: priority, then id).
 * 5. An exclusive promotion applies alone. The engine computes the combination of the non-exclusive ones
 *    and each exclusive one alone, and keeps whichever saves the customer most (ties: the combination; then
 *    priority, then id).
 *
 * Allocation: n×m and nth-unit savings go to the lines of the free / discounted units; a group's saving (mix &
 * match, bundle) is spread over its units by largest remainder in proportion to their prices; a category
 * percentage is rounded per line (half up) on the units it takes; a ticket promotion is spread over the lines by
 * largest remainder in proportion to what is left on each. Each line's share ≤ what is left on it.
 *
 * Speed: `indexPromotions` once per set of promotions (products and categories → promotions); an evaluation
 * looks only at the promotions indexed under the cart's products and categories, plus the ticket ones.
 */
import { allocate, BP_100_PERCENT, mulDiv, type Cents } from '../money';
import type { Discount, LineBenefit, Quantity } from '../ticket';
import type { Promotion, PromotionRule } from './definition';

export interface PromotionLine {
  readonly id: string;
  readonly productId: string;
  readonly categoryId?: string | null | undefined;
  readonly unitPrice: Cents;
  readonly quantity: Quantity;
  readonly discount?: Discount | undefined;
}

export interface PromotionContext {
  readonly storeId: string;
  readonly companyId: string;
  /** The instant the ticket is priced (ms since epoch). */
  readonly at: number;
  /** The store's IANA time zone (weekdays and hours). */
  readonly timeZone: string;
  readonly customer?: { readonly id: string; readonly segmentIds?: readonly string[] | undefined; readonly loyaltyCard?: string | null | undefined } | null | undefined;
}

export interface AppliedPromotion {
  readonly kind: 'promotion';
  readonly id: string;
  readonly name: string;
  readonly cents: Cents;
}

export interface PromotionResult {
  /** Per line id: its promotion shares (only lines that got any). */
  readonly lineBenefits: ReadonlyMap<string, readonly LineBenefit[]>;
  /** One entry per promotion applied, in application order (the ticket's `benefits`). */
  readonly applied: readonly AppliedPromotion[];
  readonly total: Cents;
}

export interface PromotionIndex {
  readonly byProduct: ReadonlyMap<string, readonly Promotion[]>;
  readonly byCategory: ReadonlyMap<string, readonly Promotion[]>;
  readonly ticket: readonly Promotion[];
  readonly byId: ReadonlyMap<string, Promotion>;
  readonly size: number;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
};

function productsOf(r: PromotionRule): readonly string[] {
  switch (r.kind) {
    case 'n_for_m':
    case 'nth_unit':
    case 'mix_match':
      return r.productIds;
    case 'bundle':
      return r.items.map((i) => i.productId);
    default:
      return [];
  }
}

export function indexPromotions(promotions: readonly Promotion[]): PromotionIndex {
  const byProduct = new Map<string, Promotion[]>();
  const byCategory = new Map<string, Promotion[]>();
  const ticket: Promotion[] = [];
  const byId = new Map<string, Promotion>();
  for (const p of promotions) {
    byId.set(p.id, p);
    if (p.rule.kind === 'ticket') ticket.push(p);
    else if (p.rule.kind === 'category') for (const c of new Set(p.rule.categoryIds)) push(byCategory, c, p);
    else for (const id of new Set(productsOf(p.rule))) push(byProduct, id, p);
  }
  return { byProduct, byCategory, ticket, byId, size: byId.size };
}

// ---------------------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The last answer per time zone: scans within the same minute ask the same thing (Intl is slow). */
const lastLocal = new Map<string, { minute: number; value: { weekday: number; minutes: number } }>();

/** ISO weekday and minutes since local midnight of an instant in a time zone. */
export function localWeekTime(at: number, timeZone: string): { weekday: number; minutes: number } {
  const minute = Math.floor(at / 60_000);
  const hit = lastLocal.get(timeZone);
  if (hit && hit.minute === minute) return hit.value;
  const value = computeLocalWeekTime(at, timeZone);
  lastLocal.set(timeZone, { minute, value });
  return value;
}

function computeLocalWeekTime(at: number, timeZone: string): { weekday: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  let weekday = 1;
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAY[part.value] ?? 1;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minutes: hour * 60 + minute };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const instants = new WeakMap<Promotion, { from: number; to: number }>();
function validity(p: Promotion): { from: number; to: number } {
  let v = instants.get(p);
  if (!v) instants.set(p, (v = { from: Date.parse(p.conditions.validFrom), to: p.conditions.validTo != null ? Date.parse(p.conditions.validTo) : Infinity }));
  return v;
}

/** Whether the promotion's conditions hold for this ticket (`local`: the instant's weekday/time, computed once). */
export function promotionApplies(p: Promotion, ctx: PromotionContext, local?: { weekday: number; minutes: number }): boolean {
  const c = p.conditions;
  const v = validity(p);
  if (ctx.at < v.from || ctx.at >= v.to) return false;
  if (c.companyIds && !c.companyIds.includes(ctx.companyId)) return false;
  if (c.storeIds && !c.storeIds.includes(ctx.storeId)) return false;
  if (c.loyaltyOnly && !ctx.customer?.loyaltyCard) return false;
  if (c.segmentIds) {
    const mine = ctx.customer?.segmentIds ?? [];
    if (!c.segmentIds.some((s) => mine.includes(s))) return false;
  }
  if (c.weekdays || c.hours) {
    const t = local ?? localWeekTime(ctx.at, ctx.timeZone);
    if (c.weekdays && !c.weekdays.includes(t.weekday)) return false;
    if (c.hours) {
      const from = minutesOf(c.hours.from);
      const to = minutesOf(c.hours.to);
      const inside = from < to ? t.minutes >= from && t.minutes < to : t.minutes >= from || t.minutes < to;
      if (!inside) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Applying item promotions to free units
// ---------------------------------------------------------------------------------------------------------

/** A unit of a line (weighed lines: the whole line) with the price promotions see. */
interface Unit {
  line: number;
  price: number;
  productId: string;
  categoryId: string | null;
  weighed: boolean;
  free: boolean;
}

/** Result of applying one promotion to the free units: units used and cents per line index. */
interface Application {
  promo: Promotion;
  used: Unit[];
  perLine: Map<number, number>;
  saving: number;
}

const add = (m: Map<number, number>, line: number, cents: number) => {
  if (cents !== 0) m.set(line, (m.get(line) ?? 0) + cents);
};

/** Spreads a group's saving over its units in proportion to their prices (largest remainder). */
function spread(perLine: Map<number, number>, group: readonly Unit[], saving: number): void {
  if (saving <= 0) return;
  const r = allocate(saving, group.map((u) => u.price));
  if (!r.ok) return;
  group.forEach((u, i) => add(perLine, u.line, r.value[i]!));
}

const sets = new WeakMap<readonly string[], ReadonlySet<string>>();
const idSet = (ids: readonly string[]): ReadonlySet<string> => {
  let s = sets.get(ids);
  if (!s) sets.set(ids, (s = new Set(ids)));
  return s;
};

const byPriceDesc = (a: Unit, b: Unit) => b.price - a.price || a.line - b.line;

function applyRule(promo: Promotion, units: readonly Unit[]): Application | null {
  const r = promo.rule;
  const perLine = new Map<number, number>();
  const used: Unit[] = [];
  let saving = 0;
  const unitsOf = (ids: readonly string[]) => {
    const set = idSet(ids);
    return units.filter((u) => u.free && !u.weighed && set.has(u.productId)).sort(byPriceDesc);
  };
  switch (r.kind) {
    case 'n_for_m':
    case 'nth_unit': {
      const pool = unitsOf(r.productIds);
      const size = r.kind === 'n_for_m' ? r.buy : r.nth;
      for (let g = 0; g + size <= pool.length; g += size) {
        const group = pool.slice(g, g + size);
        used.push(...group);
        if (r.kind === 'n_for_m') {
          for (const u of group.slice(r.pay)) {
            add(perLine, u.line, u.price);
            saving += u.price;
          }
        } else {
          const u = group[size - 1]!;
          const s = mulDiv(u.price, r.percentBp, BP_100_PERCENT, 'halfUp');
          add(perLine, u.line, s);
          saving += s;
        }
      }
      break;
    }
    case 'mix_match': {
      const pool = unitsOf(r.productIds);
      for (let g = 0; g + r.quantity <= pool.length; g += r.quantity) {
        const group = pool.slice(g, g + r.quantity);
        const sum = group.reduce((s, u) => s + u.price, 0);
        const s = r.priceCents !== undefined ? sum - r.priceCents : mulDiv(sum, r.percentBp ?? 0, BP_100_PERCENT, 'halfUp');
        if (s <= 0) break; // the cheaper groups below save even less
        used.push(...group);
        spread(perLine, group, s);
        saving += s;
      }
      break;
    }
    case 'bundle': {
      const pools = r.items.map((i) => ({ need: i.units, pool: unitsOf([i.productId]) }));
      for (let k = 0; ; k++) {
        if (pools.some((p) => (k + 1) * p.need > p.pool.length)) break;
        const group = pools.flatMap((p) => p.pool.slice(k * p.need, (k + 1) * p.need));
        const s = group.reduce((a, u) => a + u.price, 0) - r.priceCents;
        if (s <= 0) break;
        used.push(...group);
        spread(perLine, group, s);
        saving += s;
      }
      break;
    }
    case 'category': {
      const set = idSet(r.categoryIds);
      const byLine = new Map<number, Unit[]>();
      for (const u of units) {
        if (u.free && u.categoryId !== null && set.has(u.categoryId)) {
          const a = byLine.get(u.line);
          if (a) a.push(u);
          else byLine.set(u.line, [u]);
        }
      }
      for (const [line, us] of byLine) {
        const amount = us.reduce((s, u) => s + u.price, 0);
        const s = r.percentBp !== undefined ? mulDiv(amount, r.percentBp, BP_100_PERCENT, 'halfUp') : us.reduce((a, u) => a + Math.min(u.price, r.amountCents ?? 0), 0);
        if (s <= 0) continue;
        used.push(...us);
        add(perLine, line, s);
        saving += s;
      }
      break;
    }
    case 'ticket':
      return null;
  }
  return saving > 0 ? { promo, used, perLine, saving } : null;
}

/** Whether application a beats b: saving per unit, then priority, then id. Compared exactly (cross-multiplied). */
function better(a: Application, b: Application): boolean {
  const l = a.saving * b.used.length;
  const r = b.saving * a.used.length;
  if (l !== r) return l > r;
  if (a.promo.priority !== b.promo.priority) return a.promo.priority > b.promo.priority;
  return a.promo.id < b.promo.id;
}

interface Plan {
  perLine: Array<Map<string, number>>;
  applied: AppliedPromotion[];
  total: number;
}

function planItems(candidates: readonly Promotion[], units: Unit[], lineCount: number): Plan {
  const plan: Plan = { perLine: Array.from({ length: lineCount }, () => new Map()), applied: [], total: 0 };
  // An application only changes when units it could use are taken: each round recomputes only the
  // promotions that share a line with the units the winner took (the others keep their last application).
  const cache = new Map<Promotion, Application>();
  for (const p of candidates) {
    const a = applyRule(p, units);
    if (a !== null) cache.set(p, a); // nothing to save now, and units only get fewer
  }
  const linesOf = new Map<Promotion, Set<number>>();
  const eligibleLines = (p: Promotion): Set<number> => {
    let s = linesOf.get(p);
    if (!s) {
      s = new Set<number>();
      const r = p.rule;
      const ids = r.kind === 'category' ? idSet(r.categoryIds) : idSet(productsOf(r));
      for (const u of units) if (ids.has(r.kind === 'category' ? (u.categoryId ?? '') : u.productId)) s.add(u.line);
      linesOf.set(p, s);
    }
    return s;
  };
  while (cache.size > 0) {
    let best: Application | null = null;
    for (const a of cache.values()) if (best === null || better(a, best)) best = a;
    if (best === null) break;
    for (const u of best.used) u.free = false;
    cache.delete(best.promo);
    const taken = new Set(best.used.map((u) => u.line));
    for (const p of [...cache.keys()]) {
      let touches = false;
      for (const l of eligibleLines(p)) if (taken.has(l)) touches = true;
      if (!touches) continue;
      const a = applyRule(p, units);
      if (a === null) cache.delete(p);
      else cache.set(p, a);
    }
    for (const [line, cents] of best.perLine) plan.perLine[line]!.set(best.promo.id, cents);
    plan.applied.push({ kind: 'promotion', id: best.promo.id, name: best.promo.name, cents: best.saving });
    plan.total += best.saving;
  }
  return plan;
}

/** Applies the best of the ticket promotions on what is left of each line (amounts: after discounts and item promotions). */
function planTicket(candidates: readonly Promotion[], left: readonly number[], plan: Plan): void {
  const remaining = left.reduce((s, x) => s + x, 0);
  if (remaining <= 0) return;
  let best: { p: Promotion; s: number } | null = null;
  for (const p of candidates) {
    const r = p.rule;
    if (r.kind !== 'ticket' || remaining < r.thresholdCents) continue;
    const s = r.percentBp !== undefined ? mulDiv(remaining, r.percentBp, BP_100_PERCENT, 'halfUp') : Math.min(r.amountCents ?? 0, remaining);
    if (s <= 0) continue;
    if (best === null || s > best.s || (s === best.s && (p.priority > best.p.priority || (p.priority === best.p.priority && p.id < best.p.id)))) best = { p, s };
  }
  if (!best) return;
  const shares = allocate(best.s, left.map((x) => Math.max(0, x)));
  if (!shares.ok) return;
  shares.value.forEach((c, i) => {
    if (c > 0) plan.perLine[i]!.set(best!.p.id, (plan.perLine[i]!.get(best!.p.id) ?? 0) + c);
  });
  plan.applied.push({ kind: 'promotion', id: best.p.id, name: best.p.name, cents: best.s });
  plan.total += best.s;
}

function lineNet(l: PromotionLine): number {
  const gross = l.quantity.kind === 'units' ? l.unitPrice * l.quantity.units : mulDiv(l.unitPrice, l.quantity.grams, 1000, 'halfUp');
  if (!l.discount) return gross;
  const d = l.discount.kind === 'percent' ? mulDiv(gross, l.discount.bp, BP_100_PERCENT, 'halfUp') : l.discount.cents;
  return Math.max(0, gross - d);
}

/** Units beyond this per line are not expanded one by one (a pallet line takes no item promotion). */
const MAX_UNITS_PER_LINE = 1000;

function unitsOf(lines: readonly PromotionLine[]): Unit[] {
  const units: Unit[] = [];
  lines.forEach((l, i) => {
    if (l.discount) return;
    const categoryId = l.categoryId ?? null;
    if (l.quantity.kind === 'weight') {
      units.push({ line: i, price: lineNet(l), productId: l.productId, categoryId, weighed: true, free: true });
      return;
    }
    if (l.quantity.units <= 0 || l.quantity.units > MAX_UNITS_PER_LINE) return;
    for (let k = 0; k < l.quantity.units; k++) units.push({ line: i, price: l.unitPrice, productId: l.productId, categoryId, weighed: false, free: true });
  });
  return units;
}

function run(item: readonly Promotion[], ticket: readonly Promotion[], lines: readonly PromotionLine[], nets: readonly number[]): Plan {
  const plan = planItems(item, unitsOf(lines), lines.length);
  const left = nets.map((n, i) => {
    let x = n;
    for (const c of plan.perLine[i]!.values()) x -= c;
    return x;
  });
  planTicket(ticket, left, plan);
  return plan;
}

const EMPTY: PromotionResult = { lineBenefits: new Map(), applied: [], total: 0 };

/** The promotions a sale gets and each line's shares (see the rules in the header). */
export function evaluatePromotions(index: PromotionIndex, lines: readonly PromotionLine[], ctx: PromotionContext): PromotionResult {
  if (index.size === 0 || lines.length === 0) return EMPTY;
  const seen = new Set<Promotion>();
  const found: Promotion[] = [];
  const take = (ps: readonly Promotion[] | undefined) => {
    if (!ps) return;
    for (const p of ps) {
      if (seen.has(p)) continue;
      seen.add(p);
      found.push(p);
    }
  };
  for (const l of lines) {
    take(index.byProduct.get(l.productId));
    if (l.categoryId) take(index.byCategory.get(l.categoryId));
  }
  take(index.ticket);
  if (found.length === 0) return EMPTY;
  let local: { weekday: number; minutes: number } | undefined;
  const inForce = found.filter((p) => {
    if ((p.conditions.weekdays || p.conditions.hours) && !local) local = localWeekTime(ctx.at, ctx.timeZone);
    return promotionApplies(p, ctx, local);
  });
  if (inForce.length === 0) return EMPTY;
  const nets = lines.map(lineNet);
  const shared = inForce.filter((p) => !p.exclusive);
  let best = run(shared.filter((p) => p.rule.kind !== 'ticket'), shared.filter((p) => p.rule.kind === 'ticket'), lines, nets);
  const alone = inForce.filter((p) => p.exclusive).sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of alone) {
    const plan = p.rule.kind === 'ticket' ? run([], [p], lines, nets) : run([p], [], lines, nets);
    if (plan.total > best.total) best = plan;
  }
  if (best.total === 0) return EMPTY;
  const lineBenefits = new Map<string, LineBenefit[]>();
  best.perLine.forEach((m, i) => {
    if (m.size === 0) return;
    lineBenefits.set(lines[i]!.id, [...m].map(([id, cents]) => ({ kind: 'promotion' as const, id, cents })));
  });
  return { lineBenefits, applied: best.applied, total: best.total };
}

/** The lines with their promotion shares replaced by `result`'s (other benefits, e.g. loyalty, kept). */
export function withPromotionBenefits<L extends { readonly id: string; readonly benefits?: readonly LineBenefit[] | undefined }>(lines: readonly L[], result: PromotionResult): L[] {
  return lines.map((l) => {
    const others = (l.benefits ?? []).filter((b) => b.kind !== 'promotion');
    const mine = result.lineBenefits.get(l.id) ?? [];
    const benefits = [...mine, ...others];
    if (benefits.length === 0) {
      if (l.benefits === undefined) return l;
      const { benefits: _drop, ...rest } = l;
      return rest as unknown as L;
    }
    return { ...l, benefits };
  });
}
