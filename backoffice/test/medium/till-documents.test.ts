/**
 * The HQ end of the till's `documents` channel and `stock:lookup`, on both engines, through the real gateway
 * over socket.io with a test handler (the inventory use cases are their owners'): a document applies once
 * however often it is sent (the handler's write happens once, repeats get the first answer from
 * upward_document), a refusal is kept and repeated, a failing handler writes nothing and is answered retry,
 * documents are scoped to the token's terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProblem } from '@tpv/shared/problem';
import type { StockLookupReply, UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import type { UpwardHandlers } from '../../src/till/upward';
import { refused } from '../../src/platform/api';
import { all, exec } from '../../src/persistence/sql';
import { writeTransaction } from '../../src/persistence/raw';
import { postStockMoves } from '../../src/stock/ledger';
import { appendChange } from '../../src/persistence/change-log';
import { BACKOFFICE_MODULES, upwardHandlersOf } from '../../src/modules';
import { recordAudit } from '../../src/platform/audit';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const docId = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const [p1, p2] = F.products;

/** A count document of one product (the payload shape is the real one: the channel checks it). */
const countDoc = (n: number, counted = 5): UpwardDocument => ({
  id: docId(n), kind: 'stock.count', createdAt: '2026-11-30T10:00:00+01:00', payload: { lines: [{ productId: p1!.id, counted }] },
});

describe.each(engines)('till documents channel on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let t1: TerminalClient;
  let t3: TerminalClient;
  /** Calls of the test handler per document id (including the ones rolled back). */
  const calls = new Map<string, number>();
  let failNext = 0;

  // The test handler writes a real row in the channel's transaction (an audit entry per document), refuses a
  // count of 0 with a 4xx like a use case would, and fails (a database error) while `failNext` > 0.
  const handlers: UpwardHandlers = {
    'stock.count': async (m, ctx, till, doc) => {
      calls.set(doc.id, (calls.get(doc.id) ?? 0) + 1);
      await recordAudit(m, ctx.clock, { actor: null, action: 'till.count', entity: 'upward', entityId: doc.id, companyId: till.companyId, storeId: till.storeId });
      if (failNext > 0) {
        failNext--;
        throw new Error('database went away');
      }
      const counted = (doc.payload as { lines: Array<{ counted: number }> }).lines[0]!.counted;
      if (counted === 0) return { rejected: 'nada contado / nothing counted' };
      if (counted === 999) throw refused(409, 'COUNT_CLOSED', 'el recuento está cerrado / the count is closed');
      return { reference: `RC-2026-${String(calls.size).padStart(6, '0')}` };
    },
  };
  const wrapped: UpwardHandlers = {
    'stock.count': async (m, ctx, till, doc) => {
      try {
        return await handlers['stock.count']!(m, ctx, till, doc);
      } catch (e) {
        if (e instanceof HttpProblem) return { rejected: e.problem.detail ?? 'refused' };
        throw e;
      }
    },
  };

  const send = (t: TerminalClient, terminalId: string, documents: UpwardDocument[]) =>
    t.socket.timeout(10_000).emitWithAck('documents', { terminalId, documents }) as Promise<UpwardAck | { error: { code: string } }>;
  const audits = async (id: string) => (await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'upward' AND entity_id = ?`, [id])).map((r) => Number(r.n))[0];

  beforeAll(async () => {
    h = await startHarness(engine, clock, { upwardHandlers: wrapped });
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('applies a document once: the repeat gets the first answer and the handler never runs again', async () => {
    const first = (await send(t1, F.t1.id, [countDoc(1)])) as UpwardAck;
    expect(first.results).toEqual([{ id: docId(1), status: 'applied', reference: 'RC-2026-000001' }]);
    // The same document again (a lost ack), then within a batch with a new one.
    const again = (await send(t1, F.t1.id, [countDoc(1)])) as UpwardAck;
    expect(again.results).toEqual(first.results);
    const mixed = (await send(t1, F.t1.id, [countDoc(2), countDoc(1)])) as UpwardAck;
    expect(mixed.results.map((r) => [r.id, r.status, r.reference])).toEqual([
      [docId(2), 'applied', 'RC-2026-000002'],
      [docId(1), 'applied', 'RC-2026-000001'],
    ]);
    expect(calls.get(docId(1))).toBe(1);
    expect(await audits(docId(1))).toBe(1);
    const rows = await all<{ id: string; terminal_id: string; kind: string; status: string; reference: string }>(
      h.ds.manager, `SELECT id, terminal_id, kind, status, reference FROM upward_document ORDER BY id`);
    expect(rows).toEqual([
      { id: docId(1), terminal_id: F.t1.id, kind: 'stock.count', status: 'applied', reference: 'RC-2026-000001' },
      { id: docId(2), terminal_id: F.t1.id, kind: 'stock.count', status: 'applied', reference: 'RC-2026-000002' },
    ]);
  });

  it('keeps a refusal (and writes nothing of it): the repeat is refused the same way without running the handler', async () => {
    const r = (await send(t1, F.t1.id, [countDoc(3, 0), countDoc(4, 999)])) as UpwardAck;
    expect(r.results).toEqual([
      { id: docId(3), status: 'rejected', message: 'nada contado / nothing counted' },
      { id: docId(4), status: 'rejected', message: 'el recuento está cerrado / the count is closed' },
    ]);
    const again = (await send(t1, F.t1.id, [countDoc(3, 0)])) as UpwardAck;
    expect(again.results).toEqual([r.results[0]]);
    expect(calls.get(docId(3))).toBe(1);
    // The handler's audit row was rolled back with the refusal.
    expect(await audits(docId(3))).toBe(0);
    expect(await audits(docId(4))).toBe(0);
  });

  it('answers retry when the handler fails, writes nothing, and applies the document when it is sent again', async () => {
    failNext = 1;
    const r = (await send(t1, F.t1.id, [countDoc(5)])) as UpwardAck;
    expect(r.results[0]).toMatchObject({ id: docId(5), status: 'retry' });
    expect(await audits(docId(5))).toBe(0);
    expect((await all(h.ds.manager, `SELECT id FROM upward_document WHERE id = ?`, [docId(5)])).length).toBe(0);
    const again = (await send(t1, F.t1.id, [countDoc(5)])) as UpwardAck;
    expect(again.results[0]).toMatchObject({ id: docId(5), status: 'applied' });
    expect(calls.get(docId(5))).toBe(2);
    expect(await audits(docId(5))).toBe(1);
  });

  it('rejects a malformed payload without calling the handler, and answers retry for a kind no module takes', async () => {
    const bad: UpwardDocument = { id: docId(6), kind: 'stock.count', createdAt: '2026-11-30T10:00:00+01:00', payload: { lines: [] } };
    const request: UpwardDocument = { id: docId(7), kind: 'stock.replenishment_request', createdAt: '2026-11-30T10:00:00+01:00', payload: { lines: [{ productId: p2!.id, quantity: 6 }] } };
    const r = (await send(t1, F.t1.id, [bad, request])) as UpwardAck;
    expect(r.results[0]).toMatchObject({ id: docId(6), status: 'rejected' });
    expect(r.results[0]!.message).toMatch(/^lines/);
    expect(r.results[1]).toMatchObject({ id: docId(7), status: 'retry' });
    expect(calls.has(docId(6))).toBe(false);
  });

  it('scopes documents to the token’s terminal', async () => {
    // A batch naming another terminal is refused whole.
    const other = await send(t1, F.t3.id, [countDoc(8)]);
    expect(other).toEqual({ error: { code: 'UPWARD_WRONG_TERMINAL', message: expect.any(String), retry: false } });
    // Another till sending a document id this one used is not given its answer nor applied.
    const stolen = (await send(t3, F.t3.id, [countDoc(1)])) as UpwardAck;
    expect(stolen.results[0]).toMatchObject({ id: docId(1), status: 'rejected' });
    expect(stolen.results[0]!.reference).toBeUndefined();
    expect(calls.get(docId(1))).toBe(1);
    // And the handler sees the till's own store and company.
    await send(t3, F.t3.id, [countDoc(9)]);
    const [row] = await all<{ store_id: string; company_id: string }>(h.ds.manager, `SELECT store_id, company_id FROM audit_log WHERE entity_id = ?`, [docId(9)]);
    expect(row).toEqual({ store_id: F.storeV1.id, company_id: F.levante.id });
  });

  it('refuses a malformed batch whole', async () => {
    expect(await send(t1, F.t1.id, [])).toEqual({ error: { code: 'UPWARD_MALFORMED', message: expect.any(String), retry: false } });
  });

  it('stock:lookup: this store first, then its company, then the same city; incoming from the open delivery notes', async () => {
    // M001 and M002 are Ruiz's, V001 is Levante's; V001 is put in Madrid to be "nearby" for M001.
    await writeTransaction(h.ds, async (m) => {
      await exec(m, `UPDATE store SET city = 'Madrid', province = 'Madrid' WHERE id IN (?, ?)`, [F.storeM1.id, F.storeV1.id]);
      const move = (loc: string, delta: number, line: number) => ({ locationId: loc, productId: p1!.id, delta, reason: 'receipt' as const, documentType: 'test', documentId: '00000000-0000-7000-8010-0000000000aa', documentLine: line });
      await postStockMoves(m, clock, [move(F.storeM1.id, 4, 1), move(F.storeM2.id, 9, 2), move(F.storeV1.id, 12, 3)]);
      const note = (id: string, qty: number) => ({ id, number: `AL-2026-00000${qty}`, from: 'Almacén central', shippedAt: '2026-11-30T08:00:00Z', lines: [{ productId: p1!.id, sku: 'SKU1', name: 'Producto 1', quantity: qty }, { productId: p2!.id, sku: 'SKU2', name: 'Producto 2', quantity: 50 }] });
      const at = new Date(clock.now()).toISOString();
      // Two open notes for M001 (6 + 3 of p1), one received since (a delete), one for another store.
      await appendChange(m, { entity: 'delivery_note', entityId: 'dn-1', op: 'upsert', storeId: F.storeM1.id, payload: note('dn-1', 6), createdAt: at });
      await appendChange(m, { entity: 'delivery_note', entityId: 'dn-2', op: 'upsert', storeId: F.storeM1.id, payload: note('dn-2', 3), createdAt: at });
      await appendChange(m, { entity: 'delivery_note', entityId: 'dn-3', op: 'upsert', storeId: F.storeM1.id, payload: note('dn-3', 7), createdAt: at });
      await appendChange(m, { entity: 'delivery_note', entityId: 'dn-3', op: 'delete', storeId: F.storeM1.id, createdAt: at });
      await appendChange(m, { entity: 'delivery_note', entityId: 'dn-4', op: 'upsert', storeId: F.storeM2.id, payload: note('dn-4', 8), createdAt: at });
    });
    const r = (await t1.socket.timeout(10_000).emitWithAck('stock:lookup', { productId: p1!.id })) as StockLookupReply;
    expect(r).toEqual({
      productId: p1!.id,
      stores: [
        { storeId: F.storeM1.id, code: 'M001', name: 'Madrid 1', quantity: 4, thisStore: true },
        { storeId: F.storeM2.id, code: 'M002', name: 'Madrid 2', quantity: 9, thisStore: false },
        { storeId: F.storeV1.id, code: 'V001', name: 'València 1', quantity: 12, thisStore: false },
      ],
      incoming: 9,
    });
    // From V001 (Levante, not in Madrid any more): only itself.
    await writeTransaction(h.ds, (m) => exec(m, `UPDATE store SET city = 'València', province = 'València' WHERE id = ?`, [F.storeV1.id]));
    const v = (await t3.socket.timeout(10_000).emitWithAck('stock:lookup', { productId: p1!.id })) as StockLookupReply;
    expect(v.stores).toEqual([{ storeId: F.storeV1.id, code: 'V001', name: 'València 1', quantity: 12, thisStore: true }]);
    expect(v.incoming).toBe(0);
    expect(await t1.socket.timeout(10_000).emitWithAck('stock:lookup', { nope: 1 })).toMatchObject({ error: { code: 'LOOKUP_MALFORMED' } });
  });

  it('wires every till document kind to its owner’s use case, one owner each', () => {
    expect(Object.keys(upwardHandlersOf(BACKOFFICE_MODULES)).sort()).toEqual(['cash.close', 'crm.customer', 'office.notice_read', 'office.task_check', 'people.clock', 'privacy.consent', 'quality.incident', 'receipts.email', 'sales.void', 'stock.count', 'stock.delivery_receipt', 'stock.replenishment_request', 'vouchers.sale']);
    const owners = Object.fromEntries(BACKOFFICE_MODULES.flatMap((m) => Object.keys(m.upward ?? {}).map((k) => [k, m.id])));
    expect(owners).toEqual({ 'stock.count': 'stock', 'stock.delivery_receipt': 'replenishment', 'stock.replenishment_request': 'replenishment', 'privacy.consent': 'privacy', 'crm.customer': 'customers', 'vouchers.sale': 'vouchers', 'office.notice_read': 'office', 'office.task_check': 'office', 'people.clock': 'people', 'quality.incident': 'quality', 'receipts.email': 'receipts', 'sales.void': 'reports', 'cash.close': 'reports' });
  });
});
