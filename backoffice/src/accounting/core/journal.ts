/**
 * The journal's one way in: every entry — a document's, a manual one, a reversal — is written by `postEntry`
 * in the caller's transaction. It resolves the accounts (counterparty sub-accounts opened as needed), checks
 * the entry balances (shared/src/accounting/entries.ts), places it in an open period, numbers it gapless per
 * company and year, writes its lines and adds them to `acc_balance`, so balances always equal their lines.
 *
 * A document posts once: its `sourceKey` is unique per company, and a second call answers the first entry.
 * Periods: a document dated in a locked month posts into the first open month after it (the document's own
 * date is kept on the entry); a manual entry into a locked month is refused.
 */
import type { Clock } from '@tpv/shared/clock';
import { checkEntry, periodOf, postingDate, reversedLines, type DraftLine, type JournalLine } from '@tpv/shared/accounting/entries';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { newRowId } from '../../persistence/row-id';
import { all, exec, forUpdate, isPostgres, num, one, type Db } from '../../persistence/sql';
import { refused } from '../../platform/api';
import { counterpartyAccount, ensureAccounts, ensureChart } from './chart';

export const ENTRY_KINDS = [
  'manual',
  'recurring',
  'reversal',
  'sales',
  'invoice',
  'invoice_cancel',
  'fee_received',
  'supplier_invoice',
  'payment',
  'remittance',
  'remittance_return',
  'write_off',
  'stock_variation',
  'voucher_sale',
  'opening',
  'closing',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface EntrySource {
  /** What the entry comes from (`invoice`, `supplier_invoice`, `till_session`, `payment`…) and its id. */
  type: string;
  id: string;
  /** Unique per company: the document posts once. Default `type:id`. */
  key?: string;
  /** The document as people name it (`F-2026-000042`). */
  ref?: string | null;
}

export interface EntryInput {
  companyId: string;
  /** The document's date (yyyy-mm-dd). */
  date: string;
  kind: EntryKind;
  description: string;
  lines: readonly DraftLine[];
  source?: EntrySource | null;
  /** `document`: a locked month moves it to the next open one; `manual`: a locked month refuses it. */
  mode: 'document' | 'manual';
  by: string | null;
  attachments?: readonly string[];
  reverses?: string | null;
}

export interface PostedEntry {
  id: string;
  companyId: string;
  year: number;
  number: number;
  entryDate: string;
  documentDate: string;
  period: string;
  /** The document's own month was locked: it went into the first open one. */
  moved: boolean;
  totalCents: number;
  /** Already posted before this call (idempotent repeat). */
  existing: boolean;
}

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const entryProblem = (code: string, detail: string, errors: ReadonlyArray<{ path: string; message: string }>) =>
  new HttpProblem(problem(422, code, 'Entry refused', { detail, errors: [...errors] }));

/** Months of a company that are locked (a closed fiscal year locks all its months). */
export async function lockedPeriods(m: Db, companyId: string): Promise<Set<string>> {
  const rows = await all<{ period: string }>(m, `SELECT period FROM acc_period_lock WHERE company_id = ?`, [companyId]);
  const closed = await all<{ year: unknown }>(m, `SELECT year FROM acc_fiscal_year WHERE company_id = ? AND status = 'closed'`, [companyId]);
  const set = new Set(rows.map((r) => r.period));
  for (const c of closed) for (let mo = 1; mo <= 12; mo++) set.add(`${num(c.year)}-${String(mo).padStart(2, '0')}`);
  return set;
}

async function ensureFiscalYear(m: Db, clock: Clock, companyId: string, year: number): Promise<void> {
  const sql = isPostgres(m)
    ? `INSERT INTO acc_fiscal_year (company_id, year, status, created_at) VALUES (?, ?, 'open', ?) ON CONFLICT DO NOTHING`
    : `INSERT OR IGNORE INTO acc_fiscal_year (company_id, year, status, created_at) VALUES (?, ?, 'open', ?)`;
  await exec(m, sql, [companyId, year, iso(clock)]);
}

/** A posted entry as its row says (an idempotent repeat answers it). */
const postedOfRow = (r: Record<string, unknown>, companyId: string): PostedEntry => ({
  id: String(r.id),
  companyId,
  year: num(r.year)!,
  number: num(r.number)!,
  entryDate: String(r.entry_date),
  documentDate: String(r.document_date),
  period: String(r.period),
  moved: periodOf(String(r.entry_date)) !== periodOf(String(r.document_date)),
  totalCents: num(r.total_cents)!,
  existing: true,
});

/** One entry (a document's, a manual one, a reversal): a batch of one. */
export async function postEntry(m: Db, clock: Clock, input: EntryInput): Promise<PostedEntry> {
  return (await postEntries(m, clock, [input]))[0]!;
}

/** Adds lines to the period balances (sorted, so concurrent postings lock balance rows in one order). */
export async function addToBalances(m: Db, companyId: string, period: string, lines: readonly JournalLine[]): Promise<void> {
  const by = new Map<string, { account: string; store: string; d: number; c: number; n: number }>();
  for (const l of lines) {
    const k = `${l.account}|${l.storeId ?? ''}`;
    const b = by.get(k) ?? { account: l.account, store: l.storeId ?? '', d: 0, c: 0, n: 0 };
    b.d += l.debitCents;
    b.c += l.creditCents;
    b.n++;
    by.set(k, b);
  }
  const rows = [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b);
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const params: unknown[] = [];
    for (const b of chunk) params.push(companyId, b.account, period, b.store, b.d, b.c, b.n);
    await exec(
      m,
      `INSERT INTO acc_balance (company_id, account, period, store_id, debit_cents, credit_cents, line_count) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (company_id, period, account, store_id) DO UPDATE SET debit_cents = acc_balance.debit_cents + excluded.debit_cents,
         credit_cents = acc_balance.credit_cents + excluded.credit_cents, line_count = acc_balance.line_count + excluded.line_count`,
      params,
    );
  }
}

export interface EntryLineView extends JournalLine {
  lineNo: number;
}

export async function entryLines(m: Db, entryId: string): Promise<EntryLineView[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT line_no, account, debit_cents, credit_cents, store_id, description FROM acc_line WHERE entry_id = ? ORDER BY line_no`, [entryId]);
  return rows.map((r) => ({
    lineNo: num(r.line_no)!,
    account: String(r.account),
    debitCents: num(r.debit_cents)!,
    creditCents: num(r.credit_cents)!,
    storeId: (r.store_id as string | null) ?? null,
    description: (r.description as string | null) ?? null,
  }));
}

/**
 * Reverses a posted entry with a new one (every debit a credit), dated `date` (default: the original's date,
 * moved to the next open month if locked). An entry is reversed once; a reversal is not reversed again.
 */
export async function reverseEntry(m: Db, clock: Clock, entryId: string, by: string | null, opts: { date?: string; reason?: string; mode?: EntryInput['mode'] } = {}): Promise<PostedEntry> {
  const e = await one<Record<string, unknown>>(m, `SELECT id, company_id, year, number, entry_date, kind, description, reversed_by_id, reverses_id FROM acc_entry WHERE id = ?${forUpdate(m)}`, [entryId]);
  if (!e) throw refused(404, 'NOT_FOUND', 'No such entry');
  if (e.reversed_by_id) throw refused(409, 'ENTRY_ALREADY_REVERSED', `Entry ${num(e.year)}/${num(e.number)} was already reversed`);
  if (e.reverses_id) throw refused(409, 'ENTRY_IS_REVERSAL', `Entry ${num(e.year)}/${num(e.number)} is itself a reversal: post a new entry instead`);
  const lines = await entryLines(m, entryId);
  const posted = await postEntry(m, clock, {
    companyId: String(e.company_id),
    date: opts.date ?? String(e.entry_date),
    kind: 'reversal',
    description: `Anulación del asiento ${num(e.year)}/${num(e.number)}${opts.reason ? `: ${opts.reason}` : ''}`.slice(0, 300),
    lines: reversedLines(lines).map(({ lineNo: _n, ...l }) => l),
    source: { type: 'reversal', id: entryId, ref: `${num(e.year)}/${num(e.number)}` },
    mode: opts.mode ?? 'document',
    by,
    reverses: entryId,
  });
  await exec(m, `UPDATE acc_entry SET reversed_by_id = ? WHERE id = ?`, [posted.id, entryId]);
  return posted;
}

/** The entries a document produced (every company's), oldest first: what a document page links to. */
export async function entriesOfSource(m: Db, sourceType: string, sourceId: string): Promise<Array<{ id: string; companyId: string; year: number; number: number; entryDate: string; kind: string; totalCents: number }>> {
  const rows = await all<Record<string, unknown>>(m, `SELECT id, company_id, year, number, entry_date, kind, total_cents FROM acc_entry WHERE source_type = ? AND source_id = ? ORDER BY created_at, number`, [sourceType, sourceId]);
  return rows.map((r) => ({ id: String(r.id), companyId: String(r.company_id), year: num(r.year)!, number: num(r.number)!, entryDate: String(r.entry_date), kind: String(r.kind), totalCents: num(r.total_cents)! }));
}

/**
 * Entries of ONE company, in the order given (one for a document or a person; a month of the tills' daily sales
 * at once): a document posts once (its key), counterparty sub-accounts opened, every entry balanced, a locked
 * month moves a document to the next open one and refuses a manual entry, gapless numbers, balances kept equal to
 * the lines — with the company's chart, locks, counters and balances touched once per batch, not per entry.
 * Answers one PostedEntry per input, in order. Any refused entry throws: the caller's transaction rolls back.
 */
export async function postEntries(m: Db, clock: Clock, inputs: readonly EntryInput[]): Promise<PostedEntry[]> {
  if (!inputs.length) return [];
  const companyId = inputs[0]!.companyId;
  for (const input of inputs) {
    if (input.companyId !== companyId) throw new Error('postEntries: one company per batch');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw refused(422, 'VALUE_REFUSED', `Not a date: ${input.date}`, 'date');
    // A person's entry is checked as typed, before any sub-account is opened; a document's zero lines are dropped.
    if (input.mode === 'manual') {
      const shape = checkEntry(input.lines);
      if (!shape.ok) throw entryProblem(shape.error.code, shape.error.message, shape.error.errors);
    }
  }
  const keyOf = (input: EntryInput) => (input.source ? (input.source.key ?? `${input.source.type}:${input.source.id}`) : null);
  const keys = [...new Set(inputs.map(keyOf).filter((k): k is string => k !== null))];
  const existing = new Map<string, PostedEntry>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const rows = await all<Record<string, unknown>>(m, `SELECT id, year, number, entry_date, document_date, period, total_cents, source_key FROM acc_entry WHERE company_id = ? AND source_key IN (${chunk.map(() => '?').join(', ')})`, [companyId, ...chunk]);
    for (const r of rows) existing.set(String(r.source_key), postedOfRow(r, companyId));
  }
  await ensureChart(m, clock, companyId);
  const todo = inputs.filter((input) => {
    const k = keyOf(input);
    return k === null || !existing.has(k);
  });
  await ensureAccounts(m, clock, companyId, todo.flatMap((input) => input.lines.flatMap((l) => ('account' in l ? [l.account] : []))));
  // Counterparty sub-accounts: found or opened once per counterparty of the batch.
  const counterparties = new Map<string, string>();
  const locked = await lockedPeriods(m, companyId);
  const prepared: Array<{ input: EntryInput; key: string | null; lines: JournalLine[]; totalCents: number; entryDate: string; moved: boolean }> = [];
  const seenKeys = new Set<string>();
  for (const input of todo) {
    const key = keyOf(input);
    if (key !== null) {
      if (seenKeys.has(key)) throw new Error(`postEntries: key ${key} twice in one batch`);
      seenKeys.add(key);
    }
    const lines: JournalLine[] = [];
    for (const l of input.lines) {
      if (l.debitCents === 0 && l.creditCents === 0) continue;
      let account: string;
      if ('account' in l) account = l.account;
      else {
        const ck = `${l.group}|${l.counterparty.kind}|${l.counterparty.id}`;
        account = counterparties.get(ck) ?? (await counterpartyAccount(m, clock, companyId, l));
        counterparties.set(ck, account);
      }
      lines.push({ account, debitCents: l.debitCents, creditCents: l.creditCents, storeId: l.storeId ?? null, description: l.description ?? null });
    }
    const checked = checkEntry(lines);
    if (!checked.ok) throw entryProblem(checked.error.code, checked.error.message, checked.error.errors);
    if (input.mode === 'manual' && locked.has(periodOf(input.date))) {
      throw refused(409, 'PERIOD_LOCKED', `${periodOf(input.date)} is locked: nothing posts into it. Date the entry in an open month (a correction goes into an open period).`, 'date');
    }
    const { date: entryDate, moved } = locked.has(periodOf(input.date)) ? postingDate(input.date, (p) => locked.has(p)) : { date: input.date, moved: false };
    prepared.push({ input, key, lines, totalCents: checked.value.totalCents, entryDate, moved });
  }
  // Gapless numbers per year, a block at a time, in the order given.
  const perYear = new Map<number, number>();
  for (const p of prepared) perYear.set(Number(p.entryDate.slice(0, 4)), (perYear.get(Number(p.entryDate.slice(0, 4))) ?? 0) + 1);
  const nextNumber = new Map<number, number>();
  for (const [year, count] of perYear) {
    await ensureFiscalYear(m, clock, companyId, year);
    const row = await one<{ last_number: unknown }>(
      m,
      `INSERT INTO document_counter (company_id, document_type, year, last_number) VALUES (?, 'journal_entry', ?, ?)
       ON CONFLICT (company_id, document_type, year) DO UPDATE SET last_number = document_counter.last_number + excluded.last_number
       RETURNING last_number`,
      [companyId, year, count],
    );
    nextNumber.set(year, Number(row!.last_number) - count + 1);
  }
  const at = iso(clock);
  const posted = new Map<EntryInput, PostedEntry>();
  const rows: unknown[][] = [];
  const lineRows: unknown[][] = [];
  const byPeriod = new Map<string, JournalLine[]>();
  for (const p of prepared) {
    const year = Number(p.entryDate.slice(0, 4));
    const number = nextNumber.get(year)!;
    nextNumber.set(year, number + 1);
    const id = newRowId(clock);
    const period = periodOf(p.entryDate);
    const i = p.input;
    rows.push([
      id, companyId, year, number, p.entryDate, period, i.date, i.kind, i.source?.type ?? null, i.source?.id ?? null, p.key, i.source?.ref?.slice(0, 80) ?? null,
      i.description.slice(0, 300), p.totalCents, i.reverses ?? null, i.attachments?.length ? JSON.stringify(i.attachments) : null, at, i.by,
    ]);
    p.lines.forEach((l, j) => lineRows.push([id, j + 1, companyId, l.account, p.entryDate, l.debitCents, l.creditCents, l.storeId ?? null, l.description?.slice(0, 300) ?? null]));
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), ...p.lines]);
    posted.set(i, { id, companyId, year, number, entryDate: p.entryDate, documentDate: i.date, period, moved: p.moved, totalCents: p.totalCents, existing: false });
  }
  const insert = async (sql: string, width: number, all_: unknown[][]) => {
    const per = Math.floor(3_000 / width);
    for (let k = 0; k < all_.length; k += per) {
      const chunk = all_.slice(k, k + per);
      await exec(m, `${sql} VALUES ${chunk.map(() => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ')}`, chunk.flat());
    }
  };
  await insert(
    `INSERT INTO acc_entry (id, company_id, year, number, entry_date, period, document_date, kind, source_type, source_id, source_key, source_ref, description, total_cents, reverses_id, attachments, created_at, created_by)`,
    18,
    rows,
  );
  await insert(`INSERT INTO acc_line (entry_id, line_no, company_id, account, entry_date, debit_cents, credit_cents, store_id, description)`, 9, lineRows);
  for (const [period, lines] of [...byPeriod].sort(([a], [b]) => (a < b ? -1 : 1))) await addToBalances(m, companyId, period, lines);
  return inputs.map((input) => {
    const k = keyOf(input);
    return posted.get(input) ?? existing.get(k!)!;
  });
}
