/**
 * Restocking use cases: rules, proposals (computed per store from the rules, the `sales_week` rollup and the
 * stock position — `formulas.ts` says how), their edit and confirmation into orders through the order modules'
 * entry points, alerts, and the rollup's rebuild. Scope is checked on the store of every row touched.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { Alerts, ProposalDetail, ProposalView, RuleBody, RuleView } from '@tpv/shared/wire/http/restocking';
import { forbidden, notFound } from '../auth/http';
import { canAccessStore, visibleStoreIds, type AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { isFranchiseWide } from '../platform/permissions';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { createPurchaseOrderDraft } from '../purchasing/api';
import { registerReplenishmentOrder } from '../replenishment/api';
import { DEFAULT_RULE, RECENT_WEEKS, SEASON_AHEAD_WEEKS, YEAR_WEEKS, suggest, withSupplierTerms, type RuleTerms, type SalesFigures } from './formulas';
import { forgetDemand, fastInputs, refreshDemand, type Refreshed, type RefreshOptions } from './demand';
import { incomingOf, type Incoming } from './incoming';
import * as repo from './repository';
import { addWeeks, weekOf } from './weeks';

const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const todayOf = (clock: Clock) => new Date(clock.now()).toISOString().slice(0, 10);

async function assertStore(ds: DataSource | EntityManager, user: AuthUser, storeId: string) {
  const store = await repo.storeCompany('manager' in ds ? ds.manager : ds, storeId);
  if (!store) throw notFound('Store');
  if (!(await canAccessStore('manager' in ds ? ds : ds.connection, user, storeId))) throw forbidden();
  return store;
}

// ---- rules ----

export async function listRules(ds: DataSource, user: AuthUser, storeId: string): Promise<RuleView[]> {
  await assertStore(ds, user, storeId);
  return repo.rulesOfStore(ds.manager, storeId);
}

/** Checks a rule's figures together (the schema checks each alone): 422 with the field. */
function checkRule(b: RuleBody) {
  if (b.method === 'minmax') {
    if (b.minQty === null) throw refused(422, 'MIN_REQUIRED', 'Mínimo obligatorio en una regla mín/máx · A min/max rule needs a minimum', 'minQty');
    if (b.maxQty === null) throw refused(422, 'MAX_REQUIRED', 'Máximo obligatorio en una regla mín/máx · A min/max rule needs a maximum', 'maxQty');
    if (b.maxQty < b.minQty) throw refused(422, 'MAX_BELOW_MIN', 'El máximo no puede ser menor que el mínimo · The maximum cannot be below the minimum', 'maxQty');
  } else if (b.coverDays === null) {
    throw refused(422, 'COVER_REQUIRED', 'Días de cobertura obligatorios · Days of cover are required', 'coverDays');
  }
}

export async function saveRule(ds: DataSource, clock: Clock, user: AuthUser, storeId: string, productId: string, body: RuleBody, requestId?: string): Promise<RuleView> {
  checkRule(body);
  const store = await assertStore(ds, user, storeId);
  return writeTransaction(ds, async (m) => {
    if (!(await repo.productExists(m, productId))) throw refused(422, 'UNKNOWN_PRODUCT', 'Producto desconocido · Unknown product', 'productId');
    if (body.supplierId !== null && !(await repo.supplierExists(m, body.supplierId))) throw refused(422, 'UNKNOWN_SUPPLIER', 'Proveedor desconocido · Unknown supplier', 'supplierId');
    // A supplier rule without a supplier buys from the product's preferred one: there must be one.
    if (body.source === 'supplier' && body.supplierId === null && !(await repo.preferredSupplierOf(m, productId)))
      throw refused(422, 'SUPPLIER_REQUIRED', 'Indica el proveedor (el producto no tiene proveedor preferente) · Name the supplier (the product has no preferred supplier)', 'supplierId');
    const before = await repo.ruleOfPair(m, storeId, productId);
    const rule: repo.RuleRow = {
      storeId,
      productId,
      companyId: store.companyId,
      method: body.method,
      // Only the figures of the chosen method are kept: a cover rule has no min/max and vice versa.
      minQty: body.method === 'minmax' ? body.minQty : null,
      maxQty: body.method === 'minmax' ? body.maxQty : null,
      coverDays: body.method === 'cover' ? body.coverDays : null,
      packMultiple: body.packMultiple,
      leadTimeDays: body.leadTimeDays,
      source: body.source,
      supplierId: body.source === 'supplier' ? body.supplierId : null,
      updatedAt: new Date(clock.now()).toISOString(),
    };
    await repo.upsertRule(m, rule);
    await recordAudit(m, clock, { actor: actorOf(user), action: before ? 'restock_rule.update' : 'restock_rule.create', entity: 'restock_rule', entityId: productId, companyId: store.companyId, storeId, before: before ?? null, after: rule, requestId: requestId ?? null });
    const saved = (await repo.rulesOfStore(m, storeId)).find((r) => r.productId === productId)!;
    return saved;
  });
}

export async function removeRule(ds: DataSource, clock: Clock, user: AuthUser, storeId: string, productId: string, requestId?: string): Promise<void> {
  const store = await assertStore(ds, user, storeId);
  await writeTransaction(ds, async (m) => {
    const before = await repo.ruleOfPair(m, storeId, productId);
    if (!before) throw notFound('Restock rule');
    await repo.deleteRule(m, storeId, productId);
    await recordAudit(m, clock, { actor: actorOf(user), action: 'restock_rule.delete', entity: 'restock_rule', entityId: productId, companyId: store.companyId, storeId, before, requestId: requestId ?? null });
  });
}

// ---- proposals ----

/** The weeks a proposal made on `asOf` reads (see formulas.ts). */
export function windowsOf(asOf: string): repo.SalesWindows {
  const w0 = weekOf(asOf);
  return {
    recentFrom: addWeeks(w0, -RECENT_WEEKS),
    recentTo: w0,
    lastYearFrom: addWeeks(w0, -YEAR_WEEKS - RECENT_WEEKS),
    lastYearMid: addWeeks(w0, -YEAR_WEEKS),
    lastYearTo: addWeeks(w0, -YEAR_WEEKS + SEASON_AHEAD_WEEKS),
  };
}

export interface GenerateOptions {
  /** null: every open store. */
  storeIds: readonly string[] | null;
  /** Who asked (user email), null for a scheduled job. */
  createdBy: string | null;
  /** Stores per transaction (reads and writes of a group go together). */
  group?: number;
  onProgress?: (done: number, total: number) => Promise<void> | void;
  /**
   * 'auto' (default): stores whose demand statistics are current for the proposal's week are read through them
   * (demand.ts: one row per pair, only the pairs that may order), the others straight from `sales_week`;
   * 'straight': every store from `sales_week` (the same lines, the old way).
   */
  demand?: 'auto' | 'straight';
}

export interface Generated {
  proposals: Array<{ id: string; storeId: string; lines: number }>;
  pairs: number;
  lines: number;
  /** Stores proposed from the demand statistics (the others: straight from the rollup). */
  fromDemand: number;
}

const NO_SALES: SalesFigures = { sum: 0, sumSq: 0, lastYearSame: 0, lastYearAhead: 0 };

type SupplierTermsOf = Awaited<ReturnType<typeof repo.supplierTermsOf>>;

/** A pair's terms: the rule (or the default one), a supplier rule completed from purchasing's supplier terms. */
function termsOf(rule: repo.RuleRow | undefined, ps: ReturnType<SupplierTermsOf['get']>): { terms: RuleTerms; supplierId: string | null } {
  const terms: RuleTerms = rule ?? DEFAULT_RULE;
  if (terms.source !== 'supplier') return { terms, supplierId: null };
  const supplierId = rule?.supplierId ?? ps?.preferred ?? null;
  // No supplier named and none preferred any more: the franchisor's warehouse serves it.
  if (supplierId === null) return { terms: { ...terms, source: 'warehouse' }, supplierId: null };
  return { terms: withSupplierTerms(terms, ps?.bySupplier.get(supplierId)), supplierId };
}

/** One pair's line (what `suggest` says and why), undefined when nothing is to be ordered. */
function lineOf(
  { terms, supplierId }: { terms: RuleTerms; supplierId: string | null },
  sales: SalesFigures | undefined,
  onHand: number,
  inc: Incoming | undefined,
): Omit<repo.ProposalLineRow, 'productId'> | undefined {
  const openOrders = inc?.openOrders ?? 0;
  const inTransit = inc?.inTransit ?? 0;
  const s = suggest(terms, sales ?? NO_SALES, { onHand, openOrders, inTransit });
  if (s.quantity <= 0) return undefined;
  return {
    source: terms.source,
    supplierId,
    suggestedQty: s.quantity,
    quantity: s.quantity,
    onHand,
    openOrders,
    inTransit,
    dailyMilli: Math.round(s.dailySales * 1000),
    coverTenths: s.coverDays === null ? null : Math.round(s.coverDays * 10),
    safetyQty: Math.ceil(s.safetyStock - 1e-9),
    reorderPoint: s.reorderPoint,
    targetQty: s.target,
    leadTimeDays: s.leadTimeDays,
    seasonPct: Math.round(s.season * 100),
    method: terms.method,
  };
}

/**
 * One draft proposal per store (replacing the store's previous draft): every product the store holds, has a
 * rule for, or sold in the weeks read, through `suggest`; lines with something to order are kept.
 */
export async function generateProposals(ds: DataSource, clock: Clock, o: GenerateOptions): Promise<Generated> {
  const stores = await repo.openStores(ds.manager, o.storeIds);
  const asOf = todayOf(clock);
  const windows = windowsOf(asOf);
  const inactive = new Set<string>((await ds.query(`SELECT id FROM product WHERE active = ${ds.options.type === 'postgres' ? 'false' : '0'}`)).map((r: { id: string }) => r.id));
  const supplierTerms = await repo.supplierTermsOf(ds.manager);
  const group = o.group ?? 25;
  const out: Generated = { proposals: [], pairs: 0, lines: 0, fromDemand: 0 };
  for (let i = 0; i < stores.length; i += group) {
    const part = stores.slice(i, i + group);
    const ids = part.map((s) => s.id);
    // Read first (no write lock held while 25 stores are read), then write the group in one transaction.
    const incoming = new Map<string, Map<string, Incoming>>(ids.map((id) => [id, new Map()]));
    for (const [key, v] of await incomingOf(ds.manager, ids)) {
      const bar = key.indexOf('|');
      incoming.get(key.slice(0, bar))?.set(key.slice(bar + 1), v);
    }
    const inputs = o.demand === 'straight' ? new Map<string, repo.StoreInputs>() : await fastInputs(ds, ids, windows, incoming, inactive);
    out.fromDemand += inputs.size;
    for (const [id, v] of await repo.proposalInputs(ds, ids.filter((id) => !inputs.has(id)), windows)) inputs.set(id, v);
    const now = new Date(clock.now()).toISOString();
    const proposals: repo.ProposalRow[] = [];
    const lines: Array<repo.ProposalLineRow & { proposalId: string }> = [];
    for (const store of part) {
      const { onHand, rules, sales, pairs } = inputs.get(store.id)!;
      const inc = incoming.get(store.id)!;
      const products = new Set<string>(onHand.keys());
      for (const m of [rules, sales, inc]) for (const p of m.keys()) products.add(p);
      const proposalId = newRowId(clock);
      let n = 0;
      let computed = 0;
      for (const productId of products) {
        if (inactive.has(productId)) continue;
        computed++;
        const line = lineOf(termsOf(rules.get(productId), supplierTerms.get(productId)), sales.get(productId), onHand.get(productId) ?? 0, inc.get(productId));
        if (!line) continue;
        n++;
        lines.push({ ...line, proposalId, productId });
      }
      out.pairs += pairs ?? computed;
      proposals.push({ id: proposalId, storeId: store.id, companyId: store.companyId, status: 'draft', asOf, lineCount: n, createdAt: now, createdBy: o.createdBy, confirmedAt: null, confirmedBy: null, orders: null });
      out.proposals.push({ id: proposalId, storeId: store.id, lines: n });
    }
    await writeTransaction(ds, async (m) => {
      await repo.discardDrafts(m, ids);
      await repo.insertProposals(m, proposals);
      await repo.insertProposalLines(m, lines);
    });
    out.lines += lines.length;
    await o.onProgress?.(Math.min(i + group, stores.length), stores.length);
  }
  return out;
}

/** A proposal for one store, now (the store manager's "Calcular propuesta"). */
export async function proposeForStore(ds: DataSource, clock: Clock, user: AuthUser, storeId: string): Promise<ProposalDetail> {
  await assertStore(ds, user, storeId);
  const g = await generateProposals(ds, clock, { storeIds: [storeId], createdBy: user.email });
  if (g.proposals.length === 0) throw refused(422, 'STORE_ARCHIVED', 'La tienda está archivada · The store is archived', 'storeId');
  return proposalDetail(ds, user, g.proposals[0]!.id);
}

/** Store ids a user may run proposals for (null: all). */
export async function storesForRun(ds: DataSource, user: AuthUser, asked: readonly string[] | null): Promise<string[] | null> {
  const visible = await visibleStoreIds(ds, user);
  if (visible === null) return asked === null ? null : [...asked];
  if (asked === null) return visible;
  const outside = asked.filter((id) => !visible.includes(id));
  if (outside.length > 0) throw forbidden();
  return [...asked];
}

type OrderRef = ProposalView['orders'][number];
const viewOf = (p: repo.ProposalRow & { storeCode: string; storeName: string }): ProposalView => ({
  id: p.id, storeId: p.storeId, storeCode: p.storeCode, storeName: p.storeName, companyId: p.companyId, status: p.status, asOf: p.asOf, lineCount: p.lineCount,
  createdAt: p.createdAt, createdBy: p.createdBy, confirmedAt: p.confirmedAt, confirmedBy: p.confirmedBy, orders: p.orders ? (JSON.parse(p.orders) as OrderRef[]) : [],
});

export async function listProposals(ds: DataSource, user: AuthUser, q: { storeId?: string | undefined; status?: string | undefined; limit: number }): Promise<ProposalView[]> {
  const visible = await visibleStoreIds(ds, user);
  return (await repo.proposalsOf(ds.manager, visible, q)).map(viewOf);
}

async function readableProposal(m: EntityManager, ds: DataSource, user: AuthUser, id: string) {
  const p = await repo.proposalById(m, id);
  if (!p) throw notFound('Proposal');
  if (!(await canAccessStore(ds, user, p.storeId))) throw forbidden();
  return p;
}

export async function proposalDetail(ds: DataSource, user: AuthUser, id: string): Promise<ProposalDetail> {
  await readableProposal(ds.manager, ds, user, id);
  const [row] = await repo.proposalsOf(ds.manager, null, { id, limit: 1 });
  const lines = await repo.linesOfProposal(ds.manager, id);
  return {
    ...viewOf(row!),
    lines: lines.map((l) => ({
      productId: l.productId, sku: l.sku, name: l.name, weighed: l.weighed, source: l.source, supplierId: l.supplierId, supplierName: l.supplierName,
      suggestedQty: l.suggestedQty, quantity: l.quantity, onHand: l.onHand, openOrders: l.openOrders, inTransit: l.inTransit, salesPerDay: l.dailyMilli / 1000,
      coverDays: l.coverTenths === null ? null : l.coverTenths / 10, safetyStock: l.safetyQty, reorderPoint: l.reorderPoint, target: l.targetQty,
      leadTimeDays: l.leadTimeDays, seasonality: l.seasonPct / 100, method: l.method,
    })),
  };
}

const notDraft = (p: repo.ProposalRow) =>
  refused(409, 'PROPOSAL_NOT_DRAFT', p.status === 'confirmed' ? 'La propuesta ya está confirmada · The proposal is already confirmed' : 'La propuesta fue sustituida por otra más reciente · The proposal was replaced by a newer one');

export async function setProposalLine(ds: DataSource, clock: Clock, user: AuthUser, id: string, productId: string, quantity: number, requestId?: string): Promise<void> {
  await writeTransaction(ds, async (m) => {
    const p = await readableProposal(m, ds, user, id);
    if (p.status !== 'draft') throw notDraft(p);
    const before = (await repo.linesOfProposal(m, id)).find((l) => l.productId === productId);
    if (!before || !(await repo.setLineQuantity(m, id, productId, quantity))) throw notFound('Proposal line');
    await recordAudit(m, clock, { actor: actorOf(user), action: 'restock_proposal.edit', entity: 'restock_proposal', entityId: id, companyId: p.companyId, storeId: p.storeId, before: { productId, quantity: before.quantity }, after: { productId, quantity }, requestId: requestId ?? null });
  });
}

/** The order modules' entry points confirming calls (the real ones; tests may pass their own). */
export interface OrderEntryPoints {
  registerReplenishmentOrder: typeof registerReplenishmentOrder;
  createPurchaseOrderDraft: typeof createPurchaseOrderDraft;
}
export const ORDER_ENTRY_POINTS: OrderEntryPoints = { registerReplenishmentOrder, createPurchaseOrderDraft };

/**
 * draft → confirmed, once (a retry gets 409 and nothing is made twice): the lines with a quantity become one
 * replenishment order from the franchisor's warehouse and one purchase-order draft per supplier, delivered to
 * the store, all in the confirming transaction.
 */
export async function confirmProposal(ds: DataSource, clock: Clock, user: AuthUser, id: string, requestId?: string, orders: OrderEntryPoints = ORDER_ENTRY_POINTS): Promise<ProposalDetail> {
  await writeTransaction(ds, async (m) => {
    const p = await readableProposal(m, ds, user, id);
    if (p.status !== 'draft') throw notDraft(p);
    const lines = (await repo.linesOfProposal(m, id)).filter((l) => l.quantity > 0);
    if (lines.length === 0) throw refused(422, 'NOTHING_TO_ORDER', 'No hay cantidades que pedir · There is nothing to order', 'lines');
    const at = new Date(clock.now()).toISOString();
    if (!(await repo.markConfirmed(m, id, at, user.email))) throw notDraft({ ...p, status: 'confirmed' });
    const by = { kind: 'user' as const, user };
    const made: OrderRef[] = [];
    const fromWarehouse = lines.filter((l) => l.source === 'warehouse');
    if (fromWarehouse.length > 0) {
      const r = await orders.registerReplenishmentOrder(m, clock, by, { storeId: p.storeId, lines: fromWarehouse.map((l) => ({ productId: l.productId, quantity: l.quantity })), source: 'proposal', proposalId: id });
      made.push({ kind: 'replenishment', id: r.id, number: r.number, supplierId: null, lines: fromWarehouse.length });
    }
    const bySupplier = new Map<string, typeof lines>();
    for (const l of lines.filter((x) => x.source === 'supplier')) bySupplier.set(l.supplierId!, [...(bySupplier.get(l.supplierId!) ?? []), l]);
    for (const [supplierId, ls] of bySupplier) {
      const r = await orders.createPurchaseOrderDraft(m, clock, by, { companyId: p.companyId, supplierId, deliverToLocationId: p.storeId, lines: ls.map((l) => ({ productId: l.productId, quantity: l.quantity })), proposalId: id });
      made.push({ kind: 'purchase', id: r.id, number: null, supplierId, lines: ls.length });
    }
    await repo.setOrders(m, id, JSON.stringify(made));
    await recordAudit(m, clock, { actor: actorOf(user), action: 'restock_proposal.confirm', entity: 'restock_proposal', entityId: id, companyId: p.companyId, storeId: p.storeId, after: { orders: made }, requestId: requestId ?? null });
  });
  return proposalDetail(ds, user, id);
}

// ---- alerts ----

export async function alerts(ds: DataSource, clock: Clock, user: AuthUser, q: { storeId?: string | undefined; weeks: number; limit: number }): Promise<Alerts> {
  let stores = await visibleStoreIds(ds, user);
  if (q.storeId) {
    await assertStore(ds, user, q.storeId);
    stores = [q.storeId];
  }
  const sinceWeek = addWeeks(weekOf(todayOf(clock)), -q.weeks);
  return {
    belowMinimum: await repo.belowMinimum(ds.manager, stores, q.limit),
    withoutSales: await repo.withoutSales(ds.manager, stores, sinceWeek, q.limit),
    sinceWeek,
  };
}

// ---- the rollup ----

/**
 * Recomputes `sales_week` from the ledger (all stores, or some), in one transaction: HQ only. The stores' demand
 * statistics stop being current (their proposals read the rollup straight until the next refresh).
 */
export async function rebuildRollup(ds: DataSource, storeIds: readonly string[] | null): Promise<number> {
  return writeTransaction(ds, async (m) => {
    const n = await repo.rebuildSalesWeeks(m, storeIds);
    await forgetDemand(m, storeIds);
    return n;
  });
}

/** The demand statistics brought to this week (demand.ts): the weekly job, and first thing in the proposals job. */
export async function refreshDemandStats(ds: DataSource, clock: Clock, o: RefreshOptions): Promise<Refreshed> {
  return refreshDemand(ds, clock, o, windowsOf);
}

export function assertHq(user: AuthUser) {
  if (!isFranchiseWide(user.role)) throw forbidden('Only HQ may rebuild the sales rollup or refresh the demand statistics.');
}
