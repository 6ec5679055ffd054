/**
 * Gift vouchers at HQ on SQLite and PostgreSQL, through the real till socket (documents, till:request,
 * tickets): a voucher sold at a till applies once; two tills holding the same voucher at once online — exactly
 * one gets the hold, the other is refused and nothing is written; the winner's ticket consumes the hold and
 * posts the redemption; two tills redeeming offline (no hold, within their caps) are both posted, the
 * overdraft blocks the voucher and is flagged for review; HQ's corrections are audited and scoped; a seeded
 * random walk of sales, loads, holds, releases, online and offline redemptions and adjustments keeps every
 * balance = Σ its postings (must-be-true 2, vouchers half).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { newVoucherCode } from '@tpv/shared/vouchers/codes';
import type { UpwardAck } from '@tpv/shared/wire/upward';
import type { TillRequestReply } from '@tpv/shared/wire/till-request';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import type { TicketFactory } from '../support/ticket-factory';
import { all, exec } from '../../src/persistence/sql';

let now = Date.UTC(2026, 10, 30, 9, 0, 0);
const clock = { now: () => now };
let n = 0;
const uuid = () => `01930000-0000-7000-8000-${(++n).toString(16).padStart(12, '0')}`;
const rnd = seededRandom(15_2026);
const code = (prefix = 'M00101') => newVoucherCode(prefix, (k) => Uint8Array.from({ length: k }, () => Math.floor(rnd() * 256)));
const SESSION = '01930000-0000-7000-8fff-000000000001';

describe.each(engines)('gift vouchers on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let t1: TerminalClient;
  let t3: TerminalClient;
  let f1: TicketFactory;
  let f3: TicketFactory;
  let hq: string;

  const sell = async (t: TerminalClient, terminalId: string, c: string, amountCents: number, kind: 'issue' | 'load' = 'issue', id = uuid()) => {
    const ack = (await t.socket.timeout(10_000).emitWithAck('documents', {
      terminalId, documents: [{ id, kind: 'vouchers.sale', createdAt: '2026-11-30T10:00:00+01:00', payload: { kind, code: c, amountCents, payments: [{ method: 'cash', amountCents }], number: `VV-${id.slice(-4)}`, sessionId: SESSION } }],
    })) as UpwardAck;
    return ack.results[0]!;
  };
  const ask = (t: TerminalClient, kind: string, payload: unknown) => t.socket.timeout(10_000).emitWithAck('till:request', { kind, payload }) as Promise<TillRequestReply>;
  const pay = async (t: TerminalClient, f: TicketFactory, vouchers: Array<{ code: string; amount: number }>): Promise<TicketDocument> => {
    const total = vouchers.reduce((s, v) => s + v.amount, 0);
    // One line of a product priced so the ticket total covers the vouchers (units × price ≥ total).
    const p = F.products[0]!;
    const doc = f.sale({ lines: [{ product: p, units: Math.ceil(total / p.priceCents) }], payment: { vouchers } });
    const ack = await t.send([doc]);
    expect(ack.rejected ?? []).toEqual([]);
    expect(ack.ackedSeq).toBe(doc.seq);
    return doc;
  };
  const voucher = async (c: string) => (await h.api('GET', `/api/vouchers/${c}`, { token: hq })).body;
  /** Every voucher: balance = Σ postings = the last posting's balance after it. */
  const ledgerHolds = async () => {
    const bad = await all<Record<string, unknown>>(h.ds.manager, `SELECT v.code, v.balance_cents, (SELECT COALESCE(SUM(p.amount_cents), 0) FROM voucher_posting p WHERE p.voucher_id = v.id) AS s,
       (SELECT p.balance_after_cents FROM voucher_posting p WHERE p.voucher_id = v.id ORDER BY p.seq DESC LIMIT 1) AS last FROM voucher v`);
    for (const r of bad) {
      expect(Number(r.balance_cents), String(r.code)).toBe(Number(r.s));
      if (r.last !== null) expect(Number(r.last), String(r.code)).toBe(Number(r.balance_cents));
    }
    return bad.length;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    f1 = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 1, clock);
    f3 = factoryFor(F.t3, F.storeV1, F.levante.nif, 3, clock);
    hq = await h.login(F.hq);
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('a voucher sold at a till is issued once, a load adds to it and extends its validity', async () => {
    const c = code();
    const id = uuid();
    expect(await sell(t1, F.t1.id, c, 5000, 'issue', id)).toMatchObject({ status: 'applied' });
    expect(await sell(t1, F.t1.id, c, 5000, 'issue', id)).toMatchObject({ status: 'applied' }); // a lost ack: resent
    expect(await sell(t3, F.t3.id, c, 2500, 'load')).toMatchObject({ status: 'applied' }); // loaded at another company's store
    const d = await voucher(c);
    expect(d.voucher).toMatchObject({ balanceCents: 7500, status: 'active', companyId: F.ruiz.id });
    expect(d.postings.map((p: { kind: string; amountCents: number; companyId: string }) => [p.kind, p.amountCents, p.companyId])).toEqual([['issue', 5000, F.ruiz.id], ['load', 2500, F.levante.id]]);
    expect(d.voucher.expiresAt.slice(0, 10)).toBe('2028-11-30');
    // The books of each selling company (this file's first sales): cash 570 against vouchers outstanding 438, once
    // per sale (the resent one too).
    const books = await all<{ company_id: string; account: string; d: unknown; c: unknown }>(
      h.ds.manager,
      `SELECT e.company_id, l.account, SUM(l.debit_cents) AS d, SUM(l.credit_cents) AS c FROM acc_entry e JOIN acc_line l ON l.entry_id = e.id
        WHERE e.kind = 'voucher_sale' GROUP BY e.company_id, l.account ORDER BY e.company_id, l.account`,
    );
    expect(books.map((b) => [b.company_id, b.account, Number(b.d), Number(b.c)])).toEqual(
      [[F.ruiz.id, '43800000', 0, 5000], [F.ruiz.id, '57000000', 5000, 0], [F.levante.id, '43800000', 0, 2500], [F.levante.id, '57000000', 2500, 0]].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
    // A malformed code (wrong check digit) is refused by the channel's schema and kept at the till.
    const bad = await sell(t1, F.t1.id, c.slice(0, -1) + (c.endsWith('0') ? '1' : '0'), 1000);
    expect(bad.status).toBe('rejected');
  });

  it('online: two tills hold the same voucher at once — exactly one succeeds; refusals write nothing', async () => {
    const c = code();
    await sell(t1, F.t1.id, c, 6000);
    const [a, b] = await Promise.all([ask(t1, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 5000 }), ask(t3, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 5000 })]);
    const wins = [a, b].filter((r) => 'reply' in r);
    const refusals = [a, b].filter((r) => 'refused' in r) as Array<{ refused: { code: string; message: string } }>;
    expect(wins).toHaveLength(1);
    expect(refusals.map((r) => r.refused.code)).toEqual(['VOUCHER_INSUFFICIENT']);
    expect(refusals[0]!.refused.message).toMatch(/10,00 €/);
    const winner = a === wins[0] ? { t: t1, f: f1 } : { t: t3, f: f3 };
    const holdsBefore = (await voucher(c)).holds.length;
    // Unknown, malformed, more than available: refused, nothing written.
    expect(await ask(t1, 'vouchers.hold', { holdId: uuid(), code: code(), amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_UNKNOWN' } });
    expect(await ask(t1, 'vouchers.hold', { holdId: uuid(), code: 'XYZ', amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_MALFORMED' } });
    expect(await ask(t1, 'vouchers.balance', { code: c })).toMatchObject({ reply: { balanceCents: 6000, availableCents: 1000 } });
    expect((await voucher(c)).holds.length).toBe(holdsBefore);
    // The winner's ticket consumes its hold and posts the redemption.
    await pay(winner.t, winner.f, [{ code: c, amount: 5000 }]);
    const d = await voucher(c);
    expect(d.voucher.balanceCents).toBe(1000);
    expect(d.holds.map((x: { status: string }) => x.status)).toEqual(['consumed']);
    expect(d.postings.at(-1)).toMatchObject({ kind: 'redeem', amountCents: -5000, note: null });
    // Spent down to 0 → "already spent".
    await pay(t1, f1, [{ code: c, amount: 1000 }]);
    expect(await ask(t3, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_SPENT' } });
    // A hold not used lapses: its amount is available again.
    const c2 = code();
    await sell(t1, F.t1.id, c2, 3000);
    const held = await ask(t1, 'vouchers.hold', { holdId: uuid(), code: c2, amountCents: 3000 });
    expect(held).toMatchObject({ reply: { availableCents: 0 } });
    expect(await ask(t3, 'vouchers.hold', { holdId: uuid(), code: c2, amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_INSUFFICIENT' } });
    now += 31 * 60_000;
    expect(await ask(t3, 'vouchers.hold', { holdId: uuid(), code: c2, amountCents: 100 })).toMatchObject({ reply: { availableCents: 2900 } });
    await ledgerHolds();
  });

  it('offline: two tills redeem within their caps; both posted, the overdraft blocks the voucher and is flagged', async () => {
    const c = code();
    await sell(t1, F.t1.id, c, 6000);
    // No holds asked (offline): each till took 45 € (within its 50 € cap); they arrive later.
    const d1 = await pay(t1, f1, [{ code: c, amount: 4500 }]);
    const d3 = await pay(t3, f3, [{ code: c, amount: 4500 }]);
    const d = await voucher(c);
    expect(d.voucher).toMatchObject({ balanceCents: -3000, status: 'blocked', overdrawn: true });
    expect(d.sumOfPostingsCents).toBe(-3000);
    expect(d.postings.filter((p: { kind: string }) => p.kind === 'redeem').map((p: { note: string | null; reference: string }) => [p.note, p.reference])).toEqual([['offline', d1.fiscalNumber], ['offline', d3.fiscalNumber]]);
    const flags = await all<{ ticket_id: string; code: string }>(h.ds.manager, `SELECT ticket_id, code FROM ingest_review WHERE code = 'VOUCHER_OVERDRAWN'`);
    expect(flags.map((x) => x.ticket_id)).toEqual([d3.id]);
    // Blocked: no further hold; HQ reviews, adjusts and releases it (audited).
    expect(await ask(t1, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_BLOCKED' } });
    const early = await h.api('POST', `/api/vouchers/${c}/status`, { token: hq, body: { status: 'active', note: 'revisado' } });
    expect(early.status).toBe(409);
    const adj = await h.api('POST', `/api/vouchers/${c}/adjust`, { token: hq, body: { amountCents: 3000, note: 'descubierto asumido por la central' } });
    expect(adj.status).toBe(200);
    expect((await h.api('POST', `/api/vouchers/${c}/status`, { token: hq, body: { status: 'active', note: 'revisado' } })).body.voucher).toMatchObject({ status: 'active', overdrawn: false, balanceCents: 0 });
    const audits = await all<{ action: string }>(h.ds.manager, `SELECT action FROM audit_log WHERE entity = 'voucher' AND entity_id = ? ORDER BY at, id`, [d.voucher.id]);
    expect(audits.map((a) => a.action)).toEqual(['voucher.adjust', 'voucher.unblock']);
  });

  it('a payment beyond HQ\'s hold, or beyond the offline cap without one, is posted and flagged', async () => {
    const c = code();
    await sell(t1, F.t1.id, c, 20_000);
    expect(await ask(t1, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 1000 })).toMatchObject({ reply: {} });
    const over = await pay(t1, f1, [{ code: c, amount: 4000 }]); // held 10 €, charged 40 €
    const offline = await pay(t3, f3, [{ code: c, amount: 6000 }]); // no hold, 60 € > the 50 € cap
    const flags = await all<{ ticket_id: string; code: string }>(h.ds.manager, `SELECT ticket_id, code FROM ingest_review WHERE code IN ('VOUCHER_OVER_HOLD', 'VOUCHER_OVER_OFFLINE_CAP') ORDER BY code`);
    expect(flags.map((x) => [x.code, x.ticket_id])).toEqual([['VOUCHER_OVER_HOLD', over.id], ['VOUCHER_OVER_OFFLINE_CAP', offline.id]]);
    expect((await voucher(c)).voucher).toMatchObject({ balanceCents: 10_000 });
  });

  it('bad corrections are refused with nothing written; scope and the outstanding balance per company', async () => {
    const c = code();
    await sell(t1, F.t1.id, c, 2000);
    const before = (await voucher(c)).postings.length;
    expect((await h.api('POST', `/api/vouchers/${c}/adjust`, { token: hq, body: { amountCents: -2500, note: 'demasiado' } })).status).toBe(422);
    expect((await h.api('POST', `/api/vouchers/${c}/adjust`, { token: hq, body: { amountCents: 0, note: 'cero' } })).status).toBe(400);
    expect((await h.api('POST', `/api/vouchers/${c}/adjust`, { token: hq, body: { amountCents: -100, kind: 'refund', note: 'abono' } })).status).toBe(422);
    expect((await voucher(c)).postings.length).toBe(before);
    const levante = await h.login(F.managerLevante);
    expect((await h.api('GET', `/api/vouchers/${c}`, { token: levante })).status).toBe(404);
    expect((await h.api('GET', `/api/vouchers?q=${c.slice(0, 8)}`, { token: levante })).body.items).toEqual([]);
    const voided = await h.api('POST', `/api/vouchers/${c}/status`, { token: hq, body: { status: 'void', note: 'tarjeta robada' } });
    expect(voided.body.voucher).toMatchObject({ status: 'void', balanceCents: 0 });
    const out = (await h.api('GET', '/api/vouchers/outstanding', { token: hq })).body;
    const total = await all<{ t: unknown }>(h.ds.manager, 'SELECT COALESCE(SUM(balance_cents), 0) AS t FROM voucher');
    expect(out.totalOutstandingCents).toBe(Number(total[0]!.t));
    const posted = await all<{ t: unknown }>(h.ds.manager, 'SELECT COALESCE(SUM(amount_cents), 0) AS t FROM voucher_posting');
    expect(out.companies.reduce((s: number, x: { netCents: number }) => s + x.netCents, 0)).toBe(Number(posted[0]!.t));
  });

  it('expiry posts the unspent balance off', async () => {
    const c = code();
    await sell(t1, F.t1.id, c, 1500);
    // Its validity ran out (two years on: the sessions' clock stays, the voucher's date moves back).
    await exec(h.ds.manager, `UPDATE voucher SET expires_at = ? WHERE code = ?`, ['2026-11-30T08:00:00.000Z', c]);
    const r = await h.api('POST', '/api/vouchers/expire', { token: hq });
    expect(r.body).toMatchObject({ expired: 1, cents: 1500 });
    expect((await voucher(c)).voucher).toMatchObject({ status: 'expired', balanceCents: 0 });
    expect(await ask(t1, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: 100 })).toMatchObject({ refused: { code: 'VOUCHER_EXPIRED' } });
  });

  it('random walk: sales, loads, holds, releases, online and offline redemptions, adjustments — balance = Σ postings', async () => {
    const r = seededRandom(engine.name === 'sqlite' ? 7 : 8);
    const codes = [code(), code('V00101')];
    for (const c of codes) await sell(t1, F.t1.id, c, 4000);
    for (let step = 0; step < 24; step++) {
      const c = codes[Math.floor(r() * codes.length)]!;
      const amount = 100 * (1 + Math.floor(r() * 30));
      const [t, tid, f] = r() < 0.5 ? [t1, F.t1.id, f1] : [t3, F.t3.id, f3];
      const op = r();
      if (op < 0.2) await sell(t, tid, c, amount, 'load');
      else if (op < 0.55) {
        const held = await ask(t, 'vouchers.hold', { holdId: uuid(), code: c, amountCents: amount });
        if ('reply' in held) await pay(t, f, [{ code: c, amount }]);
      } else if (op < 0.65) {
        const holdId = uuid();
        if ('reply' in (await ask(t, 'vouchers.hold', { holdId, code: c, amountCents: amount }))) expect(await ask(t, 'vouchers.release', { holdId })).toMatchObject({ reply: { released: true } });
      } else if (op < 0.85) await pay(t, f, [{ code: c, amount: Math.min(amount, 5000) }]); // offline, within the cap
      else await h.api('POST', `/api/vouchers/${c}/adjust`, { token: hq, body: { amountCents: amount, kind: 'refund', note: 'abono de devolución' } });
    }
    expect(await ledgerHolds()).toBeGreaterThan(5);
  });
});
