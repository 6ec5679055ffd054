/**
 * Cashier figures end to end (issue 18: voids and cash differences): the real back-office process (SQLite,
 * loopback) and a till paired by code and synced by its real SyncClient; the selling side is the till's own
 * use cases (createTerminalApp). A cashier opens the drawer, rings up two products, voids one with the
 * supervisor's PIN, sells the rest in cash and closes the session counting 2,00 € less than expected (the
 * supervisor confirms the difference). The void and the close travel up through the till's document outbox;
 * HQ's cashiers report then shows, for that cashier, one ticket, one void and −2,00 €. No sleeps: every wait is
 * on a condition (its timeout is a failure bound for a loaded machine).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { localDate } from '@tpv/shared/people/time-clock';
import { createTerminalApp, type TerminalApp } from '@tpv/terminal/app/terminal-app';
import { EURO_DENOMINATIONS } from '@tpv/terminal/cash/z-report';
import { until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, hqLogin, pairingCodeFromHq, pairingTerminal, type PairingTerminal } from './support/paired-terminal';

const folder = backofficeFolder('tpv-cashier-figures-');
let till: (PairingTerminal & { app: TerminalApp }) | undefined;
afterAll(async () => {
  if (till) {
    await till.client.stop();
    await till.app.stop();
    await till.ds.destroy();
  }
  await folder.cleanup();
});

/** Cents as the fewest euro notes and coins. */
function denominations(cents: number): Record<string, number> {
  const out: Record<string, number> = {};
  let rest = cents;
  for (const d of EURO_DENOMINATIONS) {
    const n = Math.floor(rest / d);
    if (n > 0) out[String(d)] = n;
    rest -= n * d;
  }
  return out;
}

interface Row { cashier: string; cashierId: string; tickets: number; voids: number; voidCents: number; cartsVoided: number; cashCloses: number; cashDifferenceCents: number }

describe('cashier figures ↔ real back office', () => {
  it('a till voids a line, sells and closes short by 2,00 €: the cashiers report shows 1 void and −2,00 € for that cashier', async () => {
    const franchise = buildDemoFranchise();
    await seedDemoDatabases({ franchise, backoffice: { file: path.join(folder.dataDir, 'backoffice.sqlite') }, terminals: [] });
    const port = await freePort();
    await folder.start(port);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const store = franchise.stores.find((s) => s.id === terminal.storeId)!;
    const p = await pairingTerminal(path.join(folder.dataDir, 'till.sqlite'), url, await pairingCodeFromHq(url, franchise, terminal.id), 5000);
    const app = createTerminalApp({ db: p.db, startPrinting: false, documentsQueued: () => p.client.notify() });
    till = { ...p, app };
    await p.client.start();
    await until(() => p.client.status().online && !p.client.status().catalog.loading && p.client.status().catalog.version > 0, 60_000, `catalogue (${p.logs.slice(-3).join(' | ')})`);

    const staff = franchise.staff.find((s) => s.storeId === store.id && s.role === 'cashier')!;
    const supervisor = franchise.staff.find((s) => s.storeId === store.id && s.role === 'supervisor')!;
    const cashier = { id: staff.id, name: staff.name, role: 'cashier' as const };
    const [a, b] = franchise.products.filter((x) => !x.weighed && x.barcodes.length > 0);
    const startedAt = Date.now();

    expect(app.cash.open(cashier, { '5000': 1, '1000': 2 }).ok).toBe(true);
    expect(app.cart.scan(cashier, a!.barcodes[0]!).ok).toBe(true);
    expect(app.cart.scan(cashier, b!.barcodes[0]!).ok).toBe(true);
    const line = app.cart.current().lines.find((l) => l.productId === b!.id)!;
    // A cashier may not void alone; the supervisor's PIN authorises it.
    const refused = await app.cart.voidLine(cashier, line.id);
    expect(refused.ok ? 'voided' : refused.error.code).toBe('SUPERVISOR_REQUIRED');
    const voided = await app.cart.voidLine(cashier, line.id, supervisor.pin);
    expect(voided.ok).toBe(true);
    const voidedCents = line.unitPrice;
    const total = app.cart.priced().totals.total;
    const sold = app.checkout.checkout(cashier, [{ method: 'cash', amountCents: total }]);
    expect(sold.ok).toBe(true);

    const expected = app.cash.xReport();
    if (!expected.ok) throw new Error(expected.error.message);
    expect(expected.value.cash.expected).toBe(7000 + total);
    const closed = await app.cash.close(cashier, denominations(expected.value.cash.expected - 200), supervisor.pin);
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closed.value.zReport.cash.difference).toBe(-200);
    expect(closed.value.zReport.voids).toEqual({ count: 1, cents: voidedCents });
    const endedAt = Date.now();

    // Up through the outbox: the ticket, the void and the close all answered by HQ.
    const docs = p.db.prepare<[], { kind: string; status: string }>(`SELECT kind, status FROM document_outbox WHERE kind IN ('sales.void', 'cash.close') ORDER BY created_at`);
    await until(() => p.client.status().pendingCount === 0 && docs.all().every((d) => d.status !== 'pending'), 60_000, `documents up (${p.logs.slice(-3).join(' | ')})`);
    expect(docs.all()).toEqual([{ kind: 'sales.void', status: 'applied' }, { kind: 'cash.close', status: 'applied' }]);

    const token = await hqLogin(url, franchise);
    const from = localDate(startedAt, store.timezone);
    const to = localDate(endedAt, store.timezone);
    const res = await fetch(`${url}/api/reports/cashiers?from=${from}&to=${to}&store=${store.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { rows: Row[]; totals: Record<string, number | null> };
    const row = report.rows.find((r) => r.cashierId === cashier.id);
    expect(row).toMatchObject({ cashier: cashier.name, tickets: 1, voids: 1, voidCents: voidedCents, cartsVoided: 0, cashCloses: 1, cashDifferenceCents: -200 });
    expect(report.totals).toMatchObject({ voids: 1, cashDifferenceCents: -200 });
  }, 300_000);
});
