/**
 * The tills' daily sales entries (issue 14): one entry per till session and business date in the store's
 * company, made of the rollups the ingest keeps (`sales_tax_session`, `sales_pay_session`, see rollup.ts).
 * Each posting writes the DIFFERENCE between a row's figures and what the journal already holds of it
 * (`posted_*`), so a late ticket after its day was posted gives a small complementary entry, and posting twice
 * posts nothing. Rows are read, posted and marked in bulk, one transaction per company and group of days.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { signedLine, type DraftLine } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { refused } from '../../platform/api';
import { todayInMadrid } from '../../invoicing/posting';
import { engineOfDs, writeTransaction } from '../../persistence/raw';
import { all, exec, forUpdate, inList, num, type Db } from '../../persistence/sql';
import { postEntries, type EntryInput } from '../core/journal';
import { rulesOf } from '../core/rules';

export const TILL_SESSION_SOURCE = 'till_session';

/** What is left to post of one till session and day: current − posted, per rate and per method. */
export interface SessionDelta {
  terminalId: string;
  sessionId: string;
  businessDate: string;
  storeId: string;
  tax: Array<{ ivaRateBp: number; reRateBp: number; baseCents: number; ivaCents: number; reCents: number }>;
  pay: Array<{ method: string; customerId: string; amountCents: number; customer?: { name: string; nif: string | null } }>;
}

const addTo = (m: Map<number | string, number>, k: number | string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/**
 * The lines of a session-day's entry (pure): debits cash (net of change), card clearing, vouchers and each
 * on-account customer's 430; credits sales per IVA rate (the base), output VAT per rate, recargo per rate.
 * Signed amounts: a day of returns turns sides (signedLine); zero amounts give no line. Store on every line.
 */
export function tillSessionLines(d: SessionDelta, rules: RuleOverrides): DraftLine[] {
  const at = { storeId: d.storeId };
  const byMethod = new Map<number | string, number>();
  const onAccount = new Map<string, { cents: number; name: string; nif: string | null }>();
  for (const p of d.pay) {
    if (p.method === 'on_account') {
      const c = onAccount.get(p.customerId) ?? { cents: 0, name: p.customer?.name ?? p.customerId, nif: p.customer?.nif ?? null };
      c.cents += p.amountCents;
      onAccount.set(p.customerId, c);
    } else addTo(byMethod, p.method, p.amountCents);
  }
  const base = new Map<number | string, number>();
  const iva = new Map<number | string, number>();
  const re = new Map<number | string, number>();
  for (const t of d.tax) {
    addTo(base, t.ivaRateBp, t.baseCents);
    addTo(iva, t.ivaRateBp, t.ivaCents);
    if (t.reRateBp > 0 || t.reCents !== 0) addTo(re, t.reRateBp, t.reCents);
  }
  const roleOf: Record<string, 'cash' | 'card_clearing' | 'vouchers'> = { cash: 'cash', card: 'card_clearing', voucher: 'vouchers' };
  const lines: DraftLine[] = [];
  for (const method of ['cash', 'card', 'voucher']) lines.push(...signedLine({ account: accountFor(rules, roleOf[method]!) }, byMethod.get(method) ?? 0, at));
  for (const [method, cents] of byMethod) if (!(method in roleOf) && cents !== 0) throw new Error(`unknown payment method ${String(method)}`);
  for (const [id, c] of [...onAccount].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(...signedLine({ group: '430' as const, counterparty: { kind: 'customer' as const, id, name: c.name, nif: c.nif } }, c.cents, at));
  }
  const desc = (m: Map<number | string, number>) => [...m].sort(([a], [b]) => Number(b) - Number(a));
  for (const [rate, cents] of desc(base)) lines.push(...signedLine({ account: accountFor(rules, 'sales_goods', Number(rate)) }, -cents, at));
  for (const [rate, cents] of desc(iva)) lines.push(...signedLine({ account: accountFor(rules, 'output_vat', Number(rate)) }, -cents, at));
  for (const [rate, cents] of desc(re)) lines.push(...signedLine({ account: accountFor(rules, 'output_re', Number(rate)) }, -cents, at));
  return lines;
}

export interface PostSalesInput {
  /** null: every company (HQ). */
  companyIds: readonly string[] | null;
  /** Last business date posted; null: yesterday in Madrid (a day is posted once it is over). */
  throughDate?: string | null;
  by: string | null;
}

export interface PostSalesResult {
  throughDate: string;
  companies: number;
  entries: number;
  /** Session-days whose rows were pending but moved nothing (marked posted). */
  unchanged: number;
  /** Entries whose month was locked and went into the next open one. */
  moved: number;
  totalCents: number;
  /** Session-days whose rollups do not balance (payments ≠ base + taxes): left pending, named here (at most 100). */
  unbalanced: string[];
}

export type Progress = (done: number, total: number | null, message: string | null) => Promise<void>;

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The last day a posting covers: explicit (never after today) or yesterday in Madrid. */
export function postingThrough(clock: Clock, throughDate: string | null | undefined): string {
  const today = todayInMadrid(clock);
  if (throughDate === null || throughDate === undefined) return addDays(today, -1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(throughDate)) throw refused(422, 'VALUE_REFUSED', `Not a date: ${throughDate}`, 'throughDate');
  if (throughDate > today) throw refused(422, 'DAY_NOT_OVER', `el ${throughDate} aún no ha llegado / ${throughDate} has not come yet: post up to today at most`, 'throughDate');
  return throughDate;
}

/** Companies with pending rows up to a date (filtered by `companyIds` when given). */
async function pendingCompanies(m: Db, through: string, companyIds: readonly string[] | null): Promise<string[]> {
  const rows = await all<{ company_id: string }>(
    m,
    `SELECT DISTINCT st.company_id FROM store st WHERE st.id IN (
       SELECT store_id FROM sales_tax_session WHERE pending AND business_date <= ?
       UNION SELECT store_id FROM sales_pay_session WHERE pending AND business_date <= ?) ORDER BY st.company_id`,
    [through, through],
  );
  const ids = rows.map((r) => r.company_id);
  return companyIds ? ids.filter((c) => companyIds.includes(c)) : ids;
}

interface TaxRow { terminal_id: string; session_id: string; business_date: string; iva_rate_bp: number; re_rate_bp: number; store_id: string; base: number; iva: number; re: number; pbase: number; piva: number; pre: number }
interface PayRow { terminal_id: string; session_id: string; business_date: string; method: string; customer_id: string; store_id: string; amount: number; posted: number }

/** Rows per transaction (about ten per session-day): small enough to keep locks short, big enough to batch. */
const ROWS_PER_TX = 2_000;

/** Groups a company's pending days into transactions of about ROWS_PER_TX rows. */
async function dayChunks(m: Db, storeIds: readonly string[], through: string): Promise<string[][]> {
  const rows = await all<{ business_date: string; n: unknown }>(
    m,
    `SELECT business_date, SUM(n) AS n FROM (
       SELECT business_date, COUNT(*) AS n FROM sales_tax_session WHERE pending AND business_date <= ? AND store_id IN (${inList(storeIds.length)}) GROUP BY business_date
       UNION ALL SELECT business_date, COUNT(*) AS n FROM sales_pay_session WHERE pending AND business_date <= ? AND store_id IN (${inList(storeIds.length)}) GROUP BY business_date) x
     GROUP BY business_date ORDER BY business_date`,
    [through, ...storeIds, through, ...storeIds],
  );
  const chunks: string[][] = [];
  let cur: string[] = [];
  let n = 0;
  for (const r of rows) {
    if (cur.length && n + num(r.n)! > ROWS_PER_TX) {
      chunks.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(r.business_date);
    n += num(r.n)!;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** `UPDATE … FROM (VALUES …)` on both engines (SQLite ≥ 3.33): each value cast so PostgreSQL knows its type. */
function valuesList(rows: number, types: readonly string[]): string {
  const row = `(${types.map((t) => `CAST(? AS ${t})`).join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

async function markTax(m: Db, rows: readonly TaxRow[]): Promise<void> {
  const types = ['varchar', 'varchar', 'varchar', 'integer', 'integer', 'bigint', 'bigint', 'bigint'];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    for (const r of chunk) params.push(r.terminal_id, r.session_id, r.business_date, r.iva_rate_bp, r.re_rate_bp, r.base, r.iva, r.re);
    // Posted = what this posting read (rows locked); still pending if the row moved since (cannot, but says so).
    await exec(
      m,
      `UPDATE sales_tax_session SET posted_base_cents = v.column6, posted_iva_cents = v.column7, posted_re_cents = v.column8,
         pending = (sales_tax_session.base_cents <> v.column6 OR sales_tax_session.iva_cents <> v.column7 OR sales_tax_session.re_cents <> v.column8)
       FROM (VALUES ${valuesList(chunk.length, types)}) AS v
       WHERE sales_tax_session.terminal_id = v.column1 AND sales_tax_session.session_id = v.column2 AND sales_tax_session.business_date = v.column3
         AND sales_tax_session.iva_rate_bp = v.column4 AND sales_tax_session.re_rate_bp = v.column5`,
      params,
    );
  }
}

async function markPay(m: Db, rows: readonly PayRow[]): Promise<void> {
  const types = ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'bigint'];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    for (const r of chunk) params.push(r.terminal_id, r.session_id, r.business_date, r.method, r.customer_id, r.amount);
    await exec(
      m,
      `UPDATE sales_pay_session SET posted_cents = v.column6, pending = (sales_pay_session.amount_cents <> v.column6)
       FROM (VALUES ${valuesList(chunk.length, types)}) AS v
       WHERE sales_pay_session.terminal_id = v.column1 AND sales_pay_session.session_id = v.column2 AND sales_pay_session.business_date = v.column3
         AND sales_pay_session.method = v.column4 AND sales_pay_session.customer_id = v.column5`,
      params,
    );
  }
}

const sessionKey = (r: { terminal_id: string; session_id: string; business_date: string }) => `${r.terminal_id}:${r.session_id}:${r.business_date}`;

/** Posts one company's pending session-days of some dates, in the caller's transaction. */
async function postChunk(
  m: Db,
  clock: Clock,
  company: { id: string; stores: ReadonlyMap<string, string> },
  dates: readonly string[],
  rules: RuleOverrides,
  by: string | null,
  into: PostSalesResult,
): Promise<number> {
  const storeIds = [...company.stores.keys()];
  // Rows locked in key order (as the ingest writes them), so a ticket arriving meanwhile waits rather than deadlocks.
  const where = `pending AND store_id IN (${inList(storeIds.length)}) AND business_date IN (${inList(dates.length)})`;
  const tax = (
    await all<Record<string, unknown>>(
      m,
      `SELECT terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents, posted_base_cents, posted_iva_cents, posted_re_cents FROM sales_tax_session WHERE ${where} ORDER BY terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp${forUpdate(m)}`,
      [...storeIds, ...dates],
    )
  ).map((r): TaxRow => ({
    terminal_id: String(r.terminal_id), session_id: String(r.session_id), business_date: String(r.business_date), iva_rate_bp: num(r.iva_rate_bp)!, re_rate_bp: num(r.re_rate_bp)!, store_id: String(r.store_id),
    base: num(r.base_cents)!, iva: num(r.iva_cents)!, re: num(r.re_cents)!, pbase: num(r.posted_base_cents)!, piva: num(r.posted_iva_cents)!, pre: num(r.posted_re_cents)!,
  }));
  const pay = (
    await all<Record<string, unknown>>(m, `SELECT terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents, posted_cents FROM sales_pay_session WHERE ${where} ORDER BY terminal_id, session_id, business_date, method, customer_id${forUpdate(m)}`, [...storeIds, ...dates])
  ).map((r): PayRow => ({
    terminal_id: String(r.terminal_id), session_id: String(r.session_id), business_date: String(r.business_date), method: String(r.method), customer_id: String(r.customer_id), store_id: String(r.store_id),
    amount: num(r.amount_cents)!, posted: num(r.posted_cents)!,
  }));
  if (!tax.length && !pay.length) return 0;

  const sessions = new Map<string, SessionDelta>();
  const sessionOf = (r: TaxRow | PayRow) => {
    const k = sessionKey(r);
    let s = sessions.get(k);
    if (!s) sessions.set(k, (s = { terminalId: r.terminal_id, sessionId: r.session_id, businessDate: r.business_date, storeId: r.store_id, tax: [], pay: [] }));
    return s;
  };
  for (const r of tax) sessionOf(r).tax.push({ ivaRateBp: r.iva_rate_bp, reRateBp: r.re_rate_bp, baseCents: r.base - r.pbase, ivaCents: r.iva - r.piva, reCents: r.re - r.pre });
  for (const r of pay) sessionOf(r).pay.push({ method: r.method, customerId: r.customer_id, amountCents: r.amount - r.posted });

  // Names of the on-account customers, till codes for the reference, and how often each session-day posted.
  const customerIds = [...new Set(pay.filter((p) => p.method === 'on_account' && p.amount !== p.posted).map((p) => p.customer_id))];
  const customers = new Map<string, { name: string; nif: string | null }>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const ids = customerIds.slice(i, i + 500);
    for (const c of await all<{ id: string; name: string; nif: string | null }>(m, `SELECT id, name, nif FROM customer WHERE id IN (${inList(ids.length)})`, ids)) customers.set(c.id, { name: c.name, nif: c.nif });
  }
  const terminalIds = [...new Set([...sessions.values()].map((s) => s.terminalId))];
  const tills = new Map((await all<{ id: string; code: string }>(m, `SELECT id, code FROM terminal WHERE id IN (${inList(terminalIds.length)})`, terminalIds)).map((t) => [t.id, t.code]));
  const keys = [...sessions.keys()];
  const postedBefore = new Map<string, number>();
  for (let i = 0; i < keys.length; i += 500) {
    const ids = keys.slice(i, i + 500);
    const rows = await all<{ source_id: string; n: unknown }>(
      m,
      `SELECT source_id, COUNT(*) AS n FROM acc_entry WHERE source_type = ? AND source_id IN (${inList(ids.length)}) AND company_id = ? GROUP BY source_id`,
      [TILL_SESSION_SOURCE, ...ids, company.id],
    );
    for (const r of rows) postedBefore.set(r.source_id, num(r.n)!);
  }

  const inputs: EntryInput[] = [];
  const skipped = new Set<string>();
  for (const [id, s] of [...sessions].sort(([a, x], [b, y]) => (x.businessDate !== y.businessDate ? (x.businessDate < y.businessDate ? -1 : 1) : a < b ? -1 : 1))) {
    for (const p of s.pay) if (p.method === 'on_account') p.customer = customers.get(p.customerId) ?? { name: p.customerId, nif: null };
    const lines = tillSessionLines(s, rules);
    if (!lines.length) {
      into.unchanged++;
      continue;
    }
    // Payments ≠ base + taxes cannot come from the ingest; such a day stays pending rather than stop the others.
    if (lines.reduce((a, l) => a + l.debitCents - l.creditCents, 0) !== 0) {
      skipped.add(id);
      if (into.unbalanced.length < 100) into.unbalanced.push(id);
      continue;
    }
    const n = (postedBefore.get(id) ?? 0) + 1;
    const place = `${company.stores.get(s.storeId) ?? s.storeId}-${tills.get(s.terminalId) ?? s.terminalId}`;
    inputs.push({
      companyId: company.id,
      date: s.businessDate,
      kind: 'sales',
      description: `Ventas de caja ${place} del ${s.businessDate}${n > 1 ? ` (complemento ${n - 1}: tickets recibidos después)` : ''}`,
      lines,
      source: { type: TILL_SESSION_SOURCE, id, key: n > 1 ? `${TILL_SESSION_SOURCE}:${id}#${n}` : `${TILL_SESSION_SOURCE}:${id}`, ref: `${place} ${s.businessDate}${n > 1 ? ` #${n}` : ''}` },
      mode: 'document',
      by,
    });
  }
  // One batch through the journal's way in: chart, locks, numbers and balances touched once.
  let entries = 0;
  for (const posted of await postEntries(m, clock, inputs)) {
    if (posted.existing) continue;
    entries++;
    into.totalCents += posted.totalCents;
    if (posted.moved) into.moved++;
  }
  await markTax(m, skipped.size ? tax.filter((r) => !skipped.has(sessionKey(r))) : tax);
  await markPay(m, skipped.size ? pay.filter((r) => !skipped.has(sessionKey(r))) : pay);
  into.entries += entries;
  return sessions.size;
}

/**
 * Posts the pending till session-days up to `throughDate` (yesterday by default) of some companies (null:
 * all). One transaction per company and group of days; on PostgreSQL a few companies at once (their numbering
 * and balances never touch). Idempotent: a second run finds nothing pending and posts nothing.
 */
export async function postDailySales(ds: DataSource, clock: Clock, input: PostSalesInput, progress?: Progress): Promise<PostSalesResult> {
  const through = postingThrough(clock, input.throughDate);
  const result: PostSalesResult = { throughDate: through, companies: 0, entries: 0, unchanged: 0, moved: 0, totalCents: 0, unbalanced: [] };
  const companies = await pendingCompanies(ds.manager, through, input.companyIds);
  await progress?.(0, companies.length, `${companies.length} empresas · companies`);
  let done = 0;
  const one = async (companyId: string) => {
    const stores = new Map((await all<{ id: string; code: string }>(ds.manager, `SELECT id, code FROM store WHERE company_id = ? ORDER BY id`, [companyId])).map((s) => [s.id, s.code]));
    if (!stores.size) return;
    const rules = await rulesOf(ds.manager, companyId);
    for (const dates of await dayChunks(ds.manager, [...stores.keys()], through)) {
      await writeTransaction(ds, (m) => postChunk(m, clock, { id: companyId, stores }, dates, rules, input.by, result));
    }
    result.companies++;
    await progress?.(++done, companies.length, `${result.entries} asientos · entries`);
  };
  const parallel = engineOfDs(ds) === 'postgres' ? 4 : 1;
  const queue = [...companies];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) await one(c);
    }),
  );
  return result;
}

/** What is left to post per company, store and day (amounts of the tickets not yet in the journal). */
export interface PendingDay {
  companyId: string;
  storeId: string;
  storeCode: string;
  businessDate: string;
  sessions: number;
  /** Σ (base + IVA + recargo) − what the journal holds of it. */
  pendingCents: number;
  baseCents: number;
}

export async function pendingSales(m: Db, companyIds: readonly string[] | null): Promise<PendingDay[]> {
  const filter = companyIds ? ` AND st.company_id IN (${inList(companyIds.length)})` : '';
  if (companyIds && !companyIds.length) return [];
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT st.company_id, t.store_id, st.code, t.business_date, COUNT(DISTINCT t.terminal_id || ':' || t.session_id) AS sessions,
       SUM(t.base_cents + t.iva_cents + t.re_cents - t.posted_base_cents - t.posted_iva_cents - t.posted_re_cents) AS pending_cents,
       SUM(t.base_cents - t.posted_base_cents) AS base_cents
     FROM sales_tax_session t JOIN store st ON st.id = t.store_id
     WHERE t.pending${filter}
     GROUP BY st.company_id, t.store_id, st.code, t.business_date ORDER BY st.company_id, t.business_date, st.code LIMIT 5000`,
    companyIds ? [...companyIds] : [],
  );
  return rows.map((r) => ({
    companyId: String(r.company_id), storeId: String(r.store_id), storeCode: String(r.code), businessDate: String(r.business_date),
    sessions: num(r.sessions)!, pendingCents: num(r.pending_cents)!, baseCents: num(r.base_cents)!,
  }));
}
