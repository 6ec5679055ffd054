/**
 * Reads what an export carries from the books: a company's journal for a date range (entries in number order,
 * each with its lines, account names and store codes) and its chart of accounts.
 */
import { pgcAccount, type AccountNature } from '@tpv/shared/accounting/pgc';
import type { ExportAccount, ExportEntry } from '@tpv/shared/accounting/exports/model';
import { all, bool, num, one, type Db } from '../../persistence/sql';

/** Lines in one export: past that the range is refused (413) — ask for a shorter one. */
export const MAX_EXPORT_LINES = 200_000;

export async function journalLineCount(m: Db, companyId: string, from: string, to: string): Promise<number> {
  const r = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM acc_line WHERE company_id = ? AND entry_date >= ? AND entry_date <= ?`, [companyId, from, to]);
  return num(r?.n) ?? 0;
}

export async function loadJournal(m: Db, companyId: string, from: string, to: string): Promise<ExportEntry[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT e.id, e.year, e.number, e.entry_date, e.document_date, e.description, e.source_ref,
            l.account, l.debit_cents, l.credit_cents, l.description AS line_description, a.name AS account_name, s.code AS store_code
       FROM acc_entry e
       JOIN acc_line l ON l.entry_id = e.id
       LEFT JOIN acc_account a ON a.company_id = e.company_id AND a.code = l.account
       LEFT JOIN store s ON s.id = l.store_id
      WHERE e.company_id = ? AND e.entry_date >= ? AND e.entry_date <= ?
      ORDER BY e.year, e.number, l.line_no`,
    [companyId, from, to],
  );
  const out: ExportEntry[] = [];
  let last: ExportEntry | null = null;
  let lastId: string | null = null;
  for (const r of rows) {
    if (!last || lastId !== r.id) {
      lastId = String(r.id);
      last = { year: num(r.year)!, number: num(r.number)!, date: String(r.entry_date), documentDate: String(r.document_date), description: String(r.description), sourceRef: (r.source_ref as string | null) ?? null, lines: [] };
      out.push(last);
    }
    const account = String(r.account);
    last.lines.push({
      account,
      accountName: (r.account_name as string | null) ?? pgcAccount(account)?.es ?? account,
      debitCents: num(r.debit_cents)!,
      creditCents: num(r.credit_cents)!,
      description: (r.line_description as string | null) ?? null,
      store: (r.store_code as string | null) ?? null,
    });
  }
  return out;
}

/** The chart: every account (PGC and sub-accounts) or, for A3 / ContaPlus, the postable sub-accounts only. */
export async function loadChart(m: Db, companyId: string, postableOnly: boolean): Promise<ExportAccount[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT code, name, nature, nif, postable FROM acc_account WHERE company_id = ? ORDER BY code`, [companyId]);
  return rows
    .filter((r) => !postableOnly || bool(r.postable))
    .map((r) => ({ code: String(r.code), name: String(r.name), nature: String(r.nature) as AccountNature, nif: (r.nif as string | null) ?? null }));
}
