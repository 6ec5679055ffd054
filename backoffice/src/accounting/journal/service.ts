/**
 * The accountant's daily work on one company's books: the chart with the year's balances, sub-accounts
 * (create, rename, block), the journal (list, one entry with its lines and attachments), manual entries and
 * reversals. Every write goes through the core (`postEntry`, `reverseEntry`), so the rules that keep the
 * books sound — balance, locked months, blocked accounts, gapless numbers — live in one place.
 */
import type { Clock } from '@tpv/shared/clock';
import { checkEntry } from '@tpv/shared/accounting/entries';
import { isPostableCode, natureOf, SUBACCOUNT_DIGITS } from '@tpv/shared/accounting/pgc';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { AccountView, EntryDetail, EntryLineBody, EntrySummary } from '@tpv/shared/wire/http/accounting-journal';
import { refused } from '../../platform/api';
import { all, bool, exec, inList, isPostgres, num, one, type Db } from '../../persistence/sql';
import { ensureChart } from '../core/chart';
import { entryLines, postEntry, reverseEntry, type PostedEntry } from '../core/journal';

export const ATTACHMENT_PURPOSE = 'acc_attachment';
const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

// ── chart ────────────────────────────────────────────────────────────────────────────────────────────────

/** The chart with each account's sums for the year (a heading sums the sub-accounts under it). */
export async function chartOf(m: Db, companyId: string, year: number): Promise<AccountView[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT code, name, name_en, nature, postable, blocked, counterparty_kind, counterparty_id, counterparty_group, nif FROM acc_account WHERE company_id = ? ORDER BY code`,
    [companyId],
  );
  const sums = await all<{ account: string; d: unknown; c: unknown }>(
    m,
    `SELECT account, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance WHERE company_id = ? AND period >= ? AND period <= ? GROUP BY account`,
    [companyId, `${year}-01`, `${year}-12`],
  );
  const out = new Map<string, AccountView>();
  for (const r of rows) {
    out.set(String(r.code), {
      code: String(r.code),
      name: String(r.name),
      nameEn: str(r.name_en),
      nature: r.nature as AccountView['nature'],
      postable: bool(r.postable),
      blocked: bool(r.blocked),
      counterparty: r.counterparty_kind ? { kind: String(r.counterparty_kind), id: String(r.counterparty_id), group: str(r.counterparty_group), nif: str(r.nif) } : null,
      debitCents: 0,
      creditCents: 0,
      balanceCents: 0,
    });
  }
  // Each sub-account's sums go to itself and every heading above it (prefixes that are in the chart).
  for (const s of sums) {
    const d = num(s.d) ?? 0;
    const c = num(s.c) ?? 0;
    for (let len = 1; len <= s.account.length; len++) {
      const a = out.get(s.account.slice(0, len));
      if (!a) continue;
      a.debitCents += d;
      a.creditCents += c;
      a.balanceCents += d - c;
    }
  }
  return [...out.values()];
}

/** Opens a sub-account by hand: 8 digits under a PGC account of the chart, a code not taken. */
export async function createSubaccount(m: Db, clock: Clock, companyId: string, code: string, name: string): Promise<void> {
  await ensureChart(m, clock, companyId);
  if (!isPostableCode(code)) throw refused(422, 'ACCOUNT_NOT_IN_CHART', `${code} is not under an account of the PGC: a sub-account has ${SUBACCOUNT_DIGITS} digits starting with a PGC account`, 'code');
  const taken = await one<{ name: string }>(m, `SELECT name FROM acc_account WHERE company_id = ? AND code = ?`, [companyId, code]);
  if (taken) throw refused(409, 'ACCOUNT_TAKEN', `Account ${code} already exists (${taken.name})`, 'code');
  await exec(m, `INSERT INTO acc_account (company_id, code, name, name_en, nature, postable, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)`, [companyId, code, name, natureOf(code), true, iso(clock)]);
}

/** Renames, blocks or unblocks a sub-account (the PGC headings are the plan's, not the company's). */
export async function updateSubaccount(m: Db, companyId: string, code: string, patch: { name?: string | undefined; blocked?: boolean | undefined }): Promise<{ before: { name: string; blocked: boolean } }> {
  const a = await one<{ name: string; postable: unknown; blocked: unknown }>(m, `SELECT name, postable, blocked FROM acc_account WHERE company_id = ? AND code = ?`, [companyId, code]);
  if (!a) throw refused(404, 'ACCOUNT_NOT_FOUND', `No account ${code} in this company's chart`, 'code');
  if (!bool(a.postable)) throw refused(422, 'ACCOUNT_NOT_SUBACCOUNT', `${code} is a heading of the PGC: only sub-accounts are renamed or blocked`, 'code');
  if (patch.name !== undefined) await exec(m, `UPDATE acc_account SET name = ? WHERE company_id = ? AND code = ?`, [patch.name, companyId, code]);
  if (patch.blocked !== undefined) await exec(m, `UPDATE acc_account SET blocked = ? WHERE company_id = ? AND code = ?`, [patch.blocked, companyId, code]);
  return { before: { name: a.name, blocked: bool(a.blocked) } };
}

// ── the journal ──────────────────────────────────────────────────────────────────────────────────────────

const ENTRY_COLS = 'id, year, number, entry_date, document_date, period, kind, source_type, source_id, source_ref, description, total_cents, reverses_id, reversed_by_id, attachments, created_at, created_by';
const summary = (r: Record<string, unknown>): EntrySummary => ({
  id: String(r.id),
  year: num(r.year)!,
  number: num(r.number)!,
  entryDate: String(r.entry_date),
  documentDate: String(r.document_date),
  period: String(r.period),
  kind: String(r.kind),
  sourceType: str(r.source_type),
  sourceId: str(r.source_id),
  sourceRef: str(r.source_ref),
  description: String(r.description),
  totalCents: num(r.total_cents)!,
  reversesId: str(r.reverses_id),
  reversedById: str(r.reversed_by_id),
  createdAt: String(r.created_at),
  createdBy: str(r.created_by),
});

export interface EntryFilter {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  account?: string | undefined;
  kind?: string | undefined;
  sourceType?: string | undefined;
  q?: string | undefined;
}

/** The company's entries, newest first, filtered and paged. */
export async function listEntries(m: Db, companyId: string, f: EntryFilter, page: { offset: number; limit: number }): Promise<{ items: EntrySummary[]; total: number }> {
  const where = ['e.company_id = ?'];
  const params: unknown[] = [companyId];
  const add = (sql: string, v: unknown) => {
    where.push(sql);
    params.push(v);
  };
  if (f.period) add('e.period = ?', f.period);
  if (f.from) add('e.entry_date >= ?', f.from);
  if (f.to) add('e.entry_date <= ?', f.to);
  if (f.kind) add('e.kind = ?', f.kind);
  if (f.sourceType) add('e.source_type = ?', f.sourceType);
  if (f.account) {
    // A sub-account exactly, a heading by prefix (the line index is on company, account).
    where.push(`EXISTS (SELECT 1 FROM acc_line l WHERE l.entry_id = e.id AND l.company_id = e.company_id AND ${f.account.length >= SUBACCOUNT_DIGITS ? 'l.account = ?' : 'l.account LIKE ?'})`);
    params.push(f.account.length >= SUBACCOUNT_DIGITS ? f.account : `${f.account}%`);
  }
  if (f.q) {
    where.push(`(LOWER(e.description) LIKE ? OR LOWER(COALESCE(e.source_ref, '')) LIKE ? OR CAST(e.number AS ${isPostgres(m) ? 'text' : 'TEXT'}) = ?)`);
    const like = `%${f.q.toLowerCase().replace(/[%_]/g, '')}%`;
    params.push(like, like, f.q);
  }
  const w = where.join(' AND ');
  const total = num((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM acc_entry e WHERE ${w}`, params))?.n) ?? 0;
  const rows = await all<Record<string, unknown>>(m, `SELECT ${ENTRY_COLS.split(', ').map((c) => `e.${c}`).join(', ')} FROM acc_entry e WHERE ${w} ORDER BY e.entry_date DESC, e.year DESC, e.number DESC LIMIT ? OFFSET ?`, [...params, page.limit, page.offset]);
  return { items: rows.map(summary), total };
}

async function entryRow(m: Db, companyId: string, entryId: string): Promise<Record<string, unknown>> {
  const r = await one<Record<string, unknown>>(m, `SELECT ${ENTRY_COLS} FROM acc_entry WHERE id = ? AND company_id = ?`, [entryId, companyId]);
  if (!r) throw refused(404, 'ENTRY_NOT_FOUND', 'No such entry in this company’s journal', 'entryId');
  return r;
}

export async function entrySummary(m: Db, companyId: string, entryId: string): Promise<EntrySummary> {
  return summary(await entryRow(m, companyId, entryId));
}

const attachmentIds = (v: unknown): string[] => {
  if (typeof v !== 'string' || !v) return [];
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.map(String) : [];
  } catch {
    return [];
  }
};

/** One entry with its lines (account and store names), its attachments and the entries it reverses or is reversed by. */
export async function entryDetail(m: Db, companyId: string, entryId: string): Promise<EntryDetail> {
  const r = await entryRow(m, companyId, entryId);
  const lines = await entryLines(m, entryId);
  const codes = [...new Set(lines.map((l) => l.account))];
  const names = new Map(
    codes.length ? (await all<{ code: string; name: string }>(m, `SELECT code, name FROM acc_account WHERE company_id = ? AND code IN (${inList(codes.length)})`, [companyId, ...codes])).map((a) => [a.code, a.name]) : [],
  );
  const storeIds = [...new Set(lines.flatMap((l) => (l.storeId ? [l.storeId] : [])))];
  const stores = new Map(storeIds.length ? (await all<{ id: string; name: string }>(m, `SELECT id, name FROM store WHERE id IN (${inList(storeIds.length)})`, storeIds)).map((s) => [s.id, s.name]) : []);
  const ids = attachmentIds(r.attachments);
  const files = ids.length
    ? await all<{ id: string; name: string; media_type: string; size_bytes: unknown }>(m, `SELECT id, name, media_type, size_bytes FROM stored_file WHERE id IN (${inList(ids.length)})`, ids)
    : [];
  const ref = async (id: unknown) => {
    if (!id) return null;
    const e = await one<Record<string, unknown>>(m, `SELECT id, year, number, entry_date FROM acc_entry WHERE id = ?`, [id]);
    return e ? { id: String(e.id), year: num(e.year)!, number: num(e.number)!, entryDate: String(e.entry_date) } : null;
  };
  return {
    ...summary(r),
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      account: l.account,
      accountName: names.get(l.account) ?? null,
      debitCents: l.debitCents,
      creditCents: l.creditCents,
      storeId: l.storeId ?? null,
      storeName: l.storeId ? (stores.get(l.storeId) ?? null) : null,
      description: l.description ?? null,
    })),
    attachments: ids.flatMap((id) => {
      const f = files.find((x) => x.id === id);
      return f ? [{ id: f.id, name: f.name, mediaType: f.media_type, sizeBytes: num(f.size_bytes)! }] : [];
    }),
    reverses: await ref(r.reverses_id),
    reversedBy: await ref(r.reversed_by_id),
  };
}

/** Refused before anything is written: the difference in cents rides on the problem for the form to show. */
export function checkBalanced(lines: readonly EntryLineBody[]): void {
  const c = checkEntry(lines);
  if (c.ok) return;
  const debit = lines.reduce((s, l) => s + l.debitCents, 0);
  const credit = lines.reduce((s, l) => s + l.creditCents, 0);
  throw new HttpProblem(problem(422, c.error.code, 'Entry refused', { detail: c.error.message, errors: [...c.error.errors], debitCents: debit, creditCents: credit, differenceCents: debit - credit }));
}

/** The lines' stores must be the company's own. */
export async function checkStores(m: Db, companyId: string, lines: readonly EntryLineBody[]): Promise<void> {
  const ids = [...new Set(lines.flatMap((l) => (l.storeId ? [l.storeId] : [])))];
  if (!ids.length) return;
  const own = new Set((await all<{ id: string }>(m, `SELECT id FROM store WHERE company_id = ? AND id IN (${inList(ids.length)})`, [companyId, ...ids])).map((s) => s.id));
  lines.forEach((l, i) => {
    if (l.storeId && !own.has(l.storeId)) throw refused(422, 'STORE_NOT_OF_COMPANY', `Store ${l.storeId} is not one of this company's stores`, `lines.${i}.storeId`);
  });
}

export interface ManualEntry {
  date: string;
  description: string;
  lines: EntryLineBody[];
  attachments: string[];
}

/** A person's entry: balanced, in an open month, on postable unblocked accounts, attachments of the company. */
export async function postManualEntry(m: Db, clock: Clock, companyId: string, e: ManualEntry, by: string): Promise<PostedEntry> {
  checkBalanced(e.lines);
  await checkStores(m, companyId, e.lines);
  const ids = [...new Set(e.attachments)];
  if (ids.length) {
    const files = await all<{ id: string; company_id: string | null; purpose: string }>(m, `SELECT id, company_id, purpose FROM stored_file WHERE id IN (${inList(ids.length)})`, ids);
    ids.forEach((id, i) => {
      const f = files.find((x) => x.id === id);
      if (!f || f.company_id !== companyId || f.purpose !== ATTACHMENT_PURPOSE) throw refused(422, 'ATTACHMENT_UNKNOWN', `File ${id} is not an attachment uploaded for this company`, `attachments.${i}`);
    });
  }
  return postEntry(m, clock, {
    companyId,
    date: e.date,
    kind: 'manual',
    description: e.description,
    lines: e.lines.map((l) => ({ account: l.account, debitCents: l.debitCents, creditCents: l.creditCents, storeId: l.storeId, description: l.description })),
    mode: 'manual',
    by,
    attachments: ids,
  });
}

/** Reverses an entry of the company on a date a person chose (a locked month refuses it, as any manual entry). */
export async function reverseCompanyEntry(m: Db, clock: Clock, companyId: string, entryId: string, by: string, date: string, reason: string): Promise<PostedEntry> {
  await entryRow(m, companyId, entryId);
  return reverseEntry(m, clock, entryId, by, { date, reason, mode: 'manual' });
}
