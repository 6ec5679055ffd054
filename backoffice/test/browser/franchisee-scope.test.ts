/**
 * Issue 10, must be true 2, in Chromium: a franchisee manager (Ruiz: stores M001, M002) signed in to the admin
 * app sees only what their role may use and only their companies' data. The menu has no Revisión and no
 * Registro de auditoría (the role lacks review.read and audit.read); Empresas, Tiendas, Usuarios and the
 * ticket search list Ruiz's rows only (Levante's València store sold too); Levante's ticket opened by URL is
 * refused; HQ-only pages opened by URL answer "No autorizado" and their API answers 403 to the manager's token.
 * Screenshot: test-results/screenshots/backoffice-franchisee-scope.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { can } from '../../src/platform/permissions';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let ruizSales: TicketDocument[];
let levanteSale: TicketDocument;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  // Sales in both companies: two at Ruiz's Madrid 1, one at Levante's València 1.
  const m1 = await ui.pairTill(F.t1.id);
  const fm = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 41);
  ruizSales = [fm.sale({ lines: [{ product: F.products[0]!, units: 1 }] }), fm.sale({ lines: [{ product: F.products[1]!, units: 2 }] })];
  expect((await m1.send(ruizSales)).ackedSeq).toBe(2);
  m1.close();
  const v1 = await ui.pairTill(F.t3.id);
  levanteSale = factoryFor(F.t3, F.storeV1, F.levante.nif, 42).sale({ lines: [{ product: F.products[2]!, units: 1 }] });
  expect((await v1.send([levanteSale])).ackedSeq).toBe(1);
  v1.close();
});

afterAll(async () => {
  await ui?.close();
});

const menuLabels = async () => (await page.getByRole('navigation').first().getByRole('link').allTextContents()).map((s) => s.trim());
const token = () => page.evaluate(() => localStorage.getItem('tpv.bo.token'));
const api = async (method: string, pathname: string, body?: unknown) => {
  const res = await fetch(ui.url + pathname, {
    method,
    headers: { authorization: `Bearer ${await token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
};
/** Reads a list page's rows once it has loaded (rows or its empty state). */
async function rowsOf(testId: string): Promise<string[]> {
  const rows = page.getByTestId(testId).locator('tbody tr');
  await page.getByTestId(testId).or(page.getByTestId(`${testId}-empty`)).first().waitFor();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  return rows.allTextContents();
}

describe('a franchisee manager signed in', () => {
  it('sees a menu of what the role may use: no Revisión, no Registro de auditoría', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('nav-tickets').waitFor();
    const labels = await menuLabels();
    expect(labels).toEqual(expect.arrayContaining(['Red de tiendas', 'Terminales', 'Empresas', 'Tiendas', 'Tiques', 'Usuarios']));
    expect(labels).not.toContain('Revisión');
    expect(labels).not.toContain('Registro de auditoría');
    expect(await page.getByTestId('nav-review').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    expect(await page.getByTestId('role').textContent()).toBe('Gerente de franquicia');
    // What the menu mirrors: the role as the server defines it.
    expect(can({ role: 'franchisee_manager' }, 'review.read')).toBe(false);
    expect(can({ role: 'franchisee_manager' }, 'audit.read')).toBe(false);
  });

  it('lists only their company, its stores and its users', async () => {
    await page.getByTestId('nav-companies').click();
    const companies = (await rowsOf('companies')).join('\n');
    expect(companies).toContain('Ruiz S.L.');
    expect(companies).not.toContain('Levante S.L.');
    expect(companies).not.toContain('Franquicia S.L.');
    // The manager may not create companies: no button for it.
    expect(await page.getByRole('button', { name: 'Nueva empresa' }).count()).toBe(0);

    await page.getByTestId('nav-stores').click();
    const stores = await rowsOf('stores');
    await expect.poll(async () => (await page.getByTestId('stores').locator('tbody tr').allTextContents()).length).toBe(2);
    expect(stores.join('\n')).toMatch(/M001[\s\S]*Madrid 1|Madrid 1[\s\S]*M001/);
    expect(stores.join('\n')).toContain('M002');
    expect(stores.join('\n')).not.toContain('V001');
    expect(stores.join('\n')).not.toContain('València');

    await page.getByTestId('nav-users').click();
    const users = (await rowsOf('users')).join('\n');
    expect(users).toContain(F.managerRuiz.email);
    expect(users).not.toContain(F.hq.email);
    expect(users).not.toContain(F.managerLevante.email);
  });

  it('finds only their stores’ tickets; another company’s store is not even a filter option', async () => {
    await page.getByTestId('nav-tickets').click();
    const rows = page.getByTestId('tickets').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const numbers = await page.getByTestId('ticket-number').allTextContents();
    expect(numbers.sort()).toEqual(ruizSales.map((t) => t.fiscalNumber).sort());
    expect(numbers).not.toContain(levanteSale.fiscalNumber);
    // Searching for Levante's number by hand finds nothing.
    await page.getByTestId('tickets-number').fill(levanteSale.fiscalNumber);
    await page.getByTestId('tickets-number').press('Enter');
    await page.getByTestId('tickets-empty').waitFor();
    const storeOptions = await page.getByTestId('tickets-store').locator('option').allTextContents();
    expect(storeOptions).toEqual(expect.arrayContaining(['M001 · Madrid 1', 'M002 · Madrid 2']));
    expect(storeOptions.join('\n')).not.toContain('V001');
    await page.screenshot({ path: screenshotPath('backoffice-franchisee-scope'), fullPage: true });
  });

  it('opening another company’s ticket by URL shows a refusal, not the ticket; its API answers 403', async () => {
    // Their own ticket opens (so the refusal below is about scope, not a broken page).
    await page.goto(`${ui.url}/tickets/${ruizSales[0]!.id}`);
    await expect.poll(() => page.getByTestId('ticket-title').textContent(), { timeout: 10_000 }).toContain(ruizSales[0]!.fiscalNumber);

    await page.goto(`${ui.url}/tickets/${levanteSale.id}`);
    await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toMatch(/outside your scope|No tiene permiso|No autorizado/);
    expect(await page.getByTestId('ticket-title').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(levanteSale.fiscal.hash);
    expect((await api('GET', `/api/tickets/${levanteSale.id}`)).status).toBe(403);
    expect((await api('GET', `/api/tickets/${levanteSale.id}/pdf`)).status).toBe(403);
    expect((await api('GET', `/api/tickets?storeId=${F.storeV1.id}`)).status).toBe(403);
  });

  for (const { path, what, apiCall } of [
    { path: '/review', what: 'the review queue', apiCall: ['GET', '/api/review'] as const },
    { path: '/audit', what: 'the audit log', apiCall: ['GET', '/api/audit'] as const },
    { path: '/organisation/companies/new', what: 'the new-company form', apiCall: ['POST', '/api/companies'] as const },
  ]) {
    it(`${what} by URL answers "No autorizado" / "Not allowed", and its API 403`, async () => {
      await page.goto(ui.url + path);
      const denied = page.getByTestId('not-allowed');
      await denied.waitFor();
      expect(await denied.getByRole('heading').textContent()).toBe('No autorizado');
      expect(await page.getByTestId('company-form').count()).toBe(0);
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => denied.getByRole('heading').textContent()).toBe('Not allowed');
      await page.getByRole('button', { name: 'Español' }).click();
      await expect.poll(() => denied.getByRole('heading').textContent()).toBe('No autorizado');

      const [method, pathname] = apiCall;
      const res = await api(method, pathname, method === 'POST' ? { legalName: 'Intrusa S.L.' } : undefined);
      expect(res.status).toBe(403);
    });
  }

  it('wrote nothing through the refused calls', async () => {
    expect(Number((await ui.ds.query(`SELECT COUNT(*) AS n FROM company WHERE legal_name = 'Intrusa S.L.'`))[0].n)).toBe(0);
  });
});
