/**
 * Inventory documents at the till against the in-memory back office (FakeHq speaks the `documents`
 * protocol with the real one's apply-once rule): the delivery_note feed entity lands in a local table,
 * documents made offline go up once HQ is back, a lost ack is resent and applied once, refusals are kept
 * with their message and never resent, `retry` answers are sent again, rows are never deleted, and the
 * stock lookup answers only online.
 */
import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { DeliveryNoteData, TillDeliveryReceipt } from '@tpv/shared/wire/upward';
import { createUuidV7 } from '@tpv/shared/ids';
import { SyncClient, type SyncClientOptions } from '../../src/sync';
import { createStockDocuments, type StockDocuments } from '../../src/stock/stock-documents';
import { createDocumentOutbox } from '../../src/sync/document-outbox';
import { createTerminalRepositories } from '../../src/persistence/repositories';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { FakeHq, type NewChange } from '../support/fake-hq';
import { identityFor, scratchPerFile, openTerminal, until } from './sync-fixtures';

const { tmp, cleanups } = scratchPerFile();
const clock = { now: () => Date.now() };
const quiet = () => undefined;
const staff = { id: 'staff-ana', name: 'Ana', role: 'cashier' as const };
const pid = (n: number) => `01900000-0000-7000-8000-0000000005${String(n).padStart(2, '0')}`;

const product = (n: number): NewChange => ({
  entity: 'product', id: pid(n), op: 'upsert',
  data: { id: pid(n), sku: `SKU${n}`, name: `Producto ${n}`, taxRateBp: 2100, weighed: false, priceCents: 100 * n, active: true },
});
const barcode = (code: string, n: number, units?: number): NewChange => ({ entity: 'barcode', id: code, op: 'upsert', data: { barcode: code, productId: pid(n), ...(units ? { units } : {}) } });
const note = (id: string, lines: Array<[number, number]>): DeliveryNoteData => ({
  id, number: `AL-2026-0000${id.slice(-2)}`, from: 'Almacén central', shippedAt: '2026-11-30T08:00:00Z',
  lines: lines.map(([n, quantity]) => ({ productId: pid(n), sku: `SKU${n}`, name: `Producto ${n}`, quantity })),
});
const noteChange = (d: DeliveryNoteData): NewChange => ({ entity: 'delivery_note', id: d.id, op: 'upsert', data: d });

async function hq(port = 0, previous?: FakeHq): Promise<FakeHq> {
  const h = new FakeHq();
  if (previous) h.adopt(previous);
  await h.listen(port);
  cleanups.push(() => h.close());
  return h;
}

async function till(n: number, h: FakeHq, extra: Partial<SyncClientOptions> = {}): Promise<{ ds: DataSource; db: SqliteHandle; sync: SyncClient; stock: StockDocuments }> {
  const t = await openTerminal(tmp.file(), identityFor(n));
  cleanups.push(async () => {
    if (t.ds.isInitialized) await t.ds.destroy();
  });
  h.addTerminal(identityFor(n));
  const token = h.issueToken(identityFor(n).terminalId);
  t.db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(JSON.stringify({ terminalId: identityFor(n).terminalId, token, pairedAt: new Date().toISOString() }));
  const sync = new SyncClient({ db: t.db, backofficeUrl: h.url, clock, appVersion: '0.1.0', log: quiet, pollMs: 20, backoff: { baseMs: 20, maxMs: 200 }, ackTimeoutMs: 2000, ...extra });
  cleanups.push(() => sync.stop());
  const stock = createStockDocuments({
    db: t.db, clock, newId: createUuidV7(clock, (k) => crypto.getRandomValues(new Uint8Array(k))), repos: createTerminalRepositories(t.db),
    queued: () => sync.notify(), lookup: (id) => sync.lookupStock(id, 1000),
  });
  return { ...t, sync, stock };
}

const outboxRows = (db: SqliteHandle) =>
  db.prepare<[], { id: string; kind: string; status: string; reference: string | null; message: string | null; attempts: number }>(
    'SELECT id, kind, status, reference, message, attempts FROM document_outbox ORDER BY created_at, id',
  ).all();

const applied = (h: FakeHq) => [...h.upward.values()].filter((u) => u.result.status === 'applied');

describe('till inventory documents', () => {
  it('keeps the delivery notes of the feed locally, receives one by scanning offline, and sends it once HQ is back', async () => {
    const h0 = await hq();
    h0.publish([product(1), product(2), product(3), barcode('8410001', 1), barcode('8410002', 2, 6), noteChange(note('dn-01', [[1, 10], [2, 12]])), noteChange(note('dn-02', [[3, 4]]))]);
    const t = await till(1, h0);
    await t.sync.start();
    await until(() => t.stock.expectedDeliveries().length === 2, 5000, 'delivery notes pulled');
    const [first] = t.stock.expectedDeliveries();
    expect(first).toMatchObject({ id: 'dn-01', number: 'AL-2026-000001', from: 'Almacén central' });
    expect(first!.lines).toEqual([
      { productId: pid(1), sku: 'SKU1', name: 'Producto 1', quantity: 10, barcodes: ['8410001'] },
      { productId: pid(2), sku: 'SKU2', name: 'Producto 2', quantity: 12, barcodes: ['8410002'] },
    ]);
    // A pack barcode counts its units; a SKU typed counts one.
    expect(t.stock.scan('8410002')).toEqual({ ok: true, value: { productId: pid(2), sku: 'SKU2', name: 'Producto 2', units: 6 } });
    expect(t.stock.scan('SKU3')).toMatchObject({ ok: true, value: { productId: pid(3), units: 1 } });
    expect(t.stock.scan('000')).toMatchObject({ ok: false, error: { code: 'BARCODE_UNKNOWN' } });

    // HQ goes away; the store receives dn-01 (one of product 1 short, one damaged, an extra product 3) and counts.
    const port = h0.port;
    await h0.close();
    await until(() => !t.sync.status().online, 5000, 'offline');
    const receipt = t.stock.receiveDelivery(staff, 'dn-01', [{ productId: pid(1), received: 8, damaged: 1 }, { productId: pid(3), received: 2 }]);
    expect(receipt.ok).toBe(true);
    // Product 2 was not scanned at all: it is in the receipt as 0 received.
    const sent = receipt.ok ? (receipt.value.payload as TillDeliveryReceipt) : undefined;
    expect(sent).toEqual({
      deliveryNoteId: 'dn-01', staffId: 'staff-ana',
      lines: [{ productId: pid(1), received: 8, damaged: 1 }, { productId: pid(2), received: 0 }, { productId: pid(3), received: 2 }],
    });
    // It leaves the expected list at once and cannot be received twice here.
    expect(t.stock.expectedDeliveries().map((d) => d.id)).toEqual(['dn-02']);
    expect(t.stock.receiveDelivery(staff, 'dn-01', [{ productId: pid(1), received: 10 }])).toMatchObject({ ok: false, error: { code: 'DELIVERY_ALREADY_RECEIVED' } });
    expect(t.stock.submitCount(staff, { lines: [{ productId: pid(1), counted: 17 }] }).ok).toBe(true);
    expect(t.stock.requestReplenishment(staff, { lines: [{ productId: pid(2), quantity: 24 }], note: 'para el sábado' }).ok).toBe(true);
    expect(t.sync.status().documents).toMatchObject({ pending: 3, rejected: 0 });
    expect(await t.stock.availability(pid(1))).toBeNull();

    const h = await hq(port, h0);
    await until(() => t.sync.status().documents.pending === 0, 15_000, 'documents drained after HQ came back');
    expect(applied(h).map((u) => u.doc.kind)).toEqual(['stock.delivery_receipt', 'stock.count', 'stock.replenishment_request']);
    expect(applied(h)[0]!.doc.payload).toEqual(sent);
    expect(h.documentsReceived).toBe(3);
    expect(outboxRows(t.db).map((r) => [r.kind, r.status, r.reference])).toEqual([
      ['stock.delivery_receipt', 'applied', 'stock.delivery_receipt #1'],
      ['stock.count', 'applied', 'stock.count #2'],
      ['stock.replenishment_request', 'applied', 'stock.replenishment_request #3'],
    ]);

    // HQ received the note and the feed deletes it: the local row goes.
    h.publish([{ entity: 'delivery_note', id: 'dn-01', op: 'delete' }]);
    const noteRows = t.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM delivery_note WHERE id = 'dn-01'`);
    await until(() => noteRows.get()!.n === 0, 5000, 'note deleted');
    // Online now: the stock lookup answers.
    h.stockLookup = (productId) => ({ productId, stores: [{ storeId: 's1', code: 'M001', name: 'Madrid 1', quantity: 7, thisStore: true }], incoming: 4 });
    expect(await t.stock.availability(pid(1))).toEqual({ productId: pid(1), stores: [{ storeId: 's1', code: 'M001', name: 'Madrid 1', quantity: 7, thisStore: true }], incoming: 4 });
  });

  it('a lost ack: the document is sent again and applied once; the till records the first answer', async () => {
    const h = await hq();
    h.publish([product(1)]);
    const t = await till(2, h, { ackTimeoutMs: 300 });
    h.swallowDocumentAcks = true;
    await t.sync.start();
    await until(() => t.sync.status().online && t.sync.status().catalog.version === 1, 5000, 'online');
    const doc = t.stock.submitCount(staff, { lines: [{ productId: pid(1), counted: 3 }] });
    expect(doc.ok).toBe(true);
    await until(() => h.documentsReceived >= 2, 10_000, 'sent again after the lost ack');
    h.swallowDocumentAcks = false;
    await until(() => t.sync.status().documents.pending === 0, 10_000, 'answered');
    expect(h.upward.size).toBe(1);
    expect(outboxRows(t.db)).toEqual([expect.objectContaining({ status: 'applied', reference: 'stock.count #1' })]);
    expect(outboxRows(t.db)[0]!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('keeps a refused document with its message and does not resend it; resends a retry until it applies', async () => {
    const h = await hq();
    h.publish([product(1), product(2)]);
    let retries = 2;
    h.decideDocument = (d) => {
      const first = (d.payload as { lines: Array<{ productId: string }> }).lines[0]!.productId;
      if (first === pid(2)) return { status: 'rejected', message: 'producto no servido desde el almacén / not supplied by the warehouse' };
      if (retries-- > 0) return { status: 'retry', message: 'busy' };
      return { status: 'applied', reference: 'PR-2026-000001 registrado / registered' };
    };
    const t = await till(3, h);
    await t.sync.start();
    await until(() => t.sync.status().catalog.version === 2, 5000, 'catalogue');
    t.stock.requestReplenishment(staff, { lines: [{ productId: pid(2), quantity: 5 }] });
    t.stock.requestReplenishment(staff, { lines: [{ productId: pid(1), quantity: 5 }] });
    await until(() => t.sync.status().documents.pending === 0, 10_000, 'answered');
    const rows = outboxRows(t.db);
    expect(rows.map((r) => [r.status, r.reference, r.message])).toEqual([
      ['rejected', null, 'producto no servido desde el almacén / not supplied by the warehouse'],
      ['applied', 'PR-2026-000001 registrado / registered', null],
    ]);
    expect(rows[1]!.attempts).toBe(3);
    expect(t.sync.status().documents).toMatchObject({ pending: 0, rejected: 1 });
    const received = h.documentsReceived;
    t.stock.submitCount(staff, { lines: [{ productId: pid(1), counted: 1 }] });
    await until(() => t.sync.status().documents.pending === 0, 10_000, 'next document');
    // Only the new one went up: the refused one is not resent.
    expect(h.documentsReceived).toBe(received + 1);
    // Rows are never deleted nor rewritten.
    expect(() => t.db.prepare('DELETE FROM document_outbox').run()).toThrow(/TPV_IMMUTABLE/);
    expect(() => t.db.prepare(`UPDATE document_outbox SET payload = '{}'`).run()).toThrow(/TPV_IMMUTABLE/);
  });

  it('refuses bad input at the till with nothing written', async () => {
    const h = await hq();
    h.publish([product(1), noteChange(note('dn-05', [[1, 3]]))]);
    const t = await till(4, h);
    await t.sync.start();
    await until(() => t.stock.expectedDeliveries().length === 1, 5000, 'note');
    expect(t.stock.receiveDelivery(staff, 'dn-99', [])).toMatchObject({ ok: false, error: { code: 'DELIVERY_NOTE_UNKNOWN' } });
    expect(t.stock.receiveDelivery(staff, 'dn-05', [{ productId: pid(9), received: 1 }])).toMatchObject({ ok: false, error: { code: 'PRODUCT_UNKNOWN' } });
    expect(t.stock.submitCount(staff, { lines: [{ productId: pid(1), counted: -1 }] })).toMatchObject({ ok: false, error: { code: 'DOCUMENT_INVALID' } });
    expect(t.stock.requestReplenishment(staff, { lines: [] })).toMatchObject({ ok: false, error: { code: 'DOCUMENT_INVALID' } });
    expect(outboxRows(t.db)).toEqual([]);
    expect(t.stock.expectedDeliveries()).toHaveLength(1);
  });

  it('lists the stock documents only: a busy afternoon of voids (issue 18) does not push a count out of the screen', async () => {
    const h = await hq();
    h.publish([product(1)]);
    const t = await till(5, h);
    await t.sync.start();
    await until(() => t.db.prepare('SELECT 1 FROM product WHERE id = ?').get(pid(1)) !== undefined, 5000, 'product');
    const count = t.stock.submitCount(staff, { lines: [{ productId: pid(1), counted: 4 }] });
    expect(count.ok).toBe(true);
    const outbox = createDocumentOutbox(t.db);
    for (let i = 0; i < 12; i++) {
      const at = new Date(Date.now() + (i + 1) * 1000).toISOString();
      outbox.enqueue({ id: `void-${i}`, kind: 'sales.void', createdAt: at, payload: { cartId: 'c', lineId: String(i), productId: pid(1), cashierId: staff.id, cashierName: staff.name, authorisedBy: 'sup', cents: 100, cartEmptied: false, at } });
    }
    expect(t.stock.documents(10).map((d) => d.kind)).toEqual(['stock.count']);
    expect(outbox.recent(10).every((d) => d.kind === 'sales.void')).toBe(true);
  });
});
