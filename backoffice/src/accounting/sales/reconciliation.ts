/**
 * The tills' sales beside the journal, per store, day and IVA rate: what the tickets say (the rollup's current
 * figures) and what the daily sales entries hold (700 and 477 per rate, by store, of entries from till
 * sessions — by the document's date, so a day posted into a later open month still meets its tickets). The
 * difference is zero once everything is posted; a pending row explains one.
 */
import { accountFor } from '@tpv/shared/accounting/rules';
import { IVA_RATES } from '@tpv/shared/tax';
import { all, bool, num, type Db } from '../../persistence/sql';
import { rulesOf } from '../core/rules';
import { TILL_SESSION_SOURCE } from './posting';

export interface ReconciliationRow {
  storeId: string;
  storeCode: string;
  businessDate: string;
  ivaRateBp: number;
  ticketsBaseCents: number;
  ticketsIvaCents: number;
  journalBaseCents: number;
  journalIvaCents: number;
  diffBaseCents: number;
  diffIvaCents: number;
  /** Some rollup row of the day is still to post. */
  pending: boolean;
}

export async function salesReconciliation(m: Db, companyId: string, from: string, to: string): Promise<ReconciliationRow[]> {
  const rules = await rulesOf(m, companyId);
  const tickets = await all<Record<string, unknown>>(
    m,
    `SELECT t.store_id, st.code, t.business_date, t.iva_rate_bp, SUM(t.base_cents) AS base, SUM(t.iva_cents) AS iva, MAX(CASE WHEN t.pending THEN 1 ELSE 0 END) AS pending
     FROM sales_tax_session t JOIN store st ON st.id = t.store_id
     WHERE st.company_id = ? AND t.business_date >= ? AND t.business_date <= ?
     GROUP BY t.store_id, st.code, t.business_date, t.iva_rate_bp`,
    [companyId, from, to],
  );
  const rates = new Set<number>([...IVA_RATES, ...tickets.map((t) => num(t.iva_rate_bp)!)]);
  const salesRate = new Map<string, number>();
  const vatRate = new Map<string, number>();
  for (const r of rates) {
    salesRate.set(accountFor(rules, 'sales_goods', r), r);
    vatRate.set(accountFor(rules, 'output_vat', r), r);
  }
  const accounts = [...salesRate.keys(), ...vatRate.keys()];
  const journal = await all<Record<string, unknown>>(
    m,
    `SELECT l.store_id, e.document_date, l.account, SUM(l.credit_cents) - SUM(l.debit_cents) AS net
     FROM acc_entry e JOIN acc_line l ON l.entry_id = e.id
     WHERE e.company_id = ? AND e.source_type = ? AND e.document_date >= ? AND e.document_date <= ? AND l.account IN (${accounts.map(() => '?').join(', ')})
     GROUP BY l.store_id, e.document_date, l.account`,
    [companyId, TILL_SESSION_SOURCE, from, to, ...accounts],
  );
  const rows = new Map<string, ReconciliationRow>();
  const codes = new Map<string, string>();
  const rowOf = (storeId: string, date: string, rate: number) => {
    const k = `${storeId}|${date}|${rate}`;
    let r = rows.get(k);
    if (!r) {
      r = { storeId, storeCode: codes.get(storeId) ?? '', businessDate: date, ivaRateBp: rate, ticketsBaseCents: 0, ticketsIvaCents: 0, journalBaseCents: 0, journalIvaCents: 0, diffBaseCents: 0, diffIvaCents: 0, pending: false };
      rows.set(k, r);
    }
    return r;
  };
  for (const t of tickets) {
    codes.set(String(t.store_id), String(t.code));
    const r = rowOf(String(t.store_id), String(t.business_date), num(t.iva_rate_bp)!);
    r.ticketsBaseCents += num(t.base)!;
    r.ticketsIvaCents += num(t.iva)!;
    r.pending ||= bool(t.pending) || num(t.pending) === 1;
  }
  for (const j of journal) {
    const account = String(j.account);
    const storeId = (j.store_id as string | null) ?? '';
    if (salesRate.has(account)) rowOf(storeId, String(j.document_date), salesRate.get(account)!).journalBaseCents += num(j.net)!;
    else rowOf(storeId, String(j.document_date), vatRate.get(account)!).journalIvaCents += num(j.net)!;
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.storeCode ||= codes.get(r.storeId) ?? '';
    r.diffBaseCents = r.ticketsBaseCents - r.journalBaseCents;
    r.diffIvaCents = r.ticketsIvaCents - r.journalIvaCents;
  }
  // Rows with nothing on either side (a rate of the chart no ticket used) are left out.
  return out
    .filter((r) => r.ticketsBaseCents || r.ticketsIvaCents || r.journalBaseCents || r.journalIvaCents)
    .sort((a, b) => (a.businessDate !== b.businessDate ? (a.businessDate < b.businessDate ? -1 : 1) : a.storeCode !== b.storeCode ? (a.storeCode < b.storeCode ? -1 : 1) : b.ivaRateBp - a.ivaRateBp));
}
