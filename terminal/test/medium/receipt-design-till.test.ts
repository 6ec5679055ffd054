/**
 * The receipt design at the till (issue 19): the design arrives on the change feed and is kept in SQLite;
 * every sale receipt prints the logo, header, footer, return policy and the promotion of the day. What the
 * till sends for the logo, byte for byte, per printer profile: `gs_paren_l` stores the logo in the printer's
 * NV memory with the first receipt (`GS ( L` fn 67), then prints it by key (fn 69) until the design's logo
 * changes; `raster` sends `GS v 0` with the picture on every receipt. Then through the virtual printer: the
 * picture on paper is the design's logo dot for dot, and a new till process over the same database (no
 * back office) keeps printing it.
 */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { EscPosTcpPrinter } from '@tpv/drivers/adapters/escpos-tcp';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';
import { getDot } from '@tpv/drivers/escpos/bitmap';
import { addDays, type ReceiptDesignData } from '@tpv/shared/receipts/design';
import { eReceiptStoreKey, eReceiptToken, eReceiptTokenValid } from '@tpv/shared/receipts/e-receipt';
import { createTerminalApp } from '../../src/app/terminal-app';
import { createLogoMemory } from '../../src/printing/receipts';
import { createCatalogStore } from '../../src/sync/catalog';
import { EAN, freshTerminalDb, IDENTITY, STAFF, tempDir, type TestDb } from './support/fixture';
import { nextReceipt } from './support/printed';

const dir = tempDir('tpv-receipt-design-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
const hex = (b: Uint8Array | number[]) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const today = new Date().toISOString().slice(0, 10);
/** The store's e-receipt key as HQ derives it from its secret (here a fixed one). */
const E_KEY = eReceiptStoreKey(new Uint8Array(32).fill(7), IDENTITY.storeId);

/**
 * 16 × 2 dots (2 bytes a row): row 0 ████████........ = ff 00, row 1 ....████████.... = 0f f0.
 * The 58 mm copy is not used (the till has 48 columns), so it is a single dot.
 */
const LOGO_A = { id: 'aaaaaaaaaaaaaaaa', p384: { widthDots: 8, heightDots: 1, bits: 'gA==' }, p576: { widthDots: 16, heightDots: 2, bits: Buffer.from([0xff, 0x00, 0x0f, 0xf0]).toString('base64') } };
/** 8 × 1: ███████. = fe */
const LOGO_B = { id: 'bbbbbbbbbbbbbbbb', p384: { widthDots: 8, heightDots: 1, bits: 'gA==' }, p576: { widthDots: 8, heightDots: 1, bits: Buffer.from([0xfe]).toString('base64') } };

const design = (x: Partial<ReceiptDesignData> = {}): ReceiptDesignData => ({
  storeId: IDENTITY.storeId, companyId: 'company-1', revision: '1.0', publishedAt: '2026-11-30T09:00:00.000Z', logo: LOGO_A,
  headerLines: ['Abierto de 9 a 21 h'], footerLines: ['www.franquicia.test'], returnPolicy: 'Cambios en 30 días con el ticket.', exchangeDays: 30, giftRefund: 'voucher',
  promo: { text: '2x1 en cafés este mes', from: addDays(today, -1), to: addDays(today, 1) }, ...x,
});

function publish(t: TestDb, d: ReceiptDesignData) {
  const store = createCatalogStore(t.db);
  const v = store.version();
  store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [{ version: v + 1, entity: 'receipt_design', id: d.storeId, op: 'upsert', data: d }] }, new Date().toISOString());
}

/** A raw TCP printer that only records what it receives, one buffer per connection (one job each). */
async function capture(): Promise<{ url: string; jobs: Buffer[]; next(): Promise<Buffer>; close(): Promise<void> }> {
  const jobs: Buffer[] = [];
  const waiting: Array<(b: Buffer) => void> = [];
  const server = net.createServer((s) => {
    const parts: Buffer[] = [];
    s.on('data', (d) => {
      parts.push(d);
      // Status queries (DLE EOT n) are answered "online, all well" (0x12: the fixed bits only).
      if (d[0] === 0x10) for (let i = 0; i + 2 < d.length + 1; i += 3) if (d[i] === 0x10 && d[i + 1] === 0x04) s.write(Buffer.of(0x12));
    });
    s.on('end', () => {
      const job = Buffer.concat(parts);
      // A print job starts with ESC @ (status connections are not jobs).
      if (job[0] === 0x1b && job[1] === 0x40) {
        jobs.push(job);
        waiting.shift()?.(job);
      }
      s.end();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `tcp://127.0.0.1:${port}`,
    jobs,
    next: () => new Promise<Buffer>((r) => waiting.push(r)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The start of every job: ESC @, ESC t 19 (CP858). */
const START = '1b 40 1b 74 13';
const CENTER = '1b 61 01';
const LEFT = '1b 61 00';
// GS ( L fn 67 (store, raster): pL pH = 11 + 2 × 2 = 15 → 0f 00; m fn a kc1 kc2 b xL xH yL yH c data
const STORE_A = '1d 28 4c 0f 00 30 43 30 4c 47 01 10 00 02 00 31 ff 00 0f f0';
// 11 + 1 × 1 = 12 → 0c 00
const STORE_B = '1d 28 4c 0c 00 30 43 30 4c 47 01 08 00 01 00 31 fe';
// GS ( L fn 69: print key "LG" at 1 × 1
const PRINT_LG = '1d 28 4c 06 00 30 45 4c 47 01 01';
// GS v 0 m xL xH (bytes a row) yL yH data
const RASTER_A = '1d 76 30 00 02 00 02 00 ff 00 0f f0';

describe('the receipt design at the till', () => {
  for (const profile of ['gs_paren_l', 'raster'] as const) {
    it(`${profile}: the bytes of the logo on three receipts, with the logo changed before the third`, async () => {
      const t = await freshTerminalDb(dir, `bytes-${profile}.sqlite`);
      const printer = await capture();
      const adapter = new EscPosTcpPrinter(printer.url, { columns: 48, logoMode: profile, logoMemory: createLogoMemory(t.db, () => new Date().toISOString()) });
      const app = createTerminalApp({ db: t.db, printer: adapter });
      try {
        publish(t, design());
        expect(app.cash.open(me, { '2000': 1 }).ok).toBe(true);
        const sell = async () => {
          const job = printer.next();
          app.cart.scan(me, EAN.bread);
          expect(app.checkout.checkout(me, [{ method: 'cash', amountCents: 500 }]).ok).toBe(true);
          return hex(await job);
        };
        const first = await sell();
        const second = await sell();
        publish(t, design({ logo: LOGO_B, revision: '2.0' }));
        const third = await sell();
        await app.printing.drained();
        if (profile === 'gs_paren_l') {
          expect(first.startsWith(`${START} ${CENTER} ${STORE_A} ${PRINT_LG} ${LEFT} `)).toBe(true);
          expect(second.startsWith(`${START} ${CENTER} ${PRINT_LG} ${LEFT} `)).toBe(true);
          expect(third.startsWith(`${START} ${CENTER} ${STORE_B} ${PRINT_LG} ${LEFT} `)).toBe(true);
          // The logo is sent once per design's logo: the second job carries 11 bytes of it, not 31.
          expect(second.includes(' 30 43 30 ')).toBe(false);
          expect(t.db.prepare('SELECT logo_id FROM printer_logo WHERE printer = ?').get(printer.url)).toEqual({ logo_id: LOGO_B.id });
        } else {
          expect(first.startsWith(`${START} ${CENTER} ${RASTER_A} ${LEFT} `)).toBe(true);
          expect(second.startsWith(`${START} ${CENTER} ${RASTER_A} ${LEFT} `)).toBe(true);
          expect(third.startsWith(`${START} ${CENTER} 1d 76 30 00 01 00 01 00 fe ${LEFT} `)).toBe(true);
          expect(first.includes('1d 28 4c')).toBe(false);
          expect(t.db.prepare('SELECT COUNT(*) AS n FROM printer_logo').get()).toEqual({ n: 0 });
        }
      } finally {
        await app.stop();
        await printer.close();
        await t.ds.destroy();
      }
    });
  }

  it('a job that never reached the printer does not count as stored: the next one stores the logo again', async () => {
    const t = await freshTerminalDb(dir, 'retry.sqlite');
    const printer = await capture();
    const url = printer.url;
    await printer.close();
    const memory = createLogoMemory(t.db, () => new Date().toISOString());
    const adapter = new EscPosTcpPrinter(url, { columns: 48, logoMode: 'gs_paren_l', logoMemory: memory, timeoutMs: 500 });
    const doc = { title: 'x', blocks: [{ kind: 'logo' as const, key: 'LG', logoId: LOGO_A.id, ...LOGO_A.p576 }] };
    await expect(adapter.print(doc)).rejects.toThrow();
    expect(memory.held(url)).toBeNull();
    expect(hex(adapter.render(doc).bytes)).toBe(`${START} ${CENTER} ${STORE_A} ${PRINT_LG} ${LEFT}`);
    await t.ds.destroy();
  });

  it('through the virtual printer: logo dot for dot, header, footer, policy and the promotion of the day; kept offline by a restarted till', async () => {
    const t = await freshTerminalDb(dir, 'virtual.sqlite');
    const vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    // A 200 × 40 logo: a frame with a diagonal (dots a picture compare would catch if shifted or mirrored).
    const w = 200;
    const h = 40;
    const bits = Buffer.alloc((w / 8) * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (y === 0 || y === h - 1 || x === 0 || x === w - 1 || x === y * 5) bits[y * (w / 8) + (x >> 3)]! |= 0x80 >> (x & 7);
    const logo = { id: 'cccccccccccccccc', p384: LOGO_A.p384, p576: { widthDots: w, heightDots: h, bits: bits.toString('base64') } };
    const memoryOf = () => createLogoMemory(t.db, () => new Date().toISOString());
    let app = createTerminalApp({ db: t.db, printer: new EscPosTcpPrinter(vp.url, { columns: 48, logoMode: 'gs_paren_l', logoMemory: memoryOf() }) });
    try {
      publish(t, design({ logo, eReceipt: { baseUrl: 'https://hq.franquicia.test', key: E_KEY } }));
      expect(app.cash.open(me, { '2000': 1 }).ok).toBe(true);
      app.cart.scan(me, EAN.bread);
      let printed = nextReceipt(vp, 'M00101-26T/000001');
      expect(app.checkout.checkout(me, [{ method: 'cash', amountCents: 500 }]).ok).toBe(true);
      let r = await printed;
      expect(r.images).toEqual([{ source: 'GS ( L', widthDots: w, heightDots: h, key: 'LG' }]);
      const pic = r.items.find((i) => i.kind === 'raster')!;
      let diff = 0;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (getDot(pic.kind === 'raster' ? { widthDots: pic.widthDots, heightDots: pic.heightDots, bits: pic.data } : logo.p384 as never, x, y) !== ((bits[y * (w / 8) + (x >> 3)]! >> (7 - (x & 7))) & 1) > 0) diff++;
      expect(diff).toBe(0);
      const lines = r.lines.map((l) => l.trim());
      expect(lines.indexOf('Abierto de 9 a 21 h')).toBeGreaterThan(lines.indexOf('NIF: B12345674'));
      expect(lines.indexOf('Abierto de 9 a 21 h')).toBeLessThan(lines.indexOf('FACTURA SIMPLIFICADA'));
      expect(lines).toContain('www.franquicia.test');
      expect(lines).toContain('Cambios en 30 días con el ticket.');
      expect(lines).toContain('2x1 en cafés este mes');
      expect(r.items.filter((i) => i.kind === 'unknown')).toEqual([]);
      // The e-receipt QR: the link signed offline with the store's key, which HQ verifies the same way.
      const ticketId = t.db.prepare<[], { id: string }>('SELECT id FROM ticket WHERE number = 1').get()!.id;
      expect(r.qr).toContain(`https://hq.franquicia.test/api/e-receipts/${eReceiptToken(E_KEY, ticketId)}`);
      expect(eReceiptTokenValid(E_KEY, r.qr.at(-1)!.split('/').at(-1)!)).toBe(true);

      // The promotion ended yesterday: not printed; the rest is.
      publish(t, design({ logo, promo: { text: '2x1 en cafés este mes', from: addDays(today, -10), to: addDays(today, -1) } }));
      await app.stop();
      // A restarted till with no back office at all: the design is in its SQLite.
      app = createTerminalApp({ db: t.db, printer: new EscPosTcpPrinter(vp.url, { columns: 48, logoMode: 'gs_paren_l', logoMemory: memoryOf() }) });
      app.cart.scan(me, EAN.bread);
      printed = nextReceipt(vp, 'M00101-26T/000002');
      expect(app.checkout.checkout(me, [{ method: 'cash', amountCents: 500 }]).ok).toBe(true);
      r = await printed;
      expect(r.images).toEqual([{ source: 'GS ( L', widthDots: w, heightDots: h, key: 'LG' }]);
      expect(r.lines.map((l) => l.trim())).toContain('www.franquicia.test');
      expect(r.lines.map((l) => l.trim())).not.toContain('2x1 en cafés este mes');
      expect(r.items.filter((i) => i.kind === 'unknown')).toEqual([]);
    } finally {
      await app.stop();
      await vp.stop();
      await t.ds.destroy();
    }
  });
});
