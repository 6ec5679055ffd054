/**
 * Issue 19, must-be-true 3 (the receipts walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise, and two real tills of Madrid Malasaña (Alimentación Ruiz),
 * Caja 1 and Caja 2, paired with HQ by code, each printing to its own virtual ESC/POS printer (raw TCP, decoded
 * by our decoder — Caja 1's profile stores the logo with `GS ( L`).
 *   1. HQ opens Diseño del ticket for Ruiz, uploads a 576 × 96 PNG logo and a footer; a header line over 48
 *      characters is refused by the API and the message shows under the header field; the live preview (the
 *      till's bytes → decoder → PNG) shows the logo; HQ publishes (version and date shown).
 *   2. Caja 1 receives it down the feed and sells: the printer's decoded picture holds the logo dot for dot
 *      (compared with the dithered bitmap HQ made of the upload, and with the upload's own pixels) and the footer.
 *   3. The cashier prints a gift receipt: its decoded text has the line without any price and the gift code. A
 *      second customer takes no paper (only the QR; nothing printed); from today's receipts the cashier later prints
 *      that sale's gift receipt.
 *   4. A return at Caja 2 reads the gift code (HQ's lookup): the original ticket, sold at Caja 1, exchange date.
 *   5. The customer's e-receipt: the QR on Caja 1's customer-facing screen (`/customer`, checked at the sale) and
 *      the one the printer drew are decoded (jsQR) to the link the till shows; the page opens with the ticket, the
 *      PDF downloads and pdftotext shows the ticket number and total.
 * Screenshots: test-results/screenshots/receipts-walk-*.png.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { Resvg } from '@resvg/resvg-js';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { getDot } from '@tpv/drivers/escpos/bitmap';
import { itemsToSvg } from '@tpv/drivers/escpos/render';
import type { PrintedReceipt } from '@tpv/drivers/virtual/printer';
import { writeDevicesFile } from '@tpv/terminal/devices/config';
import { startDemoDevices, type DemoDevices } from '@tpv/scripts/src/demo-devices';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { backofficeFolder } from '../system/support/paired-terminal';
import type { TillPage } from '../../../terminal/test/browser/support/till-page';
import { openTillSession, startDemoWalk, until, type DemoWalk } from './support/demo-walk';

const folder = backofficeFolder('tpv-receipts-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
const ruiz = franchise.companies.find((c) => c.legalName.startsWith('Alimentación Ruiz'))!;
const store = franchise.stores.find((s) => s.companyId === ruiz.id)!;
// Caja 1 and Caja 2 of the same store: the gift receipt of one is returned at the other.
const tills = franchise.terminals.filter((t) => t.storeId === store.id).slice(0, 2);
const codes = tills.map((t) => `${store.code}-${t.code}`);
const product = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0 && franchise.storePrices.some((s) => s.storeId === store.id && s.productId === p.id))!;
const price = franchise.storePrices.find((s) => s.storeId === store.id && s.productId === product.id)!.priceCents;
const euros = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`;
const FOOTER = 'Síguenos en ruiz.example · Gracias';

/** The logo: 576 × 96 dots of pure black and white (a frame, a thick diagonal, a checkerboard block) — the paper's full width, so nothing is scaled. */
const LOGO_W = 576;
const LOGO_H = 96;
const logoDot = (x: number, y: number) =>
  x < 4 || y < 4 || x >= LOGO_W - 4 || y >= LOGO_H - 4 || Math.abs(x - y * 3) < 6 || (x >= 400 && x < 560 && y >= 16 && y < 80 && ((x >> 4) + (y >> 4)) % 2 === 0);
const logoFile = path.join(folder.dataDir, 'logo-ruiz.png');

let url: string;
let devices: DemoDevices;
let w: DemoWalk;
const ui: TillPage[] = [];
let admin: Page;
/** Caja 1's screen facing the customer (`/customer`): the display lines and, after the sale, the e-receipt QR. */
let customerScreen: Page;
let token = '';
const walk = { fiscalNumber: '', ticketId: '', link: '', total: 0, logo: null as null | { widthDots: number; heightDots: number; bits: string } };

interface TillState { sync: { online: boolean; pendingCount: number; documents: { pending: number } } }
const state = (i: number) => w.state<TillState>(i);
async function hq<T>(pathname: string): Promise<T> {
  const res = await fetch(url + pathname, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const printerOf = (i: number) => devices.tills.get(codes[i]!)!.printer;
/** The newest receipt printer i decoded that matches. */
async function printed(i: number, what: string, match: (r: PrintedReceipt) => boolean): Promise<PrintedReceipt> {
  let found: PrintedReceipt | undefined;
  await until(what, () => (found = [...printerOf(i).receipts].reverse().find(match)) !== undefined);
  return found!;
}
const adminShot = (name: string) => admin.screenshot({ path: screenshotPath(`receipts-walk-${name}`), fullPage: true });
const tillShot = (i: number, name: string) => ui[i]!.page.screenshot({ path: screenshotPath(`receipts-walk-${name}`) });

const openTill = (i: number) => openTillSession(ui[i]!);

beforeAll(async () => {
  const png = new PNG({ width: LOGO_W, height: LOGO_H });
  for (let y = 0; y < LOGO_H; y++)
    for (let x = 0; x < LOGO_W; x++) {
      const v = logoDot(x, y) ? 0 : 255;
      png.data.set([v, v, v, 255], (y * LOGO_W + x) * 4);
    }
  writeFileSync(logoFile, PNG.sync.write(png));
  devices = await startDemoDevices(codes, { serial: false });
  w = await startDemoWalk({
    folder, franchise, tills,
    tillEnv: (i) => {
      const config = devices.tills.get(codes[i]!)!.config;
      const devicesFile = path.join(folder.dataDir, `devices-${i}.json`);
      // Caja 1's printer keeps the logo in its memory (GS ( L); Caja 2's gets it as a GS v 0 picture.
      if (config.printer.kind !== 'escpos-tcp') throw new Error('the demo printer is a raw ESC/POS one');
      writeDevicesFile(devicesFile, { ...config, printer: { ...config.printer, logo: i === 0 ? 'gs_paren_l' : 'raster' } });
      return { TPV_DEVICES_FILE: devicesFile };
    },
  });
  url = w.url;
  ui.push(...w.ui);
  token = await w.token(hqAdmin);
  customerScreen = await w.browser.newPage({ viewport: { width: 800, height: 600 } });
  await customerScreen.goto(`${w.tillUrls[0]}/customer`);
  await customerScreen.getByTestId('customer-screen').waitFor();
  admin = await w.adminPage({ width: 1400, height: 1000 });
}, 300_000);

afterAll(async () => {
  await w?.stop();
  await devices?.stop();
  await folder.cleanup();
});

describe('receipts walk: HQ designs and publishes, the till prints the logo, a gift receipt is returned at another till, the customer gets the e-receipt', () => {
  it('1. HQ uploads a logo and a footer, sees the field error and the live preview, publishes', async () => {
    await admin.goto(url);
    await admin.getByLabel('Correo electrónico').fill(hqAdmin.email);
    await admin.getByLabel('Contraseña').fill(hqAdmin.password);
    await admin.getByRole('button', { name: 'Entrar' }).click();
    await admin.getByTestId('nav-receipt-design').click();
    await admin.getByTestId('design-company').click();
    await admin.getByRole('option', { name: ruiz.legalName, exact: true }).click();
    // The form opens once Ruiz's saved design (none yet) is loaded.
    await admin.locator('[data-testid="design-fields"][data-ready="yes"]').waitFor();
    await admin.locator('input[type="file"]').setInputFiles(logoFile);
    // A header line too long for the paper: the API's field error shows under the header field.
    await admin.getByTestId('design-header').fill('Una línea de cabecera demasiado larga para el papel del ticket');
    await expect.poll(async () => (await admin.getByText('Línea 1: máximo 48 caracteres por línea').count()) > 0, { timeout: 15_000 }).toBe(true);
    await adminShot('01-field-error');
    await admin.getByTestId('design-header').fill('Alimentación Ruiz · desde 1987');
    await admin.getByTestId('design-footer').fill(FOOTER);
    // The preview of what is typed: the logo at full width (576 dots at 80 mm), as the till's bytes decode.
    const preview = admin.getByTestId('design-preview');
    await expect.poll(() => preview.getAttribute('data-logo'), { timeout: 15_000 }).toBe(`${LOGO_W}x${LOGO_H}`);
    await expect.poll(() => preview.getAttribute('alt'), { timeout: 15_000 }).toContain(FOOTER);
    const natural = await preview.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight, complete: img.complete }));
    expect(natural.complete).toBe(true);
    expect(natural.w).toBeGreaterThan(500);
    expect(natural.h).toBeGreaterThan(LOGO_H + 200);
    await adminShot('02-preview');
    await admin.getByTestId('design-publish').click();
    await expect.poll(async () => (await admin.getByTestId('design-published').textContent()) ?? '', { timeout: 15_000 }).toMatch(/Publicada la versión \d+ el /);
    await adminShot('03-published');
    const designs = await hq<{ company: { published: { logo: { p576: { widthDots: number; heightDots: number; bits: string } }; footerLines: string[] } } }>(`/api/receipt-designs/${ruiz.id}`);
    expect(designs.company.published.footerLines).toEqual([FOOTER]);
    walk.logo = designs.company.published.logo.p576;
    expect([walk.logo.widthDots, walk.logo.heightDots]).toEqual([LOGO_W, LOGO_H]);
  });

  it('2. Caja 1 gets the design and prints a sale with the logo dot for dot and the footer', async () => {
    // The design is in the till's SQLite (it prints it offline from there).
    await until('the design at Caja 1', () => {
      const db = new Database(w.dbOf(0), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM receipt_design').get() as { n: number }).n > 0;
      } finally {
        db.close();
      }
    });
    await openTill(0);
    const u = ui[0]!;
    await u.wedgeScan(product.barcodes[0]!);
    await u.countOf('[data-testid=ticket-line]', 1);
    await u.byTest('action-pay').click();
    await u.byTest('cash-exact').click();
    await u.byTest('pay-confirm').click();
    await u.byTest('sale-done').waitFor();
    walk.fiscalNumber = (await u.byTest('done-number').textContent())!.trim();
    walk.link = (await u.byTest('e-receipt-link').textContent())!.trim();
    walk.ticketId = walk.link.split('/').at(-1)!.split('.')[0]!;
    walk.total = price;
    await tillShot(0, '04-sale-done');
    await expect.poll(() => customerScreen.getByTestId('customer-e-receipt').getAttribute('data-url')).toBe(walk.link);
    await customerScreen.screenshot({ path: screenshotPath('receipts-walk-04b-customer-screen') });
    // The customer-facing screen shows the link as a QR a phone reads (its screenshot, decoded).
    const shown = PNG.sync.read(await customerScreen.getByTestId('customer-e-receipt-qr').screenshot());
    expect(jsQR(new Uint8ClampedArray(shown.data), shown.width, shown.height)?.data).toBe(walk.link);

    const r = await printed(0, `receipt ${walk.fiscalNumber}`, (x) => x.barcodes.some((b) => b.data === walk.fiscalNumber));
    expect(r.images).toEqual([{ source: 'GS ( L', widthDots: LOGO_W, heightDots: LOGO_H, key: 'LG' }]);
    const pic = r.items.find((i) => i.kind === 'raster')!;
    if (pic.kind !== 'raster') throw new Error('no picture');
    const printedBm = { widthDots: pic.widthDots, heightDots: pic.heightDots, bits: pic.data };
    const hqBm = { widthDots: walk.logo!.widthDots, heightDots: walk.logo!.heightDots, bits: Buffer.from(walk.logo!.bits, 'base64') };
    let vsHq = 0;
    let vsUpload = 0;
    for (let y = 0; y < LOGO_H; y++)
      for (let x = 0; x < LOGO_W; x++) {
        if (getDot(printedBm, x, y) !== getDot(hqBm, x, y)) vsHq++;
        if (getDot(printedBm, x, y) !== logoDot(x, y)) vsUpload++;
      }
    // Dot for dot what HQ dithered; and, the upload being pure black and white at the paper's width, its own pixels.
    expect(vsHq).toBe(0);
    expect(vsUpload).toBe(0);
    const lines = r.lines.map((l) => l.trim());
    expect(lines).toContain(FOOTER);
    expect(lines).toContain('Alimentación Ruiz · desde 1987');
    expect(r.items.filter((i) => i.kind === 'unknown')).toEqual([]);
  });

  it('3. the cashier prints a gift receipt: the line without prices, and the gift code', async () => {
    const u = ui[0]!;
    const before = printerOf(0).receipts.length;
    await u.byTest('gift-receipt').click();
    const code = `REGALO-${walk.ticketId}`;
    const r = await printed(0, 'the gift receipt', (x) => x.id > before && x.lines.some((l) => l.includes(code)));
    const text = r.lines.join('\n');
    expect(text).toContain(product.name.slice(0, 20));
    expect(r.qr).toContain(code);
    // No amount anywhere: no euro sign, no price of the line, no "TOTAL".
    expect(text).not.toContain('€');
    expect(text).not.toContain(euros(price));
    expect(text).not.toMatch(/\d+,\d\d/);
    expect(text).not.toMatch(/TOTAL/);
    await tillShot(0, '05-gift-printed');
  });

  it('3b. a customer takes no paper: only the QR; later, from today’s receipts, the cashier prints its gift receipt', async () => {
    const u = ui[0]!;
    await u.byTest('next-sale').click();
    await u.wedgeScan(product.barcodes[0]!);
    await u.countOf('[data-testid=ticket-line]', 1);
    await u.byTest('action-pay').click();
    await u.byTest('cash-exact').click();
    await u.byTest('pay-no-paper').check();
    await u.byTest('pay-confirm').click();
    await u.byTest('done-no-paper').waitFor();
    const number = (await u.byTest('done-number').textContent())!.trim();
    const id = (await u.byTest('e-receipt-link').textContent())!.trim().split('/').at(-1)!.split('.')[0]!;
    await tillShot(0, '05b-no-paper');
    await u.byTest('next-sale').click();
    await u.byTest('nav-tickets').click();
    await u.byTest('ticket-list-search').fill(number);
    await u.countOf('[data-testid=ticket-list-row]', 1);
    await u.see(u.byTest('ticket-list-row'), 'sin papel');
    await u.byTest('ticket-list-open').click();
    await u.byTest('list-gift-receipt').click();
    await printed(0, 'the later gift receipt', (x) => x.qr.includes(`REGALO-${id}`));
    // The print queue is first in, first out: had the sale's receipt been queued, it would be on paper by now.
    expect(printerOf(0).receipts.filter((x) => x.barcodes.some((b) => b.data === number))).toEqual([]);
    await tillShot(0, '05c-receipt-list');
    await u.byTest('nav-sell').click();
  });

  it('4. a return at Caja 2 reads the gift code through HQ: Caja 1’s ticket, with its exchange date', async () => {
    await until('Caja 1’s ticket at HQ', async () => (await state(0)).sync.pendingCount === 0);
    await openTill(1);
    const u = ui[1]!;
    await u.byTest('nav-returns').click();
    await u.byTest('return-lookup').fill(`REGALO-${walk.ticketId}`);
    await u.byTest('return-find').click();
    await u.see(u.byTest('return-original'), walk.fiscalNumber);
    await u.see(u.byTest('return-sold-at'), codes[0]!);
    expect(await u.byTest('return-gift').getAttribute('data-expired')).toBe('no');
    await u.see(u.byTest('return-gift'), 'Ticket regalo: cambio hasta el');
    await tillShot(1, '06-gift-return-other-till');
  });

  it('5. the customer scans the QR: the e-receipt page and its PDF with the ticket number and total', async () => {
    const r = await printed(0, `receipt ${walk.fiscalNumber}`, (x) => x.barcodes.some((b) => b.data === walk.fiscalNumber));
    // Each QR the printer drew, rasterised and read by a QR decoder as a phone would.
    const read = r.items.filter((i) => i.kind === 'qr').map((q) => {
      const img = new Resvg(itemsToSvg([q], { columns: 48 }), { background: 'white' }).render();
      return jsQR(new Uint8ClampedArray(img.pixels), img.width, img.height)?.data ?? null;
    });
    expect(read).toContain(walk.link);
    expect(r.qr).toContain(walk.link);
    expect(walk.link.startsWith(`${url}/api/e-receipts/`)).toBe(true);

    const phone = await (await w.browser.newContext({ viewport: { width: 400, height: 800 }, locale: 'es-ES', acceptDownloads: true })).newPage();
    await phone.goto(walk.link);
    expect((await phone.getByTestId('fiscal-number').textContent())?.trim()).toBe(walk.fiscalNumber);
    expect((await phone.getByTestId('total').textContent())?.replace(/\s/g, ' ')).toContain(euros(walk.total));
    await phone.screenshot({ path: screenshotPath('receipts-walk-07-e-receipt'), fullPage: true });
    const [download] = await Promise.all([phone.waitForEvent('download'), phone.getByTestId('pdf').click()]);
    const pdf = path.join(folder.dataDir, 'e-receipt.pdf');
    await download.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(walk.fiscalNumber);
    expect(text).toContain(euros(walk.total));
  });
});
