/**
 * Test helpers for the sync client (medium tests, chaos tests, benchmarks): a terminal database with an identity, and a writer of real, valid
 * sale tickets — priced with priceTicket/settle, fiscal alta chained with createAlta, checked with
 * TicketDocumentSchema + verifyTicketArithmetic — written to ticket, ticket_line, payment, fiscal_record,
 * cash_movement and outbox in one transaction, the way the sales engine does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { createUuidV7 } from '@tpv/shared/ids';
import { createAlta } from '@tpv/shared/fiscal/record';
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import { fiscalNumber, seriesFor } from '@tpv/shared/fiscal/series';
import { priceTicket, settle, type LineInput } from '@tpv/shared/ticket';
import { TicketDocumentSchema, verifyTicketArithmetic, type TicketDocument } from '@tpv/shared/wire/ticket';
import { openTerminalDatabase, sqliteHandle, type SqliteHandle } from '../../src/persistence/data-source';
import { COUNTER_TICKET_SEQ, createTerminalRepositories } from '../../src/persistence/repositories';
import { writeIdentity, type TerminalIdentity } from '../../src/identity';

export function identityFor(n: number): TerminalIdentity {
  const hex = n.toString(16).padStart(12, '0');
  return {
    terminalId: `00000000-0000-7000-8003-${hex}`,
    terminalCode: String(n % 100).padStart(2, '0'),
    terminalName: `Caja ${n}`,
    storeId: '00000000-0000-7000-8002-000000000001',
    storeCode: 'M001',
    storeName: 'Madrid Malasaña',
    storeAddress: 'Calle de Fuencarral 45, 28004 Madrid',
    timezone: 'Europe/Madrid',
    companyId: '00000000-0000-7000-8001-000000000002',
    companyNif: 'B12345674',
    companyLegalName: 'Alimentación Ruiz e Hijos S.L.',
    companyTradeName: 'Mercado Verde Ruiz',
    installation: `M001-${String(n % 100).padStart(2, '0')}`,
  };
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'tpv-sync-'));
  private n = 0;
  file(name = 'terminal'): string {
    return join(this.path, `${name}-${++this.n}.sqlite`);
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export async function openTerminal(file: string, identity?: TerminalIdentity): Promise<{ ds: DataSource; db: SqliteHandle }> {
  const ds = await openTerminalDatabase(file);
  const db = sqliteHandle(ds);
  if (identity) writeIdentity(db, identity);
  return { ds, db };
}

const cryptoBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export interface TicketWriter {
  /** Writes one sale (1–3 lines, cash) and returns its document. */
  sale(lines?: number): TicketDocument;
  sales(count: number): TicketDocument[];
}

export interface FixtureProduct {
  id: string;
  name: string;
  taxRateBp: 2100 | 1000 | 400;
  priceCents: number;
}

/** Sellable (unit-priced, taxed) products of the terminal's local catalogue, for tickets HQ will recognise. */
export function localProducts(db: SqliteHandle, limit = 200): FixtureProduct[] {
  return db
    .prepare<[number], { id: string; name: string; tax_rate_bp: number; price_cents: number }>(
      `SELECT id, name, tax_rate_bp, price_cents FROM product WHERE active = 1 AND weighed = 0 AND tax_rate_bp IN (2100, 1000, 400) ORDER BY sku LIMIT ?`,
    )
    .all(limit)
    .map((r) => ({ id: r.id, name: r.name.slice(0, 200), taxRateBp: r.tax_rate_bp as FixtureProduct['taxRateBp'], priceCents: r.price_cents }));
}

/**
 * `products`: what the lines sell (default: made-up ids, fine for the in-memory HQ; the real back office
 * wants products it knows — pass `localProducts(db)` after a catalogue load).
 */
export function ticketWriter(db: SqliteHandle, identity: TerminalIdentity, clock: Clock, products?: readonly FixtureProduct[]): TicketWriter {
  const repos = createTerminalRepositories(db);
  const newId = createUuidV7(clock, cryptoBytes);
  const sessionId = 'sess-1';
  const cashier = { id: '00000000-0000-7000-8006-000000000001', name: 'Lucía Fernández' };
  if (!db.prepare('SELECT 1 FROM cash_session WHERE id = ?').get(sessionId)) {
    db.prepare(
      `INSERT INTO cash_session (id, number, status, opened_at, opened_by, float_cents) VALUES (?, 1, 'open', ?, ?, 10000)`,
    ).run(sessionId, fiscalDateTime(clock.now(), identity.timezone).timestamp, cashier.id);
  }
  const lastHash = db.prepare<[], { hash: string }>('SELECT hash FROM fiscal_record ORDER BY chain_index DESC LIMIT 1');
  const lastChain = db.prepare<[], { n: number | null }>('SELECT MAX(chain_index) AS n FROM fiscal_record');
  const insTicket = db.prepare(
    `INSERT INTO ticket (id, seq, kind, series, number, fiscal_number, issued_at, session_id, cashier_id, customer_id,
       original_ticket_id, total_cents, discount_cents, document) VALUES (?, ?, 'sale', ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`,
  );
  const insLine = db.prepare(
    `INSERT INTO ticket_line (ticket_id, line_no, product_id, description, units, grams, unit_price_cents, discount_cents, total_cents, tax_rate_bp)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
  );
  const insPayment = db.prepare('INSERT INTO payment (ticket_id, idx, method, amount_cents, reference) VALUES (?, ?, ?, ?, NULL)');
  const insFiscal = db.prepare(
    'INSERT INTO fiscal_record (chain_index, ticket_id, kind, invoice_number, hash, previous_hash, record) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insCash = db.prepare(
    `INSERT INTO cash_movement (id, session_id, kind, amount_cents, reason, ticket_id, at, staff_id) VALUES (?, ?, 'sale', ?, NULL, ?, ?, ?)`,
  );
  const insOutbox = db.prepare('INSERT INTO outbox (seq, ticket_id, payload, created_at) VALUES (?, ?, ?, ?)');
  let k = 0;

  function sale(lineCount = 1 + (k % 3)): TicketDocument {
    return repos.transaction(() => {
      k++;
      const now = clock.now();
      const when = fiscalDateTime(now, identity.timezone);
      const year = Number(when.date.slice(6));
      const series = seriesFor({ storeCode: identity.storeCode, terminalCode: identity.terminalCode, year, kind: 'sale' });
      if (!series.ok) throw new Error(series.error.message);
      const seq = repos.nextValue(COUNTER_TICKET_SEQ);
      const number = repos.nextSeriesNumber(series.value);
      const id = newId();
      const lines: LineInput[] = Array.from({ length: lineCount }, (_, i) => {
        const p = products && products.length > 0 ? products[(k * 7 + i) % products.length]! : undefined;
        return {
          id: String(i + 1),
          productId: p?.id ?? `00000000-0000-7000-8005-${String(((k * 7 + i) % 500) + 1).padStart(12, '0')}`,
          description: p?.name ?? `Artículo ${((k * 7 + i) % 500) + 1}`,
          taxRate: p?.taxRateBp ?? ([2100, 1000, 400][i % 3] as 2100 | 1000 | 400),
          unitPrice: p?.priceCents ?? 99 + ((k * 37 + i * 11) % 900),
          quantity: { kind: 'units', units: 1 + ((k + i) % 3) },
        };
      });
      const priced = priceTicket({ kind: 'sale', lines });
      if (!priced.ok) throw new Error(priced.error.message);
      const p = priced.value;
      const payments = [{ method: 'cash' as const, amount: Math.ceil(p.totals.total / 500) * 500 }];
      const s = settle(p.totals.total, payments);
      if (!s.ok) throw new Error(s.error.message);
      const fnum = fiscalNumber(series.value, number);
      const prev = lastHash.get();
      const alta = createAlta(
        {
          installation: identity.installation, issuerNif: identity.companyNif, invoiceNumber: fnum, invoiceType: 'F2',
          taxCents: p.totals.taxTotal, totalCents: p.totals.total, generatedAtMs: now, timeZone: identity.timezone,
        },
        prev ? { hash: prev.hash } : null,
      );
      if (!alta.ok) throw new Error(alta.error.message);
      const doc = TicketDocumentSchema.parse({
        id, terminalId: identity.terminalId, storeId: identity.storeId, seq, kind: 'sale', series: series.value, number,
        fiscalNumber: fnum, issuedAt: when.timestamp, cashier,
        lines: p.lines.map((l) => ({
          id: l.id, productId: l.productId, description: l.description, taxRate: l.taxRate, unitPrice: l.unitPrice,
          quantity: l.quantity, gross: l.gross, lineDiscount: l.lineDiscount, ticketDiscountShare: l.ticketDiscountShare, total: l.total,
        })),
        totals: p.totals,
        taxBreakdown: p.taxBreakdown.map((r) => ({ rate: r.rate, reRate: r.reRate, gross: r.gross, base: r.base, ivaCuota: r.ivaCuota, reCuota: r.reCuota })),
        payments,
        change: s.value.change,
        sessionId,
        fiscal: alta.value,
      });
      const check = verifyTicketArithmetic(doc);
      if (!check.ok) throw new Error(check.error.message);
      const json = JSON.stringify(doc);
      insTicket.run(id, seq, series.value, number, fnum, when.timestamp, sessionId, cashier.id, p.totals.total, p.totals.discountTotal, json);
      p.lines.forEach((l, i) => {
        const units = l.quantity.kind === 'units' ? l.quantity.units : 0;
        insLine.run(id, i + 1, l.productId, l.description, units, l.unitPrice, l.lineDiscount + l.ticketDiscountShare, l.total, l.taxRate);
      });
      payments.forEach((pay, i) => insPayment.run(id, i, pay.method, pay.amount));
      insCash.run(newId(), sessionId, p.totals.total, id, when.timestamp, cashier.id);
      insFiscal.run((lastChain.get()?.n ?? 0) + 1, id, 'alta', fnum, alta.value.hash, prev?.hash ?? null, JSON.stringify(alta.value));
      insOutbox.run(seq, id, json, new Date(now).toISOString());
      return doc;
    });
  }

  return { sale, sales: (count) => Array.from({ length: count }, () => sale()) };
}

/** Waits until `check` returns true (polling), or throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
