/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Gift vouchers at the till (issue 15): a voucher sold in cash is its own document (no ticket, no IVA), in the
 * drawer and on the X report as "Vales vendidos", queued up as `vouchers.sale` and printed with its code; a
 * voucher payment needs an authorization: online HQ's hold (its refusal is final), offline the till's cap per
 * voucher, never exceeded; a checkout with a voucher payment not authorized is refused and writes nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillRequester } from '@tpv/shared/wire/till-request';
import { isValidCode } from '@tpv/shared/vouchers/codes';
import { EAN, rowCounts, tempDir, type TestDb } from './support/fixture';
import { startOpenTill, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-vouchers-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gift vouchers at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  /** What HQ answers: null = offline. */
  let hq: (kind: string, payload: any) => unknown = () => null;
  const asked: string[] = [];
  const hqRequest: TillRequester = async (kind, payload) => (asked.push(kind), hq(kind, payload) as never);

  beforeAll(async () => {
    ({ t, s } = await startOpenTill(dir, { hqRequest })); // the cashier in, a 50 € float
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  let code = '';
  it('sells a voucher: its own document, in the drawer and on the X report, queued up and printed', async () => {
    const r = await s.call('POST', '/api/vouchers/sales', { amountCents: 3000, payments: [{ method: 'cash', amountCents: 5000 }] });
    expect(r.status).toBe(201);
    code = r.body.code;
    expect(isValidCode(code)).toBe(true);
    expect(r.body).toMatchObject({ kind: 'issue', amountCents: 3000, changeCents: 2000 });
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM ticket').get()).toEqual({ n: 0 });
    const doc = t.db.prepare<[], { kind: string; payload: string }>(`SELECT kind, payload FROM document_outbox`).get()!;
    expect(doc.kind).toBe('vouchers.sale');
    expect(JSON.parse(doc.payload)).toMatchObject({ kind: 'issue', code, amountCents: 3000, payments: [{ method: 'cash', amountCents: 3000 }] });
    const x = (await s.call('GET', '/api/cash/x-report')).body;
    expect(x.vouchersSold).toEqual({ count: 1, cents: 3000, cashCents: 3000, cardCents: 0 });
    expect(x.cash).toMatchObject({ vouchers: 3000, cashIn: 0, expected: 5000 + 3000 });
    expect(x.netSales).toBe(0);
    // A load of the same voucher by card; a mistyped code is refused, nothing written.
    expect((await s.call('POST', '/api/vouchers/sales', { kind: 'load', code, amountCents: 1000, payments: [{ method: 'card', amountCents: 1000, reference: 'A1' }] })).status).toBe(201);
    const before = rowCounts(t.db);
    const bad = await s.call('POST', '/api/vouchers/sales', { kind: 'load', code: code.slice(0, -1) + (code.endsWith('0') ? '1' : '0'), amountCents: 1000, payments: [{ method: 'cash', amountCents: 1000 }] });
    expect([bad.status, bad.body.code]).toEqual([422, 'VOUCHER_CODE_INVALID']);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('offline: at most the cap per voucher at this till; a payment without authorization is refused', async () => {
    hq = () => null;
    await s.call('POST', '/api/cart/scan', { code: EAN.water });
    const total = (await s.call('GET', '/api/cart')).body.totals.total as number;
    const before = rowCounts(t.db);
    const refused = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'voucher', amountCents: total, code }] });
    expect([refused.status, refused.body.code]).toEqual([409, 'VOUCHER_NOT_AUTHORIZED']);
    expect(rowCounts(t.db)).toEqual(before);
    const a = await s.call('POST', '/api/vouchers/authorizations', { code, amountCents: total });
    expect(a.body).toMatchObject({ mode: 'offline', offlineCapCents: 5000, offlineLeftCents: 5000 - total });
    expect((await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'voucher', amountCents: total, code }] })).status).toBe(200);
    const over = await s.call('POST', '/api/vouchers/authorizations', { code, amountCents: 5000 - total + 1 });
    expect([over.status, over.body.code, over.body.offlineLeftCents]).toEqual([409, 'VOUCHER_OFFLINE_CAP', 5000 - total]);
    expect((await s.call('GET', `/api/vouchers/${code}/balance`)).body).toMatchObject({ mode: 'offline', offlineLeftCents: 5000 - total });
  });

  it('online: HQ holds the amount or refuses for good (no offline fallback)', async () => {
    hq = (kind, p) => (kind === 'vouchers.hold' ? (p.amountCents > 2000 ? { refused: { code: 'VOUCHER_INSUFFICIENT', message: 'saldo disponible 20,00 €' } } : { reply: { holdId: p.holdId, code: p.code, amountCents: p.amountCents, availableCents: 2000 - p.amountCents, expiresAt: '2099-01-01T00:00:00.000Z' } }) : { reply: { released: true, holdId: p.holdId } });
    const no = await s.call('POST', '/api/vouchers/authorizations', { code, amountCents: 2500 });
    expect([no.status, no.body.code, no.body.detail]).toEqual([409, 'VOUCHER_INSUFFICIENT', 'saldo disponible 20,00 €']);
    const yes = await s.call('POST', '/api/vouchers/authorizations', { code, amountCents: 1500 });
    expect(yes.body).toMatchObject({ mode: 'online', availableCents: 500 });
    expect((await s.call('DELETE', `/api/vouchers/authorizations/${yes.body.id}`)).body).toEqual({ released: true });
    expect(asked.slice(-3)).toEqual(['vouchers.hold', 'vouchers.hold', 'vouchers.release']);
  });
});
