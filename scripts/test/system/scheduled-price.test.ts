/**
 * Issue #10, must be true 3: a scheduled price change reaches a till and takes effect at its time while the
 * till is offline. The real back office (SQLite) and a real till process (`terminal/src/main.ts`) whose clock
 * the test moves through `TPV_CLOCK_OFFSET_FILE`: HQ schedules a store price for a local date and time two
 * days ahead; the till pulls it through the change feed; a sale then rings up the old price; the back office
 * is stopped (the till is offline); the till's clock passes the effective time; a sale rings up the new price.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';
import { backofficeFolder, hqLogin, pairingCodeFromHq } from './support/paired-terminal';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const folder = backofficeFolder('tpv-scheduled-price-');
const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop(2000)));
  await folder.cleanup();
});

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers */
async function poll<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve(fn()).catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function client(url: string) {
  let token: string | null = null;
  return async (method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(url + pathname, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (pathname === '/api/auth/login' && res.status === 200) token = parsed.token;
    return { status: res.status, body: parsed };
  };
}

describe('scheduled price change at an offline till (real back office, real till process, injected till clock)', () => {
  it('the till pulls the change ahead, sells at the old price before the time and at the new one after it, with HQ gone', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(folder.dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    const bo = await folder.start(port);
    const hqUrl = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const store = franchise.stores.find((s) => s.id === terminal.storeId)!;

    // The till, its clock = the machine's + the offset in this file (0 for now).
    const offsetFile = path.join(folder.dataDir, 'till-clock-offset');
    writeFileSync(offsetFile, '0');
    const tillPort = await freePort();
    const tillDb = path.join(folder.dataDir, 'till.sqlite');
    children.push(
      startProcess('till', path.join(repoRoot, 'terminal/src/main.ts'), {
        ...process.env, TPV_DATA_DIR: folder.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(tillPort), TPV_TERMINAL_DB: tillDb,
        TPV_BACKOFFICE_URL: hqUrl, TPV_PAIRING_CODE: await pairingCodeFromHq(hqUrl, franchise, terminal.id), TPV_DEMO_DEVICES: '0',
        TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '1000', TPV_CLOCK_OFFSET_FILE: offsetFile,
      }),
    );
    const tillUrl = `http://127.0.0.1:${tillPort}`;
    await waitForHealth(`${tillUrl}/health`, 120_000);
    const till = client(tillUrl);
    await poll('pairing and catalogue load', async () => {
      const s = (await till('GET', '/api/sync/status')).body;
      return s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion ? true : undefined;
    });
    const cashier = franchise.staff.find((s) => s.storeId === store.id && s.role === 'cashier')!;
    expect((await till('POST', '/api/auth/login', { pin: cashier.pin })).status).toBe(200);
    expect((await till('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);

    // HQ schedules the store's new price for 10:00 local time, two days from now.
    const hqToken = await hqLogin(hqUrl, franchise);
    const auth = { authorization: `Bearer ${hqToken}`, 'content-type': 'application/json' };
    const product = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0)!;
    const oldPrice = (await (await fetch(`${hqUrl}/api/stores/${store.id}/prices/${product.id}`, { headers: auth })).json()).priceCents as number;
    const newPrice = oldPrice + 123;
    const day = fiscalDateTime(Date.now() + 2 * 86_400_000, store.timezone).timestamp.slice(0, 10);
    const scheduled = await fetch(`${hqUrl}/api/price-changes`, {
      method: 'POST', headers: auth, body: JSON.stringify({ productId: product.id, level: 'store', storeId: store.id, priceCents: newPrice, effectiveLocal: `${day}T10:00` }),
    });
    expect(scheduled.status).toBe(201);
    const change = (await scheduled.json()) as { effectiveAt: string; localTime: string; timezone: string };
    expect(change).toMatchObject({ localTime: `${day}T10:00`, timezone: store.timezone });
    expect(fiscalDateTime(Date.parse(change.effectiveAt), store.timezone).timestamp.slice(0, 16)).toBe(`${day}T10:00`);

    // The till holds the schedule (pulled through the feed), while still selling at the old price.
    await poll('the schedule on the till', () => {
      const db = new Database(tillDb, { readonly: true });
      try {
        const rows = db.prepare<[string], { at: string; price_cents: number }>('SELECT at, price_cents FROM price_schedule WHERE product_id = ?').all(product.id);
        return rows.some((r) => r.at === change.effectiveAt && r.price_cents === newPrice) ? true : undefined;
      } finally {
        db.close();
      }
    });
    const sell = async () => {
      expect((await till('POST', '/api/cart/scan', { code: product.barcodes[0] })).status).toBe(200);
      const total = (await till('GET', '/api/cart')).body.totals.total as number;
      const sold = await till('POST', '/api/cart/checkout', { payments: [{ method: 'card', amountCents: total, reference: 'CARD' }] });
      expect(sold.status).toBe(200);
      return sold.body.ticket as TicketDocument;
    };
    const before = await sell();
    expect(before.lines.map((l) => l.unitPrice)).toEqual([oldPrice]);

    // HQ goes away: the till is offline.
    await bo.stop(2000);
    await poll('the till offline', async () => ((await till('GET', '/api/sync/status')).body?.online === false ? true : undefined));

    // One minute before the effective time the till still sells at the old price; one minute after, the new.
    writeFileSync(offsetFile, String(Date.parse(change.effectiveAt) - 60_000 - Date.now()));
    await new Promise((r) => setTimeout(r, 150)); // the offset file is re-read every 100 ms
    const justBefore = await sell();
    expect(justBefore.lines.map((l) => l.unitPrice)).toEqual([oldPrice]);
    expect(Date.parse(justBefore.issuedAt)).toBeLessThan(Date.parse(change.effectiveAt));

    writeFileSync(offsetFile, String(Date.parse(change.effectiveAt) + 60_000 - Date.now()));
    await new Promise((r) => setTimeout(r, 150));
    const after = await sell();
    expect(after.lines.map((l) => l.unitPrice)).toEqual([newPrice]);
    expect(Date.parse(after.issuedAt)).toBeGreaterThan(Date.parse(change.effectiveAt));
    expect((await till('GET', '/api/sync/status')).body.online).toBe(false);
  }, 300_000);
});
