/**
 * The till's Almacén screen in Chromium on a real terminal process paired (by code) with the in-memory back
 * office: receiving an expected delivery note by keyboard-wedge scans (one item short, one damaged), a
 * blind count, a replenishment request, the stock of a scanned item here and nearby — then head office goes
 * away: a count made offline waits in the outbox and goes up once it is back; the lookup says it is offline.
 * Screenshots: test-results/screenshots/till-stock-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '@tpv/runtime/testing/chromium';
import { buildDemoFranchise } from '@tpv/scripts/src/seed/demo-franchise';
import type { TerminalIdentity } from '@tpv/terminal/identity';
import type { TillDeliveryReceipt } from '@tpv/shared/wire/upward';
import { FakeHq } from '../support/fake-hq';
import { startSeededTerminal, type SeededTerminal } from './support/seeded-terminal';
import { openTillPage, type TillPage } from './support/till-page';

let hq: FakeHq;
let terminal: SeededTerminal;
let browser: Browser & { cleanup(): Promise<void> };
let ui: TillPage;
const f = buildDemoFranchise();
const till = f.terminals[0]!;
const store = f.stores.find((s) => s.id === till.storeId)!;
const company = f.companies.find((c) => c.id === store.companyId)!;
const [a, b] = f.products.filter((p) => !p.weighed && p.barcodes.length > 0);

const documentsOf = (kind: string) => [...hq.upward.values()].filter((u) => u.doc.kind === kind).map((u) => u.doc.payload);

beforeAll(async () => {
  // The identity the seeded till has (scripts/src/seed/write.ts): pairing hands it back unchanged.
  const identity: TerminalIdentity = {
    terminalId: till.id, terminalCode: till.code, terminalName: till.name, storeId: store.id, storeCode: store.code, storeName: store.name,
    storeAddress: store.address, timezone: store.timezone, companyId: company.id, companyNif: company.nif, companyLegalName: company.legalName,
    companyTradeName: company.tradeName, installation: till.installation,
  };
  hq = new FakeHq();
  await hq.listen();
  hq.addTerminal(identity);
  const code = hq.pairingCode(till.id);
  terminal = await startSeededTerminal({
    env: { TPV_BACKOFFICE_URL: hq.url, TPV_PAIRING_CODE: code, TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '1000' },
  });
  browser = await launchChromium();
  ui = await openTillPage(browser, terminal);
});

afterAll(async () => {
  await browser?.cleanup();
  await terminal?.stop();
  await hq?.close();
});

describe('till Almacén screen', () => {
  it('receives the expected delivery note by scanning: one item short, one damaged', async () => {
    await ui.typePin(ui.byTest('pinpad'), '1111');
    await ui.byTest('open-session-screen').waitFor();
    await ui.byTest('denominations').getByRole('button', { name: 'Uno más de 20 €', exact: true }).click();
    await ui.byTest('open-session').click();
    await ui.byTest('sell-screen').waitFor();
    // Shipped once the till is paired and connected (pairing takes the feed as it stands as already held).
    await ui.until('till connected', () => hq.connections > 0);
    hq.publish([
      {
        entity: 'delivery_note', id: 'dn-browser-1', op: 'upsert',
        data: {
          id: 'dn-browser-1', number: 'AL-2026-000042', from: 'Almacén central Coslada', shippedAt: '2026-11-30T08:00:00Z',
          lines: [{ productId: a!.id, sku: a!.sku, name: a!.name, quantity: 3 }, { productId: b!.id, sku: b!.sku, name: b!.name, quantity: 2 }],
        },
      },
    ]);
    await ui.byTest('nav-stock').click();
    await ui.byTest('stock-screen').waitFor();
    await ui.byTest('delivery-note-AL-2026-000042').click();
    await ui.byTest('stock-receive').waitFor();
    // Two of three of a, two of b of which one damaged.
    for (const code of [a!.barcodes[0]!, a!.barcodes[0]!, b!.barcodes[0]!, b!.barcodes[0]!]) await ui.wedgeScan(code);
    await ui.page.waitForSelector(`[data-testid="receive-line-${a!.sku}"][data-received="2"]`);
    await ui.page.waitForSelector(`[data-testid="receive-line-${b!.sku}"][data-received="2"]`);
    await ui.see(ui.byTest(`receive-line-${a!.sku}`), 'Faltan 1');
    await ui.byTest(`receive-line-${b!.sku}`).getByTestId('line-damaged').click();
    await ui.page.waitForSelector(`[data-testid="receive-line-${b!.sku}"][data-received="1"][data-damaged="1"]`);
    await ui.shot('till-stock-01-receiving');
    await ui.byTest('stock-confirm-receipt').click();
    await ui.byTest('stock-no-notes').waitFor();
    await ui.page.waitForSelector('[data-testid="stock-document"][data-kind="stock.delivery_receipt"][data-status="applied"]');
    expect(documentsOf('stock.delivery_receipt')).toEqual([
      {
        deliveryNoteId: 'dn-browser-1', staffId: expect.any(String),
        lines: [{ productId: a!.id, received: 2 }, { productId: b!.id, received: 1, damaged: 1 }],
      } satisfies Omit<TillDeliveryReceipt, 'staffId'> & { staffId: unknown },
    ]);
  });

  it('counts by scanning (blind) and asks for replenishment', async () => {
    await ui.byTest('stock-tab-count').click();
    await ui.wedgeScan(a!.barcodes[0]!);
    await ui.wedgeScan(a!.barcodes[0]!);
    await ui.page.waitForSelector(`[data-testid="count-line-${a!.sku}"][data-quantity="2"]`);
    await ui.byTest(`count-line-${a!.sku}`).getByTestId('line-plus').click();
    await ui.page.waitForSelector(`[data-testid="count-line-${a!.sku}"][data-quantity="3"]`);
    await ui.byTest('stock-send-count').click();
    await ui.page.waitForSelector('[data-testid="stock-document"][data-kind="stock.count"][data-status="applied"]');
    expect(documentsOf('stock.count')).toEqual([{ lines: [{ productId: a!.id, counted: 3 }], staffId: expect.any(String) }]);

    await ui.byTest('stock-tab-request').click();
    await ui.wedgeScan(b!.barcodes[0]!);
    await ui.page.waitForSelector(`[data-testid="request-line-${b!.sku}"][data-quantity="1"]`);
    await ui.byTest(`request-line-${b!.sku}`).getByTestId('line-plus').click();
    await ui.byTest('stock-request-note').fill('Para el fin de semana');
    await ui.byTest('stock-send-request').click();
    await ui.page.waitForSelector('[data-testid="stock-document"][data-kind="stock.replenishment_request"][data-status="applied"]');
    expect(documentsOf('stock.replenishment_request')).toEqual([{ lines: [{ productId: b!.id, quantity: 2 }], note: 'Para el fin de semana', staffId: expect.any(String) }]);
    await ui.shot('till-stock-02-documents');
  });

  it('shows the stock of a scanned item here and nearby while online', async () => {
    hq.stockLookup = (productId) => ({
      productId,
      stores: [
        { storeId: store.id, code: store.code, name: store.name, quantity: 7, thisStore: true },
        { storeId: 'other', code: 'M002', name: 'Madrid Chamberí', quantity: 15, thisStore: false },
      ],
      incoming: 4,
    });
    await ui.byTest('stock-tab-lookup').click();
    await ui.wedgeScan(a!.barcodes[0]!);
    await ui.page.waitForSelector(`[data-testid="stock-at-${store.code}"][data-quantity="7"]`);
    await ui.page.waitForSelector('[data-testid="stock-at-M002"][data-quantity="15"]');
    await ui.see(ui.byTest('stock-incoming'), '4');
    await ui.shot('till-stock-03-lookup');
  });

  it('offline: a count waits in the outbox and goes up once head office is back; the lookup says offline', async () => {
    const port = hq.port;
    const before = hq;
    await before.close();
    await ui.wedgeScan(b!.barcodes[0]!);
    await ui.byTest('stock-lookup-offline').waitFor();
    await ui.byTest('stock-tab-count').click();
    await ui.wedgeScan(b!.barcodes[0]!);
    await ui.page.waitForSelector(`[data-testid="count-line-${b!.sku}"][data-quantity="1"]`);
    await ui.byTest('stock-send-count').click();
    await ui.page.waitForSelector('[data-testid="stock-document"][data-kind="stock.count"][data-status="pending"]');
    await ui.shot('till-stock-04-offline');
    hq = new FakeHq().adopt(before);
    await hq.listen(port);
    await ui.page.waitForFunction(() => document.querySelectorAll('[data-testid="stock-document"][data-status="pending"]').length === 0, undefined, { timeout: 20_000 });
    expect(documentsOf('stock.count')).toHaveLength(2);
    expect(ui.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
