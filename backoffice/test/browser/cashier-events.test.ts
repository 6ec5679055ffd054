/**
 * The cashiers report in the admin UI (built backoffice/ui) in Chromium (issue 18): a till's line void, cancelled
 * ticket and short close arrive as documents; HQ sees per cashier who authorised them, clicks the cashier and gets
 * the drill-down with time, till, amount and the supervisor's name. Screenshot: backoffice-cashier-events.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from '@tpv/runtime/testing/chromium';
import type { TillCashClose, TillVoid, UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { F } from '../support/harness';
import { startAdminUi, type AdminUi } from './support/admin-ui';

const sid = (n: number) => `00000000-0000-7000-8e19-${n.toString(16).padStart(12, '0')}`;
const ANA = { id: sid(1), name: 'Ana Cajera' };
const MARTA = { id: sid(2), name: 'Marta Supervisora' };
const docId = (n: number) => `01900000-0000-7000-8e19-${n.toString(16).padStart(12, '0')}`;
const base = { cashierId: ANA.id, cashierName: ANA.name, authorisedBy: MARTA.id };
/** 3 Nov, Madrid: a 3,50 € line void at 10:15, a 2-line 12,40 € ticket cancelled at 12:30, a close 2,00 € short at 21:00. */
const DOCS: UpwardDocument[] = [
  { id: docId(1), kind: 'sales.void', createdAt: '2026-11-03T10:15:00+01:00', payload: { ...base, cartId: 'c1', lineId: '1', productId: F.products[0]!.id, cents: 350, cartEmptied: false, at: '2026-11-03T10:15:00+01:00' } satisfies TillVoid },
  { id: docId(2), kind: 'sales.void', createdAt: '2026-11-03T12:30:00+01:00', payload: { ...base, cartId: 'c2', lineCount: 2, cents: 1_240, cartEmptied: true, at: '2026-11-03T12:30:00+01:00' } satisfies TillVoid },
  {
    id: docId(3), kind: 'cash.close', createdAt: '2026-11-03T21:00:00+01:00',
    payload: { sessionId: 's1', number: 1, openedAt: '2026-11-03T08:00:00+01:00', openedBy: ANA.id, closedAt: '2026-11-03T21:00:00+01:00', closedBy: ANA.id, closedByName: ANA.name, authorisedBy: MARTA.id, expectedCents: 20_000, countedCents: 19_800, differenceCents: -200 } satisfies TillCashClose,
  },
];

let ui: AdminUi;
let page: Page;

beforeAll(async () => {
  ui = await startAdminUi();
  page = ui.page;
  const hq = (await ui.post('/api/auth/login', undefined, F.hq)).body.token as string;
  for (const [s, code, role, pin] of [[ANA, 'C01', 'cashier', '4811'], [MARTA, 'S01', 'supervisor', '7302']] as const) {
    const res = await fetch(`${ui.url}/api/staff/${s.id}`, {
      method: 'PUT', headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/json' },
      body: JSON.stringify({ companyId: F.ruiz.id, storeId: F.storeM1.id, code, name: s.name, role, pin }),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
  }
  const till = await ui.pairTill(F.t1.id);
  const ack = (await till.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: DOCS })) as UpwardAck;
  expect(ack.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  till.close();
});

afterAll(async () => {
  await ui?.close();
});

describe('cashiers report with who authorised', () => {
  it('shows the supervisor per cashier and the cashier’s events on a click', async () => {
    await page.goto(ui.url);
    await ui.signIn(F.hq);
    await page.getByTestId('nav-reports').waitFor();
    await page.goto(`${ui.url}/reports/view/cashiers?from=2026-11-03&to=2026-11-03`);
    const row = page.getByTestId('report-row-drill').filter({ hasText: ANA.name });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.textContent()).toContain('Marta Supervisora ×2'); // the void and the cancel
    expect(await row.textContent()).toContain('12,40 €');
    await row.click();
    const events = page.getByTestId('cashier-events-table');
    await events.waitFor({ timeout: 15_000 });
    await expect.poll(() => events.locator('tbody tr').count()).toBe(3);
    const cancel = page.getByTestId('cashier-event-ticket_cancel');
    expect(await cancel.textContent()).toMatch(/Ticket anulado.*M001 Madrid 1.*Caja 01.*2.*12,40 €.*Marta Supervisora/);
    expect(await page.getByTestId('cashier-event-cash_close').textContent()).toMatch(/−?-?2,00 €.*Marta Supervisora/);
    await page.screenshot({ path: screenshotPath('backoffice-cashier-events'), fullPage: true });
    // The drill-down is in the URL: a reload keeps it open.
    await page.reload();
    await page.getByTestId('cashier-events-table').waitFor({ timeout: 15_000 });
  });
});
