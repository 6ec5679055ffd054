/**
 * A delivery received by scanning at one till of a store (a `stock.delivery_receipt` document through the real
 * channel and the replenishment module's handler) deletes the note from the store's change feed; once that is
 * committed, the store's other tills are nudged (`catalog:changed` with the delete's version) like the HTTP
 * receive does, and their pull shows the delete. A till of another store is not nudged. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangePageSchema } from '@tpv/shared/wire/sync';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const OPENING = '00000000-0000-7000-8010-0000000000b1';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const [p1] = F.products;

/** The next `catalog:changed` of a till with at least `version`, or null when none came within `ms`. */
function nudgeAtLeast(t: TerminalClient, version: number, ms = 5000): Promise<{ version: number } | null> {
  return new Promise((resolve) => {
    const on = (v: { version: number }) => {
      if (v.version < version) return;
      clearTimeout(timer);
      t.socket.off('catalog:changed', on);
      resolve(v);
    };
    const timer = setTimeout(() => (t.socket.off('catalog:changed', on), resolve(null)), ms);
    t.socket.on('catalog:changed', on);
  });
}

describe.each(engines)('delivery received at the till nudges the store on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let t1: TerminalClient;
  let t2: TerminalClient;
  let t3: TerminalClient;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await exec(h.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)`, [WAREHOUSE, F.franchisor.id]);
    await writeTransaction(h.ds, (m) =>
      postStockMoves(m, clock, [{ documentType: 'test', documentId: OPENING, documentLine: 1, locationId: WAREHOUSE, productId: p1!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 2_000_000 }]),
    );
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t2 = await connectTerminal(h.url, F.t2.id, await h.pair(F.t2.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    t1?.close();
    t2?.close();
    t3?.close();
    await h?.teardown();
  });

  it('nudges the store’s tills after the receipt commits, with the version of the note’s delete', async () => {
    const hq = await h.login(F.hq);
    const m1 = await h.login(F.managerM1);
    expect((await h.api('PUT', '/api/wholesale-prices', { token: hq, body: { prices: [{ productId: p1!.id, priceCents: 350 }] } })).status).toBe(200);
    const reg = await h.api('POST', '/api/replenishment-orders', { token: m1, body: { storeId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 4 }] } });
    const orderId = reg.body.id as string;
    await h.api('POST', `/api/replenishment-orders/${orderId}/approve`, { token: hq });
    await h.api('POST', `/api/replenishment-orders/${orderId}/picking`, { token: hq });
    const shipped = await h.api('POST', `/api/replenishment-orders/${orderId}/ship`, { token: hq });
    expect(shipped.status).toBe(200);
    const noteId = shipped.body.id as string;
    const [upsert] = await all<{ version: unknown }>(h.ds.manager, `SELECT version FROM change_log WHERE entity = 'delivery_note' AND entity_id = ? AND op = 'upsert'`, [noteId]);
    const shippedAt = Number(upsert!.version);

    // M001-02 and V001-01 wait for a nudge past the ship; M001-01 scans the delivery (3 of 4) and sends it up.
    const atM2 = nudgeAtLeast(t2, shippedAt + 1);
    const atV1 = nudgeAtLeast(t3, shippedAt + 1, 1500);
    const doc: UpwardDocument = {
      id: '01900000-0000-7000-8000-0000000000d1', kind: 'stock.delivery_receipt', createdAt: '2026-11-30T10:00:00+01:00',
      payload: { deliveryNoteId: noteId, lines: [{ productId: p1!.id, received: 3 }] },
    };
    const ack = (await t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [doc] })) as UpwardAck;
    expect(ack.results).toEqual([{ id: doc.id, status: 'applied', reference: `${shipped.body.number} recibido` }]);

    const [del] = await all<{ version: unknown }>(h.ds.manager, `SELECT version FROM change_log WHERE entity = 'delivery_note' AND entity_id = ? AND op = 'delete'`, [noteId]);
    expect(await atM2).toEqual({ version: Number(del!.version) });
    expect(await atV1).toBeNull();
    // What the nudged till pulls: the note's delete.
    const page = ChangePageSchema.parse(await t2.socket.timeout(10_000).emitWithAck('catalog:pull', { sinceVersion: shippedAt }));
    expect(page.changes.filter((c) => c.entity === 'delivery_note').map((c) => [c.id, c.op])).toEqual([[noteId, 'delete']]);

    // The repeat (a lost ack) is answered from upward_document and writes nothing more to the feed.
    const again = (await t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [doc] })) as UpwardAck;
    expect(again.results).toEqual(ack.results);
    expect((await all(h.ds.manager, `SELECT version FROM change_log WHERE entity = 'delivery_note' AND entity_id = ?`, [noteId])).length).toBe(2);
  });
});
