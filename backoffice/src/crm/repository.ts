/** The CRM's SQL (both engines through persistence/sql.ts): customers, notes, merges, segments, the 360 reads. */
import type { CustomerSummary, SegmentRules } from '@tpv/shared/wire/http/crm';
import { all, bool, exec, inList, num, one, type Db } from '../persistence/sql';

export const SUMMARY_COLUMNS = 'c.id, c.name, c.nif, c.phone, c.email, c.loyalty_card, c.active, c.created_at, c.origin_store_id';
export const toSummary = (r: Record<string, unknown>): CustomerSummary => ({
  id: String(r.id), name: String(r.name), nif: (r.nif as string | null) ?? null, phone: (r.phone as string | null) ?? null, email: (r.email as string | null) ?? null,
  loyaltyCard: (r.loyalty_card as string | null) ?? null, active: bool(r.active), createdAt: (r.created_at as string | null) ?? null, originStoreId: (r.origin_store_id as string | null) ?? null,
});

export interface CustomerRowIn {
  id: string; name: string; nif: string | null; phone: string | null; email: string | null; loyaltyCard: string | null; createdAt: string; originStoreId: string | null;
}

export async function customerRow(m: Db, id: string): Promise<(CustomerSummary & { mergedIntoId: string | null }) | undefined> {
  const r = await one<Record<string, unknown>>(m, `SELECT ${SUMMARY_COLUMNS}, c.merged_into_id FROM customer c WHERE c.id = ?`, [id]);
  return r ? { ...toSummary(r), mergedIntoId: (r.merged_into_id as string | null) ?? null } : undefined;
}

/** Where a merged customer's documents land now (the end of the chain), or undefined if never merged. */
export async function mergedInto(m: Db, id: string): Promise<string | undefined> {
  return (await one<{ into_id: string }>(m, `SELECT into_id FROM customer_merge WHERE merged_id = ?`, [id]))?.into_id;
}

/** Another live customer holding this NIF / loyalty card (unique keys). */
export async function holderOf(m: Db, column: 'nif' | 'loyalty_card', value: string, notId: string): Promise<string | undefined> {
  return (await one<{ id: string }>(m, `SELECT id FROM customer WHERE ${column} = ? AND id <> ? AND merged_into_id IS NULL`, [value, notId]))?.id;
}

export async function insertCustomer(m: Db, c: CustomerRowIn): Promise<void> {
  await exec(
    m,
    `INSERT INTO customer (id, nif, name, email, re_regime, credit_limit_cents, active, version, phone, loyalty_card, created_at, origin_store_id)
     VALUES (?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?, ?)`,
    [c.id, c.nif, c.name, c.email, false, true, c.phone, c.loyaltyCard, c.createdAt, c.originStoreId],
  );
}

export async function updateCustomer(m: Db, id: string, c: { name: string; nif: string | null; phone: string | null; email: string | null; loyaltyCard: string | null }): Promise<void> {
  await exec(m, `UPDATE customer SET name = ?, nif = ?, phone = ?, email = ?, loyalty_card = ?, version = version + 1 WHERE id = ?`, [c.name, c.nif, c.phone, c.email, c.loyaltyCard, id]);
}

// ── list and search ──

export interface ListFilter {
  q?: string | undefined; filter: 'all' | 'member' | 'noContact' | 'withNif'; segmentId?: string | undefined; storeId?: string | undefined; limit: number; offset: number;
}

/** Search terms as SQL: every name word as a prefix of a word of the name; digits as phone/card prefix; NIF, email. */
function searchWhere(q: string, params: unknown[]): string {
  const t = q.trim();
  const ors: string[] = [];
  const digits = t.replace(/\D/g, '');
  if (t.includes('@')) {
    ors.push('c.email LIKE ?');
    params.push(`${t.toLowerCase()}%`);
  }
  if (digits.length >= 3 && /^[\d\s+().-]+$/.test(t)) {
    ors.push('c.phone LIKE ?', 'c.loyalty_card LIKE ?');
    params.push(`${digits}%`, `${digits}%`);
  }
  const compact = t.replace(/[\s.-]/g, '').toUpperCase();
  if (/^[A-Z0-9]{4,}$/.test(compact)) {
    ors.push('c.nif = ?', 'c.loyalty_card = ?');
    params.push(compact, compact);
  }
  const words = t.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  if (words.length > 0) {
    ors.push(`(${words.map(() => `(LOWER(c.name) LIKE ? OR LOWER(c.name) LIKE ?)`).join(' AND ')})`);
    for (const w of words) params.push(`${w.replace(/[%_]/g, '')}%`, `% ${w.replace(/[%_]/g, '')}%`);
  }
  return ors.length ? `(${ors.join(' OR ')})` : '1 = 1';
}

export async function listCustomers(m: Db, f: ListFilter): Promise<{ customers: CustomerSummary[]; total: number }> {
  const params: unknown[] = [];
  const where = ['c.merged_into_id IS NULL'];
  if (f.q && f.q.trim()) where.push(searchWhere(f.q, params));
  if (f.filter === 'member') where.push('c.loyalty_card IS NOT NULL');
  if (f.filter === 'noContact') where.push('c.phone IS NULL AND c.email IS NULL');
  if (f.filter === 'withNif') where.push('c.nif IS NOT NULL');
  if (f.segmentId) {
    where.push('EXISTS (SELECT 1 FROM customer_segment_member s WHERE s.customer_id = c.id AND s.segment_id = ?)');
    params.push(f.segmentId);
  }
  if (f.storeId) {
    where.push('(c.origin_store_id = ? OR EXISTS (SELECT 1 FROM sale_ticket t WHERE t.customer_id = c.id AND t.store_id = ?))');
    params.push(f.storeId, f.storeId);
  }
  const w = where.join(' AND ');
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM customer c WHERE ${w}`, params))?.n ?? 0);
  const rows = await all<Record<string, unknown>>(m, `SELECT ${SUMMARY_COLUMNS} FROM customer c WHERE ${w} ORDER BY c.name, c.id LIMIT ? OFFSET ?`, [...params, f.limit, f.offset]);
  return { customers: rows.map(toSummary), total };
}

// ── duplicates ──

/** Candidate pairs: live customers sharing a normalised NIF, email or phone (a < b by id), at most `limit`. */
export async function duplicatePairs(m: Db, limit: number): Promise<Array<{ a: string; b: string; reason: 'nif' | 'email' | 'phone' }>> {
  const out: Array<{ a: string; b: string; reason: 'nif' | 'email' | 'phone' }> = [];
  // Stored values are normalised by the CRM's writers; UPPER/LOWER/REPLACE catch what older writers stored.
  const keys: Array<['nif' | 'email' | 'phone', string]> = [
    ['nif', `UPPER(REPLACE(REPLACE(REPLACE(x.nif, ' ', ''), '-', ''), '.', ''))`],
    ['email', 'LOWER(TRIM(x.email))'],
    ['phone', `REPLACE(REPLACE(REPLACE(x.phone, ' ', ''), '-', ''), '+34', '')`],
  ];
  for (const [reason, expr] of keys) {
    const rows = await all<{ a: string; b: string }>(
      m,
      `SELECT a.id AS a, b.id AS b FROM
         (SELECT x.id, ${expr} AS k FROM customer x WHERE x.${reason} IS NOT NULL AND x.${reason} <> '' AND x.merged_into_id IS NULL) a
         JOIN (SELECT x.id, ${expr} AS k FROM customer x WHERE x.${reason} IS NOT NULL AND x.${reason} <> '' AND x.merged_into_id IS NULL) b ON a.k = b.k AND a.id < b.id
       ORDER BY a.id, b.id LIMIT ?`,
      [limit],
    );
    for (const r of rows) out.push({ a: r.a, b: r.b, reason });
  }
  return out;
}

export async function summariesByIds(m: Db, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await all<Record<string, unknown>>(m, `SELECT ${SUMMARY_COLUMNS} FROM customer c WHERE c.id IN (${inList(ids.length)})`, ids);
  return new Map(rows.map((r) => [String(r.id), toSummary(r)]));
}

// ── merge: every table that names a customer ──

/**
 * The rows that name customer B, moved onto A (table → SQL). Counterparty tables of collections key on
 * (kind 'customer', id). `credit_control` is per company and counterparty: B's row goes where A has none,
 * and is dropped where A has one (A's own limit and block stand; exposure is recomputed from the items).
 */
export const MERGE_MOVES: ReadonlyArray<{ table: string; sql: string; params: (into: string, merged: string) => unknown[] }> = [
  { table: 'sale_ticket', sql: 'UPDATE sale_ticket SET customer_id = ? WHERE customer_id = ?', params: (a, b) => [a, b] },
  { table: 'receivable', sql: 'UPDATE receivable SET customer_id = ? WHERE customer_id = ?', params: (a, b) => [a, b] },
  { table: 'invoice', sql: 'UPDATE invoice SET recipient_customer_id = ? WHERE recipient_customer_id = ?', params: (a, b) => [a, b] },
  ...['open_item', 'payment', 'sepa_mandate', 'dunning_letter'].map((table) => ({
    table,
    sql: `UPDATE ${table} SET counterparty_id = ? WHERE counterparty_kind = 'customer' AND counterparty_id = ?`,
    params: (a: string, b: string) => [a, b],
  })),
  {
    table: 'credit_control',
    sql: `UPDATE credit_control SET counterparty_id = ? WHERE counterparty_kind = 'customer' AND counterparty_id = ?
            AND NOT EXISTS (SELECT 1 FROM credit_control o WHERE o.company_id = credit_control.company_id AND o.counterparty_kind = 'customer' AND o.counterparty_id = ?)`,
    params: (a, b) => [a, b, a],
  },
  { table: 'customer_note', sql: 'UPDATE customer_note SET customer_id = ? WHERE customer_id = ?', params: (a, b) => [a, b] },
  // Earlier merges into B now land on A too.
  { table: 'customer_merge', sql: 'UPDATE customer_merge SET into_id = ? WHERE into_id = ?', params: (a, b) => [a, b] },
  { table: 'customer', sql: 'UPDATE customer SET merged_into_id = ? WHERE merged_into_id = ?', params: (a, b) => [a, b] },
];

/** Rows each move would touch (counted before, inside the same transaction). */
export async function countNaming(m: Db, table: string, merged: string): Promise<number> {
  const col: Record<string, string> = {
    sale_ticket: 'customer_id', receivable: 'customer_id', invoice: 'recipient_customer_id', customer_note: 'customer_id', customer_merge: 'into_id', customer: 'merged_into_id',
  };
  const where = col[table] ? `${col[table]} = ?` : `counterparty_kind = 'customer' AND counterparty_id = ?`;
  return Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, [merged]))?.n ?? 0);
}

export async function markMerged(m: Db, merged: string, into: string, at: string, by: string | null, moved: Record<string, number>): Promise<void> {
  await exec(m, `DELETE FROM credit_control WHERE counterparty_kind = 'customer' AND counterparty_id = ?`, [merged]);
  await exec(m, `DELETE FROM customer_segment_member WHERE customer_id = ?`, [merged]);
  await exec(m, `UPDATE customer SET merged_into_id = ?, active = ?, nif = NULL, loyalty_card = NULL, version = version + 1 WHERE id = ?`, [into, false, merged]);
  await exec(m, `INSERT INTO customer_merge (merged_id, into_id, merged_at, merged_by, moved) VALUES (?, ?, ?, ?, ?)`, [merged, into, at, by, JSON.stringify(moved)]);
}

// ── the 360 page ──

export async function ticketsOf(m: Db, customerId: string, storeIds: readonly string[] | null, returns: boolean, limit = 200) {
  const scope = storeIds ? ` AND t.store_id IN (${storeIds.length ? inList(storeIds.length) : "''"})` : '';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT t.id, t.fiscal_number, t.store_id, s.name AS store_name, t.business_date, t.kind, t.total_cents
       FROM sale_ticket t JOIN store s ON s.id = t.store_id
      WHERE t.customer_id = ? AND ${returns ? 't.total_cents < 0' : 't.total_cents >= 0'}${scope}
      ORDER BY t.business_date DESC, t.id DESC LIMIT ?`,
    [customerId, ...(storeIds ?? []), limit],
  );
  return rows.map((r) => ({
    id: String(r.id), fiscalNumber: String(r.fiscal_number), storeId: String(r.store_id), storeName: String(r.store_name), businessDate: String(r.business_date), kind: String(r.kind), totalCents: Number(r.total_cents),
  }));
}

export async function storesOf(m: Db, customerId: string, storeIds: readonly string[] | null) {
  const scope = storeIds ? ` AND t.store_id IN (${storeIds.length ? inList(storeIds.length) : "''"})` : '';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT t.store_id, s.name AS store_name, COUNT(*) AS n, SUM(t.total_cents) AS spend FROM sale_ticket t JOIN store s ON s.id = t.store_id
      WHERE t.customer_id = ?${scope} GROUP BY t.store_id, s.name ORDER BY s.name`,
    [customerId, ...(storeIds ?? [])],
  );
  return rows.map((r) => ({ storeId: String(r.store_id), storeName: String(r.store_name), tickets: Number(r.n), spendCents: Number(r.spend ?? 0) }));
}

export async function invoicesOf(m: Db, customerId: string, companyIds: readonly string[] | null) {
  const scope = companyIds ? ` AND company_id IN (${companyIds.length ? inList(companyIds.length) : "''"})` : '';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT id, number, issue_date, status, total_cents FROM invoice WHERE recipient_customer_id = ?${scope} ORDER BY issue_date DESC, id DESC LIMIT 200`,
    [customerId, ...(companyIds ?? [])],
  );
  return rows.map((r) => ({ id: String(r.id), number: (r.number as string | null) ?? null, issueDate: (r.issue_date as string | null) ?? null, status: String(r.status), totalCents: Number(r.total_cents) }));
}

export async function openItemsOf(m: Db, customerId: string, companyIds: readonly string[] | null) {
  const scope = companyIds ? ` AND company_id IN (${companyIds.length ? inList(companyIds.length) : "''"})` : '';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT id, document_ref, due_date, balance_cents FROM open_item
      WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND side = 'receivable' AND balance_cents <> 0 AND status <> 'cancelled'${scope}
      ORDER BY due_date, id`,
    [customerId, ...(companyIds ?? [])],
  );
  return rows.map((r) => ({ id: String(r.id), documentRef: (r.document_ref as string | null) ?? null, dueDate: String(r.due_date), balanceCents: Number(r.balance_cents) }));
}

export async function notesOf(m: Db, customerId: string) {
  const rows = await all<Record<string, unknown>>(m, `SELECT id, body, created_at, author FROM customer_note WHERE customer_id = ? ORDER BY created_at DESC, id DESC`, [customerId]);
  return rows.map((r) => ({ id: String(r.id), body: String(r.body), createdAt: String(r.created_at), author: (r.author as string | null) ?? null }));
}

export async function insertNote(m: Db, n: { id: string; customerId: string; body: string; at: string; by: string | null; author: string | null }): Promise<void> {
  await exec(m, `INSERT INTO customer_note (id, customer_id, body, created_at, created_by, author) VALUES (?, ?, ?, ?, ?, ?)`, [n.id, n.customerId, n.body, n.at, n.by, n.author]);
}

export async function mergedFrom(m: Db, customerId: string) {
  const rows = await all<{ merged_id: string; merged_at: string }>(m, `SELECT merged_id, merged_at FROM customer_merge WHERE into_id = ? ORDER BY merged_at`, [customerId]);
  return rows.map((r) => ({ id: r.merged_id, mergedAt: r.merged_at }));
}

export async function segmentsOfCustomer(m: Db, customerId: string) {
  return all<{ id: string; name: string }>(m, `SELECT s.id, s.name FROM customer_segment_member x JOIN customer_segment s ON s.id = x.segment_id WHERE x.customer_id = ? ORDER BY s.name`, [customerId]);
}

/** Whether a table exists (sections of modules that may not be installed: loyalty, consents). */
export async function tableExists(m: Db, pg: boolean, table: string): Promise<boolean> {
  const r = pg
    ? await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = ?`, [table])
    : await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?`, [table]);
  return Number(r?.n ?? 0) > 0;
}

// ── segments ──

export interface SegmentRow { id: string; name: string; rules: SegmentRules; memberCount: number; computedAt: string | null }

export async function segments(m: Db): Promise<SegmentRow[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT id, name, rules, member_count, computed_at FROM customer_segment ORDER BY name, id`);
  return rows.map((r) => ({ id: String(r.id), name: String(r.name), rules: JSON.parse(String(r.rules)) as SegmentRules, memberCount: Number(r.member_count), computedAt: (r.computed_at as string | null) ?? null }));
}

export async function saveSegment(m: Db, s: { id: string; name: string; rules: SegmentRules; at: string }, exists: boolean): Promise<void> {
  if (exists) await exec(m, `UPDATE customer_segment SET name = ?, rules = ?, updated_at = ? WHERE id = ?`, [s.name, JSON.stringify(s.rules), s.at, s.id]);
  else await exec(m, `INSERT INTO customer_segment (id, name, rules, member_count, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)`, [s.id, s.name, JSON.stringify(s.rules), s.at, s.at]);
}

export async function deleteSegment(m: Db, id: string): Promise<string[]> {
  const members = await all<{ customer_id: string }>(m, `SELECT customer_id FROM customer_segment_member WHERE segment_id = ?`, [id]);
  await exec(m, `DELETE FROM customer_segment_member WHERE segment_id = ?`, [id]);
  await exec(m, `DELETE FROM customer_segment WHERE id = ?`, [id]);
  return members.map((r) => r.customer_id);
}

/** The day `days` before `today` (YYYY-MM-DD). */
const daysBefore = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The live customers a segment's rules select as of `today`. Tickets considered: those of the period (the last
 * `periodDays` days, today included), at the store if one is named, containing the category if one is named.
 * Spend = Σ of those tickets (returns count negative); the last purchase = the latest of them.
 */
export async function segmentMembers(m: Db, rules: SegmentRules, today: string): Promise<string[]> {
  const params: unknown[] = [daysBefore(today, rules.periodDays - 1)];
  const where = ['t.customer_id IS NOT NULL', 't.business_date >= ?'];
  if (rules.storeId) {
    where.push('t.store_id = ?');
    params.push(rules.storeId);
  }
  if (rules.categoryId) {
    where.push('EXISTS (SELECT 1 FROM sale_line l JOIN product p ON p.id = l.product_id WHERE l.ticket_id = t.id AND p.category_id = ?)');
    params.push(rules.categoryId);
  }
  const having: string[] = [];
  if (rules.minSpendCents !== undefined) {
    having.push('SUM(t.total_cents) >= ?');
    params.push(rules.minSpendCents);
  }
  if (rules.boughtWithinDays !== undefined) {
    having.push('MAX(t.business_date) >= ?');
    params.push(daysBefore(today, rules.boughtWithinDays - 1));
  }
  const bought = `SELECT t.customer_id FROM sale_ticket t JOIN customer c ON c.id = t.customer_id AND c.merged_into_id IS NULL
                   WHERE ${where.join(' AND ')} GROUP BY t.customer_id${having.length ? ` HAVING ${having.join(' AND ')}` : ''}`;
  let sql = bought;
  if (rules.notBoughtForDays !== undefined) {
    // Lapsed: selected by the rules above (or any live customer when only this rule is set), and no ticket since.
    const onlyLapse = rules.minSpendCents === undefined && rules.boughtWithinDays === undefined && !rules.storeId && !rules.categoryId;
    const base = onlyLapse ? `SELECT c.id AS customer_id FROM customer c WHERE c.merged_into_id IS NULL` : `SELECT customer_id FROM (${bought}) b`;
    if (onlyLapse) params.splice(0, params.length);
    sql = `SELECT x.customer_id FROM (${base}) x WHERE NOT EXISTS (SELECT 1 FROM sale_ticket r WHERE r.customer_id = x.customer_id AND r.business_date >= ?)`;
    params.push(daysBefore(today, rules.notBoughtForDays - 1));
  }
  const rows = await all<{ customer_id: string }>(m, `${sql} ORDER BY 1`, params);
  return rows.map((r) => String(r.customer_id));
}

export async function membersOf(m: Db, segmentId: string): Promise<string[]> {
  return (await all<{ customer_id: string }>(m, `SELECT customer_id FROM customer_segment_member WHERE segment_id = ?`, [segmentId])).map((r) => r.customer_id);
}

export async function replaceMembers(m: Db, segmentId: string, add: readonly string[], remove: readonly string[], count: number, at: string): Promise<void> {
  for (let i = 0; i < remove.length; i += 500) {
    const chunk = remove.slice(i, i + 500);
    await exec(m, `DELETE FROM customer_segment_member WHERE segment_id = ? AND customer_id IN (${inList(chunk.length)})`, [segmentId, ...chunk]);
  }
  for (let i = 0; i < add.length; i += 400) {
    const chunk = add.slice(i, i + 400);
    await exec(m, `INSERT INTO customer_segment_member (segment_id, customer_id) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`, chunk.flatMap((c) => [segmentId, c]));
  }
  await exec(m, `UPDATE customer_segment SET member_count = ?, computed_at = ? WHERE id = ?`, [count, at, segmentId]);
}

export async function segmentExportRows(m: Db, segmentId: string) {
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT ${SUMMARY_COLUMNS}, (SELECT SUM(t.total_cents) FROM sale_ticket t WHERE t.customer_id = c.id) AS spend, (SELECT MAX(t.business_date) FROM sale_ticket t WHERE t.customer_id = c.id) AS last_purchase
       FROM customer_segment_member x JOIN customer c ON c.id = x.customer_id WHERE x.segment_id = ? ORDER BY c.name, c.id`,
    [segmentId],
  );
  return rows.map((r) => ({ ...toSummary(r), spendCents: num(r.spend) ?? 0, lastPurchase: (r.last_purchase as string | null) ?? null }));
}
