/**
 * The privacy module's SQL (both engines, `?` placeholders). Tables of other modules (loyalty, vouchers,
 * customer notes, the CRM's customer columns) are discovered by name at run time, so the export and the
 * erasure work before and after those modules exist.
 */
import type { Clock } from '@tpv/shared/clock';
import type { ConsentPurpose, ConsentSource } from '@tpv/shared/privacy/consent';
import { newRowId } from '../persistence/row-id';
import { all, bool, exec, isPostgres, num, one, type Db } from '../persistence/sql';

// ── schema discovery ──

export interface ColumnInfo {
  name: string;
  nullable: boolean;
}

/** The columns of a table (empty when it does not exist). */
export async function columnsOf(m: Db, table: string): Promise<ColumnInfo[]> {
  if (isPostgres(m)) {
    const rows = await all<{ c: string; n: string }>(
      m, `SELECT column_name AS c, is_nullable AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, [table]);
    return rows.map((r) => ({ name: r.c, nullable: r.n === 'YES' }));
  }
  const rows = await all<{ name: string; notnull: number; pk: number }>(m, `SELECT name, "notnull", pk FROM pragma_table_info(?)`, [table]);
  return rows.map((r) => ({ name: r.name, nullable: Number(r.notnull) === 0 && Number(r.pk) === 0 }));
}

/** Tables that have a column of this name. */
export async function tablesWithColumn(m: Db, column: string): Promise<string[]> {
  const rows = isPostgres(m)
    ? await all<{ t: string }>(m, `SELECT table_name AS t FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = ? ORDER BY table_name`, [column])
    : await all<{ t: string }>(m, `SELECT s.name AS t FROM sqlite_master s JOIN pragma_table_info(s.name) p WHERE s.type = 'table' AND p.name = ? ORDER BY s.name`, [column]);
  return rows.map((r) => r.t);
}

/** Identifiers come from the catalogue above, never from input; quoted all the same. */
const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

export async function rowsOf(m: Db, table: string, column: string, value: string, limit = 5_000): Promise<Array<Record<string, unknown>>> {
  return all<Record<string, unknown>>(m, `SELECT * FROM ${q(table)} WHERE ${q(column)} = ? LIMIT ${limit}`, [value]);
}
export async function deleteRows(m: Db, table: string, column: string, value: string): Promise<number> {
  const n = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(column)} = ?`, [value]);
  await exec(m, `DELETE FROM ${q(table)} WHERE ${q(column)} = ?`, [value]);
  return Number(n?.n ?? 0);
}
export async function nullColumns(m: Db, table: string, columns: readonly string[], where: string, value: string): Promise<number> {
  if (columns.length === 0) return 0;
  const n = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(where)} = ?`, [value]);
  await exec(m, `UPDATE ${q(table)} SET ${columns.map((c) => `${q(c)} = NULL`).join(', ')} WHERE ${q(where)} = ?`, [value]);
  return Number(n?.n ?? 0);
}

// ── customers ──

export interface CustomerRecord {
  id: string;
  name: string;
  nif: string | null;
  email: string | null;
  active: boolean;
  erasedAt: string | null;
  version: number;
  /** Every column as stored (the CRM adds some): the export shows them all. */
  raw: Record<string, unknown>;
}

export async function customerForUpdate(m: Db, id: string, lock = false): Promise<CustomerRecord | undefined> {
  const r = await one<Record<string, unknown>>(m, `SELECT * FROM customer WHERE id = ?${lock && isPostgres(m) ? ' FOR UPDATE' : ''}`, [id]);
  if (!r) return undefined;
  return {
    id: String(r.id), name: String(r.name), nif: (r.nif as string | null) ?? null, email: (r.email as string | null) ?? null, active: bool(r.active),
    erasedAt: (r.erased_at as string | null) ?? null, version: Number(r.version ?? 0), raw: r,
  };
}

/** Whether the customer was erased (other modules refuse to write personal data back into it). */
export async function customerErased(m: Db, id: string): Promise<boolean> {
  return Boolean((await one<{ e: string | null }>(m, `SELECT erased_at AS e FROM customer WHERE id = ?`, [id]))?.e);
}

// ── consents ──

export interface ConsentRow {
  id: string; customerId: string; purpose: ConsentPurpose; granted: boolean; source: ConsentSource; recordedBy: string | null;
  storeId: string | null; terminalId: string | null; documentId: string | null; note: string | null; givenAt: string; createdAt: string;
}

export async function insertConsent(m: Db, c: ConsentRow): Promise<void> {
  await exec(
    m,
    `INSERT INTO customer_consent (id, customer_id, purpose, granted, source, recorded_by, store_id, terminal_id, document_id, note, given_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.id, c.customerId, c.purpose, c.granted, c.source, c.recordedBy, c.storeId, c.terminalId, c.documentId, c.note, c.givenAt, c.createdAt],
  );
}

export interface ConsentStateRow { purpose: ConsentPurpose; granted: boolean; source: ConsentSource; givenAt: string; consentId: string }

export async function consentStates(m: Db, customerId: string): Promise<ConsentStateRow[]> {
  const rows = await all<{ purpose: ConsentPurpose; granted: unknown; source: ConsentSource; given_at: string; consent_id: string }>(
    m, `SELECT purpose, granted, source, given_at, consent_id FROM customer_consent_state WHERE customer_id = ? ORDER BY purpose`, [customerId]);
  return rows.map((r) => ({ purpose: r.purpose, granted: bool(r.granted), source: r.source, givenAt: r.given_at, consentId: r.consent_id }));
}

/** Sets the state of one purpose (insert or replace) — in the transaction that appended its record. */
export async function putConsentState(m: Db, customerId: string, s: ConsentStateRow): Promise<void> {
  await exec(m, `DELETE FROM customer_consent_state WHERE customer_id = ? AND purpose = ?`, [customerId, s.purpose]);
  await exec(m, `INSERT INTO customer_consent_state (customer_id, purpose, granted, consent_id, source, given_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [customerId, s.purpose, s.granted, s.consentId, s.source, s.givenAt]);
}

export async function consentHistory(m: Db, customerId: string): Promise<ConsentRow[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT * FROM customer_consent WHERE customer_id = ? ORDER BY created_at, id`, [customerId]);
  return rows.map((r) => ({
    id: String(r.id), customerId: String(r.customer_id), purpose: r.purpose as ConsentPurpose, granted: bool(r.granted), source: r.source as ConsentSource,
    recordedBy: (r.recorded_by as string | null) ?? null, storeId: (r.store_id as string | null) ?? null, terminalId: (r.terminal_id as string | null) ?? null,
    documentId: (r.document_id as string | null) ?? null, note: (r.note as string | null) ?? null, givenAt: String(r.given_at), createdAt: String(r.created_at),
  }));
}

// ── access log ──

export async function insertAccess(m: Db, clock: Clock, a: { customerId: string; userId: string | null; userEmail: string | null; what: string; requestId: string | null }): Promise<void> {
  await exec(m, `INSERT INTO privacy_access_log (id, customer_id, user_id, user_email, what, request_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [newRowId(clock), a.customerId, a.userId, a.userEmail, a.what.slice(0, 60), a.requestId?.slice(0, 64) ?? null, new Date(clock.now()).toISOString()]);
}

export async function accessLog(m: Db, f: { customerId?: string | undefined; limit: number }) {
  const rows = await all<{ id: string; customer_id: string; name: string | null; user_email: string | null; what: string; at: string }>(
    m,
    `SELECT a.id, a.customer_id, c.name, a.user_email, a.what, a.at FROM privacy_access_log a LEFT JOIN customer c ON c.id = a.customer_id
      ${f.customerId ? 'WHERE a.customer_id = ?' : ''} ORDER BY a.at DESC, a.id DESC LIMIT ${f.limit}`,
    f.customerId ? [f.customerId] : [],
  );
  return rows.map((r) => ({ id: r.id, customerId: r.customer_id, customerName: r.name, userEmail: r.user_email, what: r.what, at: r.at }));
}

// ── requests ──

export interface RequestRow {
  id: string; customerId: string; kind: 'export' | 'erasure' | 'retention'; status: 'done' | 'refused'; jsonFileId: string | null; pdfFileId: string | null;
  summary: unknown; requestedBy: string | null; requestedByEmail: string | null; createdAt: string;
}
export async function insertRequest(m: Db, r: RequestRow): Promise<void> {
  await exec(
    m,
    `INSERT INTO privacy_request (id, customer_id, kind, status, json_file_id, pdf_file_id, summary, requested_by, requested_by_email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.id, r.customerId, r.kind, r.status, r.jsonFileId, r.pdfFileId, r.summary === undefined ? null : JSON.stringify(r.summary), r.requestedBy, r.requestedByEmail, r.createdAt],
  );
}
export async function listRequests(m: Db, f: { customerId?: string | undefined; kind?: string | undefined; limit: number }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId) {
    where.push('r.customer_id = ?');
    params.push(f.customerId);
  }
  if (f.kind) {
    where.push('r.kind = ?');
    params.push(f.kind);
  }
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT r.*, c.name AS customer_name FROM privacy_request r LEFT JOIN customer c ON c.id = r.customer_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.id DESC LIMIT ${f.limit}`,
    params,
  );
  return rows.map((r) => ({
    id: String(r.id), customerId: String(r.customer_id), customerName: (r.customer_name as string | null) ?? null, kind: r.kind as RequestRow['kind'],
    status: r.status as RequestRow['status'], jsonFileId: (r.json_file_id as string | null) ?? null, pdfFileId: (r.pdf_file_id as string | null) ?? null,
    summary: r.summary ? (JSON.parse(String(r.summary)) as unknown) : null, requestedBy: (r.requested_by_email as string | null) ?? null, createdAt: String(r.created_at),
  }));
}
export async function requestById(m: Db, id: string) {
  const r = await one<{ id: string; json_file_id: string | null; pdf_file_id: string | null }>(m, `SELECT id, json_file_id, pdf_file_id FROM privacy_request WHERE id = ?`, [id]);
  return r ? { id: r.id, jsonFileId: r.json_file_id, pdfFileId: r.pdf_file_id } : undefined;
}

// ── policy ──

export async function policy(m: Db): Promise<{ retentionYears: number | null; updatedBy: string | null; updatedAt: string | null }> {
  const r = await one<{ retention_years: unknown; updated_by: string | null; updated_at: string | null }>(m, `SELECT retention_years, updated_by, updated_at FROM privacy_policy WHERE id = 'default'`);
  return { retentionYears: num(r?.retention_years ?? null), updatedBy: r?.updated_by ?? null, updatedAt: r?.updated_at ?? null };
}
export async function putPolicy(m: Db, years: number | null, by: string, at: string): Promise<void> {
  await exec(m, `DELETE FROM privacy_policy WHERE id = 'default'`);
  await exec(m, `INSERT INTO privacy_policy (id, retention_years, updated_by, updated_at) VALUES ('default', ?, ?, ?)`, [years, by, at]);
}

// ── money the customer and we still owe each other ──

/** Σ of the non-zero balances of the customer's live open items, and of the on-account tickets still open (legacy table). */
export async function openBalanceCents(m: Db, customerId: string): Promise<number> {
  const items = await one<{ s: unknown }>(
    m, `SELECT COALESCE(SUM(ABS(balance_cents)), 0) AS s FROM open_item WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND status <> 'cancelled' AND balance_cents <> 0`, [customerId]);
  const tickets = await one<{ s: unknown }>(m, `SELECT COALESCE(SUM(amount_cents - paid_cents), 0) AS s FROM receivable WHERE customer_id = ? AND status = 'open'`, [customerId]);
  return Number(items?.s ?? 0) + Number(tickets?.s ?? 0);
}

/**
 * Customers whose last sign of life — a ticket naming them, an invoice to them, a consent recorded, a change of
 * their record (audit log; the record's own created_at/updated_at when the CRM adds them) — is before `before`:
 * candidates for retention. Not yet erased.
 */
export async function inactiveCustomers(m: Db, before: string, limit: number): Promise<string[]> {
  const day = before.slice(0, 10);
  const own = new Set((await columnsOf(m, 'customer')).map((c) => c.name));
  const stamps = ['created_at', 'updated_at', 'last_seen_at'].filter((c) => own.has(c));
  const rows = await all<{ id: string }>(
    m,
    `SELECT c.id FROM customer c
      WHERE c.erased_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM sale_ticket t WHERE t.customer_id = c.id AND t.business_date >= ?)
        AND NOT EXISTS (SELECT 1 FROM invoice i WHERE i.recipient_customer_id = c.id AND COALESCE(i.issue_date, SUBSTR(i.created_at, 1, 10)) >= ?)
        AND NOT EXISTS (SELECT 1 FROM customer_consent k WHERE k.customer_id = c.id AND k.created_at >= ?)
        AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'customer' AND a.entity_id = c.id AND a.at >= ?)
        ${stamps.map((c) => `AND (c.${q(c)} IS NULL OR c.${q(c)} < ?)`).join(' ')}
      ORDER BY c.id LIMIT ${limit}`,
    [day, day, before, before, ...stamps.map(() => before)],
  );
  return rows.map((r) => r.id);
}
