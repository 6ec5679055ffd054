/**
 * The daily sales rollups (`sales_tax_session`, `sales_pay_session`) recomputed from the tickets themselves —
 * for a database whose tickets were written before the rollups existed (the demo history, an upgrade) and to
 * prove the ingest's incremental figures (tests: rebuild = incremental). What the journal already holds of a
 * row (`posted_*`) is kept; a row whose figures differ from it is pending again.
 */
import type { DataSource } from 'typeorm';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { addToSalesSession } from '../../sales-ingest/apply';
import type { SalesPaySessionRow, SalesTaxSessionRow } from '../../sales-ingest/ledger';
import { writeTransaction } from '../../persistence/raw';
import { all, exec, inList, num, type Db } from '../../persistence/sql';

async function storesWithTickets(m: Db, storeIds: readonly string[] | null): Promise<string[]> {
  if (storeIds) return [...storeIds];
  return (await all<{ store_id: string }>(m, `SELECT DISTINCT store_id FROM sale_ticket`)).map((r) => r.store_id);
}

/** Rebuilds one store's rows in the caller's transaction; answers the rows written. */
export async function rebuildStoreSalesSessions(m: Db, storeId: string): Promise<number> {
  const into = { tax: new Map<string, SalesTaxSessionRow>(), pay: new Map<string, SalesPaySessionRow>() };
  // A till's F3 (kind 'invoice') replaces a ticket already counted: left out, as the ingest leaves it out.
  const tickets = await all<{ terminal_id: string; business_date: string; document: string }>(
    m,
    `SELECT terminal_id, business_date, document FROM sale_ticket WHERE store_id = ? AND kind IN ('sale', 'return')`,
    [storeId],
  );
  for (const t of tickets) {
    const d = JSON.parse(t.document) as TicketDocument;
    addToSalesSession(into, { terminalId: t.terminal_id, storeId, businessDate: t.business_date }, d);
  }
  const postedTax = new Map(
    (await all<Record<string, unknown>>(m, `SELECT terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, posted_base_cents, posted_iva_cents, posted_re_cents FROM sales_tax_session WHERE store_id = ?`, [storeId])).map((r) => [
      `${r.terminal_id}|${r.session_id}|${r.business_date}|${num(r.iva_rate_bp)}|${num(r.re_rate_bp)}`,
      { base: num(r.posted_base_cents)!, iva: num(r.posted_iva_cents)!, re: num(r.posted_re_cents)!, row: r },
    ]),
  );
  const postedPay = new Map(
    (await all<Record<string, unknown>>(m, `SELECT terminal_id, session_id, business_date, method, customer_id, posted_cents FROM sales_pay_session WHERE store_id = ?`, [storeId])).map((r) => [
      `${r.terminal_id}|${r.session_id}|${r.business_date}|${r.method}|${r.customer_id}`,
      { amount: num(r.posted_cents)!, row: r },
    ]),
  );
  await exec(m, `DELETE FROM sales_tax_session WHERE store_id = ?`, [storeId]);
  await exec(m, `DELETE FROM sales_pay_session WHERE store_id = ?`, [storeId]);
  let n = 0;
  for (const r of into.tax.values()) {
    const key = `${r.terminal_id}|${r.session_id}|${r.business_date}|${r.iva_rate_bp}|${r.re_rate_bp}`;
    const p = postedTax.get(key);
    postedTax.delete(key);
    const pending = !p || p.base !== r.base_cents || p.iva !== r.iva_cents || p.re !== r.re_cents;
    await exec(
      m,
      `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents, posted_base_cents, posted_iva_cents, posted_re_cents, pending) VALUES (${inList(13)})`,
      [r.terminal_id, r.session_id, r.business_date, r.iva_rate_bp, r.re_rate_bp, storeId, r.base_cents, r.iva_cents, r.re_cents, p?.base ?? 0, p?.iva ?? 0, p?.re ?? 0, pending],
    );
    n++;
  }
  // A row the journal holds but the tickets no longer give (cannot happen unless tickets were removed): zero, pending.
  for (const p of postedTax.values()) {
    const r = p.row;
    await exec(
      m,
      `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, posted_base_cents, posted_iva_cents, posted_re_cents, pending) VALUES (${inList(10)})`,
      [r.terminal_id, r.session_id, r.business_date, r.iva_rate_bp, r.re_rate_bp, storeId, p.base, p.iva, p.re, p.base !== 0 || p.iva !== 0 || p.re !== 0],
    );
  }
  for (const r of into.pay.values()) {
    const key = `${r.terminal_id}|${r.session_id}|${r.business_date}|${r.method}|${r.customer_id}`;
    const p = postedPay.get(key);
    postedPay.delete(key);
    await exec(
      m,
      `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents, posted_cents, pending) VALUES (${inList(9)})`,
      [r.terminal_id, r.session_id, r.business_date, r.method, r.customer_id, storeId, r.amount_cents, p?.amount ?? 0, !p || p.amount !== r.amount_cents],
    );
    n++;
  }
  for (const p of postedPay.values()) {
    const r = p.row;
    await exec(
      m,
      `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, posted_cents, pending) VALUES (${inList(8)})`,
      [r.terminal_id, r.session_id, r.business_date, r.method, r.customer_id, storeId, p.amount, p.amount !== 0],
    );
  }
  return n;
}

/** Rebuilds the rollups of some stores (null: every store with tickets), one transaction per store. */
export async function rebuildSalesSessions(ds: DataSource, storeIds: readonly string[] | null): Promise<number> {
  let n = 0;
  for (const storeId of await storesWithTickets(ds.manager, storeIds)) n += await writeTransaction(ds, (m) => rebuildStoreSalesSessions(m, storeId));
  return n;
}
