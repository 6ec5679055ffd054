/**
 * The ingest applies a backlog in bounded steps (issue 18: the live dashboard's pushes run on the event loop
 * that SQLite's synchronous group commits hold): a group stops taking batches when its step's time is up,
 * commits, and lets the loop run — a timer armed during the first step fires before the last commit, as the
 * dashboard's push timer does — while every batch is still applied once, in the order it came, each answered
 * with its own ack. The store is reported in flight from its group's start to the end of its onApplied.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/persistence/ledger';
import type { LedgerEngine, LedgerWrites } from '../../src/sales-ingest/ledger';
import { createIngest } from '../../src/sales-ingest/service';
import { engines, F, factoryFor, startHarness, type Harness } from '../support/harness';

/** Work the CPU for `ms` (a batch that takes time to apply, as a big one does on a loaded machine). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe.each(engines)('ingest steps on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };

  beforeAll(async () => {
    h = await startHarness(engine);
    await h.pair(F.t1.id);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('a backlog of 12 batches commits in several steps, a timer fires before the last; each batch once, in order', async () => {
    const events: string[] = [];
    let timer: Promise<void> | undefined;
    const base = openLedger(h.ds);
    const ledger: LedgerEngine = {
      ...base,
      async transaction(fn) {
        const r = await base.transaction((tx) =>
          fn(
            new Proxy(tx, {
              get(target, prop) {
                if (prop === 'write') {
                  return async (w: LedgerWrites) => {
                    // Armed inside the first step: it can only fire once a step lets the loop go.
                    if (!timer) timer = new Promise<void>((resolve) => setTimeout(() => {
                      events.push('timer');
                      resolve();
                    }, 0));
                    busy(3);
                    events.push(`write ${w.tickets.map((t) => t.seq).join(',')}`);
                    return target.write(w);
                  };
                }
                const v = Reflect.get(target, prop) as unknown;
                return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
              },
            }),
          ),
        );
        events.push('commit');
        return r;
      },
    };
    const inFlightSeen: boolean[] = [];
    const ingest: ReturnType<typeof createIngest> = createIngest(ledger, { now: () => Date.now() }, { onApplied: () => inFlightSeen.push(ingest.storesInFlight().has(F.storeM1.id)) }, { maxStepMs: 5 });
    try {
      const ctx = { terminalId: F.t1.id, storeId: F.storeM1.id, installation: F.t1.installation, companyNif: F.ruiz.nif };
      const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 21);
      const batches = Array.from({ length: 12 }, () => Array.from({ length: 3 }, () => f.next()));
      const acks = await Promise.all(batches.map((tickets) => ingest.submit(ctx, { terminalId: ctx.terminalId, batchId: randomUUID(), tickets })));
      await timer;

      expect(acks.map((a) => (a.ok ? a.value.ackedSeq : a.error.code))).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36]);
      // Applied in the order they came, once each.
      const writes = events.filter((e) => e.startsWith('write'));
      expect(writes).toEqual(batches.map((b) => `write ${b.map((t) => t.seq).join(',')}`));
      const rows = (await h.ds.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM sale_ticket WHERE terminal_id = '${F.t1.id}'`)) as Array<{ n: unknown; d: unknown }>;
      expect([Number(rows[0]!.n), Number(rows[0]!.d)]).toEqual([36, 36]);
      // Several commits (a 3 ms batch against a 5 ms step: two batches a step at most); the timer armed in the first
      // step fired before the last commit — on SQLite, where a step holds the loop, only a step's end lets it.
      const commits = events.filter((e) => e === 'commit').length;
      expect(commits).toBeGreaterThanOrEqual(6);
      expect(events.slice(events.indexOf('timer'))).toContain('commit');
      // In flight while its onApplied runs; nothing left in flight after.
      expect(inFlightSeen).toEqual(batches.map(() => true));
      expect([...ingest.storesInFlight()]).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});
