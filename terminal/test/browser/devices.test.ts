/**
 * A demo-like till: the real terminal service with the demo launcher's virtual devices (a raw-TCP ESC/POS
 * printer with its kick drawer and preview endpoint; serial scanner and pole display on socat PTYs when
 * socat is installed), configured through its devices file. The manager sells, sees the printed receipt in
 * "Últimos tiques", uses the device settings page, and sees the banner say what is wrong with the printer.
 * Screenshots: test-results/screenshots/devices-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '@tpv/runtime/testing/chromium';
import { startDemoDevices, type DemoDevices, type DemoTillDevices } from '@tpv/scripts/src/demo-devices';
import { writeDevicesFile } from '@tpv/terminal/devices/config';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';

let terminal: SeededTerminal;
let devices: DemoDevices;
let till: DemoTillDevices;
let browser: Browser & { cleanup(): Promise<void> };
let page: Page;
const configDir = mkdtempSync(path.join(os.tmpdir(), 'tpv-devices-browser-'));
const consoleErrors: string[] = [];
let product: { code: string; name: string; price: number };

beforeAll(async () => {
  devices = await startDemoDevices(['M001-01']);
  till = devices.tills.get('M001-01')!;
  const file = path.join(configDir, 'devices-M001-01.json');
  writeDevicesFile(file, till.config);
  terminal = await startSeededTerminal({ env: { TPV_DEVICES_FILE: file } });
  const f = terminal.franchise;
  const p = f.products.find((x) => !x.weighed && x.taxRateBp === 2100)!;
  product = { code: p.barcodes[0]!, name: p.name, price: f.storePrices.find((s) => s.storeId === terminal.terminal.storeId && s.productId === p.id)!.priceCents };

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  await page.addInitScript(() => localStorage.setItem('tpv.scanner', JSON.stringify({ maxGapMs: 150 })));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(terminal.url);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
  await devices?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: screenshotPath(name) });
const byTest = (id: string) => page.getByTestId(id);

async function see(locator: Locator, text: string, timeout = 10_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const actual = await locator.first().textContent().catch(() => null);
    throw new Error(`expected ${locator} to show "${text}", it shows ${JSON.stringify(actual)}\n--- service output ---\n${terminal.output().slice(-3000)}`);
  }
}

async function typePin(pad: Locator, pin: string): Promise<void> {
  for (const d of pin) await pad.getByRole('button', { name: d, exact: true }).click();
  await pad.getByRole('button', { name: /Entrar|Sign in/ }).click();
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${terminal.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('devices on the cashier screen (virtual printer as in the demo)', () => {
  it('sells one item for cash; the virtual printer prints it and the drawer opens', async () => {
    await typePin(byTest('pinpad'), '9999');
    await see(byTest('cashier-name'), 'Marta Ruiz');
    await byTest('open-session-screen').waitFor();
    await byTest('denominations').getByRole('button', { name: 'Uno más de 20 €', exact: true }).click();
    await byTest('open-session').click();
    await byTest('sell-screen').waitFor();
    await page.keyboard.type(product.code);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=ticket-line]').length === 1);
    await byTest('action-pay').click();
    await byTest('pay-method-cash').click();
    await byTest('cash-10').click();
    await byTest('pay-confirm').click();
    await byTest('sale-done').waitFor();
    const number = ((await byTest('done-number').textContent()) ?? '').trim();
    await until('the printed receipt', () => till.printer.receipts.some((r) => r.barcodes.some((b) => b.data === number)));
    await until('the drawer pulse', () => till.printer.drawer.opens >= 1);
  });

  it('shows the printed receipt as an image in "Últimos tiques"', async () => {
    await byTest('next-sale').click();
    await byTest('nav-receipts').click();
    await byTest('last-receipts').waitFor();
    expect(await byTest('last-receipts').getAttribute('data-source')).toBe('printer');
    const img = byTest('last-receipt').first().locator('img');
    expect(await img.getAttribute('alt')).toContain(product.name.slice(0, 20));
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('[data-testid=last-receipt] img');
      return !!i && i.complete && i.naturalWidth > 0;
    });
    await shot('devices-01-last-receipt');
  });

  it('the settings page shows live status, test-prints and opens the drawer (audited)', async () => {
    await byTest('nav-devices').click();
    await byTest('devices-screen').waitFor();
    await see(byTest('status-printer'), 'Lista');
    await see(byTest('status-printer'), till.printer.url);
    if (till.scanner) {
      await see(byTest('status-scanner'), 'Conectado');
      await till.scanner.scan('8410000000000');
      await see(byTest('status-scanner'), '8410000000000');
    }
    expect(await byTest('cfg-printer-kind').inputValue()).toBe('escpos-tcp');
    const receiptsBefore = till.printer.receipts.length;
    await byTest('devices-test-print').click();
    await see(byTest('flash-success'), 'Página de prueba impresa');
    await until('the test page', () => till.printer.receipts.length === receiptsBefore + 1);
    expect(till.printer.last!.lines.join('\n')).toContain('PRUEBA DE IMPRESORA');
    till.printer.drawer.close();
    const opens = till.printer.drawer.opens;
    await byTest('devices-open-drawer').click();
    await see(byTest('flash-success'), 'Cajón abierto');
    await until('the drawer', () => till.printer.drawer.opens === opens + 1);
    if (till.display) await see(byTest('status-pole'), 'CAMBIO');
    await shot('devices-02-settings');
  });

  it('refuses a bad configuration with the field named, and changes nothing', async () => {
    await byTest('cfg-printer-interface').fill('impresora-de-la-caja');
    await byTest('devices-save').click();
    await see(byTest('cfg-errors'), 'printer.interface');
    const api = await (await fetch(`${terminal.url}/api/state`)).json() as { printer: { online: boolean } };
    expect(api.printer.online).toBe(true);
    await byTest('cfg-printer-interface').fill(till.printer.url);
  });

  it('says what is wrong with the printer, with the queued receipts, and prints them when it is fixed', async () => {
    till.printer.setPaperOut(true);
    await see(byTest('banner-printer'), 'sin papel');
    await byTest('nav-sell').click();
    await byTest('sell-screen').waitFor();
    await page.keyboard.type(product.code);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=ticket-line]').length === 1);
    await byTest('action-pay').click();
    await byTest('pay-method-cash').click();
    await byTest('cash-10').click();
    await byTest('pay-confirm').click();
    await byTest('sale-done').waitFor();
    await see(byTest('banner-printer'), 'Tiques en cola: 1');
    await shot('devices-03-printer-paper-out');
    const number = ((await byTest('done-number').textContent()) ?? '').trim();
    till.printer.setPaperOut(false);
    await until('the queued receipt', () => till.printer.receipts.some((r) => r.barcodes.some((b) => b.data === number)), 15_000);
    await byTest('banner-printer').waitFor({ state: 'detached', timeout: 10_000 });
    expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
