/**
 * Issue 18, must-be-true 2 (the reports walk), in real Chromium: the real back office (`backoffice/src/main.ts`,
 * SQLite, the built admin UI) on the demo franchise with its ~90 days of sales, and one real till of Alimentación
 * Ruiz paired with HQ by code.
 *   1. HQ opens the dashboard (live over socket.io); the till sells through its own API; the network's tickets
 *      and the store's row move on the open page without a reload.
 *   2. The heatmap, the ABC (Pareto) and the franchise benchmark render over the last 90 days.
 *   3. Sales by store over 90 days exported as XLSX from the page: opened with exceljs, its totals row equals the
 *      totals the screen shows.
 *   4. As Ruiz (franchisee): the dashboard and the sales-by-store report hold only Ruiz's stores.
 * Screenshots: test-results/screenshots/reports-walk-*.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { freePort } from '@tpv/runtime/testing/ports';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';
import { backofficeFolder, pairingCodeFromHq } from '../system/support/paired-terminal';
import { ensureUiBuilt, REPO_ROOT } from '../../../terminal/test/browser/support/seeded-terminal';

const folder = backofficeFolder('tpv-reports-walk-');
const franchise = buildDemoFranchise();
const hqAdmin = franchise.users.find((u) => u.role === 'hq_admin')!;
const ruizUser = franchise.users.find((u) => u.role === 'franchisee_manager' && u.email.startsWith('ruiz'))!;
const ruizStores = franchise.stores.filter((s) => s.companyId === ruizUser.companyId);
const till = franchise.terminals.find((t) => ruizStores.some((s) => s.id === t.storeId))!;
const tillStore = franchise.stores.find((s) => s.id === till.storeId)!;
const cashier = franchise.staff.find((s) => s.storeId === till.storeId && s.role === 'cashier')!;
const product = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0)!;

let url = '';
let tillUrl = '';
let tillToken = '';
let tillProc: Child | undefined;
let browser: Browser & { cleanup(): Promise<void> };
let admin: Page;
// The viewport only: a report's page can be long (ABC over every product).
const shot = (p: Page, name: string) => p.screenshot({ path: screenshotPath(`reports-walk-${name}`) });

async function tillCall(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- the till's JSON
  const res = await fetch(tillUrl + pathname, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(tillToken ? { authorization: `Bearer ${tillToken}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
async function until<T>(what: string, cond: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await cond().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(url);
  await page.getByLabel('Correo electrónico').fill(who.email);
  await page.getByLabel('Contraseña').fill(who.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByTestId('nav-dashboard').waitFor();
}
const newPage = async () => {
  const p = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'es-ES', timezoneId: 'Europe/Madrid', acceptDownloads: true })).newPage();
  p.setDefaultTimeout(30_000);
  return p;
};
/** "1.234,56 €" → cents. */
const cents = (text: string) => Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);

beforeAll(async () => {
  ensureUiBuilt();
  expect(readFileSync(path.join(REPO_ROOT, 'backoffice/ui/dist/index.html'), 'utf8')).toContain('<div id="root">');
  await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: [], history: true });
  const hqPort = await freePort();
  url = `http://127.0.0.1:${hqPort}`;
  await folder.start(hqPort);
  const port = await freePort();
  tillUrl = `http://127.0.0.1:${port}`;
  tillProc = startProcess('till-reports', path.join(REPO_ROOT, 'terminal/src/main.ts'), {
    ...process.env, TPV_DATA_DIR: folder.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(port), TPV_TERMINAL_DB: path.join(folder.dataDir, 'till.sqlite'),
    TPV_BACKOFFICE_URL: url, TPV_DEMO_DEVICES: '0', TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '500', TPV_PAIRING_CODE: await pairingCodeFromHq(url, franchise, till.id),
  });
  await waitForHealth(`${tillUrl}/health`, 120_000);
  await until('the till paired with its catalogue', async () => {
    const s = (await tillCall('GET', '/api/sync/status')).body;
    return s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion;
  }, 90_000);
  const login = await tillCall('POST', '/api/auth/login', { pin: cashier.pin });
  tillToken = login.body.token as string;
  expect((await tillCall('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
  browser = await launchChromium();
  admin = await newPage();
}, 300_000);

afterAll(async () => {
  await browser?.cleanup();
  await tillProc?.stop(2000);
  await folder.cleanup();
});

describe('reports walk: the live dashboard moves when a till sells; heatmap, ABC and benchmark over 90 days; XLSX totals = screen; a franchisee sees only their stores', () => {
  it('1. HQ’s dashboard moves without a reload when the till sells', async () => {
    await signIn(admin, hqAdmin);
    await admin.getByTestId('nav-dashboard').click();
    await expect.poll(() => admin.getByTestId('dash-live').textContent()).toBe('En directo');
    const storeTickets = admin.getByTestId(`dash-store-${tillStore.code}-tickets`);
    await storeTickets.waitFor();
    const before = Number(await admin.getByTestId('dash-network-tickets').textContent());
    const storeBefore = Number(await storeTickets.textContent());
    // A marker on the window: gone if the page reloads.
    await admin.evaluate(() => ((window as unknown as { walkMarker: number }).walkMarker = 42));
    await shot(admin, '01-dashboard-before');

    expect((await tillCall('POST', '/api/cart/scan', { code: product.barcodes[0] })).status).toBe(200);
    const total = (await tillCall('GET', '/api/cart')).body.totals.total as number;
    const sold = await tillCall('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: total }] });
    expect(sold.status).toBe(200);
    await expect.poll(async () => Number(await storeTickets.textContent()), { timeout: 20_000 }).toBe(storeBefore + 1);
    expect(Number(await admin.getByTestId('dash-network-tickets').textContent())).toBe(before + 1);
    expect(await admin.evaluate(() => (window as unknown as { walkMarker?: number }).walkMarker)).toBe(42);
    await shot(admin, '02-dashboard-after-sale');
  });

  it('2. the heatmap, the ABC and the benchmark render over the last 90 days', async () => {
    const t0 = Date.now();
    const lap = (what: string) => console.info(`[reports-walk] ${what}: ${Date.now() - t0} ms`);
    await admin.getByTestId('nav-reports').click();
    await admin.getByTestId('report-heatmap').click();
    await admin.getByTestId('filter-preset').click();
    await admin.getByRole('option', { name: 'Últimos 90 días', exact: true }).click();
    const heat = admin.locator('[data-chart="heatmap"]');
    await heat.waitFor();
    // Opening hours of the demo's stores, 7 weekdays each: a grid with cells shaded. Polled: the
    // chart first draws the default period (today, empty before opening) until the 90 days arrive.
    await expect.poll(() => heat.locator('td').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(7 * 8);
    await shot(admin, '03-heatmap');
    lap('heatmap');

    await admin.goto(`${url}/reports/view/abc?period=last90`);
    const pareto = admin.locator('[data-chart="pareto"]');
    await pareto.waitFor();
    await expect.poll(() => pareto.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(10);
    expect(await pareto.locator('.recharts-line').count()).toBe(1);
    await shot(admin, '04-abc');
    lap('abc');

    await admin.goto(`${url}/reports/view/benchmark?period=last90`);
    await admin.getByTestId('report-table').waitFor();
    expect(await admin.getByTestId('report-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(franchise.stores.length);
    await admin.locator('[data-testid="report-chart"]').waitFor();
    await shot(admin, '05-benchmark');
    lap('benchmark');
  });

  it('3. the XLSX export of sales by store opens with the totals the screen shows', async () => {
    await admin.goto(`${url}/reports/view/sales-by-store?period=last90`);
    await admin.getByTestId('report-totals').waitFor();
    const screenTickets = Number((await admin.getByTestId('total-tickets').textContent())!.replace(/\D/g, ''));
    const screenGross = cents((await admin.getByTestId('total-grossCents').textContent())!);
    expect(screenTickets).toBeGreaterThan(1000);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('export-xlsx').click()]);
    const file = await download.path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.worksheets[0]!;
    const header = (ws.getRow(3).values as unknown[]).map((v) => String(v ?? ''));
    const totalRow = ws.getRow(ws.rowCount);
    expect(totalRow.getCell(1).value).toMatch(/^Total/);
    const col = (label: RegExp) => header.findIndex((h) => label.test(h));
    expect(Number(totalRow.getCell(col(/^Tickets/)).value)).toBe(screenTickets);
    expect(Math.round(Number(totalRow.getCell(col(/^Ventas \(IVA incl\.\)/)).value) * 100)).toBe(screenGross);
    await shot(admin, '06-sales-by-store');
  });

  it('4. Ruiz (franchisee) sees only Ruiz’s stores on the dashboard and in the reports', async () => {
    const page = await newPage();
    await signIn(page, ruizUser);
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId(`dash-store-${tillStore.code}`).waitFor();
    const rows = await page.locator('[data-testid^="dash-store-"][data-testid$="-sales"]').count();
    const codes = await page.locator('tr[data-testid^="dash-store-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('dash-store-', '')));
    expect(codes.sort()).toEqual(ruizStores.map((s) => s.code).sort());
    expect(rows).toBe(ruizStores.length);
    await shot(page, '07-franchisee-dashboard');
    await page.goto(`${url}/reports/view/sales-by-store?period=last90`);
    await page.getByTestId('report-table').waitFor();
    const names = await page.getByTestId('report-table').locator('tbody tr td:first-child').allTextContents();
    expect(names.length).toBe(ruizStores.length);
    for (const n of names) expect(ruizStores.some((s) => n.includes(s.code) || n.includes(s.name))).toBe(true);
    await shot(page, '08-franchisee-report');
  });
});
