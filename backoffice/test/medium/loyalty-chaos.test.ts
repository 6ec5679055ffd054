/**
 * Must-be-true 2 (points): two tills redeem the same points at the same time, on both engines.
 * - Online: holds asked at once over both tills' sockets — exactly one wins, the other is refused; six holds
 *   at once through the handler on 1,000 points of 300 each — exactly three win.
 * - Offline: both tills redeem under their cap without asking; HQ applies both tickets, posts both, and
 *   flags the one that overdraws (kept, in the review queue — never lost, never silently double-spent).
 * - Property: random postings, many at once on the same members — every balance = Σ its postings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME } from '@tpv/shared/loyalty/rules';
import { seededRandom } from '@tpv/shared/prng';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { writeTransaction } from '../../src/persistence/raw';
import { createLoyaltyService } from '../../src/loyalty/service';
import { balanceOf, post, sqlOf, transferPoints } from '../../src/loyalty/ledger';
import { expectBalancesAreSums } from '../support/loyalty';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const M = ['00000000-0000-7000-8009-000000000001', '00000000-0000-7000-8009-000000000002', '00000000-0000-7000-8009-000000000003'];
const till1 = { terminalId: F.t1.id, storeId: F.storeM1.id, companyId: F.ruiz.id };

describe.each(engines)('two tills, the same points, on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let t1: TerminalClient;
  let t3: TerminalClient;
  const svc = () => createLoyaltyService(h.ds, clock);
  const give = (customerId: string, points: number) =>
    writeTransaction(h.ds, (m) => post(sqlOf(m), { id: crypto.randomUUID(), customerId, kind: 'adjust', points, companyId: F.ruiz.id, day: '2026-11-30', at: '2026-11-30T09:00:00.000Z' }));

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await exec(h.ds.manager, `INSERT INTO loyalty_programme (id, rules, updated_at) VALUES ('franchise', ?, '2026-11-30T09:00:00.000Z')`, [JSON.stringify({ ...DEFAULT_PROGRAMME, offlineCapPoints: 500, offlineDailyCapPoints: 500 })]);
    for (const [i, id] of M.entries()) {
      await exec(h.ds.manager, `INSERT INTO customer (id, nif, name, email, re_regime, credit_limit_cents, active, version, loyalty_card) VALUES (?, NULL, ?, NULL, ?, 0, ?, 1, ?)`, [id, `Socio ${i + 1}`, false, true, `LOY-9${i}`]);
    }
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('online: two tills hold the same points at once over their sockets — exactly one succeeds', async () => {
    await give(M[0]!, 1000);
    const ask = (t: TerminalClient) => t.socket.timeout(10_000).emitWithAck('till:request', { kind: 'loyalty.hold', payload: { customerId: M[0], points: 800 } }) as Promise<{ reply?: unknown; refused?: { code: string } }>;
    const answers = await Promise.all([ask(t1), ask(t3)]);
    expect(answers.filter((a) => a.reply).length).toBe(1);
    expect(answers.filter((a) => a.refused?.code === 'LOYALTY_INSUFFICIENT_POINTS').length).toBe(1);
    // Six at once on 1,000 − 800 held … released first: 1,000 available, 300 each → exactly three.
    await exec(h.ds.manager, `UPDATE loyalty_hold SET status = 'released' WHERE customer_id = ?`, [M[0]]);
    const six = await Promise.allSettled(Array.from({ length: 6 }, () => svc().hold(till1, { customerId: M[0], points: 300 })));
    expect(six.filter((r) => r.status === 'fulfilled').length).toBe(3);
    expect(six.every((r) => r.status === 'fulfilled' || r.reason instanceof TillRequestRefused)).toBe(true);
    expect((await svc().balance(null, { customerId: M[0] })).available).toBe(100);
  });

  it('offline: both tills redeem within their cap; HQ posts both and flags the overdraft', async () => {
    await give(M[1]!, 600);
    const redeem = (f: ReturnType<typeof factoryFor>) =>
      f.sale({ lines: [{ product: F.products[5]!, units: 3 }], customer: { id: M[1]!, name: 'Socio 2' }, loyalty: { id: crypto.randomUUID(), points: 500, cents: 500, customerId: M[1]!, offline: true } });
    const a = redeem(factoryFor(F.t1, F.storeM1, F.ruiz.nif, 21));
    const b = redeem(factoryFor(F.t3, F.storeV1, F.levante.nif, 23));
    const acks = await Promise.all([t1.send([a]), t3.send([b])]);
    expect(acks.map((x) => x.ackedSeq)).toEqual([a.seq, b.seq]);
    const redeemed = await all<{ points: unknown; flagged: unknown }>(h.ds.manager, `SELECT points, flagged FROM loyalty_posting WHERE customer_id = ? AND kind = 'redeem' ORDER BY seq`, [M[1]]);
    expect(redeemed.map((r) => Number(r.points))).toEqual([-500, -500]);
    expect(redeemed.map((r) => Number(r.flagged) === 1 || r.flagged === true)).toEqual([false, true]);
    const review = await all<{ code: string; ticket_id: string }>(h.ds.manager, `SELECT code, ticket_id FROM ingest_review WHERE kind = 'anomaly' AND code = 'LOYALTY_OFFLINE_OVERDRAWN'`);
    expect(review.length).toBe(1);
    expect([a.id, b.id]).toContain(review[0]!.ticket_id);
    // 600 − 1,000 + what both sales earned on what was paid (3 × 2,80 € − 5,00 € = 3,40 € → 3 points each).
    expect((await svc().balance(null, { customerId: M[1] })).points).toBe(600 - 1000 + 3 + 3);
    await expectBalancesAreSums(h);
  });

  it('property: random postings, many at once on the same members — balance = Σ postings, seqs 1..n', async () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        Array.from({ length: 6 }, () => {
          const who = M[Math.floor(rnd() * M.length)]!;
          const pts = Math.floor(rnd() * 2000) - 900 || 1;
          return give(who, pts);
        }),
      );
    }
    await expectBalancesAreSums(h);
    const [n] = await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM loyalty_posting`);
    expect(Number(n!.n)).toBeGreaterThanOrEqual(48);
    // A merge moves the whole balance, lot by lot, and leaves the source at 0.
    const sql = sqlOf(h.ds.manager);
    const [from, to] = [await balanceOf(sql, M[2]!), await balanceOf(sql, M[0]!)];
    const moved = await writeTransaction(h.ds, (m) => transferPoints(sqlOf(m), { fromCustomerId: M[2]!, toCustomerId: M[0]!, companyId: F.ruiz.id, at: '2026-11-30T10:00:00.000Z', newId: () => crypto.randomUUID() }));
    expect(moved).toBe(from);
    expect([await balanceOf(sql, M[2]!), await balanceOf(sql, M[0]!)]).toEqual([0, to + from]);
    await expectBalancesAreSums(h);
  });
});
