/**
 * Issue 15, must-be-true 3 (the CRM walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise (its loyalty programme "Puntos Mercado Verde": 1 point per
 * euro, 100 points = 1 €, at least 100 per redemption; its promotions: a 3×2 on one product, −10 % on the last
 * category, 5 % off members' tickets from 30 €) and two real tills of two stores (Madrid Malasaña Caja 1,
 * Madrid Chamberí Caja 1: `terminal/src/main.ts`, paired with HQ by code, syncing over socket.io).
 *   1. HQ is stopped; at till 1 a cashier registers a customer (name, phone, email, a loyalty card, consents)
 *      and attaches it to the ticket: the till keeps the customer and its `crm.customer` document pending;
 *      the customer (a member) buys 40 units of a product (no promotion but the members' 5 %) for cash.
 *   2. HQ comes back: the document and the ticket go up, HQ posts the points (⌊line total in €⌋); every till
 *      pulls the customer; at till 2 (another store) the cashier finds it by phone and attaches it: the loyalty
 *      box shows HQ's balance.
 *   3. At till 2 three units of the 3×2 product: the cart names the promotion and its saving (one unit);
 *      "Canjear puntos" 100 points (−1,00 €); paid in cash as a full invoice (F1) to the customer with a NIF
 *      and an address. The ticket at HQ carries both benefits (the 3×2 and the 100 points), no review flag;
 *      the member's points at HQ (Fidelización → Puntos de clientes) = both sales' earn − 100 (this sale earns
 *      on what was paid, after the 3×2 and the points).
 *   4. At HQ, a duplicate of that customer (same email, registered at HQ) is listed in Clientes → Duplicados
 *      and merged into the till's customer from the screen; the customer list then holds one of them.
 *   5. The customer asks for their data and erasure: Protección de datos → Clientes, the customer's id; the
 *      export (JSON + PDF) is produced and the JSON downloads with the person and the tickets; no balance is
 *      open (both sales paid), so the erasure goes through. Then the customer is not found by the admin customer
 *      search nor at either till (after the change feed reaches them), while the full invoice is still at HQ
 *      with its recipient's name and NIF as issued.
 * Screenshots: test-results/screenshots/crm-walk-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import type { Child } from '../../src/processes';
import { backofficeFolder, hqLogin } from '../system/support/paired-terminal';
import type { TillPage } from '../../../terminal/test/browser/support/till-page';
import { openTillSession, startDemoWalk, until, type DemoWalk } from './support/demo-walk';

const folder = backofficeFolder('tpv-crm-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
// Till 1 of the first store, till 1 of the second store.
const tills = [franchise.terminals[0]!, franchise.terminals.find((t) => t.storeId !== franchise.terminals[0]!.storeId)!];
const NEW = { name: 'Lucía Walk Prueba', phone: '699 123 456', email: 'lucia.walk@correo.example', card: '2900000000097' };
// The recipient of the full invoice (a valid NIF: 12345678 mod 23 → Z).
const RECIPIENT = { nif: '12345678Z', street: 'Calle del Pez 3', postalCode: '28004', city: 'Madrid' };
// The demo's 3×2 product (scripts/src/seed/demo-promotions.ts picks it this way) and, for the points, a plain
// product of another category (no promotion on it but the members' 5 % from 30 €).
const lastCategory = franchise.categories[franchise.categories.length - 1]!;
const promoProduct = franchise.products.slice(100).find((p) => !p.weighed && p.basePriceCents >= 100 && p.barcodes.length > 0 && p.categoryId !== lastCategory.id)!;
const plainProduct = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0 && p.categoryId !== lastCategory.id && p.id !== promoProduct.id && p.basePriceCents >= 250)!;
const priceAt = (storeId: string, productId: string) =>
  franchise.storePrices.find((x) => x.storeId === storeId && x.productId === productId)?.priceCents ?? franchise.products.find((p) => p.id === productId)!.basePriceCents;

let w: DemoWalk;
let hq: Child;
let url: string;
const ui: TillPage[] = [];
let admin: Page;
let token: string;
/** What the walk learns on the way: the customer's id, the points earned at till 1, the full invoice's number. */
const walk = { customerId: '', earned: 0, invoiceNumber: '' };

interface TillState { sync: { online: boolean; pendingCount: number; documents: { pending: number } } }
const state = (i: number) => w.state<TillState>(i);
async function hqGet<T>(pathname: string): Promise<T> {
  const res = await fetch(url + pathname, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
/** HQ's copy of a ticket, read from its SQLite file as received (document + review items). */
function hqTicket(fiscalNumber: string): { doc: TicketDocument; customerId: string | null } | null {
  const db = new Database(path.join(folder.dataDir, 'backoffice.sqlite'), { readonly: true });
  try {
    const r = db.prepare<[string], { document: string; customer_id: string | null }>('SELECT document, customer_id FROM sale_ticket WHERE fiscal_number = ?').get(fiscalNumber);
    return r ? { doc: JSON.parse(r.document) as TicketDocument, customerId: r.customer_id } : null;
  } finally {
    db.close();
  }
}
const tillShot = (i: number, name: string) => ui[i]!.page.screenshot({ path: screenshotPath(`crm-walk-${name}`) });
const adminShot = (name: string) => admin.screenshot({ path: screenshotPath(`crm-walk-${name}`), fullPage: true });
/** "1.234,56 €" → 123456. */
const cents = (s: string | null) => Math.round(Number((s ?? '').replace(/[^\d,-]/g, '').replace(',', '.')) * 100);
const euros = (c: number) => `${Math.floor(c / 100).toLocaleString('es-ES')},${String(c % 100).padStart(2, '0')} €`;

const openTill = (i: number) => openTillSession(ui[i]!);

/** The customer dialog's search at a till: the names it lists for `query` once the search has answered. */
async function tillSearch(i: number, query: string): Promise<string[]> {
  const u = ui[i]!;
  await u.byTest('customer-search').fill('');
  await u.byTest('customer-search').fill(query);
  // The dialog searches 200 ms after the last key; the answer replaces the list.
  await new Promise((r) => setTimeout(r, 400));
  return u.byTest('customer-option').locator('strong').allTextContents();
}

beforeAll(async () => {
  w = await startDemoWalk({ folder, franchise, tills });
  ({ url, hq } = w);
  ui.push(...w.ui);
  admin = await w.adminPage();
}, 300_000);

afterAll(async () => {
  await w?.stop();
  await folder.cleanup();
});

describe('CRM walk: a customer created offline earns points, redeems them at another store with a 3×2, is merged, exported and erased', () => {
  it('1. with HQ stopped, till 1 registers a member, attaches it to the ticket and sells to it', async () => {
    await hq.stop(2000);
    await until('till 1 offline', async () => !(await state(0)).sync.online);
    await openTill(0);
    const u = ui[0]!;
    await u.byTest('action-customer').click();
    await u.byTest('customer-new').click();
    await u.byTest('new-customer-name').fill(NEW.name);
    // An invalid NIF is refused before anything is written: the button stays off.
    await u.byTest('new-customer-nif').fill('12345678A');
    await u.byTest('new-customer-nif-invalid').waitFor();
    expect(await u.byTest('new-customer-save').isDisabled()).toBe(true);
    await u.byTest('new-customer-nif').fill('');
    await u.byTest('new-customer-phone').fill(NEW.phone);
    await u.byTest('new-customer-email').fill(NEW.email);
    await u.byTest('new-customer-loyaltyCard').fill(NEW.card);
    await u.byTest('new-customer-consent-marketing').check();
    await u.byTest('new-customer-consent-loyalty').check();
    await tillShot(0, '01-new-customer-offline');
    await u.byTest('new-customer-save').click();
    await u.see(u.byTest('ticket-customer'), NEW.name);
    expect((await state(0)).sync.documents.pending).toBe(1);
    // A member: offline, the loyalty box says what may be redeemed here without HQ.
    await u.see(u.byTest('loyalty-balance'), 'Sin conexión con la central');

    // 40 units of a plain product, paid in cash: the points are HQ's to post once the ticket goes up.
    await u.wedgeScan(plainProduct.barcodes[0]!);
    await u.countOf('[data-testid=ticket-line]', 1);
    await u.byTest('ticket-line').nth(0).click();
    await u.byTest('action-qty').click();
    await u.byTest('number-input').fill('40');
    await u.byTest('number-ok').click();
    await u.see(u.byTest('line-qty'), '40');
    const lineTotal = cents(await u.byTest('line-total').textContent());
    // 40 × the store price, less the members' 5 % (a ticket from 30 €) when it reaches the threshold.
    const gross = 40 * priceAt(tills[0]!.storeId, plainProduct.id);
    expect(lineTotal).toBe(gross >= 3000 ? gross - Math.round(gross * 0.05) : gross);
    walk.earned = Math.floor(lineTotal / 100);
    expect(walk.earned).toBeGreaterThanOrEqual(100);
    await u.byTest('action-pay').click();
    await u.byTest('cash-exact').click();
    await u.byTest('pay-confirm').click();
    await u.byTest('sale-done').waitFor();
    await tillShot(0, '02-member-sale-offline');
    await u.byTest('next-sale').click();
    const s = await state(0);
    expect([s.sync.documents.pending, s.sync.pendingCount]).toEqual([1, 1]);
  });

  it('2. HQ comes back: the customer and its sale go up, the points are posted, and a till of another store finds it', async () => {
    hq = await folder.start(Number(new URL(url).port));
    token = await hqLogin(url, franchise);
    await until('till 1 drained', async () => {
      const s = await state(0);
      return s.sync.documents.pending === 0 && s.sync.pendingCount === 0;
    }, 300_000);
    await openTill(1);
    const u = ui[1]!;
    await u.byTest('action-customer').click();
    // The feed reaches till 2 after HQ applied the document: search until it is there.
    await until('the customer at till 2', async () => (await tillSearch(1, '699123')).includes(NEW.name), 30_000);
    await tillShot(1, '03-found-at-store-2');
    await u.byTest('customer-option').filter({ hasText: NEW.name }).click();
    await u.see(u.byTest('ticket-customer'), NEW.name);
    // HQ's balance, online: the points of the sale at till 1.
    await u.see(u.byTest('loyalty-balance'), `Puntos: ${walk.earned} (disponibles ${walk.earned})`);
  });

  it('3. at till 2 the member redeems 100 points on a ticket with the 3×2 and takes a full invoice', async () => {
    const u = ui[1]!;
    const price = priceAt(tills[1]!.storeId, promoProduct.id);
    for (let n = 1; n <= 3; n++) {
      await u.wedgeScan(promoProduct.barcodes[0]!);
      await u.see(u.byTest('subtotal'), euros(n * price));
    }
    await u.see(u.byTest('cart-promotion'), '3x2');
    await u.see(u.byTest('promotion-saving'), `-${euros(price)}`);
    await u.byTest('loyalty-redeem').click();
    await u.byTest('loyalty-dialog').waitFor();
    await u.byTest('number-input').fill('100');
    await u.byTest('number-ok').click();
    await u.see(u.byTest('loyalty-redeemed'), 'Canjeados 100 puntos: -1,00 €');
    // The hold at HQ: the points still there, 100 of them held.
    await u.see(u.byTest('loyalty-balance'), `Puntos: ${walk.earned} (disponibles ${walk.earned - 100})`);
    const total = 2 * price - 100;
    await u.see(u.byTest('cart-total'), euros(total));
    await tillShot(1, '04-3x2-and-points');

    await u.byTest('action-pay').click();
    await u.byTest('pay-invoice').check();
    expect(await u.byTest('invoice-name').inputValue()).toBe(NEW.name);
    await u.byTest('invoice-nif').fill(RECIPIENT.nif);
    await u.byTest('invoice-street').fill(RECIPIENT.street);
    await u.byTest('invoice-postalCode').fill(RECIPIENT.postalCode);
    await u.byTest('invoice-city').fill(RECIPIENT.city);
    await u.byTest('cash-exact').click();
    await u.byTest('pay-confirm').click();
    await u.byTest('sale-done').waitFor();
    await u.see(u.byTest('done-total'), euros(total));
    walk.invoiceNumber = ((await u.byTest('done-number').textContent()) ?? '').trim();
    await tillShot(1, '05-invoice-done');
    await u.byTest('next-sale').click();

    // At HQ: the ticket with both benefits, no review flag, the points spent.
    await until('the invoice at HQ', async () => (await state(1)).sync.pendingCount === 0 && hqTicket(walk.invoiceNumber) !== null, 30_000);
    const { doc } = hqTicket(walk.invoiceNumber)!;
    expect(doc.fiscal.invoiceType).toBe('F1');
    expect(doc.customer).toMatchObject({ name: NEW.name, nif: RECIPIENT.nif });
    walk.customerId = doc.customer!.id!;
    expect(doc.benefits?.map((b) => [b.kind, b.cents, b.points ?? null])).toEqual(expect.arrayContaining([['promotion', price, null], ['loyalty', 100, 100]]));
    expect(doc.benefits).toHaveLength(2);
    expect(doc.totals.total).toBe(total);
    const review = await hqGet<{ items: Array<{ ticketId: string | null; code: string }> }>(`/api/review?limit=200`);
    expect(review.items.filter((r) => r.ticketId === doc.id)).toEqual([]);
    // This sale earns too, on what was paid (the line after the 3×2 and the points).
    walk.earned += Math.floor(total / 100);
    await expect.poll(async () => (await hqGet<{ points: number }>(`/api/loyalty/members/${walk.customerId}`)).points, { timeout: 10_000 }).toBe(walk.earned - 100);
  });

  it('4. HQ finds the duplicate (same email) in Clientes → Duplicados and merges it into the till’s customer', async () => {
    const dup = await fetch(`${url}/api/crm/customers`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'L. Walk', email: NEW.email.toUpperCase() }),
    });
    expect(dup.status).toBe(201);
    await admin.goto(url);
    await admin.getByLabel('Correo electrónico').fill(hqAdmin.email);
    await admin.getByLabel('Contraseña').fill(hqAdmin.password);
    await admin.getByRole('button', { name: 'Entrar' }).click();
    await admin.getByTestId('nav-duplicates').click();
    const row = admin.getByTestId('duplicate-row').filter({ hasText: 'L. Walk' });
    await row.waitFor();
    await row.getByTestId('duplicate-merge').click();
    // Keep the till's customer (whichever side it is listed on).
    await admin.getByRole('radio', { name: new RegExp(NEW.name) }).check();
    await adminShot('06-merge');
    await admin.getByTestId('merge-confirm').click();
    await admin.getByTestId('merge-done').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    await admin.getByTestId('nav-customers').click();
    await admin.getByTestId('customers-search').fill(NEW.email);
    await expect.poll(async () => (await admin.getByTestId('customer-row').allTextContents()).length).toBe(1);
    await admin.getByTestId('customer-row').getByRole('link').click();
    await expect.poll(async () => (await admin.getByTestId('customer-name').textContent())?.trim()).toBe(NEW.name);
    expect(admin.url()).toContain(walk.customerId);
    // Both sales were paid: nothing open to settle before an erasure.
    await admin.getByTestId('customer-balance').filter({ hasText: '0,00 €' }).waitFor();
    await adminShot('07-customer');
    // The member's points at HQ, on the loyalty page: earned at till 1, less the 100 redeemed at till 2.
    await admin.getByTestId('nav-members').click();
    await admin.getByTestId('loyalty-customer').fill(walk.customerId);
    await admin.getByTestId('loyalty-open').click();
    await expect.poll(async () => cents(await admin.getByTestId('loyalty-balance').textContent()) / 100).toBe(walk.earned - 100);
    await adminShot('08-points');
  });

  it('5. the customer asks for export and erasure: gone from both tills and the search, the full invoice kept', async () => {
    await admin.getByTestId('nav-privacy-customers').click();
    await admin.getByTestId('privacy-customer-id').fill(walk.customerId);
    await admin.getByTestId('privacy-open').click();
    await admin.getByTestId('privacy-person').filter({ hasText: NEW.name }).waitFor();
    await admin.getByTestId('privacy-export').click();
    const last = admin.getByTestId('privacy-last-request');
    await last.getByText('PDF').waitFor();
    const [download] = await Promise.all([admin.waitForEvent('download'), last.getByText('JSON').click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { customer: { name: string; email: string }; tickets: Array<{ fiscalNumber: string }> };
    expect(exported.customer).toMatchObject({ name: NEW.name, email: NEW.email });
    expect(exported.tickets.map((t) => t.fiscalNumber)).toContain(walk.invoiceNumber);
    await adminShot('09-export');

    await admin.getByTestId('privacy-erase-reason').fill('Solicitud del cliente en tienda');
    await admin.getByTestId('privacy-erase').click();
    await admin.getByRole('dialog').getByRole('button', { name: /Suprimir/ }).click();
    await admin.getByTestId('privacy-person').filter({ hasText: 'Cliente suprimido' }).waitFor();
    await adminShot('10-erased');

    // The admin customer search: neither by name nor by email.
    await admin.getByTestId('nav-customers').click();
    for (const q of [NEW.name, NEW.email]) {
      await admin.getByTestId('customers-search').fill(q);
      await expect.poll(async () => (await admin.getByTestId('customers-count').textContent())?.replace(/\D/g, '')).toBe('0');
      expect(await admin.getByTestId('customer-row').count()).toBe(0);
    }
    // Both tills: the feed deletes the customer (by phone, email, card and name: nothing).
    for (const i of [0, 1]) {
      const u = ui[i]!;
      if (!(await u.byTest('customer-dialog').isVisible())) await u.byTest('action-customer').click();
      await until(`the customer gone from till ${i + 1}`, async () => (await tillSearch(i, '699123')).length === 0, 30_000);
      for (const q of [NEW.email, NEW.card, 'Lucía Walk']) expect(await tillSearch(i, q)).toEqual([]);
      await tillShot(i, `${11 + i}-gone-at-till-${i + 1}`);
    }

    // The full invoice stays, with its recipient as issued: at HQ and on the ticket page.
    const kept = hqTicket(walk.invoiceNumber)!;
    expect(kept.doc.customer).toMatchObject({ name: NEW.name, nif: RECIPIENT.nif, address: { street: RECIPIENT.street } });
    await admin.getByTestId('nav-tickets').click();
    await admin.getByTestId('tickets-number').fill(walk.invoiceNumber);
    await admin.getByTestId('tickets-number').press('Enter');
    // Click once the list shows the searched ticket alone: a row clicked while the search re-renders the list was lost.
    await expect.poll(() => admin.getByTestId('ticket-number').count()).toBe(1);
    await admin.getByTestId('ticket-number').filter({ hasText: walk.invoiceNumber }).click();
    await admin.getByTestId('ticket-title').filter({ hasText: walk.invoiceNumber }).waitFor();
    await admin.getByText(`${NEW.name} · ${RECIPIENT.nif}`).waitFor();
    expect(await admin.getByTestId('ticket-kind').textContent()).toBe('Venta · F1 (factura completa)');
    await adminShot('13-invoice-kept');
  });
});
