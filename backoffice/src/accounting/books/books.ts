/**
 * A company's books and statements, read-only: the journal (libro diario), the general ledger of an account or
 * prefix (libro mayor), the trial balance (sumas y saldos), the profit and loss account and the balance sheet,
 * with the store as an analytic filter and the same range a year earlier beside.
 *
 * The trial balance and the statements read `acc_balance` (per company, month, account and store, kept equal to
 * the lines by the journal) and never `acc_line`, so they stay fast over millions of lines; the journal and the
 * ledger page through the lines. Layouts and sign rules are pure (shared/src/accounting/statements.ts).
 */
import { parentOf, pgcAccount } from '@tpv/shared/accounting/pgc';
import {
  balanceSheet,
  previousYearMonth,
  profitAndLoss,
  resultOf,
  trialRows,
  trialTotals,
  type AccountSums,
  type StatementLine,
  type TrialLevel,
  type TrialSums,
} from '@tpv/shared/accounting/statements';
import type { Journal, JournalQuery, Ledger, LedgerQuery, Statement, StatementQuery, TrialBalance, TrialBalanceQuery } from '@tpv/shared/wire/http/accounting-books';
import { all, inList, num, one, type Db } from '../../persistence/sql';

export interface CompanyHeader {
  id: string;
  legalName: string;
  nif: string;
}

export async function companyHeader(m: Db, companyId: string): Promise<CompanyHeader> {
  const c = await one<CompanyHeader>(m, `SELECT id, legal_name AS "legalName", nif FROM company WHERE id = ?`, [companyId]);
  return c ?? { id: companyId, legalName: '', nif: '' };
}

/** The company's names for its accounts; codes missing there fall back on the PGC. */
async function accountNames(m: Db, companyId: string): Promise<(code: string) => string | null> {
  const rows = await all<{ code: string; name: string }>(m, `SELECT code, name FROM acc_account WHERE company_id = ?`, [companyId]);
  const by = new Map(rows.map((r) => [r.code, r.name]));
  return (code) => by.get(code) ?? pgcAccount(code)?.es ?? parentOf(code)?.es ?? null;
}

const storeCond = (storeId: string | undefined, col: string, params: unknown[]) => {
  if (storeId === undefined) return '';
  params.push(storeId);
  return ` AND ${col} = ?`;
};

// ── Journal ──────────────────────────────────────────────────────────────────────────────────────────────

interface EntryRow {
  id: string;
  year: unknown;
  number: unknown;
  entryDate: string;
  documentDate: string;
  kind: string;
  description: string;
  sourceType: string | null;
  sourceRef: string | null;
  totalCents: unknown;
}

/**
 * The entries dated in the range, in number order (year, then number), with their lines; a store filter keeps
 * the entries with a line of that store (whole, so each still balances). `pageSize` 0: every entry (exports).
 */
export async function journal(m: Db, companyId: string, q: Pick<JournalQuery, 'from' | 'to' | 'storeId' | 'page' | 'pageSize'>): Promise<Journal> {
  const params: unknown[] = [companyId, q.from, q.to];
  let where = `e.company_id = ? AND e.entry_date >= ? AND e.entry_date <= ?`;
  if (q.storeId !== undefined) {
    where += ` AND EXISTS (SELECT 1 FROM acc_line s WHERE s.entry_id = e.id AND s.store_id = ?)`;
    params.push(q.storeId);
  }
  const agg = await one<{ n: unknown; total: unknown }>(m, `SELECT COUNT(*) AS n, COALESCE(SUM(e.total_cents), 0) AS total FROM acc_entry e WHERE ${where}`, params);
  const total = num(agg?.n) ?? 0;
  const limit = q.pageSize > 0 ? ` LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}` : '';
  const entries = await all<EntryRow>(
    m,
    `SELECT e.id, e.year, e.number, e.entry_date AS "entryDate", e.document_date AS "documentDate", e.kind, e.description, e.source_type AS "sourceType",
            e.source_ref AS "sourceRef", e.total_cents AS "totalCents"
       FROM acc_entry e WHERE ${where} ORDER BY e.year, e.number${limit}`,
    params,
  );
  const names = await accountNames(m, companyId);
  const lines = new Map<string, Journal['items'][number]['lines']>();
  // Lines fetched in chunks of ids (bind-parameter limits).
  for (let i = 0; i < entries.length; i += 500) {
    const ids = entries.slice(i, i + 500).map((e) => e.id);
    const rows = await all<{ entryId: string; lineNo: unknown; account: string; debit: unknown; credit: unknown; storeId: string | null; description: string | null }>(
      m,
      `SELECT entry_id AS "entryId", line_no AS "lineNo", account, debit_cents AS debit, credit_cents AS credit, store_id AS "storeId", description
         FROM acc_line WHERE entry_id IN (${inList(ids.length)}) ORDER BY entry_id, line_no`,
      ids,
    );
    for (const r of rows) {
      const list = lines.get(r.entryId) ?? [];
      list.push({ lineNo: num(r.lineNo)!, account: r.account, accountName: names(r.account), debitCents: num(r.debit)!, creditCents: num(r.credit)!, storeId: r.storeId, description: r.description });
      lines.set(r.entryId, list);
    }
  }
  const sum = num(agg?.total) ?? 0;
  const pageSize = q.pageSize > 0 ? q.pageSize : Math.max(total, 1);
  return {
    company: await companyHeader(m, companyId),
    from: q.from,
    to: q.to,
    storeId: q.storeId ?? null,
    items: entries.map((e) => ({
      id: e.id, year: num(e.year)!, number: num(e.number)!, entryDate: e.entryDate, documentDate: e.documentDate, kind: e.kind, description: e.description,
      sourceType: e.sourceType, sourceRef: e.sourceRef, totalCents: num(e.totalCents)!, lines: (lines.get(e.id) ?? []).sort((a, b) => a.lineNo - b.lineNo),
    })),
    page: q.pageSize > 0 ? q.page : 1,
    pageSize,
    total,
    hasMore: q.pageSize > 0 && (q.page - 1) * q.pageSize + entries.length < total,
    debitCents: sum,
    creditCents: sum,
  };
}

// ── General ledger ───────────────────────────────────────────────────────────────────────────────────────

const monthOf = (d: string) => d.slice(0, 7);

/**
 * Codes under a prefix as a range (`572` → ≥ '572' and < '573'), so the (company, account, date) index serves
 * it on both engines (a LIKE would not on PostgreSQL with a non-C collation). All nines: no upper bound.
 */
function prefixRange(prefix: string, col: string, params: unknown[]): string {
  const head = prefix.replace(/9+$/, '');
  params.push(prefix);
  if (!head) return `${col} >= ?`;
  params.push(head.slice(0, -1) + String(Number(head.at(-1)) + 1));
  return `${col} >= ? AND ${col} < ?`;
}

/**
 * The lines of an account (or of every account under a prefix) dated in the range, in date and entry order,
 * with the running balance from the opening one (months before the range from `acc_balance`, the days of the
 * first month before `from` from the lines). `pageSize` 0: every line (exports).
 */
export async function ledger(m: Db, companyId: string, q: Pick<LedgerQuery, 'account' | 'from' | 'to' | 'storeId' | 'page' | 'pageSize'>): Promise<Ledger> {
  const bp: unknown[] = [companyId];
  const bWhere = `company_id = ? AND ${prefixRange(q.account, 'account', bp)}`;
  bp.push(monthOf(q.from));
  const fromBalances = await one<{ s: unknown }>(m, `SELECT COALESCE(SUM(debit_cents - credit_cents), 0) AS s FROM acc_balance WHERE ${bWhere} AND period < ?${storeCond(q.storeId, 'store_id', bp)}`, bp);
  const lp: unknown[] = [companyId];
  const lWhere = `company_id = ? AND ${prefixRange(q.account, 'account', lp)}`;
  lp.push(`${monthOf(q.from)}-01`, q.from);
  const fromLines = await one<{ s: unknown }>(
    m,
    `SELECT COALESCE(SUM(debit_cents - credit_cents), 0) AS s FROM acc_line WHERE ${lWhere} AND entry_date >= ? AND entry_date < ?${storeCond(q.storeId, 'store_id', lp)}`,
    lp,
  );
  const opening = (num(fromBalances?.s) ?? 0) + (num(fromLines?.s) ?? 0);

  const rp: unknown[] = [companyId];
  let rangeWhere = `l.company_id = ? AND ${prefixRange(q.account, 'l.account', rp)}`;
  rp.push(q.from, q.to);
  rangeWhere += ` AND l.entry_date >= ? AND l.entry_date <= ?${storeCond(q.storeId, 'l.store_id', rp)}`;
  const sums = await one<{ n: unknown; d: unknown; c: unknown }>(
    m,
    `SELECT COUNT(*) AS n, COALESCE(SUM(l.debit_cents), 0) AS d, COALESCE(SUM(l.credit_cents), 0) AS c FROM acc_line l WHERE ${rangeWhere}`,
    rp,
  );
  const total = num(sums?.n) ?? 0;
  const order = `ORDER BY l.entry_date, e.year, e.number, l.line_no`;
  const offset = q.pageSize > 0 ? (q.page - 1) * q.pageSize : 0;
  let running = opening;
  if (offset > 0) {
    const before = await one<{ s: unknown }>(
      m,
      `SELECT COALESCE(SUM(x.d - x.c), 0) AS s FROM (SELECT l.debit_cents AS d, l.credit_cents AS c FROM acc_line l JOIN acc_entry e ON e.id = l.entry_id WHERE ${rangeWhere} ${order} LIMIT ${offset}) x`,
      rp,
    );
    running += num(before?.s) ?? 0;
  }
  const rows = await all<{ entryId: string; number: unknown; entryDate: string; account: string; description: string; d: unknown; c: unknown; storeId: string | null }>(
    m,
    `SELECT l.entry_id AS "entryId", e.number, l.entry_date AS "entryDate", l.account, COALESCE(l.description, e.description) AS description,
            l.debit_cents AS d, l.credit_cents AS c, l.store_id AS "storeId"
       FROM acc_line l JOIN acc_entry e ON e.id = l.entry_id WHERE ${rangeWhere} ${order}${q.pageSize > 0 ? ` LIMIT ${q.pageSize} OFFSET ${offset}` : ''}`,
    rp,
  );
  const names = await accountNames(m, companyId);
  const debit = num(sums?.d) ?? 0;
  const credit = num(sums?.c) ?? 0;
  return {
    company: await companyHeader(m, companyId),
    account: q.account,
    accountName: names(q.account),
    from: q.from,
    to: q.to,
    storeId: q.storeId ?? null,
    openingCents: opening,
    debitCents: debit,
    creditCents: credit,
    closingCents: opening + debit - credit,
    items: rows.map((r) => {
      const d = num(r.d)!;
      const c = num(r.c)!;
      running += d - c;
      return { entryId: r.entryId, entryNumber: num(r.number)!, entryDate: r.entryDate, account: r.account, description: r.description, debitCents: d, creditCents: c, balanceCents: running, storeId: r.storeId };
    }),
    page: q.pageSize > 0 ? q.page : 1,
    pageSize: q.pageSize > 0 ? q.pageSize : Math.max(total, 1),
    total,
    hasMore: q.pageSize > 0 && offset + rows.length < total,
  };
}

// ── Trial balance ────────────────────────────────────────────────────────────────────────────────────────

interface TwoRanges {
  current: TrialSums[];
  previous: TrialSums[];
}

/**
 * Per account, from `acc_balance` in one pass: the balance before `from`, the debits and credits of from..to,
 * and the same for the range a year earlier. Months are compared as yyyy-mm strings.
 */
async function balancesOf(m: Db, companyId: string, from: string, to: string, storeId: string | undefined): Promise<TwoRanges> {
  const pf = previousYearMonth(from);
  const pt = previousYearMonth(to);
  const params: unknown[] = [from, from, from, pf, pf, pt, pf, pt, companyId, to];
  const rows = await all<{ account: string; co: unknown; cd: unknown; cc: unknown; po: unknown; pd: unknown; pc: unknown }>(
    m,
    `SELECT account,
            SUM(CASE WHEN period < ? THEN debit_cents - credit_cents ELSE 0 END) AS co,
            SUM(CASE WHEN period >= ? THEN debit_cents ELSE 0 END) AS cd,
            SUM(CASE WHEN period >= ? THEN credit_cents ELSE 0 END) AS cc,
            SUM(CASE WHEN period < ? THEN debit_cents - credit_cents ELSE 0 END) AS po,
            SUM(CASE WHEN period >= ? AND period <= ? THEN debit_cents ELSE 0 END) AS pd,
            SUM(CASE WHEN period >= ? AND period <= ? THEN credit_cents ELSE 0 END) AS pc
       FROM acc_balance WHERE company_id = ? AND period <= ?${storeCond(storeId, 'store_id', params)}
      GROUP BY account`,
    params,
  );
  return {
    current: rows.map((r) => ({ account: r.account, openingCents: num(r.co)!, debitCents: num(r.cd)!, creditCents: num(r.cc)! })),
    previous: rows.map((r) => ({ account: r.account, openingCents: num(r.po)!, debitCents: num(r.pd)!, creditCents: num(r.pc)! })),
  };
}

const ZERO = { openingCents: 0, debitCents: 0, creditCents: 0, closingCents: 0 };

export async function trialBalance(m: Db, companyId: string, q: Pick<TrialBalanceQuery, 'from' | 'to' | 'level' | 'storeId'>): Promise<TrialBalance> {
  const level = q.level as TrialLevel;
  const { current, previous } = await balancesOf(m, companyId, q.from, q.to, q.storeId);
  const cur = trialRows(current, level);
  const prev = trialRows(previous, level);
  const prevBy = new Map(prev.map((r) => [r.account, r]));
  const codes = [...new Set([...cur.map((r) => r.account), ...prev.map((r) => r.account)])].sort();
  const curBy = new Map(cur.map((r) => [r.account, r]));
  const names = await accountNames(m, companyId);
  const strip = (r: { openingCents: number; debitCents: number; creditCents: number; closingCents: number } | undefined) =>
    r ? { openingCents: r.openingCents, debitCents: r.debitCents, creditCents: r.creditCents, closingCents: r.closingCents } : { ...ZERO };
  return {
    company: await companyHeader(m, companyId),
    from: q.from,
    to: q.to,
    previousFrom: previousYearMonth(q.from),
    previousTo: previousYearMonth(q.to),
    level,
    storeId: q.storeId ?? null,
    rows: codes.map((code) => ({ account: code, name: names(code), ...strip(curBy.get(code)), previous: strip(prevBy.get(code)) })),
    totals: trialTotals(cur),
    previousTotals: trialTotals(prev),
  };
}

// ── Statements ───────────────────────────────────────────────────────────────────────────────────────────

const asSums = (t: readonly TrialSums[], withOpening: boolean): AccountSums[] =>
  t.map((r) => {
    const opening = withOpening ? r.openingCents : 0;
    return { account: r.account, debitCents: r.debitCents + Math.max(opening, 0), creditCents: r.creditCents + Math.max(-opening, 0) };
  });

const zip = (cur: readonly StatementLine[], prev: readonly StatementLine[]): Statement['lines'] => {
  const by = new Map(prev.map((l) => [l.id, l.cents]));
  return cur.map((l) => ({ ...l, previousCents: by.get(l.id) ?? 0 }));
};

/** The P&L of the months from..to (and the same months a year earlier): the 6/7 accounts' movements in the range. */
export async function profitAndLossStatement(m: Db, companyId: string, q: Pick<StatementQuery, 'from' | 'to' | 'storeId'>): Promise<Statement> {
  const { current, previous } = await balancesOf(m, companyId, q.from, q.to, q.storeId);
  const cur = asSums(current, false);
  const prev = asSums(previous, false);
  return {
    company: await companyHeader(m, companyId),
    statement: 'profit_and_loss',
    from: q.from,
    to: q.to,
    previousFrom: previousYearMonth(q.from),
    previousTo: previousYearMonth(q.to),
    storeId: q.storeId ?? null,
    lines: zip(profitAndLoss(cur), profitAndLoss(prev)),
    totals: { assetsCents: 0, equityLiabilitiesCents: 0, resultCents: resultOf(cur), previousAssetsCents: 0, previousEquityLiabilitiesCents: 0, previousResultCents: resultOf(prev) },
  };
}

/**
 * The balance sheet at the end of month `to` (and a year earlier): every account's balance to that month; the
 * result of the fiscal (calendar) year to that month in "Resultado del ejercicio".
 */
export async function balanceSheetStatement(m: Db, companyId: string, q: Pick<StatementQuery, 'from' | 'to' | 'storeId'>): Promise<Statement> {
  // From January of the year of `to`: opening = everything before the year, movements = the year to `to`.
  const yearStart = `${q.to.slice(0, 4)}-01`;
  const { current, previous } = await balancesOf(m, companyId, yearStart, q.to, q.storeId);
  const sheet = (t: readonly TrialSums[]) => balanceSheet(asSums(t, true), asSums(t, false));
  const cur = sheet(current);
  const prev = sheet(previous);
  return {
    company: await companyHeader(m, companyId),
    statement: 'balance_sheet',
    from: q.from,
    to: q.to,
    previousFrom: previousYearMonth(q.from),
    previousTo: previousYearMonth(q.to),
    storeId: q.storeId ?? null,
    lines: zip(cur.lines, prev.lines),
    totals: {
      assetsCents: cur.assetsCents,
      equityLiabilitiesCents: cur.equityLiabilitiesCents,
      resultCents: cur.yearResultCents,
      previousAssetsCents: prev.assetsCents,
      previousEquityLiabilitiesCents: prev.equityLiabilitiesCents,
      previousResultCents: prev.yearResultCents,
    },
  };
}
