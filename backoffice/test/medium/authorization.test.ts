/**
 * The authorization matrix (issue #9, "must be true" 3): EVERY route of the back office's express app ×
 * {hq, franchisee A, franchisee B, store manager, no token, bad token} × {own id, foreign id}, on SQLite and
 * PostgreSQL. The routes are read from the app's router at run time: a route without an entry in ROUTES
 * fails the test, and so does an entry for a route that no longer exists. Every refused write (any method
 * but GET) must leave every writable table exactly as it was; every list answer must hold only stores in
 * the caller's scope.
 *
 * ── Adding a route ─────────────────────────────────────────────────────────────────────────────────────
 * Add one line to ROUTES, keyed `'<METHOD> <express path>'` exactly as registered (e.g.
 * `'POST /api/terminals/:id/replace'`), built with one of:
 *   storeScoped(req)  the target belongs to one store: HQ 2xx; a manager/store manager 2xx on their own
 *                     store's row and 403 on a foreign one; no/bad token 401.
 *   hqOnly(req)       franchise-wide: HQ 2xx, every other user 403, no/bad token 401.
 *   anyUser(req, l?)  any signed-in user 2xx (lists: `l` returns the store ids in the answer, which must all
 *                     be in the caller's scope), no/bad token 401.
 *   open(req, s)      no authentication: status `s` for everyone (the token is ignored).
 * `req(c)` gets a cell `c`: `c.store` is the target store's fixtures (`id`, `terminalId`, `staffId`,
 * `noticeId`, `ticketId`) — the caller's own store for `own`, a store outside their scope for `foreign` —,
 * `c.home` the caller's own store, `c.who`, `c.variant` and `c.pin()` (a fresh PIN). It returns
 * `{ path, body?, token? }`. A row the request needs in a given state each time (a price to delete, a fresh
 * pairing code) goes in `{ ...storeScoped(req), prepare: async (c, { h, hqToken }) => … }`, run before the
 * cell's request. Need a fixture the seed lacks? Add it in `seedMatrix` below. Prefer requests that succeed
 * for the allowed callers (good credentials, a fresh code): failures would trip the login/pairing limits.
 * Own/foreign stores per caller: HQ M001/V001, franchisee A (Ruiz) M001/V001, franchisee B (Levante)
 * V001/M001, store manager of M001: M001/M002 (another store of their own company), no/bad token M001/V001.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import * as bo from '../../src/persistence/entities';
import { sealSecret } from '../../src/auth/totp';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { ADDRESS, companyBody, contractBody, storeBody } from '../support/organisation-bodies';
import { expressRoutes } from '../support/routes';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { insertDraftInvoice, postInvoice } from '../../src/invoicing/posting';
import { openItem } from '../../src/collections/ledger';
import { incidentIn, orderIn, shippedNoteIn, stockFor } from '../support/replenishment-fixtures';
import { DEFAULT_DUNNING_LEVELS } from '@tpv/shared/collections/dunning';
import { newVoucherCode } from '@tpv/shared/vouchers/codes';
import { insertVoucher, post as postVoucher, sqlOf } from '../../src/vouchers/ledger';
import { DEFAULT_PROGRAMME } from '@tpv/shared/loyalty/rules';

type Who = 'hq' | 'franchiseeA' | 'franchiseeB' | 'storeManager' | 'noToken' | 'badToken';
type Variant = 'own' | 'foreign';
type Expect = '2xx' | 400 | 401 | 403 | 404 | 409;
type StoreKey = 'M1' | 'M2' | 'V1';

interface StoreFixture {
  key: StoreKey;
  id: string;
  companyId: string;
  terminalId: string;
  staffId: string;
  noticeId: string;
  /** A store manager of this store (users routes act on them). */
  userId: string;
  /** A job and a file of this store (platform jobs/files; set after the seed). */
  jobId?: string;
  fileId?: string;
}

interface Cell {
  who: Who;
  variant: Variant;
  store: StoreFixture;
  home: StoreFixture;
  pin: () => string;
}

interface Req {
  path: string;
  body?: unknown;
  /** A non-JSON body (an uploaded file), sent as is with this content type. */
  raw?: { type: string; data: string };
  /** The answer is a download (not JSON) when allowed. */
  download?: true;
  /** Overrides the caller's token (e.g. logout ends the session it is sent with). */
  token?: () => Promise<string | undefined>;
}

interface RouteSpec {
  req: (c: Cell) => Req;
  /** Puts the target row in the state the request needs (runs before the snapshot of a cell). */
  prepare?: (c: Cell, x: { h: Harness; hqToken: string }) => Promise<void>;
  expect: (who: Who, variant: Variant) => Expect;
  /** Store ids an answer lists: each must be within the caller's scope. */
  lists?: (body: unknown) => string[];
}

const USERS: Who[] = ['hq', 'franchiseeA', 'franchiseeB', 'storeManager'];
const unauth = (who: Who) => who === 'noToken' || who === 'badToken';

const storeScoped = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 403),
});
const hqOnly = (req: RouteSpec['req']): RouteSpec => ({ req, expect: (who) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : 403) });
const anyUser = (req: RouteSpec['req'], lists?: RouteSpec['lists']): RouteSpec => ({ req, expect: (who) => (unauth(who) ? 401 : '2xx'), ...(lists ? { lists } : {}) });
const open = (req: RouteSpec['req'], status: Expect): RouteSpec => ({ req, expect: () => status });
/** Signed-in callers get `status` (a refusal the route itself gives, e.g. a wrong current password), others 401. */
const anyUserGets = (req: RouteSpec['req'], status: Expect): RouteSpec => ({ req, expect: (who) => (unauth(who) ? 401 : status) });
/** Users routes: HQ admin anyone; a franchisee manager the store managers of their own stores; a store manager nobody. */
const managesUsers = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : who === 'storeManager' ? 403 : v === 'own' ? '2xx' : 403),
});
let invites = 0;
const SESSION_TO_END = '00000000-0000-7000-8f00-000000000001';

let crmPair: [string, string] = ['', ''];
const CRM_SEGMENT = '00000000-0000-7000-8c5e-000000000001';
/** Two fresh customers to merge (made by HQ before the cell's snapshot). */
const freshCrmPair: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  crmPair = [randomUUID(), randomUUID()];
  for (const id of crmPair) await h.api('POST', '/api/crm/customers', { token: hqToken, body: { id, name: 'Duplicado' } });
};
/** The matrix's segment exists (HQ saves it) before the cell. */
const freshCrmSegment: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  await h.api('PUT', `/api/crm/segments/${CRM_SEGMENT}`, { token: hqToken, body: { name: 'Matriz', rules: { boughtWithinDays: 30 } } });
};

const PRODUCT = F.products[0]!;
let promotionId = '';
const promotionBody = (storeId: string) => ({ name: '3x2 matriz', rule: { kind: 'n_for_m', productIds: [PRODUCT.id], buy: 3, pay: 2 }, conditions: { validFrom: '2026-01-01T00:00:00Z', storeIds: [storeId] } });
/** A promotion for the cell's target store (HQ creates it). */
const freshPromotion: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const r = await h.api('POST', '/api/promotions', { token: hqToken, body: promotionBody(c.store.id) });
  promotionId = r.body.id as string;
};
let pairingCode = '';
let replaceTarget = '';
let reviewItem = '';
const freshReviewItem: RouteSpec['prepare'] = async (_c, { h }) => {
  reviewItem = randomUUID();
  const p = (n: number) => (h.ds.options.type === 'postgres' ? `$${n}` : '?');
  await h.ds.query(
    `INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 0, NULL, 'gap', 'SEQ_GAP', 'matrix', NULL, ${p(4)})`,
    [reviewItem, F.t1.id, F.storeM1.id, new Date().toISOString()],
  );
};
let replaceCount = 0;
const CATEGORY = '00000000-0000-7000-800b-000000000001';
const staffBody = (c: Cell, into: StoreFixture) => ({
  companyId: into.companyId, storeId: into.id, code: `AUTH-${c.store.key}`, name: `Takeover ${c.who}`, role: 'manager', pin: c.pin(), active: true,
});
/** A write's body puts the row in the caller's own store: on a foreign row that is the takeover attempt. */
const into = (c: Cell) => (c.variant === 'foreign' && c.who !== 'hq' ? c.home : c.store);
const storeIdsOf = (rows: unknown) => (rows as Array<{ storeId: string }>).map((r) => r.storeId);

// ── organisation module ──
/** Company rows: HQ any; a franchisee manager their company; a store manager their store's company (read). */
const companyScoped = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || who === 'storeManager' || v === 'own' ? '2xx' : 403),
});
/** Contracts: HQ; a franchisee manager reads their company's; a store manager none. */
const contractsRead = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : who === 'storeManager' ? 403 : v === 'own' ? '2xx' : 403),
});
let orgN = 0;
const STORE_CODES: Record<StoreKey, string> = { M1: 'M001', M2: 'M002', V1: 'V001' };
// The fixture's Levante NIF fails its check digit (9638527 → 3): the edit puts a valid one.
const NIF_OF: Record<string, string> = { [F.ruiz.id]: F.ruiz.nif, [F.levante.id]: 'B96385273' };
let freshId = '';
let contractYear = 2100;
let warehouseId = '';
const freshCompany: RouteSpec['prepare'] = async (_c, { h }) => {
  freshId = randomUUID();
  await h.ds.getRepository(bo.CompanyEntity).insert({ id: freshId, kind: 'franchisee', nif: `MX${orgN++}`, legalName: 'Vacía S.L.', tradeName: null, address: null });
};
const freshCustomer: RouteSpec['prepare'] = async (_c, { h }) => {
  freshId = randomUUID();
  await h.ds.getRepository(bo.CustomerEntity).insert({ id: freshId, nif: null, name: 'Cliente matriz', email: null, reRegime: false, creditLimitCents: 0, active: true, version: 1 });
};
// New stores go to the franchisor's company: only HQ sees them, so the list checks' scopes stay as they are.
const freshStore: RouteSpec['prepare'] = async (_c, { h }) => {
  freshId = randomUUID();
  await h.ds.getRepository(bo.StoreEntity).insert({ id: freshId, code: `DX${orgN++}`, companyId: F.franchisor.id, name: 'Vacía', address: null, timezone: 'Europe/Madrid' });
};
const warehouseBody = () => ({ code: 'ALM-1', name: 'Almacén central', companyId: F.franchisor.id, address: ADDRESS });
const aWarehouse: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  if (!warehouseId) warehouseId = (await h.api('POST', '/api/warehouses', { token: hqToken, body: warehouseBody() })).body.id;
};
const freshWarehouse: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  freshId = (await h.api('POST', '/api/warehouses', { token: hqToken, body: { ...warehouseBody(), code: `ALM-X${orgN++}` } })).body.id;
};
const freshContract: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const year = contractYear++;
  freshId = (await h.api('POST', `/api/companies/${c.store.companyId}/contracts`, { token: hqToken, body: contractBody(`${year}-01-01`, `${year}-12-31`) })).body.id;
};
const freshTerminal: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  freshId = (await h.api('POST', '/api/terminals', { token: hqToken, body: { storeId: c.store.id, name: 'Para retirar' } })).body.terminal.id;
};
let emptyCategory = '';
let supplierId = '';
let priceChangeId = '';
let supplierOf: unknown = null;
/** One supplier per engine's back office (the matrix runs on each). */
const ensureSupplier: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  if (supplierOf === h) return;
  supplierId = (await h.api('POST', '/api/suppliers', { token: hqToken, body: { name: 'Distribuciones Norte S.L.', nif: null } })).body.id;
  supplierOf = h;
};
/** Purchasing (HQ): a warehouse of the franchisor's and a supplier per engine's back office, and a fresh order (a draft, or sent). */
const PO_WAREHOUSE = '00000000-0000-7000-8009-0000000000f1';
let purchasingOf: unknown = null;
const ensurePurchasing: RouteSpec['prepare'] = async (c, x) => {
  await ensureSupplier(c, x);
  if (purchasingOf === x.h) return;
  const p = (i: number) => (x.h.ds.options.type === 'postgres' ? `$${i}` : '?');
  await x.h.ds.query(`INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${p(1)}, 'ALM-PC', ${p(2)}, 'Almacén compras', NULL)`, [PO_WAREHOUSE, F.franchisor.id]);
  await x.h.api('PUT', `/api/suppliers/${supplierId}/products/${PRODUCT.id}`, { token: x.hqToken, body: { costCents: 120 } });
  purchasingOf = x.h;
};
const orderBody = () => ({ supplierId, locationId: PO_WAREHOUSE, lines: [{ productId: PRODUCT.id, quantity: 5 }] });
const freshOrder = (send: boolean): RouteSpec['prepare'] => async (c, x) => {
  await ensurePurchasing(c, x);
  freshId = (await x.h.api('POST', '/api/purchase-orders', { token: x.hqToken, body: orderBody() })).body.id;
  if (send) await x.h.api('POST', `/api/purchase-orders/${freshId}/send`, { token: x.hqToken });
};
// ── supplier invoices: a receipt at the cell's store (its company), and an invoice of that company recorded by HQ ──
let siReceipt = '';
let siInvoice = '';
const siDay = '2026-01-10';
const siBody = (companyId: string, lines: unknown[]) => ({ companyId, supplierId, supplierNumber: `M-${randomUUID()}`, invoiceDate: siDay, receivedDate: siDay, lines });
const siCharge = [{ receiptId: null, receiptLineNo: null, description: 'Portes', quantityMilli: 1000, unitPriceCents: 1000, ivaRateBp: 2100 }];
const siMatched = () => [{ receiptId: siReceipt, receiptLineNo: 1, quantityMilli: 5000, unitPriceCents: 100, ivaRateBp: PRODUCT.taxRateBp }];
const freshReceipt: RouteSpec['prepare'] = async (c, x) => {
  await ensurePurchasing(c, x);
  const o = (await x.h.api('POST', '/api/purchase-orders', { token: x.hqToken, body: { supplierId, locationId: c.store.id, lines: [{ productId: PRODUCT.id, quantity: 5, unitCostCents: 100 }] } })).body.id;
  await x.h.api('POST', `/api/purchase-orders/${o}/send`, { token: x.hqToken });
  siReceipt = randomUUID();
  await x.h.api('POST', `/api/purchase-orders/${o}/receipts`, { token: x.hqToken, body: { id: siReceipt, lines: [{ orderLineNo: 1, quantity: 5 }] } });
};
/** An invoice of the cell's company: matching its receipt (recorded, postable) or a charge without one (pending approval). */
const freshSupplierInvoice = (matched: boolean): RouteSpec['prepare'] => async (c, x) => {
  await freshReceipt(c, x);
  siInvoice = (await x.h.api('POST', '/api/supplier-invoices', { token: x.hqToken, body: siBody(c.store.companyId, matched ? siMatched() : siCharge) })).body.id;
};
// ── collections: SEPA mandates, remittances, transfers (the cell's company is the creditor / payer) ──
const SEPA_IBAN = 'ES9121000418450200051332';
const SEPA_DEBTOR_IBAN = 'ES7620770024003102575766';
let sepaN = 0;
let sepaMandate = '';
let sepaItem = '';
let sepaRemittance = '';
let sepaE2e = '';
const sepaSupplier = '00000000-0000-7000-8099-0000000000a1';
/** Dates around the real today (the matrix runs on the wall clock): a collection must be after today, a mandate signed before. */
const sepaDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const mandateBody = (companyId: string) => ({ companyId, counterpartyKind: 'customer', counterpartyId: F.customer.id, reference: `MX-${sepaN++}`, signedOn: sepaDay(-30), debtorIban: SEPA_DEBTOR_IBAN });
const sepaQ = (h: Harness) => (i: number) => (h.ds.options.type === 'postgres' ? `$${i}` : '?');
/** The creditor id is made from the NIF (Levante's seed NIF fails its check digit) and the file needs the company's IBAN. */
const sepaCompany: RouteSpec['prepare'] = async (c, { h }) => {
  const p = sepaQ(h);
  await h.ds.query(`UPDATE company SET iban = ${p(1)}, nif = ${p(2)} WHERE id = ${p(3)}`, [SEPA_IBAN, NIF_OF[c.store.companyId] ?? F.ruiz.nif, c.store.companyId]);
};
const freshMandate: RouteSpec['prepare'] = async (c, x) => {
  await sepaCompany(c, x);
  sepaMandate = (await x.h.api('POST', '/api/collections/mandates', { token: x.hqToken, body: mandateBody(c.store.companyId) })).body.id;
};
/** A receivable of the cell's company owed by the customer, with an active mandate. */
const freshDebitItem: RouteSpec['prepare'] = async (c, x) => {
  await freshMandate(c, x);
  sepaItem = await writeTransaction(x.h.ds, (m) =>
    openItem(m, { now: () => Date.now() }, { companyId: c.store.companyId, side: 'receivable', kind: 'on_account_ticket', sourceId: randomUUID(), sourceIdx: 0, documentRef: `T-${sepaN}`, counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: c.store.id, issueDate: '2026-10-01', dueDate: '2026-10-31', amountCents: 1234 }, null, 'test'),
  );
};
const freshRemittance = (settled: boolean): RouteSpec['prepare'] => async (c, x) => {
  await freshDebitItem(c, x);
  const r = (await x.h.api('POST', '/api/collections/remittances', { token: x.hqToken, body: { companyId: c.store.companyId, collectionDate: sepaDay(10), itemIds: [sepaItem] } })).body;
  sepaRemittance = r.id;
  sepaE2e = r.lines[0].endToEndId;
  if (settled) await x.h.api('POST', `/api/collections/remittances/${sepaRemittance}/settle`, { token: x.hqToken, body: { settledOn: sepaDay(12) } });
};
/** A payable of the cell's company to a supplier with an IBAN. */
const freshPayable: RouteSpec['prepare'] = async (c, x) => {
  await sepaCompany(c, x);
  const p = sepaQ(x.h);
  if (!(await x.h.ds.query(`SELECT id FROM supplier WHERE id = ${p(1)}`, [sepaSupplier])).length) {
    await x.h.ds.query(`INSERT INTO supplier (id, name, payment_terms_days, active, created_at, iban) VALUES (${p(1)}, 'Cafés del Sur S.L.', 30, ${p(2)}, ${p(3)}, ${p(4)})`, [sepaSupplier, true, new Date().toISOString(), 'ES6000491500051234567892']);
  }
  sepaItem = await writeTransaction(x.h.ds, (m) =>
    openItem(m, { now: () => Date.now() }, { companyId: c.store.companyId, side: 'payable', kind: 'supplier_invoice_due', sourceId: randomUUID(), sourceIdx: 0, documentRef: `CS-${sepaN++}`, counterparty: { kind: 'supplier', id: sepaSupplier, name: 'Cafés del Sur S.L.' }, storeId: null, issueDate: '2026-10-01', dueDate: '2026-10-31', amountCents: 4321 }, null, 'test'),
  );
};
/** invoicing.read without a company in the request: any user with it (HQ, franchisee managers), never a store manager. */
const invoicingUser = (req: RouteSpec['req']): RouteSpec => ({ req, expect: (who) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : '2xx') });
/** prices.write over a store's company: HQ, the franchisee manager of that company; never a store manager. */
// ── accounting journal: a fresh entry or recurring template of the cell's company (HQ writes it) ──
let accSeq = 0;
let accEntry = '';
let accRecurring = '';
const ACC_ENTRY = { date: '2026-11-15', description: 'Matriz', lines: [{ account: '62900000', debitCents: 100 }, { account: '57000000', creditCents: 100 }] };
// Starts in 2099: nothing of it is due while the matrix runs.
const ACC_RECURRING = { description: 'Matriz', dayOfMonth: 1, startDate: '2099-01-01', lines: ACC_ENTRY.lines };
const freshAccEntry: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  accEntry = (await h.api('POST', `/api/accounting/companies/${c.store.companyId}/entries`, { token: hqToken, body: ACC_ENTRY })).body.entry.id;
};
const freshAccRecurring: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  accRecurring = (await h.api('POST', `/api/accounting/companies/${c.store.companyId}/recurring`, { token: hqToken, body: ACC_RECURRING })).body.id;
};
const pricesWrite = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : who === 'storeManager' ? 403 : v === 'own' ? '2xx' : 403),
});
// ── collections: dunning and credit control (an open item of the cell's company; a credit-control row to release) ──
let dunItem = '';
const freshDunItem: RouteSpec['prepare'] = async (c, { h }) => {
  const at = { now: () => Date.UTC(2026, 10, 30) };
  dunItem = await writeTransaction(h.ds, (m) =>
    openItem(m, at, { companyId: c.store.companyId, side: 'receivable', kind: 'on_account_ticket', sourceId: randomUUID(), sourceIdx: 0, documentRef: 'T-AUTH', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: c.store.id, issueDate: '2026-09-01', dueDate: '2026-09-30', amountCents: 1000 }, null, 'test'),
  );
};
const creditRow: RouteSpec['prepare'] = async (c, { h }) => {
  const p = (i: number) => (h.ds.options.type === 'postgres' ? `$${i}` : '?');
  const found = (await h.ds.query(`SELECT 1 FROM credit_control WHERE company_id = ${p(1)} AND counterparty_kind = 'customer' AND counterparty_id = ${p(2)}`, [c.store.companyId, F.customer.id])) as unknown[];
  if (found.length === 0) {
    await h.ds.query(`INSERT INTO credit_control (company_id, counterparty_kind, counterparty_id, counterparty_name, exposure_cents, blocked, reason, updated_at) VALUES (${p(1)}, 'customer', ${p(2)}, 'Bar', 0, ${h.ds.options.type === 'postgres' ? 'true' : '1'}, 'matrix', '2026-11-30T00:00:00.000Z')`, [c.store.companyId, F.customer.id]);
  }
};
const dunningLevelsBody = (c: Cell) => ({ companyId: c.store.companyId, levels: DEFAULT_DUNNING_LEVELS });
let cancelJob = '';
let repId = '';
let noteId = '';
let incidentId = '';
const HQ_USER_ID = '00000000-0000-7000-8007-000000000001';

// Report views (issue 18): HQ's own view with a schedule and an inbox row, fresh for each cell.
let reportViewId = '';
let reportScheduleId = '';
let reportInboxId = '';
const freshReportView: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  const v = await h.api('POST', '/api/report-views', { token: hqToken, body: { name: `HQ ${randomUUID()}`, reportKey: 'sales-by-period', filters: {} } });
  reportViewId = v.body.id as string;
  const s = await h.api('POST', `/api/report-views/${reportViewId}/schedules`, { token: hqToken, body: { frequency: 'daily', timeOfDay: '07:00', format: 'pdf' } });
  reportScheduleId = (s.body.schedules as Array<{ id: string }>)[0]!.id;
  reportInboxId = randomUUID();
  const p = (n: number) => (h.ds.options.type === 'postgres' ? `$${n}` : '?');
  await h.ds.query(`INSERT INTO report_inbox (id, user_id, schedule_id, run_for, title, file_id, created_at, read_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, '2026-11-30T06:00:00.000Z', 'Matriz', ${p(4)}, '2026-11-30T06:00:00.000Z', NULL)`, [
    reportInboxId, HQ_USER_ID, reportScheduleId, randomUUID(),
  ]);
};
/** A row of HQ's own (a view, its schedule, an inbox item): HQ 2xx, everybody else 404 — it is not theirs. */
const hqsOwn = (req: RouteSpec['req'], prepare: RouteSpec['prepare']): RouteSpec => ({ req, prepare, expect: (who) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : 404) });
/** An open incident of the cell's target store. */
const freshIncident: RouteSpec['prepare'] = async (c, { h }) => void (incidentId = await incidentIn(h, c.store.id, c.store.companyId));
let photoId = '';
/** An open incident and a photo uploaded by HQ under the cell's target store. */
const freshIncidentWithPhoto: RouteSpec['prepare'] = async (c, x) => {
  await freshIncident(c, x);
  const r = await fetch(`${x.h.url}/api/quality/photos?storeId=${c.store.id}`, { method: 'POST', headers: { authorization: `Bearer ${x.hqToken}`, 'content-type': 'image/jpeg' }, body: 'foto' });
  photoId = ((await r.json()) as { id: string }).id;
};
const auditTemplate = { id: '', questionId: '', url: '' };
/** One audit template of one yes/no question (HQ writes it once per engine's server). */
const ensureAuditTemplate: RouteSpec['prepare'] = async (_c, { h, hqToken }) => {
  if (auditTemplate.url === h.url) return;
  auditTemplate.url = h.url;
  const r = await h.api('POST', '/api/audit-templates', { token: hqToken, body: { name: 'Matriz', questions: [{ section: 'cleanliness', text: 'Limpio', weight: 1, scale: 'yes_no' }] } });
  auditTemplate.id = r.body.id;
  auditTemplate.questionId = r.body.questions[0].id;
};
let auditId = '';
let actionId = '';
/** An audit of the cell's target store by HQ, failed ("no"): one open corrective action. */
const freshAudit: RouteSpec['prepare'] = async (c, x) => {
  await ensureAuditTemplate(c, x);
  const r = await x.h.api('POST', '/api/store-audits', { token: x.hqToken, body: { id: randomUUID(), storeId: c.store.id, templateId: auditTemplate.id, answers: [{ questionId: auditTemplate.questionId, value: 0 }] } });
  auditId = r.body.id;
  actionId = r.body.actions[0].id;
};
let importId = '';
/** The import routes start background jobs: let them finish before a cell's snapshot is taken. */
const jobsQuiet: RouteSpec['prepare'] = async (_c, { h }) => {
  for (const j of (await h.ds.query(`SELECT id FROM job WHERE status IN ('queued', 'running') AND kind LIKE 'catalog.%'`)) as Array<{ id: string }>) await h.server.jobs.settled(j.id);
};
/** SKU1 exactly as seeded: applying it changes no catalog row. */
const IMPORT_CSV = `sku;name;tax_rate;price;weighed\r\nSKU1;${PRODUCT.name};${PRODUCT.taxRateBp / 100};${(PRODUCT.priceCents / 100).toFixed(2)};${PRODUCT.weighed ? 1 : 0}\r\n`;
const storeIdsOfItems = (b: unknown) => (b as { items: Array<{ storeId: string | null }> }).items.flatMap((x) => (x.storeId ? [x.storeId] : []));
/** A ticket of the cell's target store (tickets module routes read one). */
let ticketId = '';
let ticketSeq = 0;
const ticketInStore: RouteSpec['prepare'] = async (c, { h }) => {
  ticketId = randomUUID();
  const n = ++ticketSeq;
  const p = (i: number) => (h.ds.options.type === 'postgres' ? `$${i}` : '?');
  const series = `${c.store.key === 'V1' ? 'V001' : c.store.key === 'M2' ? 'M002' : 'M001'}01-26T`;
  await h.ds.query(
    `INSERT INTO sale_ticket (id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date, total_cents, tax_cents, discount_cents, document, received_at, chain_ok)
     VALUES (${[1, 2, 3, 4].map(p).join(', ')}, 'sale', ${p(5)}, ${p(6)}, ${p(7)}, '2026-11-23T10:00:00+01:00', '2026-11-23', 100, 17, 0, '{}', '2026-11-23T09:00:01.000Z', ${h.ds.options.type === 'postgres' ? 'true' : '1'})`,
    [ticketId, c.store.terminalId, c.store.id, 900_000 + n, series, 900_000 + n, `${series}/${900_000 + n}`],
  );
};

// ── stock documents (stockops): each company has a matrix warehouse, the other end of its stores' transfers ──
const MATRIX_WAREHOUSE: Record<string, string> = { [F.ruiz.id]: '00000000-0000-7000-8009-00000000f001', [F.levante.id]: '00000000-0000-7000-8009-00000000f002' };
let stockDocId = '';
/** 100 units of PRODUCT into a location (test-only receipt through the ledger). */
const stockIn = (h: Harness, locationId: string) =>
  writeTransaction(h.ds, (m) =>
    postStockMoves(m, { now: () => Date.now() }, [{ locationId, productId: PRODUCT.id, delta: 100, reason: 'receipt', documentType: 'matrix', documentId: randomUUID(), documentLine: 1, purchaseCostMicros: 1_000_000 }]),
  );
const transferBody = (from: string, to: string) => ({ fromLocationId: from, toLocationId: to, lines: [{ productId: PRODUCT.id, quantity: 2 }] });
const draftTransferFrom: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  await stockIn(h, c.store.id);
  stockDocId = (await h.api('POST', '/api/stock/transfers', { token: hqToken, body: transferBody(c.store.id, MATRIX_WAREHOUSE[c.store.companyId]!) })).body.id;
};
const shippedTransferInto: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const from = MATRIX_WAREHOUSE[c.store.companyId]!;
  await stockIn(h, from);
  stockDocId = (await h.api('POST', '/api/stock/transfers', { token: hqToken, body: transferBody(from, c.store.id) })).body.id;
  await h.api('POST', `/api/stock/transfers/${stockDocId}/ship`, { token: hqToken });
};
const receivedShortInto: RouteSpec['prepare'] = async (c, x) => {
  await shippedTransferInto(c, x);
  await x.h.api('POST', `/api/stock/transfers/${stockDocId}/receive`, { token: x.hqToken, body: { lines: [{ productId: PRODUCT.id, received: 1 }] } });
};
const openCountAt: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  stockDocId = (await h.api('POST', '/api/stock/counts', { token: hqToken, body: { locationId: c.store.id, scope: 'products', productIds: [PRODUCT.id] } })).body.id;
};
/** Counted as expected (no recount), submitted. */
const submittedCountAt: RouteSpec['prepare'] = async (c, x) => {
  await openCountAt(c, x);
  const expected = Number((await x.h.ds.query(`SELECT expected FROM stock_count_line WHERE count_id = ${x.h.ds.options.type === 'postgres' ? '$1' : '?'}`, [stockDocId]))[0].expected);
  await x.h.api('PUT', `/api/stock/counts/${stockDocId}/counted`, { token: x.hqToken, body: { lines: [{ productId: PRODUCT.id, counted: expected }] } });
  await x.h.api('POST', `/api/stock/counts/${stockDocId}/submit`, { token: x.hqToken });
};
const approvedCountAt: RouteSpec['prepare'] = async (c, x) => {
  await submittedCountAt(c, x);
  await x.h.api('POST', `/api/stock/counts/${stockDocId}/approve`, { token: x.hqToken });
};
const adjustmentAt: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  stockDocId = randomUUID();
  await h.api('POST', '/api/stock/adjustments', { token: hqToken, body: { id: stockDocId, locationId: c.store.id, cause: 'found', lines: [{ productId: PRODUCT.id, delta: 1 }] } });
};
/** inventory.admin over a store: HQ, the franchisee manager of its company; never a store manager (same shape as prices.write). */
const inventoryAdmin = pricesWrite;
const MATRIX_STORES = new Set<string>([F.storeM1.id, F.storeM2.id, F.storeV1.id]);
const locationsOfItems = (b: unknown) => (b as Array<{ locationId: string }>).map((x) => x.locationId).filter((id) => MATRIX_STORES.has(id));
// ── restocking ──
/** Restocking jobs (proposals for many stores, the rollup's rebuild) finish before a cell's snapshot. */
const restockJobsQuiet: RouteSpec['prepare'] = async (_c, { h }) => {
  for (const j of (await h.ds.query(`SELECT id FROM job WHERE status IN ('queued', 'running') AND kind LIKE 'restocking.%'`)) as Array<{ id: string }>) await h.server.jobs.settled(j.id);
};
let proposalId = '';
/** A draft proposal of the target store with a line for PRODUCT (a minimum no stock reaches), made by HQ. */
const freshProposal: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  await h.api('PUT', `/api/stores/${c.store.id}/restock-rules/${PRODUCT.id}`, { token: hqToken, body: { method: 'minmax', minQty: 1_000_000, maxQty: 1_000_000 } });
  proposalId = (await h.api('POST', '/api/restocking/proposals', { token: hqToken, body: { storeId: c.store.id } })).body.id;
};
/** Confirming makes a real replenishment order: the franchisor needs a warehouse to serve it from. */
const confirmableProposal: RouteSpec['prepare'] = async (c, x) => {
  const pg = x.h.ds.options.type === 'postgres';
  const has = await x.h.ds.query(`SELECT 1 AS x FROM warehouse w JOIN company c ON c.id = w.company_id WHERE c.kind = 'franchisor' AND w.archived_at IS NULL`);
  if (has.length === 0) await x.h.ds.query(`INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${pg ? "$1, 'ALM-RS', $2, $3" : "?, 'ALM-RS', ?, ?"}, NULL)`, [randomUUID(), F.franchisor.id, 'Almacén reposición']);
  // An earlier caller's order is on its way (open orders count in the position): out of the way, so there is
  // again something to order.
  await x.h.ds.query(`UPDATE replenishment_order SET status = 'cancelled' WHERE store_id = ${pg ? '$1' : '?'} AND status = 'registered'`, [c.store.id]);
  await freshProposal(c, x);
};
const restockRule: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  await h.api('PUT', `/api/stores/${c.store.id}/restock-rules/${PRODUCT.id}`, { token: hqToken, body: { method: 'cover', coverDays: 7 } });
};
const alertStores = (b: unknown) => {
  const a = b as { belowMinimum: Array<{ storeId: string }>; withoutSales: Array<{ storeId: string }> };
  return [...a.belowMinimum, ...a.withoutSales].map((x) => x.storeId);
};

/** Facturae reads: HQ and a franchisee manager (invoicing.read; a foreign company is 404), a store manager 403. */
const invoicingRead = (req: RouteSpec['req'], foreign: Expect = '2xx', allowed: Expect = '2xx'): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : who === 'hq' || v === 'own' ? allowed : foreign),
});
/** A posted invoice of the target store's company (its Facturae is refused with 409: no certificate in the matrix). */
const postedInvoice: RouteSpec['prepare'] = async (c, { h }) => {
  const actor = { kind: 'user' as const, user: { id: randomUUID(), email: 'hq@test.demo', name: 'HQ', role: 'hq_admin' as const, companyId: null, storeId: null, companyIds: [] } };
  const clock = { now: () => Date.now() };
  // The issuer's NIF goes into its Veri*Factu record: give Levante the valid one the company edit gives it.
  await h.ds.getRepository(bo.CompanyEntity).update(c.store.companyId, { nif: NIF_OF[c.store.companyId]! });
  freshId = await writeTransaction(h.ds, async (m) => {
    const d = await insertDraftInvoice(m, clock, actor, {
      companyId: c.store.companyId, invoiceType: 'F1', source: 'manual', recipient: { nif: 'P2807900B', name: 'Ayuntamiento de Ejemplo', address: 'Calle 1, 28001 Madrid' },
      lines: [{ description: 'Servicio', quantityMilli: 1000, unitPriceCents: 1000, ivaRateBp: 2100 }],
    });
    return (await postInvoice(m, clock, actor, d.id)).id;
  });
};


// ── invoicing (issue 12): manual invoices of the cell's company, franchise runs (HQ only), Veri*Factu, F3 at HQ ──
/** A typed recipient any issuer may invoice (a franchisee manager never invoices another franchisee). */
const manualInvoiceBody = (companyId: string) => ({
  companyId,
  recipient: { kind: 'typed', nif: '12345678Z', name: 'Papelería Gómez', address: 'Calle Mayor 3, 28013 Madrid' },
  lines: [{ description: 'Alquiler', quantityMilli: 1000, unitPriceCents: 10_000, ivaRateBp: 2100 }],
});
/** A draft manual invoice of the target store's company (made by HQ). */
const draftInvoice: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  await h.ds.getRepository(bo.CompanyEntity).update(c.store.companyId, { nif: NIF_OF[c.store.companyId]! });
  freshId = (await h.api('POST', '/api/invoices', { token: hqToken, body: manualInvoiceBody(c.store.companyId) })).body.id;
};
/**
 * Lets earlier cells' jobs finish, so none writes while a refused cell compares its snapshots. The fixtures'
 * `matrix.noop` jobs have no handler and are never claimed: they are left queued.
 */
const settleJobs: RouteSpec['prepare'] = async (_c, { h }) => {
  const pending = (await h.ds.query(`SELECT id FROM job WHERE status IN ('queued', 'running') AND kind <> 'matrix.noop'`)) as Array<{ id: string }>;
  for (const j of pending) await h.server.jobs.settled(j.id);
};
/** A month long past and never run before (every cell of both engines asks for one; 12 a year from 1901). */
let runs = 0;
const pastPeriod = () => `${1901 + Math.floor(runs / 12)}-${String((runs++ % 12) + 1).padStart(2, '0')}`;
/** A fee run of a past, empty month (posted by HQ), for the run's page. */
const aFeeRun: RouteSpec['prepare'] = async (c, ctx) => {
  freshId = (await ctx.h.api('POST', '/api/invoicing/fee-runs', { token: ctx.hqToken, body: { period: pastPeriod() } })).body.runId;
  await settleJobs(c, ctx);
};
/** A simplified ticket (F2) of the cell's target store, with the document fields an F3 at HQ reads. */
const f2TicketInStore: RouteSpec['prepare'] = async (c, ctx) => {
  await ticketInStore(c, ctx);
  const doc = { issuedAt: '2026-11-23T10:00:00+01:00', fiscal: { invoiceType: 'F2', issueDate: '23-11-2026' }, taxBreakdown: [{ rate: 2100, reRate: 0, gross: 100, base: 83, ivaCuota: 17, reCuota: 0 }] };
  await ctx.h.ds.query(`UPDATE sale_ticket SET document = ${ctx.h.ds.options.type === 'postgres' ? '$1' : '?'} WHERE id = ${ctx.h.ds.options.type === 'postgres' ? '$2' : '?'}`, [JSON.stringify(doc), ticketId]);
};
const NORTE = { nif: 'B44556678', name: 'Construcciones Norte S.L.', address: { street: 'Calle Mayor 12', postalCode: '28013', city: 'Madrid' } };

// ── collections, payments part (issue 13): items, payments and write-offs of the cell's company (made by HQ) ──
const COLL_CP = 'nif:P2807900B';
let collItem = '';
let collPayment = '';
let collWriteOff = '';
const collBody = (companyId: string, amountCents = 100) => ({ companyId, side: 'receivable', counterpartyKind: 'other', counterpartyId: COLL_CP, method: 'transfer', amountCents, receivedOn: '2026-11-30' });
/** An open item of the cell's company: a posted invoice to a typed recipient. */
const collFreshItem: RouteSpec['prepare'] = async (c, x) => {
  await postedInvoice(c, x);
  const rows = (await x.h.ds.query(`SELECT id FROM open_item WHERE source_id = ${x.h.ds.options.type === 'postgres' ? '$1' : '?'}`, [freshId])) as Array<{ id: string }>;
  collItem = rows[0]!.id;
};
/** A payment of the cell's company; with `credit` it covers every item owed and keeps the rest as credit. */
const collFreshPayment = (credit: boolean): NonNullable<RouteSpec['prepare']> => async (c, x) => {
  collPayment = (await x.h.api('POST', '/api/collections/payments', { token: x.hqToken, body: collBody(c.store.companyId, credit ? 10_000_000 : 100) })).body.id;
};
/** A payment holding credit, then a new item it can be applied to. */
const collCreditAndItem: RouteSpec['prepare'] = async (c, x) => {
  await collFreshPayment(true)(c, x);
  await collFreshItem(c, x);
};
const collFreshWriteOff: RouteSpec['prepare'] = async (c, x) => {
  await collFreshItem(c, x);
  collWriteOff = (await x.h.api('POST', `/api/collections/items/${collItem}/write-off`, { token: x.hqToken, body: { reason: 'Matriz' } })).body.id;
};
const collStatement = (c: Cell) => `counterpartyKind=other&counterpartyId=${COLL_CP}&from=2026-01-01&to=2026-12-31&companyId=${c.store.companyId}`;
// ── collections: bank statements (a fresh Norma 43 file of the cell's company each time; its own account per company) ──
let bankN = 0;
let bankStatementId = '';
let bankMovementId = '';
const BANK_ACCOUNT_OF: Record<string, string> = {};
const bankFile = async (companyId: string, credit = 12_100) => {
  const { writeNorma43 } = await import('../../src/collections/bank');
  BANK_ACCOUNT_OF[companyId] ??= String(3_000_000_000 + Object.keys(BANK_ACCOUNT_OF).length).padStart(10, '0');
  const opening = 100_000 + bankN++;
  const movements = [{ operationDate: '2026-11-20', valueDate: '2026-11-20', commonConcept: '02', ownConcept: '000', amountCents: credit, document: String(opening).padStart(10, '0'), reference1: '', reference2: '', concepts: ['INGRESO MATRIZ'] }];
  return writeNorma43([{ account: { bank: '2100', office: '0418', number: BANK_ACCOUNT_OF[companyId]!, currency: 'EUR' }, from: '2026-11-01', to: '2026-11-30', openingBalanceCents: opening, closingBalanceCents: opening + credit, debits: { count: 0, totalCents: 0 }, credits: { count: 1, totalCents: credit }, movements }]);
};
let bankBody: { companyId: string; content: string } | null = null;
const freshBankFile: RouteSpec['prepare'] = async (c) => {
  bankBody = { companyId: c.store.companyId, content: await bankFile(c.store.companyId) };
};
const freshBankStatement: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const r = await h.api('POST', '/api/collections/bank-statements', { token: hqToken, body: { companyId: c.store.companyId, content: await bankFile(c.store.companyId), autoMatch: false } });
  bankStatementId = r.body.statements[0].id;
  bankMovementId = r.body.statements[0].movements[0].id;
};
let bankItemId = '';
/** A fresh statement and an open receivable of 121,00 of the cell's company (what a manual match settles). */
const freshBankMovementAndItem: RouteSpec['prepare'] = async (c, x) => {
  await freshBankStatement(c, x);
  const { openItem } = await import('../../src/collections/ledger');
  const sourceId = randomUUID();
  bankItemId = await writeTransaction(x.h.ds, (m) =>
    openItem(m, { now: () => Date.now() }, { companyId: c.store.companyId, side: 'receivable', kind: 'invoice_due', sourceId, sourceIdx: 0, documentRef: `MX-${bankN}`, counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: null, issueDate: '2026-11-01', dueDate: '2026-12-01', amountCents: 12_100 }, null, 'matrix'),
  );
};

// ── vouchers (issue 15): a voucher of the cell's company with 10 € on it ──
let voucherCode = '';
const freshVoucher: RouteSpec['prepare'] = async (c, { h }) => {
  voucherCode = newVoucherCode(`AZ${c.store.key}`, (n) => Uint8Array.from(randomUUID().replace(/-/g, '').slice(0, n * 2).match(/../g)!.map((x) => parseInt(x, 16))));
  await writeTransaction(h.ds, async (m) => {
    const at = new Date().toISOString();
    const v = await insertVoucher(sqlOf(m), { id: randomUUID(), code: voucherCode, companyId: c.store.companyId, storeId: c.store.id, terminalId: null, status: 'active', expiresAt: '2099-01-01T00:00:00.000Z', createdAt: at });
    await postVoucher(sqlOf(m), v, { id: randomUUID(), kind: 'issue', amountCents: 1000, companyId: c.store.companyId, storeId: c.store.id, terminalId: null, source: { kind: 'hq', id: randomUUID() }, at });
  });
};
/**
 * vouchers.read of one voucher: HQ any; others their companies' (another's is 404: it does not exist for them). A
 * voucher belongs to the company that sold it, not to a store: the store manager's foreign store (M002) is of its
 * own company, whose vouchers its customers spend at any of its stores.
 */
const voucherRead = (req: RouteSpec['req']): RouteSpec => ({
  req, prepare: freshVoucher, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || who === 'storeManager' || v === 'own' ? '2xx' : 404),
});

// ── product blocks and supplier returns (issue 17): a block of the cell's store; stock at the store and at the purchasing warehouse ──
let blockId = '';
let storeReturnId = '';
let supplierReturnId = '';
let creditN = 0;
const freshBlock: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  blockId = (await h.api('POST', '/api/product-blocks', { token: hqToken, body: { productId: PRODUCT.id, reason: 'Matriz', storeIds: [c.store.id] } })).body.block.id;
};
/** Read or withdraw a block: HQ any; others a block of a store in their scope (another's does not exist for them: 404). */
/** Receipt designs: HQ; the franchisee manager of the company; a store manager only reads. */
const receiptsWrite = (req: RouteSpec['req']): RouteSpec => ({
  req,
  expect: (who, v) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : who === 'storeManager' ? 403 : v === 'own' ? '2xx' : 403),
});
const blockRead = (req: RouteSpec['req']): RouteSpec => ({ req, prepare: freshBlock, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 404) });
const stockAt = async (h: Harness, locationId: string) =>
  writeTransaction(h.ds, (m) => postStockMoves(m, { now: () => Date.now() }, [{ locationId, productId: PRODUCT.id, delta: 5, reason: 'receipt', documentType: 'test', documentId: randomUUID(), documentLine: 1, purchaseCostMicros: 1_000_000 }]));
const storeStock: RouteSpec['prepare'] = async (c, x) => {
  await ensurePurchasing(c, x);
  await stockAt(x.h, c.store.id);
};
const storeReturnBody = (c: Cell) => ({ id: randomUUID(), storeId: c.store.id, warehouseId: PO_WAREHOUSE, supplierId, reason: 'Matriz', lines: [{ productId: PRODUCT.id, units: 1 }] });
const freshStoreReturn: RouteSpec['prepare'] = async (c, x) => {
  await storeStock(c, x);
  storeReturnId = (await x.h.api('POST', '/api/store-returns', { token: x.hqToken, body: storeReturnBody(c) })).body.id;
};
const warehouseStock: RouteSpec['prepare'] = async (c, x) => {
  await ensurePurchasing(c, x);
  await stockAt(x.h, PO_WAREHOUSE);
};
const supplierReturnBody = () => ({ id: randomUUID(), warehouseId: PO_WAREHOUSE, supplierId, reason: 'Matriz', lines: [{ productId: PRODUCT.id, units: 1 }] });
const freshSupplierReturn: RouteSpec['prepare'] = async (c, x) => {
  await warehouseStock(c, x);
  supplierReturnId = (await x.h.api('POST', '/api/supplier-returns', { token: x.hqToken, body: supplierReturnBody() })).body.id;
};

// ── office notices (issue 16): a notice HQ posted to the cell's store ──
let noticeId = '';
const freshNotice: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  noticeId = (await h.api('POST', '/api/office/notices', { token: hqToken, body: { title: 'Matriz', body: 'Aviso', target: 'store', targetIds: [c.store.id] } })).body.notice.id;
};
// Tasks (issue 16): a task HQ assigned to the cell's store (ticking is for whoever may act on the store).
let taskId = '';
const freshTask: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  taskId = (await h.api('POST', '/api/office/tasks', { token: hqToken, body: { title: 'Matriz', dueAt: '2099-01-01T00:00:00Z', items: ['Uno'], target: 'store', targetIds: [c.store.id] } })).body.task.id;
};
// Documents (issue 16): a document HQ published for the cell's store (its company's people see it; another's do not: 404).
let documentId = '';
const documentBody = (storeId: string) => ({ title: 'Matriz', target: 'store', targetIds: [storeId], file: { name: 'm.txt', mediaType: 'text/plain', contentBase64: 'bWF0cml6' } });
const freshDocument: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  documentId = (await h.api('POST', '/api/office/documents', { token: hqToken, body: documentBody(c.store.id) })).body.document.id;
};
/** office.write: HQ anywhere, a franchisee for their own stores (another's notice does not exist for them: 404 / 403 on a post), a store manager never. */
const officeWrite = (req: RouteSpec['req'], foreign: Expect): RouteSpec => ({
  req, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : who === 'storeManager' ? 403 : v === 'own' ? '2xx' : foreign),
});
// ── people and the working-time record (issue 16): an employee of the cell's store, hired by HQ ──
let employeeId = '';
let employeeCode = '';
let clockRecordId = '';
let clockRecordAt = '';
let correctionId = '';
let selfToken = '';
let employeeN = 0;
const SELF_PASSWORD = 'matriz-secreta';
const hireBody = (c: Cell) => ({
  companyId: c.store.companyId, storeId: c.store.id, code: `MX-${employeeN++}`, name: 'Empleada matriz', hiredOn: '2026-01-01',
  contract: { type: 'indefinido', weeklyHours: 20, startsOn: '2026-01-01' },
});
const freshEmployee: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const r = await h.api('POST', '/api/people/employees', { token: hqToken, body: hireBody(c) });
  [employeeId, employeeCode] = [r.body.id, r.body.code];
};
/**
 * One worker per store with a self-service password, clocked in once by HQ, and their self-service session:
 * made once (argon2 hashes and verifies are slow) and reused by every cell of that store.
 */
const workers = new Map<string, { id: string; code: string; recordId: string; recordAt: string; token: string }>();
/** The NIF the worker signs in with: the company's as it is now (invoicing routes above set the companies' NIFs). */
let workerNif = '';
const clockedIn: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const companyNif = (await h.ds.getRepository(bo.CompanyEntity).findOneByOrFail({ id: c.store.companyId })).nif;
  workerNif = companyNif;
  let w = workers.get(c.store.id);
  if (!w) {
    const hired = await h.api('POST', '/api/people/employees', { token: hqToken, body: { ...hireBody(c), selfServicePassword: SELF_PASSWORD } });
    const rec = await h.api('POST', '/api/people/time-records', { token: hqToken, body: { employeeId: hired.body.id, event: 'clock_in' } });
    const login = await h.api('POST', '/api/people/self-service/login', { body: { companyNif, code: hired.body.code, secret: SELF_PASSWORD } });
    w = { id: hired.body.id, code: hired.body.code, recordId: rec.body.id, recordAt: rec.body.at, token: login.body.token };
    workers.set(c.store.id, w);
  }
  [employeeId, employeeCode, clockRecordId, clockRecordAt, selfToken] = [w.id, w.code, w.recordId, w.recordAt, w.token];
};
/** A correction that restates the clock-in's own time: always within the rules, however many came before. */
const correctionBody = () => ({ correctsId: clockRecordId, event: 'clock_in', at: clockRecordAt, reason: 'Matriz' });
/** A correction the worker proposed (the company's approval missing). */
const workerCorrection: RouteSpec['prepare'] = async (c, x) => {
  await clockedIn(c, x);
  correctionId = (await x.h.api('POST', '/api/people/self-service/corrections', { token: selfToken, body: correctionBody() })).body.id;
};
/** A correction the company proposed (the worker's approval missing). */
const companyCorrection: RouteSpec['prepare'] = async (c, x) => {
  await clockedIn(c, x);
  correctionId = (await x.h.api('POST', `/api/people/employees/${employeeId}/corrections`, { token: x.hqToken, body: correctionBody() })).body.id;
};
/** people.read/write of one employee: HQ any; others an employee of a store in their scope (another's does not exist for them: 404). */
const employeeScoped = (req: RouteSpec['req'], prepare: RouteSpec['prepare']): RouteSpec => ({ req, prepare, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 404) });
/** hr.write: HQ any; a franchisee their own stores (403 elsewhere); a store manager is not HR (403). */
const hrScoped = (req: RouteSpec['req'], prepare?: RouteSpec['prepare'], foreign: Expect = 403): RouteSpec => ({
  req, ...(prepare ? { prepare } : {}), expect: (who, v) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : who === 'hq' || v === 'own' ? '2xx' : foreign),
});
/** A read of a store's rows: HQ any; others a store in their scope (another's does not exist for them: 404). */
const storeRead = (req: RouteSpec['req']): RouteSpec => ({ req, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 404) });
/** Rotas (issue 16): a shift planned by HQ for a fresh employee of the cell's store (the delete's target). */
let rotaShiftId = '';
const rotaShiftBody = (c: Cell) => ({ storeId: c.store.id, employeeId, date: '2026-11-10', start: '09:00', end: '13:00', breakMinutes: 0 });
const plannedShift: RouteSpec['prepare'] = async (c, x) => {
  await freshEmployee(c, x);
  rotaShiftId = (await x.h.api('POST', '/api/rotas/shifts', { token: x.hqToken, body: rotaShiftBody(c) })).body.id;
};
/**
 * A named rota template of the cell's store, saved by HQ from the week of that shift (it holds the earlier cells'
 * shifts of the store too, so each cell applies it to a week of its own: no overlap with an earlier application).
 */
let rotaTemplateId = '';
let rotaApplyWeek = '';
let rotaApplied = 0;
const rotaTemplateBody = (c: Cell) => ({ storeId: c.store.id, name: `Matriz ${randomUUID()}`, week: '2026-11-09' });
const savedTemplate: RouteSpec['prepare'] = async (c, x) => {
  rotaApplyWeek = new Date(Date.UTC(2026, 10, 16) + 7 * 86_400_000 * rotaApplied++).toISOString().slice(0, 10);
  await plannedShift(c, x);
  rotaTemplateId = (await x.h.api('POST', '/api/rotas/templates', { token: x.hqToken, body: rotaTemplateBody(c) })).body.id;
};
/** The worker's self-service routes: their own session token, whoever else is calling. */
const selfService = (req: RouteSpec['req'], prepare: RouteSpec['prepare']): RouteSpec => ({ req: (c) => ({ ...req(c), token: async () => selfToken }), prepare, expect: () => '2xx' });
// Absences (issue 16): each cell asks for its own future day (the store's worker is shared by its cells; two on one day overlap).
let absenceId = '';
let absenceDay = 0;
const nextAbsenceDay = () => new Date(Date.UTC(2027, 1, 1) + absenceDay++ * 86_400_000).toISOString().slice(0, 10);
const leaveBody = () => {
  const d = nextAbsenceDay();
  return { kind: 'leave', fromDate: d, toDate: d, note: 'Matriz' };
};
// The labour inspector's key (issue 16): granted by HQ for the cell's company; the inspector's routes answer to the key only.
let inspectorKey = '';
let inspectorGrantId = '';
const grantBody = (companyId: string) => ({ companyId, inspectorName: 'Inspección matriz', reference: 'ITSS matriz' });
const inspectorGrant: RouteSpec['prepare'] = async (c, { h, hqToken }) => {
  const g = await h.api('POST', '/api/people/inspector-access', { token: hqToken, body: grantBody(c.store.companyId) });
  [inspectorKey, inspectorGrantId] = [g.body.key, g.body.id];
};
const inspectorGrantAndEmployee: RouteSpec['prepare'] = async (c, x) => {
  await inspectorGrant(c, x);
  await freshEmployee(c, x);
};
/** hr.read lists: HQ and a franchisee (their own companies' grants); a store manager is not HR. */
const hrRead = (req: RouteSpec['req']): RouteSpec => ({ req, expect: (who) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : '2xx') });
/** The inspector's routes: the key as Bearer, whoever else is calling. */
const inspector = (req: RouteSpec['req'], prepare: RouteSpec['prepare']): RouteSpec => ({ req: (c) => ({ ...req(c), token: async () => inspectorKey }), prepare, expect: () => '2xx' });
/** A leave the cell's store worker asked for on their self-service page, not decided yet. */
const requestedAbsence: RouteSpec['prepare'] = async (c, x) => {
  await clockedIn(c, x);
  absenceId = (await x.h.api('POST', '/api/people/self-service/absences', { token: selfToken, body: leaveBody() })).body.id;
};

const ROUTES: Record<string, RouteSpec> = {
  'POST /api/restocking/demand/refresh': hqOnly(() => ({ path: '/api/restocking/demand/refresh', body: {} })),
  'GET /api/invoices': invoicingUser(() => ({ path: '/api/invoices' })),
  'POST /api/invoices': invoicingRead((c) => ({ path: '/api/invoices', body: manualInvoiceBody(c.store.companyId) }), 404),
  'GET /api/invoices/:id': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}` }), 404), prepare: postedInvoice },
  'PUT /api/invoices/:id': { ...invoicingRead((c) => ({ path: `/api/invoices/${freshId}`, body: manualInvoiceBody(c.store.companyId) }), 404), prepare: draftInvoice },
  'DELETE /api/invoices/:id': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}` }), 404), prepare: draftInvoice },
  'POST /api/invoices/:id/post': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}/post`, body: {} }), 404), prepare: draftInvoice },
  'POST /api/invoices/:id/credit-notes': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}/credit-notes`, body: { type: 'R1', reason: 'Devolución', scope: 'whole' } }), 404), prepare: postedInvoice },
  'POST /api/invoices/:id/cancel': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}/cancel`, body: { reason: 'Emitida por error' } }), 404), prepare: postedInvoice },
  'GET /api/invoices/:id/pdf': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}/pdf`, download: true }), 404), prepare: postedInvoice },
  'GET /api/invoicing/fee-runs/preview': hqOnly(() => ({ path: '/api/invoicing/fee-runs/preview?period=2026-10' })),
  'POST /api/invoicing/fee-runs': { ...hqOnly(() => ({ path: '/api/invoicing/fee-runs', body: { period: pastPeriod() } })), prepare: settleJobs },
  'GET /api/invoicing/wholesale-runs/preview': hqOnly(() => ({ path: '/api/invoicing/wholesale-runs/preview?period=2026-10' })),
  'POST /api/invoicing/wholesale-runs': { ...hqOnly(() => ({ path: '/api/invoicing/wholesale-runs', body: { period: pastPeriod() } })), prepare: settleJobs },
  'GET /api/invoicing/runs': hqOnly(() => ({ path: '/api/invoicing/runs' })),
  'GET /api/invoicing/runs/:id': { ...hqOnly(() => ({ path: `/api/invoicing/runs/${freshId}` })), prepare: aFeeRun },
  'POST /api/invoicing/sales-day/rebuild': hqOnly(() => ({ path: '/api/invoicing/sales-day/rebuild', body: {} })),
  'GET /api/verifactu/status': invoicingUser(() => ({ path: '/api/verifactu/status?month=2026-11' })),
  'GET /api/verifactu/records': invoicingRead((c) => ({ path: `/api/verifactu/records?month=2026-11&companyId=${c.store.companyId}` }), 404),
  // No record is rejected in the matrix: an unknown id is 404 for every caller allowed to resend.
  'POST /api/verifactu/records/:id/resend': { req: () => ({ path: `/api/verifactu/records/${randomUUID()}/resend`, body: {} }), expect: (who) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : 404) },
  'POST /api/verifactu/exports': { ...invoicingRead((c) => ({ path: '/api/verifactu/exports', body: { companyId: c.store.companyId, month: '2026-11' } }), 404), prepare: settleJobs },
  'POST /api/verifactu/send': { ...hqOnly((c) => ({ path: '/api/verifactu/send', body: { companyId: c.store.companyId } })), prepare: settleJobs },
  'POST /api/tickets/:id/invoice': { ...invoicingRead(() => ({ path: `/api/tickets/${ticketId}/invoice`, body: { recipient: NORTE } }), 404), prepare: f2TicketInStore },

  // ── Facturae ──
  'GET /api/invoices/:id/facturae': { ...invoicingRead(() => ({ path: `/api/invoices/${freshId}/facturae` }), 404, 409), prepare: postedInvoice },
  'GET /api/facturae/certificates': invoicingRead(() => ({ path: '/api/facturae/certificates' })),
  'GET /api/companies/:companyId/facturae-certificate': invoicingRead((c) => ({ path: `/api/companies/${c.store.companyId}/facturae-certificate` }), 404),
  // HQ admin only (invoicing.admin): the others are refused before the body is read; HQ's unreadable body is a 400.
  'PUT /api/companies/:companyId/facturae-certificate': { req: (c) => ({ path: `/api/companies/${c.store.companyId}/facturae-certificate`, body: { p12Base64: '!', password: '' } }), expect: (who) => (unauth(who) ? 401 : who === 'hq' ? 400 : 403) },
  'DELETE /api/companies/:companyId/facturae-certificate': { req: (c) => ({ path: `/api/companies/${c.store.companyId}/facturae-certificate` }), expect: (who) => (unauth(who) ? 401 : who === 'hq' ? 404 : 403) },
  'GET /api/facturae/recipients': invoicingRead(() => ({ path: '/api/facturae/recipients?q=bar' })),
  'GET /api/facturae/recipients/:kind/:id': invoicingRead(() => ({ path: `/api/facturae/recipients/customer/${F.customer.id}` })),
  'PUT /api/facturae/recipients/:kind/:id': hqOnly(() => ({ path: `/api/facturae/recipients/customer/${F.customer.id}`, body: { wantsFacturae: true } })),
  'GET /api/companies': anyUser(() => ({ path: '/api/companies' })),
  'GET /api/companies/:id': companyScoped((c) => ({ path: `/api/companies/${c.store.companyId}` })),
  'POST /api/companies': hqOnly(() => ({ path: '/api/companies', body: companyBody(5000 + orgN++) })),
  'PUT /api/companies/:id': hqOnly((c) => ({ path: `/api/companies/${c.store.companyId}`, body: companyBody(0, { nif: NIF_OF[c.store.companyId], legalName: `Editada ${c.who}` }) })),
  'POST /api/companies/:id/archive': hqOnly((c) => ({ path: `/api/companies/${c.store.companyId}/archive`, body: { archived: false } })),
  'DELETE /api/companies/:id': { ...hqOnly(() => ({ path: `/api/companies/${freshId}` })), prepare: freshCompany },
  'GET /api/companies/:id/contracts': contractsRead((c) => ({ path: `/api/companies/${c.store.companyId}/contracts` })),
  'POST /api/companies/:id/contracts': hqOnly((c) => ({ path: `/api/companies/${c.store.companyId}/contracts`, body: contractBody(`${contractYear}-01-01`, `${contractYear++}-12-31`) })),
  'PUT /api/contracts/:id': { ...hqOnly(() => ({ path: `/api/contracts/${freshId}`, body: contractBody(`${contractYear - 1}-01-01`, `${contractYear - 1}-06-30`) })), prepare: freshContract },
  'GET /api/stores': anyUser(() => ({ path: '/api/stores?pageSize=200' }), (b) => (b as { items: Array<{ id: string }> }).items.map((s) => s.id)),
  'GET /api/stores/:id': storeScoped((c) => ({ path: `/api/stores/${c.store.id}` })),
  'POST /api/stores': hqOnly(() => ({ path: '/api/stores', body: storeBody(5000 + orgN++, F.franchisor.id) })),
  'PUT /api/stores/:id': hqOnly((c) => ({ path: `/api/stores/${c.store.id}`, body: storeBody(0, c.store.companyId, { code: STORE_CODES[c.store.key], name: `Editada ${c.who}` }) })),
  'POST /api/stores/:id/archive': hqOnly((c) => ({ path: `/api/stores/${c.store.id}/archive`, body: { archived: false } })),
  'DELETE /api/stores/:id': { ...hqOnly(() => ({ path: `/api/stores/${freshId}` })), prepare: freshStore },
  'GET /api/warehouses': anyUser(() => ({ path: '/api/warehouses' })),
  'GET /api/warehouses/:id': { ...anyUser(() => ({ path: `/api/warehouses/${warehouseId}` })), prepare: aWarehouse },
  'POST /api/warehouses': hqOnly(() => ({ path: '/api/warehouses', body: { ...warehouseBody(), code: `ALM-N${orgN++}` } })),
  'PUT /api/warehouses/:id': { ...hqOnly((c) => ({ path: `/api/warehouses/${warehouseId}`, body: { ...warehouseBody(), name: `Central ${c.who}` } })), prepare: aWarehouse },
  'POST /api/warehouses/:id/archive': { ...hqOnly(() => ({ path: `/api/warehouses/${warehouseId}/archive`, body: { archived: false } })), prepare: aWarehouse },
  'DELETE /api/warehouses/:id': { ...hqOnly(() => ({ path: `/api/warehouses/${freshId}` })), prepare: freshWarehouse },
  'POST /api/terminals': storeScoped((c) => ({ path: '/api/terminals', body: { storeId: c.store.id, name: `Caja ${c.who}` } })),
  'POST /api/terminals/:id/retire': { ...storeScoped(() => ({ path: `/api/terminals/${freshId}/retire` })), prepare: freshTerminal },

  'GET /health': open(() => ({ path: '/health' }), '2xx'),
  'GET /api/openapi.json': open(() => ({ path: '/api/openapi.json' }), '2xx'),
  'GET /api/docs': open(() => ({ path: '/api/docs' }), '2xx'),
  // Good credentials and a fresh pairing code: wrong ones would trip the login and pairing limits.
  'POST /api/auth/login': open(() => ({ path: '/api/auth/login', body: F.managerLevante }), '2xx'),
  'POST /api/auth/logout': anyUser(() => ({ path: '/api/auth/logout' })),
  'GET /api/auth/me': anyUser(() => ({ path: '/api/auth/me' })),
  // A bogus challenge / link: refused for everyone, nothing written.
  'POST /api/auth/login/totp': open(() => ({ path: '/api/auth/login/totp', body: { challenge: 'x'.repeat(43), code: '123456' } }), 401),
  'POST /api/auth/invitations/accept': open(() => ({ path: '/api/auth/invitations/accept', body: { token: 'y'.repeat(43), password: 'Un buen secreto 42' } }), 400),
  'POST /api/auth/password-reset/accept': open(() => ({ path: '/api/auth/password-reset/accept', body: { token: 'z'.repeat(43), password: 'Un buen secreto 42' } }), 400),
  // The matrix's users keep their passwords: a wrong current one is refused (field error), nothing written.
  'POST /api/auth/password': anyUserGets(() => ({ path: '/api/auth/password', body: { currentPassword: 'not-it', newPassword: 'Un buen secreto 42' } }), 400),
  'GET /api/auth/sessions': anyUser(() => ({ path: '/api/auth/sessions' })),
  'DELETE /api/auth/sessions/:id': anyUserGets(() => ({ path: `/api/auth/sessions/${randomUUID()}` }), 404),
  // Enrolment starts (a pending secret, not required at sign-in); confirming then needs a right code.
  'POST /api/auth/totp/enrol': anyUser(() => ({ path: '/api/auth/totp/enrol' })),
  'POST /api/auth/totp/confirm': {
    ...anyUserGets(() => ({ path: '/api/auth/totp/confirm', body: { code: '000000' } }), 400),
    // Every user in the middle of an enrolment, whatever order the rows run in.
    prepare: async (_c, { h }) => void (await h.ds.query('UPDATE app_user SET totp_secret = ' + (h.ds.options.type === 'postgres' ? '$1' : '?') + ' WHERE totp_enabled_at IS NULL', [await sealSecret(h.ds, 'JBSWY3DPEHPK3PXP')])),
  },
  'POST /api/auth/totp/disable': anyUserGets(() => ({ path: '/api/auth/totp/disable', body: { code: '000000' } }), 409),
  'GET /api/users': {
    req: () => ({ path: '/api/users?pageSize=200' }),
    expect: (who) => (unauth(who) ? 401 : who === 'storeManager' ? 403 : '2xx'),
    lists: (b) => (b as { items: Array<{ storeId: string | null }> }).items.flatMap((u) => (u.storeId ? [u.storeId] : [])),
  },
  'POST /api/users': managesUsers((c) => ({ path: '/api/users', body: { email: `invite${invites++}@test.demo`, name: 'Nuevo', role: 'store_manager', storeId: c.store.id } })),
  'GET /api/users/:id': managesUsers((c) => ({ path: `/api/users/${c.store.userId}` })),
  'PUT /api/users/:id': managesUsers((c) => ({ path: `/api/users/${c.store.userId}`, body: { name: `Encargado ${c.who}`, role: 'store_manager', storeId: into(c).id } })),
  'POST /api/users/:id/reset-password': managesUsers((c) => ({ path: `/api/users/${c.store.userId}/reset-password` })),
  'POST /api/users/:id/deactivate': managesUsers((c) => ({ path: `/api/users/${c.store.userId}/deactivate` })),
  'POST /api/users/:id/reactivate': managesUsers((c) => ({ path: `/api/users/${c.store.userId}/reactivate` })),
  'GET /api/users/:id/sessions': managesUsers((c) => ({ path: `/api/users/${c.store.userId}/sessions` })),
  'DELETE /api/users/:id/sessions/:sessionId': {
    ...managesUsers((c) => ({ path: `/api/users/${c.store.userId}/sessions/${SESSION_TO_END}` })),
    prepare: async (c, { h }) => {
      const p = (n: number) => (h.ds.options.type === 'postgres' ? `$${n}` : '?');
      await h.ds.query(`DELETE FROM user_session WHERE id = ${p(1)}`, [SESSION_TO_END]);
      await h.ds.query(`INSERT INTO user_session (token_hash, id, user_id, created_at, expires_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, [
        randomUUID().replace(/-/g, '').padEnd(64, '0'), SESSION_TO_END, c.store.userId, new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString(),
      ]);
    },
  },
  'GET /api/audit': hqOnly(() => ({ path: '/api/audit?entity=user' })),
  'GET /api/organisation': anyUser(
    () => ({ path: '/api/organisation' }),
    (b) => (b as { companies: Array<{ stores: Array<{ id: string }> }> }).companies.flatMap((x) => x.stores.map((s) => s.id)),
  ),
  'POST /api/terminals/:id/pairing-code': storeScoped((c) => ({ path: `/api/terminals/${c.store.terminalId}/pairing-code` })),
  'POST /api/pairing': {
    ...open(() => ({ path: '/api/pairing', body: { code: pairingCode, appVersion: 'test' } }), '2xx'),
    prepare: async (_c, { h, hqToken }) => void (pairingCode = (await h.api('POST', `/api/terminals/${F.t2.id}/pairing-code`, { token: hqToken })).body.code),
  },
  'POST /api/terminals/:id/revoke': storeScoped((c) => ({ path: `/api/terminals/${c.store.terminalId}/revoke` })),
  // A replacement retires its terminal for good: each cell replaces a fresh one of the target store.
  'POST /api/terminals/:id/replace': {
    ...storeScoped(() => ({ path: `/api/terminals/${replaceTarget}/replace` })),
    prepare: async (c, { h }) => {
      replaceTarget = randomUUID();
      const n = replaceCount++;
      const code = `${String.fromCharCode(75 + Math.floor(n / 10))}${n % 10}`;
      await h.ds.getRepository(bo.TerminalEntity).insert({
        id: replaceTarget, storeId: c.store.id, code, name: `Caja ${code}`, installation: `AUTH-${code}`, tokenHash: null, pairingCodeHash: null,
        pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
      });
    },
  },
  // The review queue is HQ's alone (no foreign id: items are franchise-wide). Each cell decides on a fresh item:
  // a gap whose seq has arrived, so re-apply succeeds too.
  'GET /api/review': hqOnly(() => ({ path: '/api/review?kind=gap' })),
  'GET /api/review/:id': { ...hqOnly(() => ({ path: `/api/review/${reviewItem}` })), prepare: freshReviewItem },
  'POST /api/review/:id/reapply': { ...hqOnly(() => ({ path: `/api/review/${reviewItem}/reapply` })), prepare: freshReviewItem },
  'POST /api/review/:id/accept': { ...hqOnly(() => ({ path: `/api/review/${reviewItem}/accept`, body: { note: 'visto' } })), prepare: freshReviewItem },
  'PUT /api/products/:id': hqOnly(() => ({
    path: `/api/products/${PRODUCT.id}`,
    body: { sku: 'SKU1', name: PRODUCT.name, categoryId: null, taxRateBp: PRODUCT.taxRateBp, exemption: null, weighed: PRODUCT.weighed, priceCents: PRODUCT.priceCents, active: true },
  })),
  'DELETE /api/products/:id': hqOnly(() => ({ path: `/api/products/${F.products[1]!.id}` })),
  'PUT /api/stores/:storeId/prices/:productId': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/prices/${PRODUCT.id}`, body: { priceCents: 1 } })),
  'DELETE /api/stores/:storeId/prices/:productId': {
    ...storeScoped((c) => ({ path: `/api/stores/${c.store.id}/prices/${PRODUCT.id}` })),
    prepare: async (c, { h }) => void (await h.ds.getRepository(bo.StorePriceEntity).save({ storeId: c.store.id, productId: PRODUCT.id, priceCents: 2 })),
  },
  'PUT /api/categories/:id': hqOnly(() => ({ path: `/api/categories/${CATEGORY}`, body: { name: 'Bebidas', parentId: null, sort: 1 } })),
  'PUT /api/customers/:id': hqOnly(() => ({
    path: `/api/customers/${F.customer.id}`,
    body: { nif: 'B44556677', name: F.customer.name, email: null, reRegime: false, creditLimitCents: 1, active: true },
  })),
  'PUT /api/notices/:id': storeScoped((c) => ({ path: `/api/notices/${c.store.noticeId}`, body: { storeId: into(c).id, title: `Aviso ${c.who}`, body: 'Texto', validUntil: null } })),
  'PUT /api/staff/:id': storeScoped((c) => ({ path: `/api/staff/${c.store.staffId}`, body: staffBody(c, into(c)) })),
  // Catalog (issue 10): reads for every role; product, category and supplier writes HQ only; company prices and
  // scheduled changes need prices.write (franchisee managers on their own company's rows, not store managers).
  'GET /api/products': anyUser(() => ({ path: '/api/products?q=Producto&sort=sku&pageSize=5' })),
  'GET /api/products/:id': anyUser(() => ({ path: `/api/products/${PRODUCT.id}` })),
  'POST /api/products/bulk-edit': hqOnly(() => ({ path: '/api/products/bulk-edit', body: { ids: [PRODUCT.id], set: { active: true } } })),
  'GET /api/products/:id/prices': anyUser(() => ({ path: `/api/products/${PRODUCT.id}/prices` })),
  'GET /api/categories': anyUser(() => ({ path: '/api/categories' })),
  'DELETE /api/categories/:id': {
    ...hqOnly(() => ({ path: `/api/categories/${emptyCategory}` })),
    prepare: async (_c, { h, hqToken }) => {
      emptyCategory = randomUUID();
      await h.api('PUT', `/api/categories/${emptyCategory}`, { token: hqToken, body: { name: 'Vacía', parentId: null, sort: 9 } });
    },
  },
  'GET /api/suppliers': anyUser(() => ({ path: '/api/suppliers' })),
  'GET /api/suppliers/:id': { ...anyUser(() => ({ path: `/api/suppliers/${supplierId}` })), prepare: ensureSupplier },
  'POST /api/suppliers': hqOnly(() => ({ path: '/api/suppliers', body: { name: 'Aceites del Sur S.L.', nif: null, paymentTermsDays: 60 } })),
  'PUT /api/suppliers/:id': { ...hqOnly(() => ({ path: `/api/suppliers/${supplierId}`, body: { name: 'Frutas Levante S.A.', nif: null, paymentTermsDays: 30 } })), prepare: ensureSupplier },
  'GET /api/suppliers/:id/products': { ...anyUser(() => ({ path: `/api/suppliers/${supplierId}/products` })), prepare: ensurePurchasing },
  'PUT /api/suppliers/:id/products/:productId': { ...hqOnly(() => ({ path: `/api/suppliers/${supplierId}/products/${PRODUCT.id}`, body: { costCents: 125, packSize: 6 } })), prepare: ensurePurchasing },
  'DELETE /api/suppliers/:id/products/:productId': {
    ...hqOnly(() => ({ path: `/api/suppliers/${supplierId}/products/${F.products[1]!.id}` })),
    prepare: async (c, x) => (await ensurePurchasing(c, x), void (await x.h.api('PUT', `/api/suppliers/${supplierId}/products/${F.products[1]!.id}`, { token: x.hqToken, body: { costCents: 80 } }))),
  },
  'PUT /api/products/:id/lot-tracking': hqOnly(() => ({ path: `/api/products/${PRODUCT.id}/lot-tracking`, body: { tracksLots: false } })),
  'GET /api/purchasing/locations': hqOnly(() => ({ path: '/api/purchasing/locations' })),
  'GET /api/purchase-orders': hqOnly(() => ({ path: '/api/purchase-orders' })),
  'POST /api/purchase-orders': { ...hqOnly(() => ({ path: '/api/purchase-orders', body: orderBody() })), prepare: ensurePurchasing },
  'GET /api/purchase-orders/:id': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}` })), prepare: freshOrder(false) },
  'PUT /api/purchase-orders/:id': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}`, body: { ...orderBody(), note: 'Cambiado' } })), prepare: freshOrder(false) },
  'POST /api/purchase-orders/:id/send': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}/send` })), prepare: freshOrder(false) },
  'GET /api/purchase-orders/:id/pdf': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}/pdf`, download: true })), prepare: freshOrder(true) },
  'POST /api/purchase-orders/:id/close': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}/close` })), prepare: freshOrder(true) },
  'POST /api/purchase-orders/:id/cancel': { ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}/cancel` })), prepare: freshOrder(true) },
  'POST /api/purchase-orders/:id/receipts': {
    ...hqOnly(() => ({ path: `/api/purchase-orders/${freshId}/receipts`, body: { id: randomUUID(), lines: [{ orderLineNo: 1, quantity: 2 }] } })),
    prepare: freshOrder(true),
  },
  'GET /api/collections/dunning-levels': pricesWrite((c) => ({ path: `/api/collections/dunning-levels?companyId=${c.store.companyId}` })),
  'PUT /api/collections/dunning-levels': pricesWrite((c) => ({ path: '/api/collections/dunning-levels', body: dunningLevelsBody(c) })),
  'POST /api/collections/dunning/run': pricesWrite((c) => ({ path: '/api/collections/dunning/run', body: { companyId: c.store.companyId, asOf: '2026-11-30' } })),
  'GET /api/collections/dunning/letters': invoicingUser(() => ({ path: '/api/collections/dunning/letters' })),
  'GET /api/collections/items/:id/dunning': { ...pricesWrite(() => ({ path: `/api/collections/items/${dunItem}/dunning` })), prepare: freshDunItem },
  'GET /api/collections/credit-control': invoicingUser(() => ({ path: '/api/collections/credit-control' })),
  'PUT /api/collections/credit-control': pricesWrite((c) => ({ path: '/api/collections/credit-control', body: { companyId: c.store.companyId, counterpartyKind: 'customer', counterpartyId: F.customer.id, creditLimitCents: 500_000 } })),
  'POST /api/collections/credit-control/release': { ...pricesWrite((c) => ({ path: '/api/collections/credit-control/release', body: { companyId: c.store.companyId, counterpartyKind: 'customer', counterpartyId: F.customer.id, note: 'Liberado' } })), prepare: creditRow },
  'GET /api/supplier-invoices': invoicingUser(() => ({ path: '/api/supplier-invoices' })),
  'GET /api/supplier-invoices/receipts': { ...pricesWrite((c) => ({ path: `/api/supplier-invoices/receipts?supplierId=${supplierId}&companyId=${c.store.companyId}` })), prepare: ensurePurchasing },
  'POST /api/supplier-invoices/prefill': { ...pricesWrite((c) => ({ path: '/api/supplier-invoices/prefill', body: { companyId: c.store.companyId, supplierId, receiptIds: [siReceipt] } })), prepare: freshReceipt },
  'POST /api/supplier-invoices/check': { ...pricesWrite((c) => ({ path: '/api/supplier-invoices/check', body: siBody(c.store.companyId, siCharge) })), prepare: ensurePurchasing },
  'POST /api/supplier-invoices': { ...pricesWrite((c) => ({ path: '/api/supplier-invoices', body: siBody(c.store.companyId, siMatched()) })), prepare: freshReceipt },
  'GET /api/supplier-invoices/:id': { ...pricesWrite(() => ({ path: `/api/supplier-invoices/${siInvoice}` })), prepare: freshSupplierInvoice(false) },
  'POST /api/supplier-invoices/:id/post': { ...pricesWrite(() => ({ path: `/api/supplier-invoices/${siInvoice}/post` })), prepare: freshSupplierInvoice(true) },
  'POST /api/supplier-invoices/:id/approve': { ...pricesWrite(() => ({ path: `/api/supplier-invoices/${siInvoice}/approve`, body: { note: 'Aprobada' } })), prepare: freshSupplierInvoice(false) },
  'POST /api/supplier-invoices/:id/reject': { ...pricesWrite(() => ({ path: `/api/supplier-invoices/${siInvoice}/reject`, body: { note: 'Rechazada' } })), prepare: freshSupplierInvoice(false) },
  'GET /api/collections/mandates': invoicingUser(() => ({ path: '/api/collections/mandates' })),
  'POST /api/collections/mandates': { ...pricesWrite((c) => ({ path: '/api/collections/mandates', body: mandateBody(c.store.companyId) })), prepare: sepaCompany },
  'GET /api/collections/mandates/:id': { ...pricesWrite(() => ({ path: `/api/collections/mandates/${sepaMandate}` })), prepare: freshMandate },
  'PATCH /api/collections/mandates/:id': { ...pricesWrite(() => ({ path: `/api/collections/mandates/${sepaMandate}`, body: { rechargeReturnFee: true } })), prepare: freshMandate },
  'GET /api/collections/remittances': invoicingUser(() => ({ path: '/api/collections/remittances' })),
  'POST /api/collections/remittances': { ...pricesWrite((c) => ({ path: '/api/collections/remittances', body: { companyId: c.store.companyId, collectionDate: sepaDay(10), itemIds: [sepaItem] } })), prepare: freshDebitItem },
  'GET /api/collections/remittances/:id': { ...pricesWrite(() => ({ path: `/api/collections/remittances/${sepaRemittance}` })), prepare: freshRemittance(false) },
  'GET /api/collections/remittances/:id/xml': { ...pricesWrite(() => ({ path: `/api/collections/remittances/${sepaRemittance}/xml`, download: true })), prepare: freshRemittance(false) },
  'POST /api/collections/remittances/:id/settle': { ...pricesWrite(() => ({ path: `/api/collections/remittances/${sepaRemittance}/settle`, body: { settledOn: sepaDay(12) } })), prepare: freshRemittance(false) },
  'POST /api/collections/remittances/:id/returns': {
    ...pricesWrite(() => ({ path: `/api/collections/remittances/${sepaRemittance}/returns`, body: { returns: [{ endToEndId: sepaE2e, reasonCode: 'AM04', returnedOn: sepaDay(15), bankFeeCents: 300 }] } })),
    prepare: freshRemittance(true),
  },
  'POST /api/collections/transfers': { ...pricesWrite((c) => ({ path: '/api/collections/transfers', body: { companyId: c.store.companyId, executionDate: sepaDay(10), items: [{ itemId: sepaItem }] } })), prepare: freshPayable },
  'POST /api/invoice-books': pricesWrite((c) => ({ path: '/api/invoice-books', body: { companyId: c.store.companyId, period: '2026-01', book: 'received', format: 'csv' } })),
  'GET /api/collections/items': invoicingUser(() => ({ path: '/api/collections/items' })),
  'GET /api/collections/items/:id': { ...pricesWrite(() => ({ path: `/api/collections/items/${collItem}` })), prepare: collFreshItem },
  'POST /api/collections/items/:id/write-off': { ...pricesWrite(() => ({ path: `/api/collections/items/${collItem}/write-off`, body: { reason: 'Cliente en concurso' } })), prepare: collFreshItem },
  'GET /api/collections/write-offs': invoicingUser(() => ({ path: '/api/collections/write-offs' })),
  'POST /api/collections/write-offs/:id/approve': { ...hqOnly(() => ({ path: `/api/collections/write-offs/${collWriteOff}/approve`, body: { onDate: '2026-11-30' } })), prepare: collFreshWriteOff },
  'POST /api/collections/write-offs/:id/refuse': { ...hqOnly(() => ({ path: `/api/collections/write-offs/${collWriteOff}/refuse`, body: { onDate: '2026-11-30' } })), prepare: collFreshWriteOff },
  'GET /api/collections/payments': invoicingUser(() => ({ path: '/api/collections/payments' })),
  'POST /api/collections/payments': pricesWrite((c) => ({ path: '/api/collections/payments', body: collBody(c.store.companyId) })),
  'GET /api/collections/payments/:id': { ...pricesWrite(() => ({ path: `/api/collections/payments/${collPayment}` })), prepare: collFreshPayment(false) },
  'POST /api/collections/payments/:id/allocate': { ...pricesWrite(() => ({ path: `/api/collections/payments/${collPayment}/allocate`, body: { onDate: '2026-12-01' } })), prepare: collCreditAndItem },
  'POST /api/collections/payments/:id/refund': { ...pricesWrite(() => ({ path: `/api/collections/payments/${collPayment}/refund`, body: { amountCents: 1, onDate: '2026-12-01' } })), prepare: collFreshPayment(true) },
  'POST /api/collections/payments/:id/cancel': { ...pricesWrite(() => ({ path: `/api/collections/payments/${collPayment}/cancel`, body: { onDate: '2026-12-01', reason: 'Error' } })), prepare: collFreshPayment(false) },
  'GET /api/collections/statements': pricesWrite((c) => ({ path: `/api/collections/statements?${collStatement(c)}` })),
  'GET /api/collections/statements.pdf': pricesWrite((c) => ({ path: `/api/collections/statements.pdf?${collStatement(c)}`, download: true })),
  // Collections: aging and DSO (collections.read; a franchisee manager its own companies, a company of another 403).
  'GET /api/collections/aging': pricesWrite((c) => ({ path: `/api/collections/aging?asOf=2026-11-30&companyId=${c.store.companyId}` })),
  'GET /api/collections/aging/items': pricesWrite((c) => ({ path: `/api/collections/aging/items?counterpartyKind=customer&counterpartyId=${F.customer.id}&companyId=${c.store.companyId}` })),
  'GET /api/collections/dso': pricesWrite((c) => ({ path: `/api/collections/dso?from=2026-09-01&to=2026-11-30&companyId=${c.store.companyId}` })),
  'GET /api/stores/:storeId/prices/:productId': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/prices/${PRODUCT.id}` })),
  'PUT /api/companies/:companyId/prices/:productId': pricesWrite((c) => ({ path: `/api/companies/${c.store.companyId}/prices/${PRODUCT.id}`, body: { priceCents: 3 } })),
  'DELETE /api/companies/:companyId/prices/:productId': {
    ...pricesWrite((c) => ({ path: `/api/companies/${c.store.companyId}/prices/${PRODUCT.id}` })),
    prepare: async (c, { h, hqToken }) => void (await h.api('PUT', `/api/companies/${c.store.companyId}/prices/${PRODUCT.id}`, { token: hqToken, body: { priceCents: 4 } })),
  },
  'GET /api/price-changes': anyUser(
    () => ({ path: '/api/price-changes' }),
    (b) => (b as { items: Array<{ storeId: string | null }> }).items.flatMap((r) => (r.storeId ? [r.storeId] : [])),
  ),
  'POST /api/price-changes': pricesWrite((c) => ({ path: '/api/price-changes', body: { productId: PRODUCT.id, level: 'store', storeId: c.store.id, priceCents: 5, effectiveLocal: '2099-01-01T09:00' } })),
  'POST /api/price-changes/:id/cancel': {
    ...pricesWrite(() => ({ path: `/api/price-changes/${priceChangeId}/cancel` })),
    prepare: async (c, { h, hqToken }) => {
      const r = await h.api('POST', '/api/price-changes', { token: hqToken, body: { productId: PRODUCT.id, level: 'store', storeId: c.store.id, priceCents: 6, effectiveLocal: '2099-01-02T09:00' } });
      priceChangeId = r.body.id;
    },
  },
  'GET /api/terminals': anyUser(() => ({ path: '/api/terminals' }), storeIdsOf),
  'GET /api/sales/daily': storeScoped((c) => ({ path: `/api/sales/daily?storeId=${c.store.id}` })),
  // Issue 18: management reports (a store filter outside the caller's scope is 403); rebuilding a store's rollups.
  'GET /api/reports': anyUser(() => ({ path: '/api/reports' })),
  'GET /api/reports/:key': storeScoped((c) => ({ path: `/api/reports/sales-by-store?store=${c.store.id}&from=2026-11-01&to=2026-11-30` })),
  'GET /api/reports/cashier-events': storeScoped((c) => ({ path: `/api/reports/cashier-events?cashierId=cajera-ana&storeId=${c.store.id}&from=2026-11-01&to=2026-11-30` })),
  'POST /api/reports/rebuild': storeScoped((c) => ({ path: '/api/reports/rebuild', body: { storeId: c.store.id, from: '2026-11-01', to: '2026-11-02' } })),
  'POST /api/reports/fold': hqOnly(() => ({ path: '/api/reports/fold', body: {} })),
  'GET /api/tickets': storeScoped((c) => ({ path: `/api/tickets?storeId=${c.store.id}` })),
  'GET /api/tickets/:id': { ...storeScoped(() => ({ path: `/api/tickets/${ticketId}` })), prepare: ticketInStore },
  'GET /api/tickets/:id/pdf': { ...storeScoped(() => ({ path: `/api/tickets/${ticketId}/pdf` })), prepare: ticketInStore },
  'GET /api/stores/:storeId/stock': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/stock` })),
  // Accounting core (issue 14): reads for HQ and the franchisee manager of the company (accounting.read), a company
  // of another 403; rules and period locks are accounting.admin (HQ only).
  'GET /api/accounting/companies/:companyId/rules': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/rules` })),
  'PUT /api/accounting/companies/:companyId/rules': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/rules`, body: { role: 'bank_fees', rateBp: null, account: '62600001' } })),
  'GET /api/accounting/companies/:companyId/periods': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/periods` })),
  'POST /api/accounting/companies/:companyId/periods/:period/lock': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/periods/2001-01/lock` })),
  'DELETE /api/accounting/companies/:companyId/periods/:period/lock': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/periods/2001-02/lock` })),
  // Accounting journal (issue 14): reads accounting.read (HQ, the franchisee manager of the company); writes
  // accounting.write and running the recurring entries accounting.admin (HQ only). DELETE of an entry is always 409.
  'GET /api/accounting/companies/:companyId/chart': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/chart` })),
  'POST /api/accounting/companies/:companyId/accounts': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/accounts`, body: { code: `6290${String(++accSeq).padStart(4, '0')}`, name: 'Matriz' } })),
  'PATCH /api/accounting/companies/:companyId/accounts/:code': {
    ...hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/accounts/62800001`, body: { name: 'Suministros matriz' } })),
    prepare: async (c, { h, hqToken }) => void (await h.api('POST', `/api/accounting/companies/${c.store.companyId}/accounts`, { token: hqToken, body: { code: '62800001', name: 'Suministros' } })),
  },
  'GET /api/accounting/companies/:companyId/entries': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/entries` })),
  'GET /api/accounting/companies/:companyId/entries/:entryId': { ...pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/entries/${accEntry}` })), prepare: freshAccEntry },
  'POST /api/accounting/companies/:companyId/entries': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/entries`, body: ACC_ENTRY })),
  'POST /api/accounting/companies/:companyId/entries/:entryId/reverse': {
    ...hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/entries/${accEntry}/reverse`, body: { date: '2026-11-16', reason: 'matriz' } })),
    prepare: freshAccEntry,
  },
  'DELETE /api/accounting/companies/:companyId/entries/:entryId': {
    req: (c) => ({ path: `/api/accounting/companies/${c.store.companyId}/entries/${accEntry}` }),
    expect: (who) => (unauth(who) ? 401 : who === 'hq' ? 409 : 403),
    prepare: freshAccEntry,
  },
  'POST /api/accounting/companies/:companyId/attachments': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/attachments?name=recibo.txt`, raw: { type: 'text/plain', data: 'recibo' } })),
  'GET /api/accounting/companies/:companyId/recurring': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/recurring` })),
  'POST /api/accounting/companies/:companyId/recurring': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/recurring`, body: ACC_RECURRING })),
  'PATCH /api/accounting/companies/:companyId/recurring/:recurringId': {
    ...hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/recurring/${accRecurring}`, body: { active: false } })),
    prepare: freshAccRecurring,
  },
  'DELETE /api/accounting/companies/:companyId/recurring/:recurringId': {
    ...hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/recurring/${accRecurring}` })),
    prepare: freshAccRecurring,
  },
  'POST /api/accounting/recurring/run': hqOnly(() => ({ path: '/api/accounting/recurring/run' })),
  // Documents' entries (issue 14): by source, filtered to the caller's companies (accounting.read: never a store manager);
  // a month's stock variation read by the company's readers, posted by HQ (accounting.write; 2001: nothing to post).
  'GET /api/accounting/entries/by-source': invoicingUser((c) => ({ path: `/api/accounting/entries/by-source?type=invoice&id=${c.store.id}` })),
  'GET /api/accounting/companies/:companyId/stock-variation': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/stock-variation?period=2001-03` })),
  'POST /api/accounting/companies/:companyId/stock-variation': hqOnly((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/stock-variation`, body: { period: '2001-03' } })),
  // Accounting books and statements (issue 14): read-only, accounting.read — HQ and the company's franchisee manager.
  'GET /api/accounting/companies/:companyId/journal': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/journal?from=2026-01-01&to=2026-12-31` })),
  'GET /api/accounting/companies/:companyId/ledger': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/ledger?account=572&from=2026-01-01&to=2026-12-31` })),
  'GET /api/accounting/companies/:companyId/trial-balance': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/trial-balance?from=2026-01&to=2026-12&level=3` })),
  'GET /api/accounting/companies/:companyId/profit-and-loss': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/profit-and-loss?from=2026-01&to=2026-12` })),
  'GET /api/accounting/companies/:companyId/balance-sheet': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/balance-sheet?from=2026-01&to=2026-12` })),
  // Taxes (issue 14): VAT books, 303 and 347 are accounting.read of the company.
  'GET /api/accounting/companies/:companyId/vat-books': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/vat-books?book=issued&period=2026-4T` })),
  'GET /api/accounting/companies/:companyId/vat-return': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/vat-return?period=2026-4T` })),
  'GET /api/accounting/companies/:companyId/annual-counterparties': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/annual-counterparties?year=2026` })),
  // Exports for a gestoría (accounting.read): the company's journal or chart as a file.
  'GET /api/accounting/companies/:companyId/exports/journal': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/exports/journal?format=a3&from=2026-11-01&to=2026-11-30` })),
  'GET /api/accounting/companies/:companyId/exports/chart': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/exports/chart?format=csv` })),
  // Catch-up of the books: HQ only (accounting.admin, franchise-wide), as a job.
  'POST /api/accounting/catch-up': hqOnly(() => ({ path: '/api/accounting/catch-up', body: {} })),
  // Tills' daily sales entries (issue 14): posting and the rollups' rebuild are HQ jobs; pending and the reconciliation read a company.
  'POST /api/accounting/sales-postings': hqOnly((c) => ({ path: '/api/accounting/sales-postings', body: { throughDate: '2001-01-01', companyIds: [c.store.companyId] } })),
  'GET /api/accounting/sales-postings/pending': pricesWrite((c) => ({ path: `/api/accounting/sales-postings/pending?companyId=${c.store.companyId}` })),
  'POST /api/accounting/sales-rollups/rebuild': hqOnly((c) => ({ path: '/api/accounting/sales-rollups/rebuild', body: { storeIds: [c.store.id] } })),
  'GET /api/accounting/companies/:companyId/sales-reconciliation': pricesWrite((c) => ({ path: `/api/accounting/companies/${c.store.companyId}/sales-reconciliation?from=2026-11-01&to=2026-11-30` })),
  // Platform jobs and files: rows carry an owner scope (store/company/creator); fixtures are per store.
  'GET /api/jobs': anyUser(() => ({ path: '/api/jobs' }), storeIdsOfItems),
  'GET /api/jobs/:id': storeScoped((c) => ({ path: `/api/jobs/${c.store.jobId}` })),
  'POST /api/jobs/:id/cancel': {
    ...storeScoped(() => ({ path: `/api/jobs/${cancelJob}/cancel` })),
    prepare: async (c, { h }) => void (cancelJob = (await h.server.jobs.enqueue({ kind: 'matrix.noop', owner: { companyId: c.store.companyId, storeId: c.store.id, createdBy: null } })).id),
  },
  'GET /api/files': anyUser(() => ({ path: '/api/files' }), storeIdsOfItems),
  'GET /api/files/:id': storeScoped((c) => ({ path: `/api/files/${c.store.fileId}`, download: true })),
  // Catalog import: franchise-wide master data, HQ only.
  'POST /api/catalog/imports': { ...hqOnly(() => ({ path: '/api/catalog/imports?name=matrix.csv', raw: { type: 'text/csv', data: IMPORT_CSV } })), prepare: jobsQuiet },
  'GET /api/catalog/imports/:id': hqOnly(() => ({ path: `/api/catalog/imports/${importId}` })),
  'POST /api/catalog/imports/:id/apply': { ...hqOnly(() => ({ path: `/api/catalog/imports/${importId}/apply` })), prepare: jobsQuiet },
  'GET /api/stores/:storeId/stock/:productId/movements': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/stock/${PRODUCT.id}/movements` })),
  // Stock valuation part: locations, a location's stock, valuation, a product's movements across locations.
  'GET /api/stock/locations': anyUser(() => ({ path: '/api/stock/locations' }), (b) => (b as Array<{ id: string; kind: string }>).filter((x) => x.kind === 'store').map((x) => x.id)),
  'GET /api/stock/locations/:locationId/stock': storeScoped((c) => ({ path: `/api/stock/locations/${c.store.id}/stock` })),
  'GET /api/stock/valuation': anyUser(() => ({ path: '/api/stock/valuation' }), (b) => (b as { locations: Array<{ locationId: string; kind: string }> }).locations.filter((x) => x.kind === 'store').map((x) => x.locationId)),
  'GET /api/stock/products/:productId/movements': anyUser(
    () => ({ path: `/api/stock/products/${PRODUCT.id}/movements` }),
    (b) => (b as { items: Array<{ locationId: string; locationKind: string }> }).items.filter((x) => x.locationKind === 'store').map((x) => x.locationId),
  ),
  // Stock documents (stockops): transfers, counts, adjustments.
  'GET /api/stock/transfers': anyUser(() => ({ path: '/api/stock/transfers' })),
  'POST /api/stock/transfers': { ...storeScoped((c) => ({ path: '/api/stock/transfers', body: transferBody(c.store.id, MATRIX_WAREHOUSE[c.store.companyId]!) })) },
  'GET /api/stock/transfers/:id': { ...storeScoped(() => ({ path: `/api/stock/transfers/${stockDocId}` })), prepare: draftTransferFrom },
  'PUT /api/stock/transfers/:id': { ...storeScoped(() => ({ path: `/api/stock/transfers/${stockDocId}`, body: { lines: [{ productId: PRODUCT.id, quantity: 3 }] } })), prepare: draftTransferFrom },
  'POST /api/stock/transfers/:id/ship': { ...storeScoped(() => ({ path: `/api/stock/transfers/${stockDocId}/ship` })), prepare: draftTransferFrom },
  'POST /api/stock/transfers/:id/cancel': { ...storeScoped(() => ({ path: `/api/stock/transfers/${stockDocId}/cancel` })), prepare: draftTransferFrom },
  'POST /api/stock/transfers/:id/receive': { ...storeScoped(() => ({ path: `/api/stock/transfers/${stockDocId}/receive`, body: { lines: [{ productId: PRODUCT.id, received: 2 }] } })), prepare: shippedTransferInto },
  'POST /api/stock/transfers/:id/close': { ...inventoryAdmin(() => ({ path: `/api/stock/transfers/${stockDocId}/close` })), prepare: receivedShortInto },
  'GET /api/stock/counts': anyUser(() => ({ path: '/api/stock/counts' }), locationsOfItems),
  'POST /api/stock/counts': storeScoped((c) => ({ path: '/api/stock/counts', body: { locationId: c.store.id, scope: 'products', productIds: [PRODUCT.id] } })),
  'GET /api/stock/counts/:id': { ...storeScoped(() => ({ path: `/api/stock/counts/${stockDocId}` })), prepare: openCountAt },
  'PUT /api/stock/counts/:id/counted': { ...storeScoped(() => ({ path: `/api/stock/counts/${stockDocId}/counted`, body: { lines: [{ productId: PRODUCT.id, counted: 4 }] } })), prepare: openCountAt },
  'POST /api/stock/counts/:id/scan': { ...storeScoped(() => ({ path: `/api/stock/counts/${stockDocId}/scan`, body: { code: 'SKU1' } })), prepare: openCountAt },
  'POST /api/stock/counts/:id/submit': { ...storeScoped(() => ({ path: `/api/stock/counts/${stockDocId}/submit` })), prepare: openCountAt },
  'POST /api/stock/counts/:id/cancel': { ...storeScoped(() => ({ path: `/api/stock/counts/${stockDocId}/cancel` })), prepare: openCountAt },
  'POST /api/stock/counts/:id/approve': { ...inventoryAdmin(() => ({ path: `/api/stock/counts/${stockDocId}/approve` })), prepare: submittedCountAt },
  'POST /api/stock/counts/:id/post': { ...inventoryAdmin(() => ({ path: `/api/stock/counts/${stockDocId}/post` })), prepare: approvedCountAt },
  'GET /api/stock/adjustments': anyUser(() => ({ path: '/api/stock/adjustments' }), locationsOfItems),
  'POST /api/stock/adjustments': {
    ...storeScoped((c) => ({ path: '/api/stock/adjustments', body: { id: randomUUID(), locationId: c.store.id, cause: 'breakage', lines: [{ productId: PRODUCT.id, delta: -1 }] } })),
    prepare: async (c, { h }) => void (await stockIn(h, c.store.id)),
  },
  'GET /api/stock/adjustments/:id': { ...storeScoped(() => ({ path: `/api/stock/adjustments/${stockDocId}` })), prepare: adjustmentAt },
  // Replenishment (issue 11): stores register and follow their orders and notes; HQ's warehouse (warehouse.write)
  // approves, picks and ships; the store receives (inventory.write); closing a note needs inventory.admin.
  'GET /api/wholesale-prices': anyUser(() => ({ path: '/api/wholesale-prices' })),
  'PUT /api/wholesale-prices': hqOnly(() => ({ path: '/api/wholesale-prices', body: { prices: [{ productId: PRODUCT.id, priceCents: 150 }] } })),
  'GET /api/replenishment-orders': anyUser(() => ({ path: '/api/replenishment-orders?pageSize=200' }), storeIdsOfItems),
  'POST /api/replenishment-orders': { ...storeScoped((c) => ({ path: '/api/replenishment-orders', body: { storeId: c.store.id, lines: [{ productId: PRODUCT.id, quantity: 1 }] } })), prepare: async (c, { h, hqToken }) => void (await orderIn(h, hqToken, c.store.id)) },
  'GET /api/replenishment-orders/:id': { ...storeScoped(() => ({ path: `/api/replenishment-orders/${repId}` })), prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id)) },
  'PUT /api/replenishment-orders/:id/quantities': {
    ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/quantities`, body: { lines: [{ productId: PRODUCT.id, quantity: 2 }] } })),
    prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id)),
  },
  'POST /api/replenishment-orders/:id/approve': { ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/approve` })), prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id)) },
  'POST /api/replenishment-orders/:id/picking': { ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/picking` })), prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id, 'approved')) },
  'GET /api/replenishment-orders/:id/pick-list': { ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/pick-list`, download: true })), prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id, 'approved')) },
  'PUT /api/replenishment-orders/:id/picked': {
    ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/picked`, body: { lines: [{ productId: PRODUCT.id, quantity: 1 }] } })),
    prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id, 'picking')),
  },
  'POST /api/replenishment-orders/:id/ship': {
    ...hqOnly(() => ({ path: `/api/replenishment-orders/${repId}/ship` })),
    prepare: async (c, { h, hqToken }) => {
      repId = await orderIn(h, hqToken, c.store.id, 'picking');
      await stockFor(h, hqToken, repId);
    },
  },
  'POST /api/replenishment-orders/:id/cancel': { ...storeScoped(() => ({ path: `/api/replenishment-orders/${repId}/cancel` })), prepare: async (c, { h, hqToken }) => void (repId = await orderIn(h, hqToken, c.store.id)) },
  'GET /api/delivery-notes': anyUser(() => ({ path: '/api/delivery-notes?pageSize=200' }), storeIdsOfItems),
  'GET /api/delivery-notes/:id': { ...storeScoped(() => ({ path: `/api/delivery-notes/${noteId}` })), prepare: async (c, { h, hqToken }) => void (noteId = await shippedNoteIn(h, hqToken, c.store.id)) },
  'GET /api/delivery-notes/:id/pdf': { ...storeScoped(() => ({ path: `/api/delivery-notes/${noteId}/pdf`, download: true })), prepare: async (c, { h, hqToken }) => void (noteId = await shippedNoteIn(h, hqToken, c.store.id)) },
  'POST /api/delivery-notes/:id/receive': {
    ...storeScoped(() => ({ path: `/api/delivery-notes/${noteId}/receive`, body: { lines: [{ productId: PRODUCT.id, received: 1 }] } })),
    prepare: async (c, { h, hqToken }) => void (noteId = await shippedNoteIn(h, hqToken, c.store.id)),
  },
  'POST /api/delivery-notes/:id/close': { ...pricesWrite(() => ({ path: `/api/delivery-notes/${noteId}/close` })), prepare: async (c, { h, hqToken }) => void (noteId = await shippedNoteIn(h, hqToken, c.store.id)) },
  'GET /api/incidents': anyUser(() => ({ path: '/api/incidents?pageSize=200' }), storeIdsOfItems),
  'GET /api/incidents/:id': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}` })), prepare: async (c, { h }) => void (incidentId = await incidentIn(h, c.store.id, c.store.companyId)) },
  // Quality (issue 17): a store's people and HQ report and work incidents of the stores they may act on (incidents.write);
  // audits are submitted by HQ/auditors (audits.write), their templates by HQ; a store closes its corrective actions.
  'POST /api/incidents': storeScoped((c) => ({ path: '/api/incidents', body: { kind: 'cleanliness', severity: 'low', title: 'Matriz', storeId: c.store.id } })),
  'POST /api/incidents/:id/assign': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}/assign`, body: { userId: HQ_USER_ID } })), prepare: freshIncident },
  'GET /api/incidents/:id/assignees': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}/assignees` })), prepare: freshIncident },
  'POST /api/incidents/:id/state': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}/state`, body: { state: 'closed', resolution: 'Matriz' } })), prepare: freshIncident },
  'POST /api/incidents/:id/comments': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}/comments`, body: { text: 'Matriz' } })), prepare: freshIncident },
  'POST /api/incidents/:id/photos': { ...storeScoped(() => ({ path: `/api/incidents/${incidentId}/photos`, body: { photoIds: [photoId] } })), prepare: freshIncidentWithPhoto },
  'POST /api/quality/photos': storeScoped((c) => ({ path: `/api/quality/photos?storeId=${c.store.id}`, raw: { type: 'image/jpeg', data: 'foto' } })),
  'GET /api/audit-templates': anyUser(() => ({ path: '/api/audit-templates' })),
  'POST /api/audit-templates': hqOnly(() => ({ path: '/api/audit-templates', body: { name: 'Matriz', questions: [{ section: 'pricing', text: 'Precios', weight: 1, scale: 'yes_no' }] } })),
  'GET /api/audit-templates/:id': { ...anyUser(() => ({ path: `/api/audit-templates/${auditTemplate.id}` })), prepare: ensureAuditTemplate },
  'GET /api/store-audits': { ...anyUser(() => ({ path: '/api/store-audits' }), storeIdsOfItems), prepare: freshAudit },
  'POST /api/store-audits': { ...hqOnly((c) => ({ path: '/api/store-audits', body: { id: randomUUID(), storeId: c.store.id, templateId: auditTemplate.id, answers: [{ questionId: auditTemplate.questionId, value: 1 }] } })), prepare: ensureAuditTemplate },
  'GET /api/store-audits/:id': { ...storeScoped(() => ({ path: `/api/store-audits/${auditId}` })), prepare: freshAudit },
  'GET /api/corrective-actions': { ...anyUser(() => ({ path: '/api/corrective-actions' }), storeIdsOfItems), prepare: freshAudit },
  'POST /api/corrective-actions/:id/close': { ...storeScoped(() => ({ path: `/api/corrective-actions/${actionId}/close`, body: { note: 'Matriz' } })), prepare: freshAudit },
  'GET /api/quality/audit-trends': { ...anyUser(() => ({ path: '/api/quality/audit-trends' }), (b) => (b as { stores: Array<{ storeId: string }> }).stores.map((x) => x.storeId)), prepare: freshAudit },
  'GET /api/quality/figures': anyUser(() => ({ path: '/api/quality/figures' }), (b) => (b as { incidents: Array<{ storeId: string | null }> }).incidents.flatMap((x) => (x.storeId ? [x.storeId] : []))),
  'GET /api/stores/:storeId/restock-rules': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/restock-rules` })),
  'PUT /api/stores/:storeId/restock-rules/:productId': storeScoped((c) => ({ path: `/api/stores/${c.store.id}/restock-rules/${PRODUCT.id}`, body: { method: 'cover', coverDays: 10 } })),
  'DELETE /api/stores/:storeId/restock-rules/:productId': { ...storeScoped((c) => ({ path: `/api/stores/${c.store.id}/restock-rules/${PRODUCT.id}` })), prepare: restockRule },
  'GET /api/restocking/proposals': anyUser(() => ({ path: '/api/restocking/proposals' }), storeIdsOf),
  'POST /api/restocking/proposals': storeScoped((c) => ({ path: '/api/restocking/proposals', body: { storeId: c.store.id } })),
  'POST /api/restocking/proposals/run': { ...storeScoped((c) => ({ path: '/api/restocking/proposals/run', body: { storeIds: [c.store.id] } })), prepare: restockJobsQuiet },
  'GET /api/restocking/proposals/:id': { ...storeScoped(() => ({ path: `/api/restocking/proposals/${proposalId}` })), prepare: freshProposal },
  'PUT /api/restocking/proposals/:id/lines/:productId': {
    ...storeScoped(() => ({ path: `/api/restocking/proposals/${proposalId}/lines/${PRODUCT.id}`, body: { quantity: 5 } })),
    prepare: freshProposal,
  },
  // A fresh draft each time: confirmed into a real replenishment order (2xx) by whoever may see the store.
  'POST /api/restocking/proposals/:id/confirm': { ...storeScoped(() => ({ path: `/api/restocking/proposals/${proposalId}/confirm` })), prepare: confirmableProposal },
  'GET /api/restocking/alerts': anyUser(() => ({ path: '/api/restocking/alerts' }), alertStores),
  'POST /api/restocking/rollup/rebuild': { ...hqOnly(() => ({ path: '/api/restocking/rollup/rebuild', body: {} })), prepare: restockJobsQuiet },
  // collections: bank statements (collections.read/write: HQ, the franchisee manager of the company; never a store manager)
  'POST /api/collections/bank-statements': { ...pricesWrite(() => ({ path: '/api/collections/bank-statements', body: bankBody })), prepare: freshBankFile },
  'GET /api/collections/bank-statements': invoicingUser(() => ({ path: '/api/collections/bank-statements' })),
  'GET /api/collections/bank-statements/:id': { ...pricesWrite(() => ({ path: `/api/collections/bank-statements/${bankStatementId}` })), prepare: freshBankStatement },
  'POST /api/collections/bank-statements/:id/match': { ...pricesWrite(() => ({ path: `/api/collections/bank-statements/${bankStatementId}/match` })), prepare: freshBankStatement },
  'GET /api/collections/bank-movements': invoicingUser(() => ({ path: '/api/collections/bank-movements?status=unmatched' })),
  'GET /api/collections/bank-movements/:id/candidates': { ...pricesWrite(() => ({ path: `/api/collections/bank-movements/${bankMovementId}/candidates` })), prepare: freshBankStatement },
  'POST /api/collections/bank-movements/:id/match': {
    ...pricesWrite(() => ({ path: `/api/collections/bank-movements/${bankMovementId}/match`, body: { lines: [{ itemId: bankItemId, amountCents: 12_100 }] } })),
    prepare: freshBankMovementAndItem,
  },
  'POST /api/collections/bank-movements/:id/ignore': { ...pricesWrite(() => ({ path: `/api/collections/bank-movements/${bankMovementId}/ignore`, body: { note: 'Comisión' } })), prepare: freshBankStatement },
  // promotions (HQ writes; a franchisee or store manager reads those that can apply in its stores: a foreign store's is 404)
  'GET /api/promotions': anyUser(() => ({ path: '/api/promotions' })),
  'GET /api/promotions/totals': anyUser(() => ({ path: '/api/promotions/totals?from=2026-01-01&to=2026-12-31' })),
  'GET /api/promotions/:id': {
    req: () => ({ path: `/api/promotions/${promotionId}` }),
    expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 404),
    prepare: freshPromotion,
  },
  'POST /api/promotions': hqOnly(() => ({ path: '/api/promotions', body: promotionBody(F.storeM1.id) })),
  'PUT /api/promotions/:id': { ...hqOnly(() => ({ path: `/api/promotions/${promotionId}`, body: { ...promotionBody(F.storeM1.id), name: 'Cambiada' } })), prepare: freshPromotion },
  'POST /api/promotions/:id/end': { ...hqOnly(() => ({ path: `/api/promotions/${promotionId}/end` })), prepare: freshPromotion },
  // vouchers (issue 15): search any user (scoped to their companies), one voucher its company's readers; corrections
  // vouchers.write and the outstanding balance and expiry run vouchers.admin (HQ only).
  'GET /api/vouchers': anyUser(() => ({ path: '/api/vouchers?q=AZ' })),
  'GET /api/vouchers/outstanding': hqOnly(() => ({ path: '/api/vouchers/outstanding' })),
  'POST /api/vouchers/expire': hqOnly(() => ({ path: '/api/vouchers/expire' })),
  'GET /api/vouchers/:code': voucherRead(() => ({ path: `/api/vouchers/${voucherCode}` })),
  'POST /api/vouchers/:code/adjust': { ...hqOnly(() => ({ path: `/api/vouchers/${voucherCode}/adjust`, body: { amountCents: 100, note: 'matriz' } })), prepare: freshVoucher },
  'POST /api/vouchers/:code/status': { ...hqOnly(() => ({ path: `/api/vouchers/${voucherCode}/status`, body: { status: 'blocked', note: 'matriz' } })), prepare: freshVoucher },
  // privacy (privacy.read/write: HQ roles; erasure and the retention policy privacy.admin = hq_admin; never a franchisee or store)
  'GET /api/privacy/customers/:id': hqOnly(() => ({ path: `/api/privacy/customers/${F.customer.id}` })),
  'GET /api/privacy/customers/:id/consents': hqOnly(() => ({ path: `/api/privacy/customers/${F.customer.id}/consents` })),
  'POST /api/privacy/customers/:id/consents': hqOnly(() => ({ path: `/api/privacy/customers/${F.customer.id}/consents`, body: { consents: [{ purpose: 'marketing', granted: true }] } })),
  'POST /api/privacy/customers/:id/export': hqOnly(() => ({ path: `/api/privacy/customers/${F.customer.id}/export` })),
  'POST /api/privacy/customers/:id/erasure': { ...hqOnly(() => ({ path: `/api/privacy/customers/${freshId}/erasure`, body: { reason: 'matriz' } })), prepare: freshCustomer },
  'GET /api/privacy/requests': hqOnly(() => ({ path: '/api/privacy/requests' })),
  'GET /api/privacy/access-log': hqOnly(() => ({ path: '/api/privacy/access-log' })),
  'GET /api/privacy/retention': hqOnly(() => ({ path: '/api/privacy/retention' })),
  'PUT /api/privacy/retention': hqOnly(() => ({ path: '/api/privacy/retention', body: { retentionYears: null } })),
  'POST /api/privacy/retention/run': { ...hqOnly(() => ({ path: '/api/privacy/retention/run' })), prepare: settleJobs },
  // loyalty (issue 15): the programme is read by every store, written at HQ; the liability, settlement and expiry run are HQ accounting's.
  'GET /api/loyalty/programme': anyUser(() => ({ path: '/api/loyalty/programme' })),
  'PUT /api/loyalty/programme': hqOnly(() => ({ path: '/api/loyalty/programme', body: { ...DEFAULT_PROGRAMME, name: 'Matriz' } })),
  'GET /api/loyalty/members/:customerId': anyUser(() => ({ path: `/api/loyalty/members/${F.customer.id}` })),
  'POST /api/loyalty/adjustments': hqOnly((c) => ({ path: '/api/loyalty/adjustments', body: { customerId: F.customer.id, points: 5, companyId: c.store.companyId, note: 'matriz' } })),
  'POST /api/loyalty/expire': { ...hqOnly(() => ({ path: '/api/loyalty/expire', body: { asOf: '2026-11-30' } })), prepare: jobsQuiet },
  'GET /api/loyalty/liability': hqOnly(() => ({ path: '/api/loyalty/liability' })),
  'GET /api/loyalty/settlement': hqOnly(() => ({ path: '/api/loyalty/settlement?month=2026-11' })),
  // customers (CRM core, issue 15): customers.read for everyone signed in; writes (create, edit, notes, merges, segments) HQ only.
  'GET /api/crm/customers': anyUser(() => ({ path: '/api/crm/customers?q=bar' })),
  'POST /api/crm/customers': hqOnly(() => ({ path: '/api/crm/customers', body: { id: randomUUID(), name: 'Cliente matriz' } })),
  'GET /api/crm/customers/:id': anyUser(() => ({ path: `/api/crm/customers/${F.customer.id}` })),
  'PUT /api/crm/customers/:id': hqOnly(() => ({ path: `/api/crm/customers/${F.customer.id}`, body: { name: F.customer.name } })),
  'POST /api/crm/customers/:id/notes': hqOnly(() => ({ path: `/api/crm/customers/${F.customer.id}/notes`, body: { body: 'Nota' } })),
  'GET /api/crm/duplicates': anyUser(() => ({ path: '/api/crm/duplicates' })),
  'POST /api/crm/merges': { ...hqOnly(() => ({ path: '/api/crm/merges', body: { intoId: crmPair[0], mergedId: crmPair[1] } })), prepare: freshCrmPair },
  'GET /api/crm/segments': anyUser(() => ({ path: '/api/crm/segments' })),
  'POST /api/crm/segments/preview': anyUser(() => ({ path: '/api/crm/segments/preview', body: { minSpendCents: 100 } })),
  'PUT /api/crm/segments/:id': hqOnly(() => ({ path: `/api/crm/segments/${CRM_SEGMENT}`, body: { name: 'Matriz', rules: { boughtWithinDays: 30 } } })),
  'DELETE /api/crm/segments/:id': { ...hqOnly(() => ({ path: `/api/crm/segments/${CRM_SEGMENT}` })), prepare: freshCrmSegment },
  'POST /api/crm/segments/recompute': hqOnly(() => ({ path: '/api/crm/segments/recompute' })),
  'GET /api/crm/segments/:id/export': { ...anyUser(() => ({ path: `/api/crm/segments/${CRM_SEGMENT}/export`, download: true })), prepare: freshCrmSegment },
  // Product blocks (issue 17): HQ blocks and lifts (quality.write); any user lists the blocks of their stores; a block's page
  // and a withdrawal (inventory.write) only for a store in the caller's scope (another store's block: 404).
  'GET /api/product-blocks': anyUser(() => ({ path: '/api/product-blocks' })),
  'POST /api/product-blocks': hqOnly(() => ({ path: '/api/product-blocks', body: { productId: PRODUCT.id, reason: 'Matriz' } })),
  'GET /api/product-blocks/:id': blockRead(() => ({ path: `/api/product-blocks/${blockId}` })),
  'POST /api/product-blocks/:id/lift': { ...hqOnly(() => ({ path: `/api/product-blocks/${blockId}/lift`, body: { note: 'Matriz' } })), prepare: freshBlock },
  'POST /api/product-blocks/:id/withdrawals': blockRead((c) => ({ path: `/api/product-blocks/${blockId}/withdrawals`, body: { id: randomUUID(), storeId: c.store.id, method: 'none', units: 0 } })),
  // Supplier returns (issue 17): a store ships its return (inventory.write, its store); HQ's warehouse receives it and returns
  // to the supplier (warehouse.write), records the credit note (purchasing.write); figures are HQ's.
  'GET /api/store-returns': anyUser(() => ({ path: '/api/store-returns' })),
  'POST /api/store-returns': { ...storeScoped((c) => ({ path: '/api/store-returns', body: storeReturnBody(c) })), prepare: storeStock },
  'GET /api/store-returns/:id': { req: () => ({ path: `/api/store-returns/${storeReturnId}` }), prepare: freshStoreReturn, expect: (who, v) => (unauth(who) ? 401 : who === 'hq' || v === 'own' ? '2xx' : 404) },
  'POST /api/store-returns/:id/receive': { ...hqOnly(() => ({ path: `/api/store-returns/${storeReturnId}/receive` })), prepare: freshStoreReturn },
  'GET /api/supplier-returns': anyUser(() => ({ path: '/api/supplier-returns' })),
  'POST /api/supplier-returns': { ...hqOnly(() => ({ path: '/api/supplier-returns', body: supplierReturnBody() })), prepare: warehouseStock },
  'GET /api/supplier-returns/figures': hqOnly(() => ({ path: '/api/supplier-returns/figures' })),
  'GET /api/supplier-returns/:id': { req: () => ({ path: `/api/supplier-returns/${supplierReturnId}` }), prepare: freshSupplierReturn, expect: (who) => (unauth(who) ? 401 : who === 'hq' ? '2xx' : 404) },
  // Office notices (issue 16): everyone reads the notices of their stores (another store's: 404); HQ and a franchisee
  // (their own stores) post and withdraw; a store manager only reads.
  'GET /api/office/notices': anyUser(() => ({ path: '/api/office/notices' })),
  'POST /api/office/notices': officeWrite((c) => ({ path: '/api/office/notices', body: { title: 'Matriz', body: 'Aviso', target: 'store', targetIds: [c.store.id] } }), 403),
  'GET /api/office/notices/:id': { ...blockRead(() => ({ path: `/api/office/notices/${noticeId}` })), prepare: freshNotice },
  'POST /api/office/notices/:id/withdraw': { ...officeWrite(() => ({ path: `/api/office/notices/${noticeId}/withdraw`, body: {} }), 404), prepare: freshNotice },
  // Tasks (issue 16): assigned like notices; a task's page only for a store in scope (404 otherwise); an item is ticked by
  // whoever may act on the store (a store manager their own; another store's task does not exist for them: 404).
  'GET /api/office/tasks': anyUser(() => ({ path: '/api/office/tasks' })),
  'POST /api/office/tasks': officeWrite((c) => ({ path: '/api/office/tasks', body: { title: 'Matriz', dueAt: '2099-01-01T00:00:00Z', items: ['Uno'], target: 'store', targetIds: [c.store.id] } }), 403),
  'GET /api/office/tasks/:id': { ...blockRead(() => ({ path: `/api/office/tasks/${taskId}` })), prepare: freshTask },
  'POST /api/office/tasks/:id/stores/:storeId/items/:itemNo/check': { ...blockRead((c) => ({ path: `/api/office/tasks/${taskId}/stores/${c.store.id}/items/1/check`, body: {} })), prepare: freshTask },
  // Documents (issue 16): published like notices; read, downloaded and acknowledged by whoever it is for (HQ reads any, but
  // a store's document is not for HQ to acknowledge: 404); a version by who could publish it.
  'GET /api/office/documents': anyUser(() => ({ path: '/api/office/documents' })),
  'POST /api/office/documents': officeWrite((c) => ({ path: '/api/office/documents', body: documentBody(c.store.id) }), 403),
  'GET /api/office/documents/:id': { ...blockRead(() => ({ path: `/api/office/documents/${documentId}` })), prepare: freshDocument },
  'GET /api/office/documents/:id/versions/:version/file': { ...blockRead(() => ({ path: `/api/office/documents/${documentId}/versions/1/file`, download: true })), prepare: freshDocument },
  'POST /api/office/documents/:id/versions': { ...officeWrite(() => ({ path: `/api/office/documents/${documentId}/versions`, body: { file: { name: 'm.txt', mediaType: 'text/plain', contentBase64: 'bWF0cml6' } } }), 404), prepare: freshDocument },
  'POST /api/office/documents/:id/acknowledge': {
    req: () => ({ path: `/api/office/documents/${documentId}/acknowledge`, body: { version: 1 } }), prepare: freshDocument,
    expect: (who, v) => (unauth(who) ? 401 : who !== 'hq' && v === 'own' ? '2xx' : 404),
  },
  'POST /api/supplier-returns/:id/credit-note': { ...hqOnly(() => ({ path: `/api/supplier-returns/${supplierReturnId}/credit-note`, body: { creditNumber: `MX-${creditN++}`, creditDate: '2026-12-01', amountCents: 100 } })), prepare: freshSupplierReturn },
  // Issue 19: receipt design. Reads: the company's (a store manager's company included), the preview of a
  // store in scope; writes (HQ, or the franchisee of that company): a design, a store's override, publishing.
  'GET /api/receipt-designs/:companyId': companyScoped((c) => ({ path: `/api/receipt-designs/${c.store.companyId}` })),
  'POST /api/receipt-designs/:companyId/preview': storeScoped((c) => ({ path: `/api/receipt-designs/${c.store.companyId}/preview`, body: { storeId: c.store.id } })),
  'PUT /api/receipt-designs/:companyId': receiptsWrite((c) => ({ path: `/api/receipt-designs/${c.store.companyId}`, body: { footerLines: ['Matriz'] } })),
  'PUT /api/receipt-designs/:companyId/stores/:storeId': receiptsWrite((c) => ({ path: `/api/receipt-designs/${c.store.companyId}/stores/${c.store.id}`, body: { footerLines: ['Matriz'] } })),
  // E-receipts: public, the signature is the permission; a well-formed link that does not verify is 404 for anyone.
  'GET /api/e-receipts/:token': open(() => ({ path: `/api/e-receipts/00000000-0000-7000-8000-000000000000.${'A'.repeat(22)}` }), 404),
  'GET /api/e-receipts/:token/pdf': open(() => ({ path: `/api/e-receipts/00000000-0000-7000-8000-000000000000.${'A'.repeat(22)}/pdf` }), 404),
  'POST /api/receipt-designs/:companyId/publish': {
    ...receiptsWrite((c) => ({ path: `/api/receipt-designs/${c.store.companyId}/publish`, body: {} })),
    prepare: async (c, x) => void (await x.h.api('PUT', `/api/receipt-designs/${c.store.companyId}`, { token: x.hqToken, body: { headerLines: ['Matriz'] } })),
  },
  'GET /api/people/employees': anyUser(() => ({ path: '/api/people/employees' }), (b) => (b as { items: Array<{ storeId: string | null }> }).items.flatMap((e) => (e.storeId ? [e.storeId] : []))),
  'POST /api/people/employees': hrScoped((c) => ({ path: '/api/people/employees', body: hireBody(c) })),
  'GET /api/people/employees/:id': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}` }), freshEmployee),
  'POST /api/people/employees/:id/leave': hrScoped(() => ({ path: `/api/people/employees/${employeeId}/leave`, body: { leftOn: '2026-12-31', reason: 'Matriz' } }), freshEmployee, 404),
  'POST /api/people/time-records': employeeScoped(() => ({ path: '/api/people/time-records', body: { employeeId, event: 'clock_in' } }), freshEmployee),
  'GET /api/people/employees/:id/time-records': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}/time-records?month=2026-12` }), freshEmployee),
  'GET /api/people/employees/:id/time-records.pdf': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}/time-records.pdf?month=2026-12`, download: true }), freshEmployee),
  'POST /api/people/employees/:id/corrections': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}/corrections`, body: correctionBody() }), clockedIn),
  'POST /api/people/employees/:id/corrections/:correctionId/approve': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}/corrections/${correctionId}/approve`, body: { party: 'company' } }), workerCorrection),
  'GET /api/people/time-chains/verify': storeRead((c) => ({ path: `/api/people/time-chains/verify?chain=${c.store.id}` })),
  'GET /api/people/time-records/export.csv': storeScoped((c) => ({ path: `/api/people/time-records/export.csv?month=2026-12&storeId=${c.store.id}`, download: true })),
  'POST /api/people/time-records/purge': hqOnly(() => ({ path: '/api/people/time-records/purge', body: { before: '2020-01-01' } })),
  'POST /api/people/self-service/login': { req: () => ({ path: '/api/people/self-service/login', body: { companyNif: workerNif, code: employeeCode, secret: SELF_PASSWORD } }), prepare: clockedIn, expect: () => '2xx' },
  'GET /api/people/self-service/month': selfService(() => ({ path: '/api/people/self-service/month?month=2026-12' }), clockedIn),
  'GET /api/people/self-service/month.pdf': selfService(() => ({ path: '/api/people/self-service/month.pdf?month=2026-12', download: true }), clockedIn),
  'POST /api/people/self-service/corrections/:correctionId/approve': selfService(() => ({ path: `/api/people/self-service/corrections/${correctionId}/approve` }), companyCorrection),
  'POST /api/people/self-service/corrections': selfService(() => ({ path: '/api/people/self-service/corrections', body: correctionBody() }), clockedIn),
  'GET /api/people/inspector-access': hrRead(() => ({ path: '/api/people/inspector-access' })),
  'POST /api/people/inspector-access': hrScoped((c) => ({ path: '/api/people/inspector-access', body: grantBody(c.store.companyId) })),
  'POST /api/people/inspector-access/:id/revoke': hrScoped(() => ({ path: `/api/people/inspector-access/${inspectorGrantId}/revoke` }), inspectorGrant, 404),
  'GET /api/people/inspector/session': inspector(() => ({ path: '/api/people/inspector/session' }), inspectorGrant),
  'GET /api/people/inspector/month': inspector(() => ({ path: '/api/people/inspector/month?month=2026-12' }), inspectorGrant),
  'GET /api/people/inspector/time-records.csv': inspector(() => ({ path: '/api/people/inspector/time-records.csv?month=2026-12', download: true }), inspectorGrant),
  'GET /api/people/inspector/employees/:id/time-records.pdf': inspector(() => ({ path: `/api/people/inspector/employees/${employeeId}/time-records.pdf?month=2026-12`, download: true }), inspectorGrantAndEmployee),
  'GET /api/people/absences': anyUser(() => ({ path: '/api/people/absences' }), (b) => (b as { items: Array<{ storeId: string | null }> }).items.flatMap((a) => (a.storeId ? [a.storeId] : []))),
  'POST /api/people/absences': employeeScoped(() => ({ path: '/api/people/absences', body: { employeeId, ...leaveBody() } }), freshEmployee),
  'POST /api/people/absences/:id/decision': employeeScoped(() => ({ path: `/api/people/absences/${absenceId}/decision`, body: { decision: 'approve' } }), requestedAbsence),
  'POST /api/people/absences/:id/cancel': employeeScoped(() => ({ path: `/api/people/absences/${absenceId}/cancel` }), requestedAbsence),
  'GET /api/people/employees/:id/absences': employeeScoped(() => ({ path: `/api/people/employees/${employeeId}/absences?year=2027` }), freshEmployee),
  'GET /api/people/self-service/absences': selfService(() => ({ path: '/api/people/self-service/absences?year=2027' }), clockedIn),
  'POST /api/people/self-service/absences': selfService(() => ({ path: '/api/people/self-service/absences', body: leaveBody() }), clockedIn),
  'POST /api/people/self-service/absences/:id/cancel': selfService(() => ({ path: `/api/people/self-service/absences/${absenceId}/cancel` }), requestedAbsence),
  // Rotas (issue 16): people.read / people.write on the store (403 elsewhere; a shift elsewhere does not exist: 404).
  'GET /api/rotas/week': storeScoped((c) => ({ path: `/api/rotas/week?storeId=${c.store.id}&week=2026-11-09` })),
  'POST /api/rotas/shifts': { ...storeScoped((c) => ({ path: '/api/rotas/shifts', body: rotaShiftBody(c) })), prepare: freshEmployee },
  'DELETE /api/rotas/shifts/:id': { ...storeRead(() => ({ path: `/api/rotas/shifts/${rotaShiftId}` })), prepare: plannedShift },
  'POST /api/rotas/weeks/copy': storeScoped((c) => ({ path: '/api/rotas/weeks/copy', body: { storeId: c.store.id, fromWeek: '2026-10-05', toWeek: '2026-10-12' } })),
  // Named rota templates: on the store (403 elsewhere); another store's template does not exist for the caller (404).
  'GET /api/rotas/templates': storeScoped((c) => ({ path: `/api/rotas/templates?storeId=${c.store.id}` })),
  'POST /api/rotas/templates': { ...storeScoped((c) => ({ path: '/api/rotas/templates', body: rotaTemplateBody(c) })), prepare: plannedShift },
  'GET /api/rotas/templates/:id': { ...storeRead(() => ({ path: `/api/rotas/templates/${rotaTemplateId}` })), prepare: savedTemplate },
  'PATCH /api/rotas/templates/:id': { ...storeRead(() => ({ path: `/api/rotas/templates/${rotaTemplateId}`, body: { name: `Renombrada ${randomUUID()}` } })), prepare: savedTemplate },
  'DELETE /api/rotas/templates/:id': { ...storeRead(() => ({ path: `/api/rotas/templates/${rotaTemplateId}` })), prepare: savedTemplate },
  'POST /api/rotas/templates/:id/apply': { ...storeRead(() => ({ path: `/api/rotas/templates/${rotaTemplateId}/apply`, body: { week: rotaApplyWeek } })), prepare: savedTemplate },
  // Dashboard and report views (issue 18): figures of the caller's stores only; views, schedules and inbox rows are
  // the caller's own — one made by HQ in `prepare` is not there for anyone else (404).
  'GET /api/dashboard': anyUser(() => ({ path: '/api/dashboard' }), (b) => (b as { stores: Array<{ storeId: string }> }).stores.map((x) => x.storeId)),
  'GET /api/report-views': anyUser(() => ({ path: '/api/report-views' })),
  'POST /api/report-views': anyUser(() => ({ path: '/api/report-views', body: { name: `Matriz ${randomUUID()}`, reportKey: 'sales-by-period', filters: { from: '2026-11-01' } } })),
  'DELETE /api/report-views/:id': hqsOwn(() => ({ path: `/api/report-views/${reportViewId}` }), freshReportView),
  'POST /api/report-views/:id/schedules': hqsOwn(() => ({ path: `/api/report-views/${reportViewId}/schedules`, body: { frequency: 'daily', timeOfDay: '07:00', format: 'pdf' } }), freshReportView),
  'DELETE /api/report-schedules/:id': hqsOwn(() => ({ path: `/api/report-schedules/${reportScheduleId}` }), freshReportView),
  'GET /api/report-inbox': anyUser(() => ({ path: '/api/report-inbox' })),
  'POST /api/report-inbox/:id/read': hqsOwn(() => ({ path: `/api/report-inbox/${reportInboxId}/read` }), freshReportView),
};

async function rawRequest(h: Harness, method: string, pathname: string, token: string | undefined, raw?: { type: string; data: string }) {
  const res = await fetch(h.url + pathname, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(raw ? { 'content-type': raw.type } : {}) }, ...(raw ? { body: raw.data } : {}) });
  const text = await res.text();
  return { status: res.status, body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text };
}


const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

/** One terminal, staff member and notice per store (Madrid 2 has no terminal in the base seed). */
async function seedMatrix(ds: DataSource): Promise<Record<StoreKey, StoreFixture>> {
  const stores: Record<StoreKey, StoreFixture> = {
    M1: { key: 'M1', id: F.storeM1.id, companyId: F.ruiz.id, terminalId: F.t1.id, staffId: uid(12, 1), noticeId: uid(13, 1), userId: uid(14, 1) },
    M2: { key: 'M2', id: F.storeM2.id, companyId: F.ruiz.id, terminalId: uid(3, 0x20), staffId: uid(12, 2), noticeId: uid(13, 2), userId: uid(14, 2) },
    V1: { key: 'V1', id: F.storeV1.id, companyId: F.levante.id, terminalId: F.t3.id, staffId: uid(12, 3), noticeId: uid(13, 3), userId: uid(14, 3) },
  };
  await ds.transaction(async (m) => {
    await m.insert(bo.TerminalEntity, {
      id: stores.M2.terminalId, storeId: F.storeM2.id, code: '01', name: 'Caja 01', installation: 'M002-01', tokenHash: null, pairingCodeHash: null,
      pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
    });
    for (const s of Object.values(stores)) {
      await m.insert(bo.StaffEntity, { id: s.staffId, companyId: s.companyId, storeId: s.id, code: `AUTH-${s.key}`, name: 'Staff', role: 'cashier', pinHash: '$argon2id$v=19$m=65536,t=3,p=4$bm9uZQ$bm9uZQ', active: true, version: 1 });
      await m.insert(bo.NoticeEntity, { id: s.noticeId, storeId: s.id, title: 'Aviso', body: 'Texto', startsAt: null, endsAt: null, active: true, version: 1 });
      await m.insert(bo.AppUserEntity, { id: s.userId, email: `sm-${s.key.toLowerCase()}@test.demo`, name: `Encargado ${s.key}`, passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$bm9uZQ$bm9uZQ', role: 'store_manager', companyId: s.companyId, storeId: s.id });
    }
    for (const [companyId, id] of Object.entries(MATRIX_WAREHOUSE)) {
      await m.query(`INSERT INTO warehouse (id, code, company_id, name) VALUES (${[1, 2, 3, 4].map((i) => (ds.options.type === 'postgres' ? `$${i}` : '?')).join(', ')})`, [id, `MX-${id.slice(-1)}`, companyId, 'Almacén matriz']);
    }
  });
  return stores;
}

/**
 * Counts every row written to the back office's tables (triggers, installed in this test's own database
 * only): a refused write must leave the count where it was. One query per cell instead of reading every
 * table before and after. Tables a refused request may rightly touch are left out: the migrations' own
 * bookkeeping, and a session's last use (only a change of its identity, expiry or enrolment counts).
 */
const NOT_COUNTED = new Set(['migrations', 'typeorm_metadata', 'matrix_writes', 'user_session']);
const SESSION_COLUMNS = ['token_hash', 'id', 'user_id', 'expires_at', 'enrol_only'];

async function installWriteCounter(ds: DataSource): Promise<void> {
  const pg = ds.options.type === 'postgres';
  const tables = (
    (await ds.query(pg ? `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()` : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as Array<{ name: string }>
  ).map((r) => r.name);
  await ds.query('CREATE TABLE matrix_writes (n bigint NOT NULL)');
  await ds.query('INSERT INTO matrix_writes (n) VALUES (0)');
  if (pg) {
    await ds.query(`CREATE FUNCTION matrix_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE matrix_writes SET n = n + 1; RETURN NULL; END $$`);
  }
  const trigger = (name: string, event: string, table: string) =>
    pg
      ? `CREATE TRIGGER ${name} AFTER ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION matrix_bump()`
      : `CREATE TRIGGER ${name} AFTER ${event} ON "${table}" BEGIN UPDATE matrix_writes SET n = n + 1; END`;
  for (const [i, t] of tables.entries()) {
    if (NOT_COUNTED.has(t)) continue;
    for (const ev of ['INSERT', 'UPDATE', 'DELETE']) await ds.query(trigger(`matrix_${ev.toLowerCase()}_${i}`, ev, t));
  }
  await ds.query(trigger('matrix_session_insert', 'INSERT', 'user_session'));
  await ds.query(trigger('matrix_session_delete', 'DELETE', 'user_session'));
  await ds.query(trigger('matrix_session_update', `UPDATE OF ${SESSION_COLUMNS.join(', ')}`, 'user_session'));
}

/** Rows written to any counted table so far. */
async function writesSoFar(ds: DataSource): Promise<number> {
  return Number(((await ds.query('SELECT n FROM matrix_writes')) as Array<{ n: number | string }>)[0]!.n);
}

describe.each(engines)('authorization matrix on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let stores: Record<StoreKey, StoreFixture>;
  const tokens = new Map<Who, string | undefined>();
  const creds: Record<string, { email: string; password: string }> = {
    hq: F.hq, franchiseeA: F.managerRuiz, franchiseeB: F.managerLevante, storeManager: F.managerM1,
  };
  let pins = 30_000;

  beforeAll(async () => {
    h = await startHarness(engine);
    warehouseId = '';
    workers.clear();
    stores = await seedMatrix(h.ds);
    await installWriteCounter(h.ds);
    for (const s of Object.values(stores)) {
      const owner = { companyId: s.companyId, storeId: s.id, createdBy: null };
      s.jobId = (await h.server.jobs.enqueue({ kind: 'matrix.noop', owner })).id; // no handler: never claimed
      s.fileId = (await h.server.files.save({ name: `${s.key}.txt`, mediaType: 'text/plain', purpose: 'export', owner, data: Buffer.from(s.key) })).id;
    }
    for (const who of USERS) tokens.set(who, await h.login(creds[who]!));
    const up = await fetch(`${h.url}/api/catalog/imports?name=seed.csv`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get('hq')}`, 'content-type': 'text/csv' }, body: IMPORT_CSV });
    importId = ((await up.json()) as { id: string }).id;
    await h.server.jobs.settled(importId);
    tokens.set('noToken', undefined);
    tokens.set('badToken', randomUUID() + randomUUID());
  });
  afterAll(async () => {
    await h?.teardown();
  });

  const placesOf = (who: Who): { own: StoreKey; foreign: StoreKey; scope: StoreKey[] } =>
    ({
      hq: { own: 'M1', foreign: 'V1', scope: ['M1', 'M2', 'V1'] },
      franchiseeA: { own: 'M1', foreign: 'V1', scope: ['M1', 'M2'] },
      franchiseeB: { own: 'V1', foreign: 'M1', scope: ['V1'] },
      storeManager: { own: 'M1', foreign: 'M2', scope: ['M1'] },
      noToken: { own: 'M1', foreign: 'V1', scope: [] },
      badToken: { own: 'M1', foreign: 'V1', scope: [] },
    })[who] as { own: StoreKey; foreign: StoreKey; scope: StoreKey[] };

  it('has a table entry for every route of the app, and none for a route that is gone', () => {
    const live = expressRoutes(h.server.app);
    expect(live.filter((r) => !(r in ROUTES)), 'routes without an entry in ROUTES (authorization.test.ts)').toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !live.includes(r)), 'ROUTES entries for routes the app no longer has').toEqual([]);
  });

  it.each(Object.keys(ROUTES))('%s answers every caller × own/foreign id as the table says', async (key) => {
    const spec = ROUTES[key]!;
    const [method, ...rest] = key.split(' ');
    const route = rest.join(' ');
    const wrong: string[] = [];
    for (const who of [...USERS, 'noToken', 'badToken'] as Who[]) {
      for (const variant of ['own', 'foreign'] as Variant[]) {
        const places = placesOf(who);
        const cell: Cell = { who, variant, store: stores[places[variant]], home: stores[places.own], pin: () => String(pins++) };
        await spec.prepare?.(cell, { h, hqToken: tokens.get('hq')! });
        const req = spec.req(cell);
        const token = req.token ? await req.token() : route === '/api/auth/logout' && !unauth(who) ? await h.login(creds[who]!) : tokens.get(who);
        // A job an earlier cell started must not write while this cell is compared.
        if (method !== 'GET') await settleJobs(cell, { h, hqToken: tokens.get('hq')! });
        const before = method !== 'GET' ? await writesSoFar(h.ds) : undefined;
        const res = req.raw || req.download
          ? await rawRequest(h, method!, req.path, token, req.raw)
          : await h.api(method!, req.path, { ...(token ? { token } : {}), ...(req.body !== undefined ? { body: req.body } : {}) });
        const want = spec.expect(who, variant);
        const got = res.status >= 200 && res.status < 300 ? '2xx' : res.status;
        const at = `${who} × ${variant} (${req.path})`;
        if (got !== want) wrong.push(`${at}: expected ${want}, got ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
        else if (want !== '2xx' && typeof res.body?.type !== 'string') wrong.push(`${at}: refused without problem+json`);
        else if (want !== '2xx' && method !== 'GET' && (await writesSoFar(h.ds)) !== before) wrong.push(`${at}: refused with ${res.status} but changed the database`);
        // HQ's scope is the whole franchise, stores other routes created included.
        else if (want === '2xx' && spec.lists && who !== 'hq') {
          const allowed = new Set(places.scope.map((k) => stores[k].id));
          const outside = spec.lists(res.body).filter((id) => !allowed.has(id));
          if (outside.length > 0) wrong.push(`${at}: lists stores outside the caller's scope: ${outside.join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
