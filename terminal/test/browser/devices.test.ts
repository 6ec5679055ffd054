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
import type { Browser } from 'playwright-core';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { startDemoDevices, type DemoDevices, type DemoTillDevices } from '@tpv/scripts/src/demo-devices';
import { writeDevicesFile } from '@tpv/terminal/devices/config';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';
import { openTillPage, type TillPage } from './support/till-page';

let terminal: SeededTerminal;
let devices: DemoDevices;
let till: DemoTillDevices;
let browser: Browser & { cleanup(): Promise<void> };
let ui: TillPage;
const configDir = mkdtempSync(path.join(os.tmpdir(), 'tpv-devices-browser-'));
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
  ui = await openTillPage(browser, terminal);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
  await devices?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

/** Scans the product, pays with a 10 € note and waits for the "sale done" panel. */
async function sellOneForCash(): Promise<void> {
  await ui.wedgeScan(product.code);
  await ui.countOf('[data-testid=ticket-line]', 1);
  await ui.byTest('action-pay').click();
  await ui.byTest('pay-method-cash').click();
  await ui.byTest('cash-10').click();
  await ui.byTest('pay-confirm').click();
  await ui.byTest('sale-done').waitFor();
}

describe('devices on the cashier screen (virtual printer as in the demo)', () => {
  it('sells one item for cash; the virtual printer prints it and the drawer opens', async () => {
    await ui.typePin(ui.byTest('pinpad'), '9999');
    await ui.see(ui.byTest('cashier-name'), 'Marta Ruiz');
    await ui.byTest('open-session-screen').waitFor();
    await ui.byTest('denominations').getByRole('button', { name: 'Uno más de 20 €', exact: true }).click();
    await ui.byTest('open-session').click();
    await ui.byTest('sell-screen').waitFor();
    await sellOneForCash();
    const number = ((await ui.byTest('done-number').textContent()) ?? '').trim();
    await ui.until('the printed receipt', () => till.printer.receipts.some((r) => r.barcodes.some((b) => b.data === number)));
    await ui.until('the drawer pulse', () => till.printer.drawer.opens >= 1);
  });

  it('shows the printed receipt as an image in "Últimos tiques"', async () => {
    await ui.byTest('next-sale').click();
    await ui.byTest('nav-receipts').click();
    await ui.byTest('last-receipts').waitFor();
    expect(await ui.byTest('last-receipts').getAttribute('data-source')).toBe('printer');
    const img = ui.byTest('last-receipt').first().locator('img');
    expect(await img.getAttribute('alt')).toContain(product.name.slice(0, 20));
    await ui.page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('[data-testid=last-receipt] img');
      return !!i && i.complete && i.naturalWidth > 0;
    });
    await ui.shot('devices-01-last-receipt');
  });

  it('the settings page shows live status, test-prints and opens the drawer (audited)', async () => {
    await ui.byTest('nav-devices').click();
    await ui.byTest('devices-screen').waitFor();
    await ui.see(ui.byTest('status-printer'), 'Lista');
    await ui.see(ui.byTest('status-printer'), till.printer.url);
    if (till.scanner) {
      await ui.see(ui.byTest('status-scanner'), 'Conectado');
      await till.scanner.scan('8410000000000');
      await ui.see(ui.byTest('status-scanner'), '8410000000000');
    }
    expect(await ui.byTest('cfg-printer-kind').inputValue()).toBe('escpos-tcp');
    const receiptsBefore = till.printer.receipts.length;
    await ui.byTest('devices-test-print').click();
    await ui.see(ui.byTest('flash-success'), 'Página de prueba impresa');
    await ui.until('the test page', () => till.printer.receipts.length === receiptsBefore + 1);
    expect(till.printer.last!.lines.join('\n')).toContain('PRUEBA DE IMPRESORA');
    till.printer.drawer.close();
    const opens = till.printer.drawer.opens;
    await ui.byTest('devices-open-drawer').click();
    await ui.see(ui.byTest('flash-success'), 'Cajón abierto');
    await ui.until('the drawer', () => till.printer.drawer.opens === opens + 1);
    if (till.display) await ui.see(ui.byTest('status-pole'), 'CAMBIO');
    await ui.shot('devices-02-settings');
  });

  it('refuses a bad configuration with the field named, and changes nothing', async () => {
    await ui.byTest('cfg-printer-interface').fill('impresora-de-la-caja');
    await ui.byTest('devices-save').click();
    await ui.see(ui.byTest('cfg-errors'), 'printer.interface');
    const api = await (await fetch(`${terminal.url}/api/state`)).json() as { printer: { online: boolean } };
    expect(api.printer.online).toBe(true);
    await ui.byTest('cfg-printer-interface').fill(till.printer.url);
  });

  it('says what is wrong with the printer, with the queued receipts, and prints them when it is fixed', async () => {
    till.printer.setPaperOut(true);
    await ui.see(ui.byTest('banner-printer'), 'sin papel');
    await ui.byTest('nav-sell').click();
    await ui.byTest('sell-screen').waitFor();
    await sellOneForCash();
    await ui.see(ui.byTest('banner-printer'), 'Tiques en cola: 1');
    await ui.shot('devices-03-printer-paper-out');
    const number = ((await ui.byTest('done-number').textContent()) ?? '').trim();
    till.printer.setPaperOut(false);
    await ui.until('the queued receipt', () => till.printer.receipts.some((r) => r.barcodes.some((b) => b.data === number)), 15_000);
    await ui.byTest('banner-printer').waitFor({ state: 'detached', timeout: 10_000 });
    expect(ui.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
