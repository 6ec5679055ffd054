/**
 * Inventory at the till (issue 11): receiving a delivery note by scanning, counting by scanning, asking for
 * replenishment — each a document written to `document_outbox` in the till's own transaction (so it works
 * offline and goes up exactly once: sync/document-pump.ts), and the stock of a product here and nearby,
 * asked of the back office when online.
 *
 * A delivery receipt says, per product, how many good units arrived (`received`) and how many arrived
 * damaged (`damaged`, counted apart, not in `received`); every line of the note is sent (0 when nothing
 * came), plus products that came and were not on the note. The note is marked received here in the same
 * transaction, so it leaves the list of expected deliveries at once; the feed deletes it once HQ has it.
 */
import type { Clock } from '@tpv/shared/clock';
import type { StockLookupReply, TillDeliveryReceipt, TillReplenishmentRequest, TillStockCount, UpwardKind } from '@tpv/shared/wire/upward';
import { TillDeliveryReceiptSchema, TillReplenishmentRequestSchema, TillStockCountSchema } from '@tpv/shared/wire/upward';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import type { TerminalRepositories } from '../persistence/repositories';
import { createDocumentOutbox, type OutboxDocument } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from '../people/pins';

export interface DeliveryNoteLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  /** Barcodes of the product here (the screen matches scans against them offline). */
  barcodes: string[];
}

export interface ExpectedDelivery {
  id: string;
  number: string;
  from: string;
  shippedAt: string;
  lines: DeliveryNoteLine[];
  receivedAt: string | null;
}

export interface ScannedProduct {
  productId: string;
  sku: string;
  name: string;
  /** Units one scan counts (a pack barcode counts its units). */
  units: number;
}

export interface StockDocuments {
  expectedDeliveries(): ExpectedDelivery[];
  deliveryNote(id: string): Result<ExpectedDelivery, Failure>;
  scan(code: string): Result<ScannedProduct, Failure>;
  receiveDelivery(by: StaffMember, deliveryNoteId: string, lines: TillDeliveryReceipt['lines']): Result<OutboxDocument, Failure>;
  submitCount(by: StaffMember, input: Omit<TillStockCount, 'staffId'>): Result<OutboxDocument, Failure>;
  requestReplenishment(by: StaffMember, input: Omit<TillReplenishmentRequest, 'staffId'>): Result<OutboxDocument, Failure>;
  /** The latest stock documents (deliveries received, counts, requests), newest first. */
  documents(limit: number): OutboxDocument[];
  /** Stock here and nearby: the back office's answer, or null when offline. */
  availability(productId: string): Promise<StockLookupReply | null>;
}

export interface StockDocumentsOptions {
  db: SqliteHandle;
  clock: Clock;
  newId: () => string;
  repos: Pick<TerminalRepositories, 'findProductByBarcode' | 'barcodeUnits'>;
  /** A document was committed: wake the pump (main.ts: sync.notify()). */
  queued?: () => void;
  /** `stock:lookup` through the sync client (main.ts); absent or null: offline. */
  lookup?: (productId: string) => Promise<StockLookupReply | null>;
}

interface NoteRow {
  id: string;
  number: string;
  from_name: string;
  shipped_at: string;
  lines: string;
  received_at: string | null;
}

export function createStockDocuments(o: StockDocumentsOptions): StockDocuments {
  const db = o.db;
  const outbox = createDocumentOutbox(db);
  const nowIso = () => new Date(o.clock.now()).toISOString();
  const openNotes = db.prepare<[], NoteRow>('SELECT * FROM delivery_note WHERE received_at IS NULL ORDER BY shipped_at, number');
  const noteById = db.prepare<[string], NoteRow>('SELECT * FROM delivery_note WHERE id = ?');
  const markReceived = db.prepare<[string, string, string]>('UPDATE delivery_note SET received_at = ?, receipt_document_id = ? WHERE id = ? AND received_at IS NULL');
  const barcodesOf = db.prepare<[string], { barcode: string }>('SELECT barcode FROM product_barcode WHERE product_id = ? ORDER BY barcode');
  const productBySku = db.prepare<[string], { id: string; sku: string; name: string }>('SELECT id, sku, name FROM product WHERE sku = ?');
  const productById = db.prepare<[string], { id: string }>('SELECT id FROM product WHERE id = ?');

  const toDelivery = (r: NoteRow): ExpectedDelivery => {
    const lines = JSON.parse(r.lines) as Array<Omit<DeliveryNoteLine, 'barcodes'>>;
    return {
      id: r.id, number: r.number, from: r.from_name, shippedAt: r.shipped_at, receivedAt: r.received_at,
      lines: lines.map((l) => ({ ...l, barcodes: barcodesOf.all(l.productId).map((b) => b.barcode) })),
    };
  };

  const enqueue = (kind: UpwardKind, payload: unknown, also?: (id: string) => void): OutboxDocument => {
    const id = o.newId();
    db.transaction(() => {
      outbox.enqueue({ id, kind, createdAt: nowIso(), payload });
      also?.(id);
    })();
    o.queued?.();
    return outbox.get(id)!;
  };

  /** The schema's own check, as a field-level 400 the screen can show. */
  const checked = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } } }, v: unknown): Result<T, Failure> => {
    const r = schema.safeParse(v);
    if (r.success) return ok(r.data);
    return failure('DOCUMENT_INVALID', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
      errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  };
  const unknownProduct = (ids: readonly string[]) => ids.find((id) => !productById.get(id));

  return {
    expectedDeliveries: () => openNotes.all().map(toDelivery),
    deliveryNote(id) {
      const r = noteById.get(id);
      return r ? ok(toDelivery(r)) : failure('DELIVERY_NOTE_UNKNOWN', `no delivery note ${id} for this store`);
    },
    scan(code) {
      const c = code.trim();
      const p = o.repos.findProductByBarcode(c);
      if (p) return ok({ productId: p.id, sku: p.sku, name: p.name, units: o.repos.barcodeUnits(c) ?? 1 });
      const bySku = productBySku.get(c);
      if (bySku) return ok({ productId: bySku.id, sku: bySku.sku, name: bySku.name, units: 1 });
      return failure('BARCODE_UNKNOWN', `no product with barcode ${c}`, { barcode: c });
    },
    receiveDelivery(by, deliveryNoteId, lines) {
      const note = noteById.get(deliveryNoteId);
      if (!note) return failure('DELIVERY_NOTE_UNKNOWN', `no delivery note ${deliveryNoteId} for this store`);
      if (note.received_at) return failure('DELIVERY_ALREADY_RECEIVED', `delivery note ${note.number} was already received at this till`);
      // Every line of the note is in the receipt: what was not scanned arrived short (0).
      const byProduct = new Map(lines.map((l) => [l.productId, l]));
      const noteLines = (JSON.parse(note.lines) as Array<{ productId: string }>).map((l) => byProduct.get(l.productId) ?? { productId: l.productId, received: 0 });
      const extra = lines.filter((l) => !noteLines.some((n) => n.productId === l.productId));
      const input = checked(TillDeliveryReceiptSchema, { deliveryNoteId, lines: [...noteLines, ...extra], staffId: by.id });
      if (!input.ok) return input;
      const unknown = unknownProduct(extra.map((l) => l.productId));
      if (unknown) return failure('PRODUCT_UNKNOWN', `product ${unknown} is not in this till's catalogue`);
      return ok(enqueue('stock.delivery_receipt', input.value, (docId) => markReceived.run(nowIso(), docId, deliveryNoteId)));
    },
    submitCount(by, raw) {
      const input = checked(TillStockCountSchema, { ...raw, staffId: by.id });
      if (!input.ok) return input;
      const unknown = unknownProduct(input.value.lines.map((l) => l.productId));
      if (unknown) return failure('PRODUCT_UNKNOWN', `product ${unknown} is not in this till's catalogue`);
      return ok(enqueue('stock.count', input.value));
    },
    requestReplenishment(by, raw) {
      const input = checked(TillReplenishmentRequestSchema, { ...raw, staffId: by.id });
      if (!input.ok) return input;
      const unknown = unknownProduct(input.value.lines.map((l) => l.productId));
      if (unknown) return failure('PRODUCT_UNKNOWN', `product ${unknown} is not in this till's catalogue`);
      return ok(enqueue('stock.replenishment_request', input.value));
    },
    documents: (limit) => outbox.recentOf(['stock.delivery_receipt', 'stock.count', 'stock.replenishment_request'], limit),
    availability: async (productId) => (o.lookup ? o.lookup(productId) : null),
  };
}
