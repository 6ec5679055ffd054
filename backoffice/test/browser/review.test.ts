/**
 * The review queue in the admin UI (built backoffice/ui) in Chromium against a real back office on SQLite:
 * an HQ user opens it, sees a rejected ticket (a till whose code HQ had wrong, so its series looked foreign)
 * and a chain break with their reasons, and re-applies the rejected ticket once the code is fixed.
 * A manager has no such page. Screenshot: test-results/screenshots/backoffice-review.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import { F, factoryFor } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

let ui: AdminUi;
let page: Page;
let ds: DataSource;
let rejectedId: string;

beforeAll(async () => {
  ui = await startAdminUi();
  ({ page, ds } = ui);
  // HQ has till M001 · 02 down as "09": its genuine sale looks like another till's series and is refused.
  await ds.query(`UPDATE terminal SET code = '09' WHERE id = '${F.t2.id}'`);
  const t2 = await ui.pairTill(F.t2.id);
  const sale = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 7).sale({ lines: [{ product: F.products[0]!, units: 3 }] });
  const ack = await t2.send([sale]);
  expect(ack.rejected?.[0]?.reason).toMatch(/^SERIES_NOT_OWNED/);
  t2.close();
  rejectedId = sale.id;
  // Till 01 sends a sale chained to a record HQ never saw: a chain break.
  const t1 = await ui.pairTill(F.t1.id);
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 8);
  Object.assign(f.state, { lastHash: 'B'.repeat(64) });
  await t1.send([f.next()]);
  t1.close();
});

afterAll(async () => {
  await ui?.close();
});

describe('review queue page', () => {
  it('shows HQ a rejected ticket and a chain break with their reasons, and re-applies the ticket after the fix', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-review').click();
    const table = page.getByTestId('review');
    await table.waitFor();
    const rejected = table.locator('tbody tr').filter({ hasText: 'SERIES_NOT_OWNED' });
    const broken = table.locator('tbody tr').filter({ hasText: 'PREVIOUS_HASH_MISMATCH' });
    await expect.poll(() => rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain('ticket rechazado');
    expect(await rejected.textContent()).toContain('belongs to till M001 · 02, not to this till (M001 · 09)');
    expect(await broken.count()).toBe(1);
    expect(await broken.textContent()).toContain('ruptura de cadena');
    expect(await broken.textContent()).toContain(`expected '' (first record), got ${'B'.repeat(64)}`);
    // The document as received, on a click.
    await rejected.click();
    await expect.poll(() => page.getByTestId('review-detail').textContent()).toContain(rejectedId);
    await page.screenshot({ path: screenshotPath('backoffice-review'), fullPage: true });

    // HQ corrects the till's code, then re-applies the refused sale.
    await ds.query(`UPDATE terminal SET code = '02' WHERE id = '${F.t2.id}'`);
    await rejected.getByRole('button', { name: 'Reaplicar' }).click();
    await page.getByText('Seq 1 reaplicado').waitFor(); // the toast
    const stored = (await ds.query(`SELECT COUNT(*) AS n FROM sale_ticket WHERE id = '${rejectedId}'`)) as Array<{ n: number }>;
    expect(Number(stored[0]!.n)).toBe(1);
    // Open items only by default: the re-applied one leaves the list; its decision is audited.
    await expect.poll(() => rejected.count()).toBe(0);
    await page.getByTestId('review-status').selectOption('reapplied');
    await expect.poll(() => table.locator('tbody tr').filter({ hasText: 'SERIES_NOT_OWNED' }).textContent()).toContain('reaplicado');
    await table.locator('tbody tr').filter({ hasText: 'SERIES_NOT_OWNED' }).click();
    await expect.poll(() => page.getByTestId('review-detail').textContent()).toContain(`${F.hq.email} · reaplicar → reaplicado`);
  });

  it('has no review page for a franchisee manager', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await ui.signIn(F.managerRuiz);
    await page.getByTestId('nav-terminals').waitFor();
    expect(await page.getByTestId('nav-review').count()).toBe(0);
  });
});
