/**
 * Loyalty at HQ on both engines, through the real paths: the programme over HTTP (audited, on the change
 * feed, bad input refused with nothing written), tickets of a member sent up a till socket (earn; a return
 * reverses in proportion; an online redemption at another company's till consumes its hold), the till's
 * `loyalty.hold` / `loyalty.balance` over the socket, the member's ledger, the liability per company, the
 * month's settlement between franchisees and the expiry — with balance = Σ postings checked throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { connectTerminal, engines, F, factoryFor, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';
import type { TicketFactory } from '../support/ticket-factory';
import { all, exec } from '../../src/persistence/sql';
import { createLoyaltyService } from '../../src/loyalty/service';
import { expectBalancesAreSums } from '../support/loyalty';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const programme: LoyaltyProgramme = { ...DEFAULT_PROGRAMME, name: 'Puntos Franquicia', pointsPerEuro: 1, pointValueCents: 1, minRedeemPoints: 100, expiryMonths: 24 };
const member = { id: F.customer.id, name: F.customer.name };

describe.each(engines)('loyalty on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let t1: TerminalClient;
  let t3: TerminalClient;
  let f1: TicketFactory;
  let f3: TicketFactory;
  const ask = (t: TerminalClient, kind: string, payload: unknown) => t.socket.timeout(10_000).emitWithAck('till:request', { kind, payload }) as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- reply union
  const ledger = async () => (await h.api('GET', `/api/loyalty/members/${member.id}`, { token: hq })).body;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    await exec(h.ds.manager, `UPDATE customer SET loyalty_card = ? WHERE id = ?`, ['LOY-0001', member.id]);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    f1 = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 11);
    f3 = factoryFor(F.t3, F.storeV1, F.levante.nif, 13);
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('HQ sets the programme (audited, on the feed); bad input and a store manager change nothing', async () => {
    const bad = await h.api('PUT', '/api/loyalty/programme', { token: hq, body: { ...programme, pointValueCents: 0 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('pointValueCents');
    const m1 = await h.login(F.managerM1);
    expect((await h.api('PUT', '/api/loyalty/programme', { token: m1, body: programme })).status).toBe(403);
    expect((await h.api('GET', '/api/loyalty/programme', { token: m1 })).body).toEqual({ programme: null, updatedAt: null });
    const put = await h.api('PUT', '/api/loyalty/programme', { token: hq, body: programme });
    expect(put.status).toBe(200);
    expect((await h.api('GET', '/api/loyalty/programme', { token: m1 })).body.programme).toEqual(programme);
    const page = await pullChanges(t1, 0);
    expect(page.changes.filter((c) => c.entity === 'loyalty_programme').map((c) => c.op === 'upsert' && c.data)).toEqual([programme]);
    const audit = await all<{ action: string }>(h.ds.manager, `SELECT action FROM audit_log WHERE entity = 'loyalty_programme'`);
    expect(audit.map((a) => a.action)).toEqual(['loyalty_programme.update']);
  });

  it('a member earns on a sale (1 point per euro, floored per ticket); a return reverses in proportion', async () => {
    const p = F.products[4]!; // 2,43 €
    const sale = f1.sale({ lines: [{ product: p, units: 10 }], customer: member }); // 24,30 € → 24 points
    expect((await t1.send([sale])).ackedSeq).toBe(sale.seq);
    expect((await ledger()).points).toBe(24);
    const ret = f1.returnOf(sale, 0, 4); // 9,72 € back → round(24 × 972 / 2430) = 10 points reversed
    expect((await t1.send([ret])).ackedSeq).toBe(ret.seq);
    const l = await ledger();
    expect(l.points).toBe(14);
    expect(l.postings.map((x: { kind: string; points: number }) => [x.kind, x.points])).toEqual([['reverse', -10], ['earn', 24]]);
    // A sale without a member earns nothing.
    expect((await t1.send([f1.sale({ lines: [{ product: p, units: 3 }] })])).ackedSeq).toBe(3);
    await expectBalancesAreSums(h);
  });

  it('the till asks for a hold: more than available is refused with nothing written; a hold counts against the balance', async () => {
    const adj = await h.api('POST', '/api/loyalty/adjustments', { token: hq, body: { customerId: member.id, points: 1000, companyId: F.ruiz.id, note: 'bienvenida / welcome' } });
    expect(adj.status).toBe(201);
    expect(adj.body.balance).toBe(1014);
    const tooMuch = await ask(t3, 'loyalty.hold', { customerId: member.id, points: 2000 });
    expect(tooMuch.refused.code).toBe('LOYALTY_INSUFFICIENT_POINTS');
    expect(tooMuch.refused.message).toContain('1014');
    expect(await all(h.ds.manager, `SELECT id FROM loyalty_hold`)).toEqual([]);
    expect((await ask(t3, 'loyalty.hold', { customerId: member.id, points: 50 })).refused.code).toBe('LOYALTY_BELOW_MINIMUM');
    expect((await ask(t3, 'loyalty.hold', { customerId: member.id, points: 'many' })).refused.code).toBe('LOYALTY_REQUEST_INVALID');

    const held = (await ask(t3, 'loyalty.hold', { customerId: member.id, points: 600 })).reply;
    expect(held).toMatchObject({ customerId: member.id, points: 600, cents: 600, available: 414 });
    expect((await ask(t1, 'loyalty.balance', { customerId: member.id })).reply).toEqual({ customerId: member.id, points: 1014, held: 600, available: 414 });

    // The sale at Levante's till redeems the held points (6,00 € off 14,00 €) and earns on what was paid (8,00 € → 8).
    const sale = f3.sale({ lines: [{ product: F.products[5]!, units: 5 }], customer: member, loyalty: { id: held.holdId, authorization: held.holdId, points: 600, cents: 600, customerId: member.id } });
    expect(sale.totals.total).toBe(800);
    expect((await t3.send([sale])).ackedSeq).toBe(sale.seq);
    const l = await ledger();
    expect(l.points).toBe(1014 - 600 + 8);
    expect(l.held).toBe(0);
    expect(l.postings.slice(0, 2).map((x: { kind: string; points: number; flagged: boolean }) => [x.kind, x.points, x.flagged])).toEqual([['earn', 8, false], ['redeem', -600, false]]);
    const [hold] = await all<{ status: string; ticket_id: string }>(h.ds.manager, `SELECT status, ticket_id FROM loyalty_hold WHERE id = ?`, [held.holdId]);
    expect(hold).toEqual({ status: 'used', ticket_id: sale.id });
    await expectBalancesAreSums(h);
  });

  it('liability per company where earned, and the month’s settlement between franchisees', async () => {
    // FIFO: Ruiz's 24 − 10 and 1000 points; Levante redeemed 600 of them → Ruiz owes Levante 600 points = 6,00 €.
    const s = await h.api('GET', '/api/loyalty/settlement?month=2026-11', { token: hq });
    expect(s.status).toBe(200);
    expect(s.body.lines).toEqual([{ debtorCompanyId: F.ruiz.id, debtorName: 'Ruiz S.L.', creditorCompanyId: F.levante.id, creditorName: 'Levante S.L.', points: 600, cents: 600 }]);
    const li = await h.api('GET', '/api/loyalty/liability', { token: hq });
    expect(li.body.rows.map((r: { companyName: string; points: number; cents: number }) => [r.companyName, r.points, r.cents])).toEqual([['Levante S.L.', 8, 8], ['Ruiz S.L.', 414, 414]]);
    expect((await h.api('GET', '/api/loyalty/settlement?month=2026-13', { token: hq })).status).toBe(400);
    expect((await h.api('GET', '/api/loyalty/liability', { token: await h.login(F.managerRuiz) })).status).toBe(403);
  });

  it('expiry posts what is older than the programme’s months, per company, once', async () => {
    const svc = createLoyaltyService(h.ds, clock);
    expect(await svc.expire('2028-11-01')).toEqual({ customers: 0, points: 0 }); // cutoff 2026-11-01: nothing that old
    expect(await svc.expire('2029-01-01')).toEqual({ customers: 1, points: 422 });
    expect(await svc.expire('2029-01-01')).toEqual({ customers: 0, points: 0 });
    const l = await ledger();
    expect(l.points).toBe(0);
    expect(l.postings.filter((x: { kind: string }) => x.kind === 'expire').map((x: { companyId: string; points: number }) => [x.companyId, x.points]).sort()).toEqual(
      [[F.levante.id, -8], [F.ruiz.id, -414]].sort(),
    );
    await expectBalancesAreSums(h);
  });
  it('a member registered offline at a till whose sale reaches HQ before the customer earns when the customer arrives', async () => {
    // The till's tickets and documents go up through separate outboxes: here the sale comes first.
    const fresh = { id: '01900000-0000-7000-8fa0-000000000001', name: 'Nuevo Socio Offline' };
    const sale = f1.sale({ lines: [{ product: F.products[4]!, units: 50 }], customer: fresh }); // 121,50 € → 121 points
    expect((await t1.send([sale])).ackedSeq).toBe(sale.seq);
    const points = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COALESCE(SUM(points), 0) AS n FROM loyalty_posting WHERE customer_id = ?`, [fresh.id]))[0]!.n);
    expect(await points()).toBe(0);
    const document = { id: '01900000-0000-7000-8fa0-0000000000d1', kind: 'crm.customer', createdAt: '2026-11-30T10:00:00+01:00', payload: { customerId: fresh.id, op: 'create', name: fresh.name, loyaltyCard: 'LOY-OFF-1' } };
    const ack = await t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [document] });
    expect(ack.results[0].status).toBe('applied');
    expect(await points()).toBe(121);
    // Sent again (a lost ack): applied once, nothing posted twice.
    await t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [document] });
    expect(await points()).toBe(121);
    await expectBalancesAreSums(h);
  });
});
