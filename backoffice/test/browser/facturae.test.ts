/**
 * Facturae settings in Chromium (issue 12): an HQ admin opens Facturación → Facturae, uploads the
 * franchisor's PKCS#12 (made here with the openssl CLI) — a wrong password is refused on the password field,
 * nothing stored — then with the right one sees its subject, expiry and "Vigente"; gives a public-body
 * customer its DIR3 centres. Screenshot: test-results/screenshots/backoffice-facturae.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
const work = mkdtempSync(path.join(tmpdir(), 'tpv-facturae-ui-'));
const p12 = path.join(work, 'franquicia.p12');

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(work, 'k.pem'), '-out', path.join(work, 'c.pem'), '-days', '30', '-subj', '/C=ES/O=Franquicia S.L./CN=FRANQUICIA SL - B87654321'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(work, 'k.pem'), '-in', path.join(work, 'c.pem'), '-out', p12, '-passout', 'pass:clave-ui'], { stdio: 'ignore' });
  ui = await startAdminUi();
  page = ui.page;
  await ui.ds.query(`INSERT INTO customer (id, nif, name, email, re_regime, credit_limit_cents, active, version) VALUES ('00000000-0000-7000-8008-0000000000b1', 'P2807900B', 'Ayuntamiento de Ejemplo', NULL, false, 0, true, 1)`);
});

afterAll(async () => {
  await ui?.close();
  rmSync(work, { recursive: true, force: true });
});

const count = async (sql: string) => Number((await ui.ds.query(sql))[0].n);

describe('Facturae settings in the admin app', () => {
  it('uploads a company certificate: a wrong password is refused on its field, the right one shows the certificate', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-facturae').click();
    const row = page.getByTestId(`cert-${F.franchisor.nif}`);
    await expect.poll(() => row.textContent()).toContain('Sin certificado');
    await row.getByRole('button', { name: 'Subir certificado' }).click();
    const form = page.getByTestId('certificate-form');
    await form.locator('input[type=file]').setInputFiles(p12);
    await form.getByLabel('Contraseña del certificado').fill('otra');
    await form.getByRole('button', { name: 'Guardar certificado' }).click();
    const pw = form.getByLabel('Contraseña del certificado');
    // The server's message sits under the password field (Mantine's error of that input).
    await expect.poll(() => form.locator('.mantine-PasswordInput-error').textContent().catch(() => '')).toMatch(/contraseña no abre el certificado/);
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_certificate`)).toBe(0);

    await pw.fill('clave-ui');
    await form.getByRole('button', { name: 'Guardar certificado' }).click();
    await expect.poll(() => row.textContent()).toContain('CN=FRANQUICIA SL - B87654321');
    expect(await row.textContent()).toContain('Vigente');
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_certificate`)).toBe(1);
  });

  it('gives a public body its DIR3 centres', async () => {
    const section = page.getByTestId('facturae-recipients');
    await section.getByLabel('Cliente o empresa (nombre o NIF)').fill('Ayunta');
    await page.getByRole('option', { name: /Ayuntamiento de Ejemplo/ }).click();
    const form = page.getByTestId('recipient-form');
    await form.getByLabel('Quiere Facturae').check();
    await form.getByLabel('Oficina contable').fill('L01280796');
    await form.getByLabel('Órgano gestor').fill('L01280796');
    await form.getByLabel('Unidad tramitadora').fill('LA0001234');
    await form.getByLabel('Dirección').fill('Plaza Mayor 1');
    await form.getByLabel('Código postal').fill('28012');
    await form.getByLabel('Población').fill('Madrid');
    await form.getByRole('button', { name: 'Guardar datos Facturae' }).click();
    await expect.poll(() => count(`SELECT COUNT(*) AS n FROM facturae_recipient WHERE unidad_tramitadora = 'LA0001234' AND province = 'Madrid'`)).toBe(1);
    await page.screenshot({ path: screenshotPath('backoffice-facturae'), fullPage: true });
  });
});
