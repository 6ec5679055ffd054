/**
 * Stock counts (RC) of a store or warehouse: full (every active product), or cycle (a category with its
 * sub-categories, or a product list). Counting is blind: the counting screen and its answers never carry the
 * expected quantity. Quantities are scanned (each scan adds the code's units: 1, or a pack's) or typed
 * (absolute); a till count lands here too (`submitTillCount`).
 *
 * Submitting: lines never counted were found empty (0); lines whose |counted − expected| exceeds the count's
 * threshold go back for a recount (first count kept, the recount blind as well) once; then `submitted`,
 * approved (`inventory.admin`), posted (`inventory.admin`).
 *
 * Sales during the count: the shelf was counted as it was when counting started (`started_at`), so what the
 * location should hold is `expected = on hand now − Σ movements since started_at` (sales, returns, receipts
 * that came after, this count's own excluded), and posting writes `count` movements of `counted − expected`
 * at the average of the moment: on hand after posting = counted + what moved since the count started. The
 * `expected` stored when the count started is kept for the record. The valuation difference is
 * Σ valueCents(difference, average) (half-up per line), stored on the count when posted.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { valueCents } from '@tpv/shared/inventory/cost';
import type { Count, CountInput, CountingLine, CountResultLine } from '@tpv/shared/wire/http/stock-operations';
import type { TillStockCount } from '@tpv/shared/wire/upward';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { auditActorOf, type DocumentActor } from '../platform/actor';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { allocateDocumentNumber } from '../platform/numbering';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import { averageCosts, locationsById, onHandAt, postStockMoves, type StockMove } from './ledger';
import { checkLineProducts, currentYear, listFilterOf, locationInScope, mayActAt } from './location-access';
import * as repo from './operations-repository';

const DOC = 'stock_count';
const STATUS_ES: Record<repo.CountRow['status'], string> = {
  counting: 'en recuento', recount: 'en segundo recuento', submitted: 'entregado', approved: 'aprobado', posted: 'contabilizado', cancelled: 'anulado',
};
const wrongState = (c: repo.CountRow, wanted: string) =>
  refused(409, c.status === 'posted' ? 'ALREADY_POSTED' : 'COUNT_STATE', `El recuento ${c.number} está ${STATUS_ES[c.status]}: no se puede ${wanted} / count is ${c.status}`);
const OPEN: ReadonlyArray<repo.CountRow['status']> = ['counting', 'recount'];

/** Where the count's location should be now, had nothing been lost: on hand − what moved since counting started. */
async function expectedNow(m: Db, c: repo.CountRow, productIds: readonly string[]): Promise<Map<string, number>> {
  const have = await onHandAt(m, c.locationId, productIds);
  const since = await repo.movedSince(m, c.locationId, c.startedAt, productIds, c.id);
  return new Map(productIds.map((p) => [p, (have.get(p) ?? 0) - (since.get(p) ?? 0)]));
}

async function load(ds: DataSource, m: Db, by: DocumentActor, id: string): Promise<repo.CountRow> {
  const c = await repo.countById(m, id);
  if (!c) throw notFound(`count ${id}`);
  const loc = (await locationsById(m, [c.locationId])).get(c.locationId)!;
  if (!(await mayActAt(ds, by, loc))) throw forbidden();
  return c;
}

/** Counted quantities (absolute) on a count still being counted; new products get a line (counting only). */
async function applyCounted(m: Db, c: repo.CountRow, lines: ReadonlyArray<{ productId: string; counted: number }>, mode: 'set' | 'add'): Promise<void> {
  if (!OPEN.includes(c.status)) throw wrongState(c, 'contar');
  const existing = await repo.countLines(m, c.id);
  const byProduct = new Map(existing.map((l) => [l.productId, l]));
  const fresh = lines.filter((l) => !byProduct.has(l.productId));
  if (fresh.length > 0) {
    if (c.status === 'recount') {
      throw refused(422, 'NOT_IN_RECOUNT', 'En el segundo recuento solo se cuentan las líneas pedidas / only the lines asked for are recounted', `lines.${lines.indexOf(fresh[0]!)}.productId`);
    }
    await checkLineProducts(m, fresh.map((l) => l.productId), (i) => `lines.${lines.indexOf(fresh[i]!)}.productId`);
    const have = await onHandAt(m, c.locationId, fresh.map((l) => l.productId));
    await repo.addCountLines(m, c.id, existing.length + 1, fresh.map((l) => ({ productId: l.productId, expected: have.get(l.productId) ?? 0, counted: l.counted })));
  }
  for (const [i, l] of lines.entries()) {
    const line = byProduct.get(l.productId);
    if (!line) continue;
    if (c.status === 'recount' && !line.recount) throw refused(422, 'NOT_IN_RECOUNT', 'Esta línea no se recuenta / this line is not being recounted', `lines.${i}.productId`);
    if (mode === 'set') await repo.setCounted(m, c.id, line.lineNo, l.counted);
    else await repo.addCounted(m, c.id, line.lineNo, l.counted);
  }
}

/** Makes a count (number, lines with on hand as expected) inside the caller's transaction. */
async function openCount(
  m: Db,
  clock: Clock,
  by: DocumentActor,
  loc: { id: string; companyId: string },
  input: { scope: repo.CountRow['scope']; categoryId: string | null; productIds: readonly string[]; recountThreshold: number; note: string | null },
  counted?: ReadonlyMap<string, number>,
): Promise<{ id: string; number: string }> {
  const id = newRowId(clock);
  const startedAt = new Date(clock.now()).toISOString();
  const { code } = await allocateDocumentNumber(m, loc.companyId, DOC, currentYear(clock.now()));
  await repo.insertCount(m, {
    id, number: code, companyId: loc.companyId, locationId: loc.id, scope: input.scope, categoryId: input.categoryId, recountThreshold: input.recountThreshold,
    note: input.note, createdBy: by.kind === 'user' ? by.user.id : null, startedAt,
  });
  const have = await onHandAt(m, loc.id, input.productIds);
  await repo.addCountLines(m, id, 1, input.productIds.map((p) => ({ productId: p, expected: have.get(p) ?? 0, counted: counted?.get(p) ?? null })));
  await recordAudit(m, clock, {
    actor: auditActorOf(by), action: 'stock_count.create', entity: 'stock_count', entityId: id, companyId: loc.companyId,
    storeId: by.kind === 'till' ? by.till.storeId : null,
    after: { number: code, locationId: loc.id, ...input, productIds: input.productIds.length, ...(by.kind === 'till' ? { terminalId: by.till.terminalId, staffId: by.staffId } : {}) },
  });
  return { id, number: code };
}

/**
 * A till's count (TillStockCount) in the caller's transaction: onto the open count it names (its store's,
 * still counting: the quantities replace what was counted), or a new product-list count of what it scanned.
 * Refusals throw an HttpProblem (409/422/403) whose message the till shows.
 */
export async function tillCount(ds: DataSource, m: Db, clock: Clock, by: DocumentActor, storeId: string, input: TillStockCount): Promise<{ id: string; number: string }> {
  if (input.countId) {
    const c = await load(ds, m, by, input.countId);
    if (c.locationId !== storeId) throw forbidden('Ese recuento es de otra tienda / that count belongs to another store.');
    await applyCounted(m, c, input.lines, 'set');
    await recordAudit(m, clock, { actor: auditActorOf(by), action: 'stock_count.counted', entity: 'stock_count', entityId: c.id, companyId: c.companyId, storeId, after: { lines: input.lines.length } });
    return { id: c.id, number: c.number };
  }
  const loc = (await locationsById(m, [storeId])).get(storeId);
  if (!loc || loc.kind !== 'store') throw notFound(`store ${storeId}`);
  const ids = input.lines.map((l) => l.productId);
  await checkLineProducts(m, ids, (i) => `lines.${i}.productId`);
  return openCount(m, clock, by, loc, { scope: 'products', categoryId: null, productIds: ids, recountThreshold: 0, note: null }, new Map(input.lines.map((l) => [l.productId, l.counted])));
}

export function createCountService(ds: DataSource, clock: Clock) {
  const now = () => new Date(clock.now()).toISOString();
  const user = (u: AuthUser): DocumentActor => ({ kind: 'user', user: u });
  const audit = (m: Db, u: AuthUser, c: repo.CountRow, action: string, after: unknown, requestId?: string) =>
    recordAudit(m, clock, { actor: { id: u.id, email: u.email }, action: `stock_count.${action}`, entity: 'stock_count', entityId: c.id, companyId: c.companyId, after, requestId: requestId ?? null });

  async function view(m: Db, c: repo.CountRow): Promise<Count> {
    const lines = await repo.countLines(m, c.id);
    const products = await repo.productsById(m, lines.map((l) => l.productId));
    const base = (l: repo.CountLineRow): CountingLine => {
      const p = products.get(l.productId);
      return { lineNo: l.lineNo, productId: l.productId, sku: p?.sku ?? '', name: p?.name ?? '', weighed: p?.weighed ?? false, counted: l.counted, recount: l.recount };
    };
    const { lineCount: _n, ...head } = c;
    // Blind while counting: no expected quantity, no difference, no value.
    if (OPEN.includes(c.status) || c.status === 'cancelled') return { ...head, valueDifferenceCents: null, lines: lines.map(base) };
    const ids = lines.map((l) => l.productId);
    const posted = c.status === 'posted';
    const expected = posted ? null : await expectedNow(m, c, ids);
    const avg = posted ? null : await averageCosts(m, c.companyId, ids);
    let total = 0;
    const out = lines.map((l): CountResultLine => {
      const counted = l.counted ?? 0;
      const difference = posted ? (l.postedDelta ?? 0) : counted - expected!.get(l.productId)!;
      const unitCostMicros = posted ? l.unitCostMicros : (avg!.get(l.productId) ?? null);
      const differenceCents = valueCents(difference, unitCostMicros ?? 0);
      total += differenceCents;
      return { ...base(l), expected: counted - difference, firstCounted: l.firstCounted, difference, unitCostMicros, differenceCents };
    });
    return { ...head, valueDifferenceCents: posted ? c.valueDifferenceCents : total, lines: out };
  }

  return {
    async list(u: AuthUser, q: { locationId?: string | undefined; status?: string | undefined; limit: number }) {
      return repo.listCounts(ds.manager, listFilterOf(u), q);
    },

    async detail(u: AuthUser, id: string): Promise<Count> {
      return view(ds.manager, await load(ds, ds.manager, user(u), id));
    },

    async create(u: AuthUser, body: CountInput, requestId?: string): Promise<Count> {
      const loc = await locationInScope(ds, ds.manager, user(u), body.locationId, 'locationId');
      let productIds: string[];
      if (body.scope === 'products') {
        productIds = body.productIds!;
        await checkLineProducts(ds.manager, productIds, (i) => `productIds.${i}`);
      } else {
        if (body.scope === 'category' && !(await repo.categoryExists(ds.manager, body.categoryId!))) throw refused(422, 'CATEGORY_UNKNOWN', 'Categoría desconocida / unknown category', 'categoryId');
        productIds = await repo.productsInScope(ds.manager, body.scope === 'category' ? body.categoryId! : null);
        if (productIds.length === 0) throw refused(422, 'NOTHING_TO_COUNT', 'No hay artículos activos que contar / no active products to count', body.scope === 'category' ? 'categoryId' : 'scope');
      }
      const { id } = await writeTransaction(ds, async (m) => {
        const made = await openCount(m, clock, user(u), loc, {
          scope: body.scope, categoryId: body.scope === 'category' ? body.categoryId! : null, productIds, recountThreshold: body.recountThreshold, note: body.note ?? null,
        });
        return made;
      });
      void requestId;
      return this.detail(u, id);
    },

    async setCounted(u: AuthUser, id: string, lines: Array<{ productId: string; counted: number }>, requestId?: string): Promise<Count> {
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        await applyCounted(m, c, lines, 'set');
        await audit(m, u, c, 'counted', { lines }, requestId);
      });
      return this.detail(u, id);
    },

    /** One scan (×times): the line it counted, blind. */
    async scan(u: AuthUser, id: string, code: string, times: number): Promise<CountingLine> {
      const hit = await repo.productOfCode(ds.manager, code);
      if (!hit) throw refused(422, 'CODE_UNKNOWN', `Código desconocido / unknown code ${code}`, 'code');
      // A weighed product is counted in grams: one read is not one unit, so its quantity is typed.
      if ((await repo.productsById(ds.manager, [hit.productId])).get(hit.productId)?.weighed) {
        throw refused(422, 'WEIGHED_PRODUCT', 'Artículo a peso: escribe los gramos contados / weighed product: type the grams counted', 'code');
      }
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        await applyCounted(m, c, [{ productId: hit.productId, counted: hit.units * times }], 'add');
      });
      const line = (await this.detail(u, id)).lines.find((l) => l.productId === hit.productId)!;
      const { lineNo, productId, sku, name, weighed, counted, recount } = line;
      return { lineNo, productId, sku, name, weighed, counted, recount };
    },

    /** Counting done: uncounted lines are 0; lines off by more than the threshold go back for one recount. */
    async submit(u: AuthUser, id: string, requestId?: string): Promise<Count> {
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        if (!OPEN.includes(c.status)) throw wrongState(c, 'entregar');
        await repo.uncountedToZero(m, id);
        const lines = await repo.countLines(m, id);
        let recount: number[] = [];
        if (c.status === 'counting') {
          const expected = await expectedNow(m, c, lines.map((l) => l.productId));
          recount = lines.filter((l) => Math.abs((l.counted ?? 0) - expected.get(l.productId)!) > c.recountThreshold).map((l) => l.lineNo);
        }
        if (recount.length > 0) {
          if (!(await repo.moveCount(m, id, ['counting'], 'recount'))) throw wrongState(c, 'entregar');
          await repo.askRecount(m, id, recount);
        } else if (!(await repo.moveCount(m, id, OPEN, 'submitted', { submitted_at: now() }))) throw wrongState(c, 'entregar');
        await audit(m, u, c, 'submit', { status: recount.length > 0 ? 'recount' : 'submitted', recountLines: recount }, requestId);
      });
      return this.detail(u, id);
    },

    async approve(u: AuthUser, id: string, requestId?: string): Promise<Count> {
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        if (!(await repo.moveCount(m, id, ['submitted'], 'approved', { approved_at: now(), approved_by: u.id }))) throw wrongState(c, 'aprobar');
        await audit(m, u, c, 'approve', { status: 'approved' }, requestId);
      });
      return this.detail(u, id);
    },

    /** `count` movements of counted − expected-now at the average; once (the status moves first). */
    async post(u: AuthUser, id: string, requestId?: string): Promise<Count> {
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        const at = now();
        if (!(await repo.moveCount(m, id, ['approved'], 'posted', { posted_at: at }))) throw wrongState(c, 'contabilizar');
        const lines = await repo.countLines(m, id);
        const ids = lines.map((l) => l.productId);
        const expected = await expectedNow(m, c, ids);
        const avg = await averageCosts(m, c.companyId, ids);
        const moves: StockMove[] = [];
        const delta = new Map<number, number>();
        for (const l of lines) {
          const d = (l.counted ?? 0) - expected.get(l.productId)!;
          delta.set(l.lineNo, d);
          if (d !== 0) moves.push({ locationId: c.locationId, productId: l.productId, delta: d, reason: 'count', documentType: DOC, documentId: id, documentLine: l.lineNo });
        }
        const r = await postStockMoves(m, clock, moves, { at, documentNumber: c.number });
        const cost = new Map(r.ok ? r.moves.map((x) => [x.documentLine, x.unitCostMicros]) : []);
        let total = 0;
        for (const l of lines) {
          const unit = cost.has(l.lineNo) ? cost.get(l.lineNo)! : (avg.get(l.productId) ?? null);
          total += valueCents(delta.get(l.lineNo)!, unit ?? 0);
          await repo.setCountLinePosted(m, id, l.lineNo, delta.get(l.lineNo)!, unit);
        }
        await repo.moveCount(m, id, ['posted'], 'posted', { value_difference_cents: total });
        await audit(m, u, c, 'post', { status: 'posted', valueDifferenceCents: total, moves: moves.length }, requestId);
      });
      return this.detail(u, id);
    },

    async cancel(u: AuthUser, id: string, requestId?: string): Promise<Count> {
      await writeTransaction(ds, async (m) => {
        const c = await load(ds, m, user(u), id);
        if (!(await repo.moveCount(m, id, ['counting', 'recount', 'submitted', 'approved'], 'cancelled'))) throw wrongState(c, 'anular');
        await audit(m, u, c, 'cancel', { status: 'cancelled' }, requestId);
      });
      return this.detail(u, id);
    },
  };
}
