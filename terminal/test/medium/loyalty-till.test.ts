/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Loyalty at the till: the programme arrives on the feed; a member's points are redeemed as a cart benefit —
 * online with HQ's hold (the ticket names the hold, the receipt the points redeemed and earned), refused by
 * HQ with its message (nothing changes), offline under the programme's caps (per redemption and per
 * customer and day, counted at this till in the sale's transaction).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME } from '@tpv/shared/loyalty/rules';
import type { TillRequester } from '@tpv/shared/wire/till-request';
import { createCatalogStore } from '../../src/sync/catalog';
import { CUSTOMERS, EAN, freshTerminalDb, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-loyalty-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const programme = { ...DEFAULT_PROGRAMME, minRedeemPoints: 100, pointValueCents: 1, offlineCapPoints: 500, offlineDailyCapPoints: 800 };
const member = CUSTOMERS.bar.id;

describe('redeeming points at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  let hq: 'online' | 'offline' = 'online';
  const asked: Array<{ kind: string; payload: any }> = [];
  let holds = 0;
  const hqRequest: TillRequester = async (kind, payload: any) => {
    asked.push({ kind, payload });
    if (hq === 'offline') return null;
    if (kind === 'loyalty.balance') return { reply: { customerId: payload.customerId, points: 2000, held: 0, available: 2000 } } as any;
    if (kind === 'loyalty.release') return { reply: { released: true } } as any;
    if (payload.points > 2000) return { refused: { code: 'LOYALTY_INSUFFICIENT_POINTS', message: 'saldo insuficiente: 2000 puntos disponibles' } };
    return { reply: { holdId: `H-${++holds}`, customerId: payload.customerId, points: payload.points, cents: payload.points, expiresAt: '2099-01-01T00:00:00.000Z', available: 2000 - payload.points } } as any;
  };
  const sell = async (points: number) => {
    await s.call('POST', '/api/cart/scan', { code: EAN.wine }); // 12,50 €
    expect((await s.call('PUT', '/api/cart/customer', { customerId: member })).status).toBe(200);
    return s.call('POST', '/api/cart/loyalty', { points });
  };
  const pay = async () => {
    const total = (await s.call('GET', '/api/cart')).body.totals.total as number;
    const r = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: total }] });
    expect(r.status).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file, { hqRequest });
    const store = createCatalogStore(t.db);
    const v = store.version();
    store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [{ version: v + 1, entity: 'loyalty_programme', id: 'franchise', op: 'upsert', data: programme }] }, new Date().toISOString());
    t.db.prepare(`UPDATE customer SET loyalty_card = 'LOY-1' WHERE id = ?`).run(member);
    await s.login(STAFF.cashier.pin);
    expect((await s.call('POST', '/api/cash/open', { float: { '5000': 1 } })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('online: the balance from HQ, a hold, the benefit on the cart, the ticket and the receipt', async () => {
    await s.call('POST', '/api/cart/scan', { code: EAN.wine });
    await s.call('PUT', '/api/cart/customer', { customerId: member });
    expect((await s.call('GET', `/api/loyalty/customers/${member}`)).body).toMatchObject({ member: true, online: true, points: 2000, available: 2000, offlineAllowance: 500 });
    const tooMany = await s.call('POST', '/api/cart/loyalty', { points: 5000 });
    expect([tooMany.status, tooMany.body.code]).toEqual([409, 'LOYALTY_INSUFFICIENT_POINTS']);
    expect(tooMany.body.detail).toContain('2000');
    expect((await s.call('GET', '/api/cart')).body.totals.benefits).toBe(0);
    const r = await s.call('POST', '/api/cart/loyalty', { points: 300 });
    expect(r.status).toBe(200);
    expect(r.body.totals).toMatchObject({ benefits: 300, total: 950 });
    expect(r.body.lines[0].benefits).toEqual([{ kind: 'loyalty', id: 'H-1', cents: 300 }]);
    const sold = await pay();
    expect(sold.ticket.benefits).toEqual([{ kind: 'loyalty', id: 'H-1', name: 'Puntos canjeados (300)', cents: 300, points: 300, customerId: member, authorization: 'H-1' }]);
    expect(sold.receipt.text).toContain('Puntos canjeados (300)');
    const printed = t.db.prepare<[string], { document: string }>(`SELECT document FROM print_job WHERE ticket_id = ?`).get(sold.ticket.id)!;
    expect(printed.document).toContain('Puntos de esta compra: 9'); // 9,50 € paid
  });

  it('another customer drops the redemption; undoing it gives the hold back', async () => {
    expect((await sell(200)).status).toBe(200);
    const other = await s.call('PUT', '/api/cart/customer', { customerId: CUSTOMERS.fruteria.id });
    expect(other.body.loyalty).toBeUndefined();
    await s.call('PUT', '/api/cart/customer', { customerId: member });
    expect((await s.call('POST', '/api/cart/loyalty', { points: 200 })).status).toBe(200);
    const undone = await s.call('DELETE', '/api/cart/loyalty');
    expect(undone.body.totals.benefits).toBe(0);
    expect(asked.filter((a) => a.kind === 'loyalty.release').map((a) => a.payload.holdId)).toEqual(['H-3']);
    await s.call('PUT', '/api/cart/customer', { customerId: null });
    for (const l of (await s.call('GET', '/api/cart')).body.lines) await s.call('DELETE', `/api/cart/lines/${l.id}`, { supervisorPin: STAFF.supervisor.pin });
  });

  it('offline: at most the cap per redemption and per customer and day at this till', async () => {
    hq = 'offline';
    const cart = (await s.call('GET', '/api/cart')).body;
    expect(cart.lines.length).toBe(0);
    const over = await sell(600);
    expect([over.status, over.body.code]).toEqual([409, 'LOYALTY_OFFLINE_CAP']);
    expect(over.body.detail).toContain('500');
    const first = await s.call('POST', '/api/cart/loyalty', { points: 500 });
    expect(first.body.loyalty).toMatchObject({ offline: true, points: 500, cents: 500 });
    expect((await pay()).ticket.benefits[0]).toMatchObject({ kind: 'loyalty', points: 500, offline: true, customerId: member });
    const second = await sell(400); // 800 a day: 300 left
    expect([second.status, second.body.code]).toEqual([409, 'LOYALTY_OFFLINE_CAP']);
    expect((await s.call('POST', '/api/cart/loyalty', { points: 300 })).status).toBe(200);
    await pay();
    expect(t.db.prepare(`SELECT SUM(points) AS n FROM loyalty_offline_redemption WHERE customer_id = ?`).get(member)).toEqual({ n: 800 });
  });
});
