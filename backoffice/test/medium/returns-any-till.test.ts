/**
 * Returns at any till of the company, back-office side, over real socket.io on both engines: a till asks HQ
 * (`ticket:lookup`) for a ticket sold at another till or store of its company by fiscal number, receipt
 * barcode, QR URL or id, and gets its lines with what is still returnable net of every credit note ingested
 * from any till; a till of another company never sees it; an over-return from an offline till is stored
 * (nothing lost) and flagged in the review queue; the returned units go back to the returning store's stock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { EVENTS } from '@tpv/shared/wire/sync-protocol';
import { TicketLookupReplySchema, type TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import * as bo from '../../src/persistence/entities';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';

/** A second-store till of the same company (Madrid 2). */
const t4 = { id: '00000000-0000-7000-8003-000000000004', code: '01', installation: 'M002-01' };

async function lookup(t: TerminalClient, q: unknown): Promise<TicketLookupReply> {
  const raw: unknown = await t.socket.timeout(10_000).emitWithAck(EVENTS.ticketLookup, q);
  return TicketLookupReplySchema.parse(raw);
}

async function stockOf(ds: DataSource, storeId: string, productId: string): Promise<number> {
  const rows = (await ds.query(`SELECT quantity FROM stock_level WHERE location_id = '${storeId}' AND product_id = '${productId}'`)) as Array<{ quantity: number | string }>;
  return Number(rows[0]?.quantity ?? 0);
}

async function anomalies(ds: DataSource): Promise<Array<{ ticket_id: string; code: string; reason: string; terminal_id: string }>> {
  return (await ds.query(`SELECT ticket_id, code, reason, terminal_id FROM ingest_review WHERE kind = 'anomaly' ORDER BY created_at`)) as Array<{
    ticket_id: string;
    code: string;
    reason: string;
    terminal_id: string;
  }>;
}

describe.each(engines)('returns at any till on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const tills: Record<'t1' | 't2' | 't3' | 't4', TerminalClient> = {} as never;
  const f1 = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 21);
  const f2 = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 22);
  const f4 = factoryFor(t4, F.storeM2, F.ruiz.nif, 24);
  const unitProduct = F.products[0]!;
  const weighedProduct = F.products[3]!;
  let sale: TicketDocument;

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.ds.getRepository(bo.TerminalEntity).insert({
      id: t4.id, storeId: F.storeM2.id, code: t4.code, name: 'Caja 01', installation: t4.installation, tokenHash: null, pairingCodeHash: null,
      pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
    });
    for (const [k, t] of [['t1', F.t1], ['t2', F.t2], ['t3', F.t3], ['t4', t4]] as const) tills[k] = await connectTerminal(h.url, t.id, await h.pair(t.id));
    sale = f1.sale({ lines: [{ product: unitProduct, units: 3 }, { product: weighedProduct, grams: 500 }], payment: 'cash' });
    expect((await tills.t1.send([sale])).ackedSeq).toBe(1);
  });
  afterAll(async () => {
    for (const t of Object.values(tills)) t.close();
    await h?.teardown();
  });

  it('finds a ticket of another till of the store by fiscal number, printed number, receipt barcode, QR URL and id', async () => {
    const unpadded = sale.fiscalNumber.replace(/\/0+/, '/');
    const qr = `https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=${F.ruiz.nif}&numserie=${encodeURIComponent(sale.fiscalNumber)}&fecha=23-11-2026&importe=1.00`;
    for (const q of [sale.fiscalNumber, unpadded, ` ${sale.fiscalNumber} `, qr, sale.id]) {
      const r = await lookup(tills.t2, { q });
      expect(r.found, q).toBe(true);
      if (!r.found) continue;
      expect(r.ticket.id).toBe(sale.id);
      expect(r.origin).toMatchObject({ terminalId: F.t1.id, terminalCode: '01', storeId: F.storeM1.id, storeCode: 'M001' });
      expect(r.lines).toEqual([
        { lineId: sale.lines[0]!.id, sold: 3, returned: 0, returnable: 3 },
        { lineId: sale.lines[1]!.id, sold: 500, returned: 0, returnable: 500 },
      ]);
      expect(r.returns).toEqual([]);
    }
  });

  it('a till of another store of the same company finds it too; a till of another company never does', async () => {
    expect((await lookup(tills.t4, { q: sale.fiscalNumber })).found).toBe(true);
    for (const q of [sale.fiscalNumber, sale.id]) {
      expect(await lookup(tills.t3, { q })).toMatchObject({ found: false, code: 'TICKET_UNKNOWN' });
    }
  });

  it('answers a malformed question with QUERY_MALFORMED', async () => {
    for (const q of [{ q: 'hello' }, { q: '' }, 'M00101-26T/000001', null, { q: 'x'.repeat(600) }, { q: sale.fiscalNumber, extra: 1 }]) {
      expect(await lookup(tills.t2, q)).toMatchObject({ found: false, code: 'QUERY_MALFORMED' });
    }
  });

  it('counts credit notes from every till: returnable quantities drop, the units go back to the returning store', async () => {
    const m1Before = await stockOf(h.ds, F.storeM1.id, unitProduct.id);
    const m2Before = await stockOf(h.ds, F.storeM2.id, unitProduct.id);
    const r2 = f2.returnOf(sale, 0, 1);
    expect(r2.fiscal.rectified).toEqual({ invoiceNumber: sale.fiscalNumber, issueDate: sale.fiscal.issueDate });
    expect(await tills.t2.send([r2])).toEqual({ terminalId: F.t2.id, ackedSeq: 1 });
    const seen = await lookup(tills.t4, { q: sale.fiscalNumber });
    expect(seen.found && seen.lines[0]).toEqual({ lineId: sale.lines[0]!.id, sold: 3, returned: 1, returnable: 2 });
    const r4 = f4.returnOf(sale, 1, 200, seen.found ? seen.returns.flatMap((n) => n.lines) : []);
    expect(await tills.t4.send([r4])).toEqual({ terminalId: t4.id, ackedSeq: 1 });
    const r4u = f4.returnOf(sale, 0, 1, [{ lineId: sale.lines[0]!.id, quantity: { kind: 'units', units: -1 } }]);
    expect((await tills.t4.send([r4u])).ackedSeq).toBe(2);
    // A second part of the weighed line: its gross telescopes after the 200 g (returnedBefore), and HQ's
    // arithmetic check re-prices it the same way (applied, not rejected).
    const r2w = f2.returnOf(sale, 1, 150, [{ lineId: sale.lines[1]!.id, quantity: { kind: 'weight', grams: -200 } }]);
    expect(r2w.lines[0]!.returnOf).toEqual({ ticketId: sale.id, lineId: sale.lines[1]!.id, returnedBefore: 200 });
    expect(await tills.t2.send([r2w])).toEqual({ terminalId: F.t2.id, ackedSeq: 2 });
    const after = await lookup(tills.t1, { q: sale.id });
    expect(after.found).toBe(true);
    if (!after.found) return;
    expect(after.lines.map((l) => [l.returned, l.returnable])).toEqual([
      [2, 1],
      [350, 150],
    ]);
    expect(after.returns.map((n) => [n.fiscalNumber, n.terminalId])).toEqual([
      [r2.fiscalNumber, F.t2.id],
      [r4.fiscalNumber, t4.id],
      [r4u.fiscalNumber, t4.id],
      [r2w.fiscalNumber, F.t2.id],
    ]);
    // Sold in Madrid 1; one unit back at Madrid 1 (till 2), one at Madrid 2 (till 4).
    expect(await stockOf(h.ds, F.storeM1.id, unitProduct.id)).toBe(m1Before + 1);
    expect(await stockOf(h.ds, F.storeM2.id, unitProduct.id)).toBe(m2Before + 1);
    await h.server.returns.idle();
    expect(await anomalies(h.ds)).toEqual([]);
  });

  it('a credit note from another company against this ticket is stored, flagged, and never counted', async () => {
    const f3 = factoryFor(F.t3, F.storeV1, F.levante.nif, 23);
    const forged = f3.returnOf(sale, 0, 1);
    expect((await tills.t3.send([forged])).ackedSeq).toBe(1);
    await h.server.returns.idle();
    expect((await anomalies(h.ds)).map((a) => [a.ticket_id, a.code, a.terminal_id])).toEqual([[forged.id, 'RETURN_ORIGINAL_FOREIGN_COMPANY', F.t3.id]]);
    const r = await lookup(tills.t2, { q: sale.fiscalNumber });
    expect(r.found && r.lines[0]).toEqual({ lineId: sale.lines[0]!.id, sold: 3, returned: 2, returnable: 1 });
    expect(r.found && r.returns.map((n) => n.id)).not.toContain(forged.id);
  });

  it('keeps an over-return from an offline till and flags it for review', async () => {
    // Till 1, offline, knew none of the other tills' credit notes: it refunds all 3 units (1 was left).
    const offline = f1.returnOf(sale, 0, 3);
    const ack = await tills.t1.send([offline]);
    expect(ack).toEqual({ terminalId: F.t1.id, ackedSeq: 2 });
    await h.server.returns.idle();
    const flagged = (await anomalies(h.ds)).filter((a) => a.code === 'RETURN_EXCEEDS_SOLD');
    expect(flagged.map((a) => [a.ticket_id, a.code, a.terminal_id])).toEqual([[offline.id, 'RETURN_EXCEEDS_SOLD', F.t1.id]]);
    expect(flagged[0]!.reason).toContain(`line ${sale.lines[0]!.id}: 5 returned of 3 sold`);
    const r = await lookup(tills.t2, { q: sale.fiscalNumber });
    expect(r.found && r.lines[0]).toEqual({ lineId: sale.lines[0]!.id, sold: 3, returned: 5, returnable: 0 });
    const stored = (await h.ds.query(`SELECT COUNT(*) AS n FROM sale_ticket WHERE id = '${offline.id}'`)) as Array<{ n: number | string }>;
    expect(Number(stored[0]!.n)).toBe(1);
  });
});
