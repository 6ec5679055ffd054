/**
 * Sales history generator (pure, deterministic for a seed): days of tickets in every store as its tills
 * would have issued them — priced with the shared rules, numbered in each till's own series, chained with
 * real Veri*Factu records (`issueTicketDocument`) — with realistic shape:
 * - opening hours per weekday (Mon–Sat 9:00–21:30, Sun 10:00–15:00), busy at midday and after work;
 * - weekday factors (Saturday ≈ 1.6 × Monday, Sunday half a day) and seasonality (summer dip, December rush);
 * - baskets of 1–15 articles, popular articles sold far more often than the long tail, weighed articles by
 *   the gram, a few line promotions;
 * - card ≈ 60 %, cash with change, on-account customers now and then, ~1 % returns of recent sales.
 * Used by the demo (90 days) and the bench seeding (a million tickets); writers are in ./write.ts.
 */
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import { seriesFor } from '@tpv/shared/fiscal/series';
import { uuidv7 } from '@tpv/shared/ids';
import { seededRandom } from '@tpv/shared/prng';
import { unwrap } from '@tpv/shared/result';
import { priceTicket, returnLinesFor, settle, type LineInput, type Payment, type PricedTicket } from '@tpv/shared/ticket';
import { issueTicketDocument } from '@tpv/shared/wire/issue';
import type { TicketDocument } from '@tpv/shared/wire/ticket';

export interface HistoryProduct {
  id: string;
  name: string;
  taxRateBp: 2100 | 1000 | 400 | 0;
  exemption?: 'E1' | 'E2' | 'E3' | 'E4' | 'E5' | 'E6' | null;
  weighed: boolean;
  priceCents: number;
}

export interface HistoryTill {
  id: string;
  code: string;
  installation: string;
}

export interface HistoryStore {
  id: string;
  code: string;
  companyNif: string;
  timezone: string;
  tills: HistoryTill[];
  cashiers: Array<{ id: string; name: string }>;
  /** Tickets on an average day (before weekday and season factors). */
  ticketsPerDay: number;
  /** Prices of this store (falls back to the product's price). */
  prices?: ReadonlyMap<string, number>;
}

export interface HistoryPlan {
  stores: HistoryStore[];
  products: HistoryProduct[];
  customers?: Array<{ id: string; name: string; nif?: string | null }>;
  /** First and last day (yyyy-mm-dd, store-local), inclusive. */
  fromDay: string;
  toDay: string;
  seed?: number;
  /** Share of tickets that are returns of a recent sale (default 0.01). */
  returnRate?: number;
}

export interface HistoryTicket {
  doc: TicketDocument;
  storeId: string;
  terminalId: string;
  /** Epoch ms the ticket was issued. */
  at: number;
}

export interface TillState {
  seq: number;
  saleNumber: Map<string, number>;
  returnNumber: Map<string, number>;
  lastHash: string;
}

const WEEKDAY = [0.5, 0.85, 0.9, 0.95, 1.0, 1.25, 1.4]; // Sun..Sat
/** Opening [start, end) in local hours per weekday (Sun..Sat). */
const HOURS: Array<[number, number]> = [[10, 15], [9, 21.5], [9, 21.5], [9, 21.5], [9, 21.5], [9, 21.5], [9, 21.5]];
/** Relative traffic per local hour. */
const HOUR_WEIGHT = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.6, 0.8, 1.0, 1.4, 1.5, 1.2, 0.7, 0.6, 0.8, 1.2, 1.5, 1.4, 0.9, 0, 0];
/** Seasonality by month (Jan..Dec). */
const MONTH = [0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 0.95, 0.8, 1.0, 1.0, 1.05, 1.25];

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days of the plan, in order. */
export function daysOf(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let t = dayMs(fromDay); t <= dayMs(toDay); t += DAY_MS) out.push(dayOf(t));
  return out;
}

/** Epoch ms of a store-local wall time (shops are closed at the DST switch, so the day's noon offset is right). */
function localToEpoch(day: string, hours: number, tz: string): number {
  const noon = dayMs(day) + 12 * 3_600_000;
  const offset = fiscalDateTime(noon, tz).offsetMinutes;
  return dayMs(day) + Math.round(hours * 3_600_000) - offset * 60_000;
}

export interface HistoryGenerator {
  /** The tickets of one day in every store, each till's in issue order. */
  day(day: string): HistoryTicket[];
  readonly tills: Map<string, TillState>;
}

export function historyGenerator(plan: HistoryPlan): HistoryGenerator {
  const rnd = seededRandom(plan.seed ?? 20261130);
  const rb = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
    return out;
  };
  const products = plan.products;
  // Popular articles sell far more: index drawn from a skewed distribution over a shuffled catalog.
  const order = products.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pickProduct = () => products[order[Math.floor(order.length * Math.pow(rnd(), 2.2))]!]!;
  const onAccount = plan.customers ?? [];
  const returnRate = plan.returnRate ?? 0.01;
  const tills = new Map<string, TillState>();
  const recent = new Map<string, Array<{ doc: TicketDocument; priced: PricedTicket }>>();
  for (const s of plan.stores) {
    for (const t of s.tills) tills.set(t.id, { seq: 0, saleNumber: new Map(), returnNumber: new Map(), lastHash: '' });
    recent.set(s.id, []);
  }
  const hourCdf = (open: number, close: number) => {
    const w: Array<[number, number]> = [];
    let acc = 0;
    for (let h = Math.floor(open); h < Math.ceil(close); h++) {
      acc += HOUR_WEIGHT[h]! || 0.3;
      w.push([h, acc]);
    }
    return { w, acc };
  };

  function issue(store: HistoryStore, till: HistoryTill, at: number, kind: 'sale' | 'return', lines: LineInput[], payFor: (total: number) => Payment[], extra: { customer?: TicketDocument['customer']; original?: TicketDocument; cashier: { id: string; name: string }; sessionId: string }) {
    const st = tills.get(till.id)!;
    const priced = unwrap(priceTicket({ kind, lines }));
    const payments = payFor(priced.totals.total);
    const settled = unwrap(settle(priced.totals.total, payments));
    const local = fiscalDateTime(at, store.timezone);
    const series = unwrap(seriesFor({ storeCode: store.code, terminalCode: till.code, year: Number(local.date.slice(6)), kind }));
    const numbers = kind === 'sale' ? st.saleNumber : st.returnNumber;
    const number = (numbers.get(series) ?? 0) + 1;
    numbers.set(series, number);
    const o = extra.original;
    const doc = unwrap(
      issueTicketDocument({
        id: uuidv7(at, rb),
        seq: ++st.seq,
        kind,
        series,
        number,
        issuedAtMs: at,
        local,
        issuer: { terminalId: till.id, storeId: store.id, installation: till.installation, companyNif: store.companyNif, timezone: store.timezone },
        cashier: extra.cashier,
        customer: extra.customer,
        priced,
        payments,
        change: settled.change,
        sessionId: extra.sessionId,
        original: o ? { id: o.id, fiscalNumber: o.fiscalNumber, issueDate: o.fiscal.issueDate } : undefined,
        previousHash: st.lastHash === '' ? null : st.lastHash,
      }),
    );
    st.lastHash = doc.fiscal.hash;
    return { doc, priced };
  }

  function day(d: string): HistoryTicket[] {
    const date = new Date(`${d}T12:00:00Z`);
    const wd = date.getUTCDay();
    const [open, close] = HOURS[wd]!;
    const { w, acc } = hourCdf(open, close);
    const out: HistoryTicket[] = [];
    for (const store of plan.stores) {
      const mean = store.ticketsPerDay * WEEKDAY[wd]! * MONTH[date.getUTCMonth()]! * (0.85 + rnd() * 0.3);
      const n = Math.max(0, Math.round(mean));
      // Times of the day's tickets, spread over the opening hours by the hourly curve, sorted.
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = rnd() * acc;
        const h = w.find(([, c]) => c >= r)![0];
        const hours = Math.min(close - 1 / 3600, Math.max(open, h + rnd()));
        times.push(localToEpoch(d, hours, store.timezone) + Math.floor(rnd() * 1000));
      }
      times.sort((a, b) => a - b);
      const recents = recent.get(store.id)!;
      times.forEach((at, i) => {
        const till = store.tills[i % store.tills.length]!;
        const cashier = store.cashiers[(store.tills.indexOf(till) + (at % 2 === 0 ? 0 : 1)) % store.cashiers.length] ?? { id: '00000000-0000-7000-8006-000000000000', name: 'Caja' };
        const sessionId = `H-${till.code}-${d}`;
        if (recents.length > 20 && rnd() < returnRate) {
          const s = recents[Math.floor(rnd() * recents.length)]!;
          const idx = Math.floor(rnd() * s.priced.lines.length);
          const line = s.priced.lines[idx]!;
          const q = line.quantity.kind === 'units' ? 1 : Math.max(1, Math.floor(line.quantity.grams / 2));
          const lines = unwrap(returnLinesFor(s.doc.id, s.priced.lines, [], [{ lineId: line.id, quantity: line.quantity.kind === 'units' ? { kind: 'units', units: q } : { kind: 'weight', grams: q } }]));
          const built = issue(store, till, at, 'return', lines, (total) => [{ method: 'cash', amount: total }], { original: s.doc, cashier, sessionId });
          // A sale is returned at most once here (returns of returns would need the running totals).
          recents.splice(recents.indexOf(s), 1);
          out.push({ doc: built.doc, storeId: store.id, terminalId: till.id, at });
          return;
        }
        const size = Math.min(15, 1 + Math.floor(-Math.log(1 - rnd()) * 3.2));
        const chosen = new Map<string, HistoryProduct>();
        for (let k = 0; k < size; k++) {
          const p = pickProduct();
          chosen.set(p.id, p);
        }
        const lines: LineInput[] = [...chosen.values()].map((p, li) => ({
          id: String(li + 1),
          productId: p.id,
          description: p.name.slice(0, 200),
          taxRate: p.taxRateBp,
          exemption: p.exemption ?? undefined,
          unitPrice: store.prices?.get(p.id) ?? p.priceCents,
          quantity: p.weighed ? { kind: 'weight', grams: 150 + Math.floor(rnd() * 1350) } : { kind: 'units', units: rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 3) },
          ...(rnd() < 0.04 ? { discount: { kind: 'percent' as const, bp: rnd() < 0.5 ? 1000 : 2000 } } : {}),
        }));
        const r = rnd();
        const customer = onAccount.length > 0 && r < 0.015 ? onAccount[Math.floor(rnd() * onAccount.length)]! : null;
        const built = issue(
          store,
          till,
          at,
          'sale',
          lines,
          (total) => {
            if (customer) return [{ method: 'on_account', amount: total, customerId: customer.id }];
            if (r < 0.62) return [{ method: 'card', amount: total, reference: `AUT${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}` }];
            // Cash: exact now and then, otherwise the next 5 €/10 €/20 €/50 € note (change stays under 50 €).
            const note = [500, 1000, 2000, 5000].find((n) => n >= total && n - total < 5000) ?? Math.ceil(total / 1000) * 1000;
            return [{ method: 'cash', amount: rnd() < 0.25 ? total : Math.max(total, Math.ceil(total / note) * note) }];
          },
          { cashier, sessionId, ...(customer ? { customer: { id: customer.id, name: customer.name, ...(customer.nif ? { nif: customer.nif } : {}), reRegime: false } } : {}) },
        );
        recents.push(built);
        if (recents.length > 200) recents.shift();
        out.push({ doc: built.doc, storeId: store.id, terminalId: till.id, at });
      });
    }
    return out;
  }

  return { day, tills };
}
