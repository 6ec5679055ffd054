/**
 * The admin app's shell in Chromium against a real back office on SQLite: the menu follows the user's role
 * (HQ sees Revisión, a franchisee manager does not), a page the user may not use answers "No autorizado"
 * even when opened by URL (and its API 403), the language switch relabels the shell and the page, a list's
 * search and sort live in the URL (a link reproduces the view), and an API refusal shows as an error state.
 * Screenshot: test-results/screenshots/backoffice-not-allowed.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
});

afterAll(async () => {
  await ui?.close();
});

const menu = () => page.getByRole('navigation').first();
// Menu sections in order: operation, inventory and orders, invoicing, treasury, accounting, master data, administration.
const HQ_MENU_ES = ['Red de tiendas', 'Terminales', 'Tiques', 'Vales regalo', 'Cuadro de mando', 'Bandeja de informes', 'Informes', 'Ventas', 'Incidencias', 'Auditorías de tienda', 'Acciones correctivas', 'Indicadores de calidad', 'Bloqueos y retiradas', 'Avisos a tiendas', 'Tareas de tiendas', 'Documentos', 'Personal y jornada', 'Ausencias y vacaciones', 'Inspección de Trabajo', 'Diseño del ticket', 'Programa de puntos', 'Puntos de clientes', 'Pasivo y liquidación de puntos', 'Revisión', 'Stock', 'Valoración de stock', 'Traspasos', 'Recuentos', 'Regularizaciones', 'Reposición', 'Reglas de reposición', 'Alertas de stock', 'Pedidos de compra', 'Recepción', 'Pedidos de reposición', 'Albaranes', 'Precios mayoristas', 'Devoluciones a proveedor', 'Facturas emitidas', 'Cánones y mayorista', 'Facturas de proveedor', 'Libros registro', 'Veri*Factu', 'Facturae', 'Cobros y pagos', 'Extracto de cuenta', 'Antigüedad de saldos', 'Reclamaciones', 'Control de crédito', 'Mandatos SEPA', 'Remesas', 'Extractos bancarios', 'Plan de cuentas', 'Asientos', 'Asientos periódicos', 'Periodos', 'Reglas de contabilización', 'Libro diario', 'Libro mayor', 'Sumas y saldos', 'Pérdidas y ganancias', 'Balance', 'Ventas de las cajas', 'IVA: modelo 303', 'Modelo 347', 'Variación de existencias', 'Exportar a gestoría', 'Empresas', 'Tiendas', 'Almacenes', 'Artículos', 'Categorías', 'Proveedores', 'Precios', 'Importar artículos', 'Clientes', 'Duplicados', 'Segmentos', 'Promociones', 'Ahorro por promoción', 'Usuarios', 'Registro de auditoría', 'Protección de datos', 'Solicitudes RGPD', 'Accesos a datos personales', 'Tareas'];
const HQ_MENU_EN = ['Store network', 'Terminals', 'Tickets', 'Gift vouchers', 'Dashboard', 'Report inbox', 'Reports', 'Sales', 'Incidents', 'Store audits', 'Corrective actions', 'Quality figures', 'Blocks and recalls', 'Notices to stores', 'Store tasks', 'Documents', 'People and working time', 'Absences and holidays', 'Labour inspectorate', 'Receipt design', 'Loyalty programme', 'Customer points', 'Points liability and settlement', 'Review', 'Stock', 'Stock valuation', 'Transfers', 'Stock counts', 'Adjustments', 'Restocking', 'Restock rules', 'Stock alerts', 'Purchase orders', 'Receiving', 'Replenishment orders', 'Delivery notes', 'Wholesale prices', 'Supplier returns', 'Issued invoices', 'Fees and wholesale', 'Supplier invoices', 'VAT books', 'Veri*Factu', 'Facturae', 'Collections & payments', 'Statement of account', 'Aging of balances', 'Dunning', 'Credit control', 'SEPA mandates', 'Remittances', 'Bank statements', 'Chart of accounts', 'Journal entries', 'Recurring entries', 'Periods', 'Posting rules', 'Journal', 'General ledger', 'Trial balance', 'Profit and loss', 'Balance sheet', 'Till sales', 'VAT return (303)', 'Annual statement (347)', 'Stock variation', "Export for the accountant's office", 'Companies', 'Stores', 'Warehouses', 'Products', 'Categories', 'Suppliers', 'Prices', 'Import products', 'Customers', 'Duplicates', 'Segments', 'Promotions', 'Savings by promotion', 'Users', 'Audit log', 'Data protection', 'GDPR requests', 'Personal data access', 'Jobs'];
const menuLabels = async () => (await menu().getByRole('link').allTextContents()).map((s) => s.trim());

describe('admin app shell', () => {
  it('checks the sign-in form with the API’s schema before sending it, in Spanish', async () => {
    await page.goto(ui.url);
    const email = page.getByLabel('Correo electrónico');
    await email.fill('x');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const message = await page.locator(`#${await email.getAttribute('aria-describedby')}`).first().textContent();
    expect(message).toMatch(/Demasiado|inválid/i); // zod's message in the user's language, under the field
    expect(await page.getByRole('alert').filter({ hasText: 'incorrectos' }).count()).toBe(0); // nothing sent
    await email.fill('');
  });

  it('shows HQ every menu entry, Revisión included, with the user and their role in the header', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-review').waitFor();
    expect(await menuLabels()).toEqual(HQ_MENU_ES);
    expect(await page.getByTestId('user').textContent()).toContain('HQ');
    expect(await page.getByTestId('role').textContent()).toMatch(/^(Central|Administración central)$/);
    // The start page is the first entry the user has.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/network');
  });

  it('keeps a list’s filters in the URL; "Quitar filtros" goes back to the page’s defaults', async () => {
    await page.getByTestId('nav-review').click();
    const status = page.getByTestId('review-status');
    await status.waitFor();
    await expect.poll(() => status.inputValue()).toBe('open'); // open items by default
    await status.selectOption(''); // "todos"
    await expect.poll(() => new URL(page.url()).search).toBe('?status=');
    await page.getByTestId('review-kind').selectOption('break');
    await expect.poll(() => new URL(page.url()).searchParams.get('kind')).toBe('break');
    await page.reload();
    await status.waitFor();
    // The select may first render its default before the page reads the URL's filters: wait for them.
    await expect.poll(() => status.inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('review-kind').inputValue()).toBe('break');
    await page.getByRole('button', { name: 'Quitar filtros' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(() => status.inputValue()).toBe('open');
    expect(await page.getByRole('button', { name: 'Quitar filtros' }).count()).toBe(0);
    await page.getByTestId('nav-network').click();
  });

  it('switches the labels to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(menuLabels).toEqual(HQ_MENU_EN);
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Companies, stores and terminals');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(menuLabels).toEqual(HQ_MENU_ES);
    await page.getByRole('button', { name: 'Salir' }).click();
  });

  it('hides Revisión from a franchisee manager and answers "No autorizado" when they open it by URL', async () => {
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('nav-terminals').waitFor();
    // Polled: the menu is first built from the login answer, then from /api/auth/me (the same grants).
    await expect.poll(menuLabels).toEqual(['Red de tiendas', 'Terminales', 'Tiques', 'Vales regalo', 'Cuadro de mando', 'Bandeja de informes', 'Informes', 'Ventas', 'Incidencias', 'Auditorías de tienda', 'Acciones correctivas', 'Indicadores de calidad', 'Bloqueos y retiradas', 'Avisos a tiendas', 'Tareas de tiendas', 'Documentos', 'Personal y jornada', 'Ausencias y vacaciones', 'Inspección de Trabajo', 'Diseño del ticket', 'Programa de puntos', 'Puntos de clientes', 'Stock', 'Valoración de stock', 'Traspasos', 'Recuentos', 'Regularizaciones', 'Reposición', 'Reglas de reposición', 'Alertas de stock', 'Pedidos de reposición', 'Albaranes', 'Precios mayoristas', 'Devoluciones a proveedor', 'Facturas emitidas', 'Facturas de proveedor', 'Libros registro', 'Veri*Factu', 'Facturae', 'Cobros y pagos', 'Extracto de cuenta', 'Antigüedad de saldos', 'Reclamaciones', 'Control de crédito', 'Mandatos SEPA', 'Remesas', 'Extractos bancarios', 'Plan de cuentas', 'Asientos', 'Asientos periódicos', 'Periodos', 'Reglas de contabilización', 'Libro diario', 'Libro mayor', 'Sumas y saldos', 'Pérdidas y ganancias', 'Balance', 'Ventas de las cajas', 'IVA: modelo 303', 'Modelo 347', 'Variación de existencias', 'Exportar a gestoría', 'Empresas', 'Tiendas', 'Almacenes', 'Artículos', 'Categorías', 'Proveedores', 'Precios', 'Promociones', 'Ahorro por promoción', 'Usuarios', 'Tareas']);
    expect(await page.getByTestId('role').textContent()).toBe('Gerente de franquicia');

    await page.goto(`${ui.url}/review`);
    const denied = page.getByTestId('not-allowed');
    await denied.waitFor();
    expect(await denied.getByRole('heading').textContent()).toBe('No autorizado');
    expect(await page.getByTestId('review').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('backoffice-not-allowed'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => denied.getByRole('heading').textContent()).toBe('Not allowed');
    await page.getByRole('button', { name: 'Español' }).click();

    // The server says the same: the review API refuses the manager.
    const token = await page.evaluate(() => localStorage.getItem('tpv.bo.token'));
    const res = await fetch(`${ui.url}/api/review`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);

    // Fee and wholesale runs are the franchisor's: no menu entry, "No autorizado" by URL, 403 from the API.
    await page.goto(`${ui.url}/invoicing/runs`);
    await denied.waitFor();
    expect(await page.getByTestId('nav-fee-runs').count()).toBe(0);
    expect((await fetch(`${ui.url}/api/invoicing/runs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it('keeps a list’s search and sort in the URL, so a link reproduces the view', async () => {
    await page.goto(`${ui.url}/terminals`);
    const rows = page.getByTestId('terminals').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByTestId('sort-code').click();
    await page.getByTestId('sort-code').click(); // ascending, then descending
    await expect.poll(() => new URL(page.url()).search).toBe('?sort=code&dir=desc');
    await expect.poll(() => rows.first().textContent()).toContain('M001 · 02');
    await page.getByTestId('terminals-search').fill('Caja 01');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('Caja 01');

    // The same address in a fresh load shows the same view.
    await page.goto(`${ui.url}/terminals?sort=code&dir=desc`);
    await expect.poll(() => rows.count()).toBe(2);
    await expect.poll(() => rows.first().textContent()).toContain('M001 · 02');
    expect(await page.getByTestId('sort-code').textContent()).toContain('▼');
  });

  it('asks before a destructive action, and cancelling changes nothing', async () => {
    await page.goto(`${ui.url}/terminals`);
    const rows = page.getByTestId('terminals').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.first().getByTestId('replace').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('¿Sustituir esta caja por un equipo nuevo?');
    await dialog.getByTestId('cancel').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(2); // no new till
    expect(await rows.first().getByTestId('terminal-status').textContent()).not.toContain('sustituida');
  });

  it('offers CSV/XLSX export of the same query once a route answers the list contract', async () => {
    // Today's sales route answers an array (no export); a converted one answers a page and ?format=csv|xlsx.
    // The network answers stand in for the converted route; what is checked is what the UI asks and offers.
    await page.goto(`${ui.url}/reports/sales`);
    await page.getByTestId('sales-list').waitFor();
    expect(await page.getByTestId('export').count()).toBe(0);
    const asked: URL[] = [];
    await page.route('**/api/sales/daily?**', async (route) => {
      const u = new URL(route.request().url());
      asked.push(u);
      if (u.searchParams.get('format') === 'csv')
        return route.fulfill({ status: 200, headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="ventas-m001.csv"' }, body: 'day;store\n2026-11-23;M001\n' });
      const item = { businessDate: '2026-11-23', storeId: F.storeM1.id, storeCode: 'M001', storeName: 'Madrid 1', tickets: 2, returns: 0, totalCents: 1000, taxCents: 174 };
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [item], page: 1, pageSize: 50, total: 1, hasMore: false }) });
    });
    await page.goto(`${ui.url}/reports/sales?storeId=${F.storeM1.id}&sort=businessDate&dir=desc`);
    await page.getByTestId('export').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    expect((await download).suggestedFilename()).toBe('ventas-m001.csv');
    const csv = asked.find((u) => u.searchParams.get('format') === 'csv')!;
    expect(Object.fromEntries(csv.searchParams)).toEqual({ storeId: F.storeM1.id, sort: 'businessDate', dir: 'desc', format: 'csv' });
    const list = asked.find((u) => !u.searchParams.has('format'))!;
    expect(Object.fromEntries(list.searchParams)).toEqual({ page: '1', pageSize: '50', storeId: F.storeM1.id, sort: 'businessDate', dir: 'desc' });
    await page.unroute('**/api/sales/daily?**');
  });

  it('shows the API’s refusal as an error state, and an unknown address as not found', async () => {
    // Another company's store, by URL: the stock API answers 403 problem+json, shown with its reason.
    await page.goto(`${ui.url}/stock?storeId=${F.storeV1.id}`);
    const error = page.getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/.+/);
    expect(await page.getByTestId('stock').count()).toBe(0);
    await page.goto(`${ui.url}/no-such-page`);
    await page.getByTestId('not-found').waitFor();
    // A page whose code cannot be fetched (say, replaced by a deployment): an error page inside the shell.
    await page.route('**/assets/NetworkPage-*.js', (r) => r.abort());
    await page.goto(`${ui.url}/network`);
    await page.getByTestId('route-error').waitFor();
    expect(await page.getByTestId('route-error').getByRole('heading').textContent()).toBe('Esta página ha fallado');
    expect(await page.getByTestId('nav-stock').count()).toBe(1); // the menu is still there
    await page.unroute('**/assets/NetworkPage-*.js');
  });

  it('folds the menu behind a button on a narrow screen, and on a tablet shows it beside the page', async () => {
    await page.setViewportSize({ width: 1024, height: 768 }); // a tablet in landscape
    await page.goto(`${ui.url}/stock`);
    await page.getByTestId('stock-list').waitFor();
    // On screen: a collapsed menu slides out of the viewport (left of it) rather than disappearing.
    const onScreen = async () => ((await page.getByTestId('nav-sales').boundingBox())?.x ?? -1) >= 0;
    expect(await onScreen()).toBe(true);
    await page.screenshot({ path: screenshotPath('backoffice-tablet'), fullPage: true });
    await page.setViewportSize({ width: 600, height: 900 });
    const burger = page.getByRole('button', { name: 'Menú' });
    await burger.waitFor();
    await expect.poll(onScreen).toBe(false);
    await burger.click();
    await expect.poll(onScreen).toBe(true);
    await page.screenshot({ path: screenshotPath('backoffice-narrow') });
    await page.getByTestId('nav-sales').click();
    await page.getByTestId('sales-list').waitFor();
    await expect.poll(onScreen).toBe(false); // closed after choosing
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('sends the user back to the sign-in form, saying why, when the server ends the session', async () => {
    await page.goto(`${ui.url}/terminals`);
    await page.getByTestId('terminals').waitFor();
    const token = await page.evaluate(() => localStorage.getItem('tpv.bo.token'));
    const out = await fetch(`${ui.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204); // e.g. signed out in another tab
    // The next refresh of the list (every 5 s) meets a 401.
    await page.getByTestId('session-expired').waitFor();
    expect(await page.getByTestId('session-expired').textContent()).toContain('Su sesión ha terminado');
    expect(await page.getByTestId('nav-terminals').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/terminals'); // signing in again returns here
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('terminals').waitFor();
  });
});
