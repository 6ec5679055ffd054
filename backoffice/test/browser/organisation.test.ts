/**
 * Issue 10, "must be true" 1 (first half) in Chromium: HQ admin creates a franchisee company with its
 * contract, a store and a terminal in the admin app, and a till pairs with the code the page shows; its
 * first sale reaches HQ. Bad input (a NIF with a wrong check digit) is refused on the field, nothing saved.
 * The steps live in ./support/organisation-ui.ts for the tests that go on to sell and search tickets.
 * Screenshots: test-results/screenshots/backoffice-org-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';
import { addContract, addTerminal, createCompany, createStore, pairTillWithCode, type CompanyInput } from './support/organisation-ui';

let ui: AdminUi;
let page: Page;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
});

afterAll(async () => {
  await ui?.close();
});

const COMPANY: CompanyInput = {
  legalName: 'Alimentación Sur S.L.',
  tradeName: 'Mercado Verde Sur',
  nif: 'B76543214', // 7,5,3,1 doubled → 5+1+6+2 = 14; + 6+4+2 = 26 → check digit 4
  iban: 'ES91 2100 0418 4502 0005 1332',
  address: { street: 'Calle Betis 10', postalCode: '41010', city: 'Sevilla', province: 'Sevilla' },
  contact: { name: 'Manuel Sur', role: 'Gerente', email: 'manuel@sur.example', phone: '+34 954 000 000' },
};

describe('organisation in the admin app', () => {
  let companyId = '';
  let storeId = '';

  it('refuses a NIF with a wrong check digit on its field, saving nothing', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-companies').click();
    await page.getByRole('button', { name: 'Nueva empresa' }).click();
    await page.getByLabel('NIF / CIF').fill('B76543215');
    await page.getByLabel('Razón social').click();
    const nif = page.getByLabel('NIF / CIF');
    await expect.poll(() => nif.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await nif.getAttribute('aria-describedby')}`).first().textContent()).toMatch(/control/);
    await page.getByRole('button', { name: 'Guardar' }).click();
    expect(new URL(page.url()).pathname).toBe('/organisation/companies/new');
    expect(Number((await ui.ds.query(`SELECT COUNT(*) AS n FROM company WHERE nif = 'B76543215'`))[0].n)).toBe(0);
  });

  it('creates a franchisee company with its contact and contract', async () => {
    companyId = await createCompany(page, COMPANY);
    const detail = page.getByTestId('company-detail');
    expect(await detail.textContent()).toContain('ES9121000418450200051332');
    expect(await page.getByTestId('company-contacts').textContent()).toContain('manuel@sur.example');
    await addContract(page, { startsOn: '2026-01-01', endsOn: '2030-12-31', royaltyPct: '4.5', marketingPct: '1.5' });
    const row = page.getByTestId('contracts').locator('tbody tr').first();
    expect(await row.textContent()).toMatch(/2026-01-01.*2030-12-31.*4,50 %.*1,50 %/);
    expect(await row.textContent()).toContain('en vigor');
    const [k] = await ui.ds.query(`SELECT royalty_bp, marketing_fee_bp FROM franchise_contract WHERE company_id = '${companyId}'`);
    expect(k).toMatchObject({ royalty_bp: 450, marketing_fee_bp: 150 });
    await page.screenshot({ path: screenshotPath('backoffice-org-company'), fullPage: true });
    // The same page in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('contracts').textContent()).toMatch(/Franchise contracts.*Royalty % of net sales.*in force/);
    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(() => page.getByTestId('contracts').textContent()).toContain('Contratos de franquicia');
  });

  it('creates a store of that company with its time zone, area and opening hours', async () => {
    storeId = await createStore(page, { code: 'S001', name: 'Sevilla Triana', company: 'Mercado Verde Sur', address: COMPANY.address, timezone: 'Europe/Madrid', areaM2: '210' });
    expect(await page.getByTestId('store-detail').textContent()).toMatch(/Mercado Verde Sur.*Calle Betis 10.*Europe\/Madrid.*210 m²/);
    expect(await page.getByTestId('store-hours').textContent()).toContain('09:00–21:00');
    expect((await ui.ds.query(`SELECT company_id FROM store WHERE id = '${storeId}'`))[0].company_id).toBe(companyId);
  });

  it('adds a terminal, shows its pairing code, and a till pairs with it and syncs a sale', async () => {
    const { tillCode, pairingCode } = await addTerminal(page, 'Caja 1');
    expect(tillCode).toBe('01');
    expect(pairingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await page.screenshot({ path: screenshotPath('backoffice-org-terminal'), fullPage: true });
    const { terminalId, identity, till } = await pairTillWithCode(ui.url, pairingCode);
    try {
      expect(identity).toMatchObject({ storeCode: 'S001', terminalCode: '01', companyNif: COMPANY.nif, storeAddress: 'Calle Betis 10, 41010 Sevilla (Sevilla)' });
      const f = factoryFor({ id: terminalId, code: '01', installation: identity.installation! }, { id: storeId, code: 'S001' }, COMPANY.nif, 7);
      await till.send([f.sale({ lines: [{ product: F.products[0]!, units: 1 }] })]);
      expect(Number((await ui.ds.query(`SELECT COUNT(*) AS n FROM sale_ticket WHERE store_id = '${storeId}'`))[0].n)).toBe(1);
    } finally {
      till.close();
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('terminal-01').getByTestId('terminal-state').textContent()).toBe('emparejada');
  });
});
