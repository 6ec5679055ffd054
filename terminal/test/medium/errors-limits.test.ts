/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Errors and limits at the till's edge: query numbers are parsed, implausible cash is refused, prices and
 * cash movements are bounded, deep JSON and unsupported encodings get their own problem codes — and each
 * refusal writes nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EAN, freshTerminalDb, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-limits-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('till errors and limits', () => {
  let t: TestDb;
  let s: RunningTerminal;
  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file);
    await s.login(STAFF.manager.pin);
    expect((await s.call('POST', '/api/cash/open', { float: { '1000': 2 } })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('GET /api/tickets with a fractional, negative or huge limit is a 400 problem', async () => {
    for (const limit of ['1.5', '-1', '1e309', 'abc', '0']) {
      const r = await s.call('GET', `/api/tickets?limit=${limit}`);
      expect({ limit, status: r.status, code: r.body?.code }).toEqual({ limit, status: 400, code: 'VALIDATION_FAILED' });
      expect(r.type).toContain('application/problem+json');
    }
    expect((await s.call('GET', '/api/tickets?limit=5')).status).toBe(200);
  });

  it('2,147,483,648 cents tendered in cash for a small sale is refused and writes nothing', async () => {
    expect((await s.call('POST', '/api/cart/scan', { code: EAN.cola })).status).toBe(200);
    expect((await s.call('POST', '/api/cart/scan', { code: EAN.bread })).status).toBe(200);
    const before = rowCounts(t.db);
    const r = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: 2_147_483_648 }] });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 422, code: 'CASH_TENDERED_IMPLAUSIBLE' });
    expect(rowCounts(t.db)).toEqual(before);
    // A 500 € note for 2,84 € is fine.
    const ok = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: 50_000 }] });
    expect(ok.status).toBe(200);
    expect(ok.body.change).toBe(50_000 - 284);
  });

  it('a price override or a cash movement beyond the price bound is a 400 naming the field', async () => {
    expect((await s.call('POST', '/api/cart/scan', { code: EAN.water })).status).toBe(200);
    const before = rowCounts(t.db);
    const p = await s.call('PATCH', '/api/cart/lines/1', { unitPriceCents: 2 ** 53 - 1 });
    expect({ status: p.status, path: p.body.errors?.[0]?.path }).toEqual({ status: 400, path: 'unitPriceCents' });
    const m = await s.call('POST', '/api/cash/movements', { kind: 'cash_in', amountCents: 2 ** 53 - 1, reason: 'x' });
    expect({ status: m.status, path: m.body.errors?.[0]?.path }).toEqual({ status: 400, path: 'amountCents' });
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('deep JSON is a 400 JSON_TOO_DEEP, an unsupported charset a 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const token = await s.login(STAFF.manager.pin);
    const deep = await fetch(`${s.url}/api/cart/scan`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as any).code).toBe('JSON_TOO_DEEP');
    const latin = await fetch(`${s.url}/api/cart/scan`, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin9', authorization: `Bearer ${token}` }, body: '{"code":"1"}' });
    expect(latin.status).toBe(415);
    expect(latin.headers.get('content-type')).toContain('application/problem+json');
    expect(((await latin.json()) as any).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
