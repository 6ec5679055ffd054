/**
 * `tsx scripts/src/loadgen/micro.ts [--database-url postgres://…] [--terminals 50] [--tickets 400] [--batch 100] [--step-ms 50]`
 * The ingest in-process, without sockets: where a ticket's back-office CPU goes — JSON of the wire (what
 * socket.io does), validation (zod + arithmetic), and apply + ledger writes, timed separately on a fresh
 * database. Prints µs per ticket and the longest single transaction (what held the event loop on SQLite);
 * asserts nothing. `--step-ms`: the ingest's maxStepMs (default: the engine's; `Infinity` for unbounded groups).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { openLedger } from '@tpv/backoffice/persistence/ledger/index';
import { createTicketFactory } from '@tpv/backoffice/test/support/ticket-factory';
import { createIngest } from '@tpv/backoffice/sales-ingest/service';
import { validateBatch, type TerminalContext } from '@tpv/backoffice/sales-ingest/validate';
import { provisionLoadFranchise } from './provision';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};

export async function microIngest(o: { terminals: number; tickets: number; batch: number; databaseUrl?: string | undefined; stepMs?: number | undefined }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-micro-'));
  const schema = o.databaseUrl ? `tpv_micro_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
  const ds = await openBackofficeDatabase({ databaseUrl: o.databaseUrl, schema, file: path.join(dir, 'bo.sqlite') });
  try {
    const f = await provisionLoadFranchise(ds, { stores: Math.ceil(o.terminals / 2), terminalsPerStore: 2, products: 500 });
    const terms = f.terminals.slice(0, o.terminals);
    const batches: Array<{ ctx: TerminalContext; text: string }> = [];
    let total = 0;
    const perTerminal = terms.map((t, i) => {
      let ms = Date.now() - 3600_000;
      const factory = createTicketFactory({ identity: t, products: f.products, onAccountCustomers: f.customers, clock: { now: () => (ms += 250) }, seed: 1000 + i, sessionId: `LOAD-${t.storeCode}-${t.terminalCode}` });
      return Array.from({ length: o.tickets }, () => factory.next());
    });
    for (let b = 0; b < o.tickets / o.batch; b++) {
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i]!;
        const tickets = perTerminal[i]!.slice(b * o.batch, (b + 1) * o.batch);
        total += tickets.length;
        batches.push({ ctx: { terminalId: t.terminalId, storeId: t.storeId, installation: t.installation, companyNif: t.companyNif }, text: JSON.stringify({ terminalId: t.terminalId, batchId: randomUUID(), tickets }) });
      }
    }
    let t0 = performance.now();
    const parsed = batches.map((b) => JSON.parse(b.text) as unknown);
    const jsonUs = ((performance.now() - t0) * 1000) / total;
    t0 = performance.now();
    for (let i = 0; i < batches.length; i++) validateBatch(batches[i]!.ctx, parsed[i]);
    const validateUs = ((performance.now() - t0) * 1000) / total;
    const ledger = openLedger(ds);
    let inTxMs = 0;
    let longestTxMs = 0;
    let commits = 0;
    const timed: typeof ledger = {
      engine: ledger.engine,
      ackedSeq: (id) => ledger.ackedSeq(id),
      close: () => ledger.close(),
      async transaction(fn) {
        const t = performance.now();
        try {
          return await ledger.transaction(fn);
        } finally {
          const ms = performance.now() - t;
          inTxMs += ms;
          longestTxMs = Math.max(longestTxMs, ms);
          commits++;
        }
      },
    };
    const ingest = createIngest(timed, { now: () => Date.now() }, {}, o.stepMs !== undefined ? { maxStepMs: o.stepMs } : {});
    const fresh = batches.map((b) => JSON.parse(b.text) as unknown);
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    // Everything submitted at once, as a flood does: the lanes group-commit what waits.
    const results = await Promise.all(batches.map((b, i) => ingest.submit(b.ctx, fresh[i])));
    const cpu = process.cpuUsage(cpu0);
    const submitUs = ((performance.now() - t0) * 1000) / total;
    const refused = results.filter((r) => !r.ok).length;
    await ingest.ledger.close();
    return { tickets: total, jsonUs, validateUs, submitUs, applyUs: (inTxMs * 1000) / total, submitCpuUs: ((cpu.user + cpu.system) / total), refused, perSecond: Math.round(1e6 / submitUs), commits, longestTxMs };
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (o.databaseUrl && schema) {
      const admin = new pg.Client({ connectionString: o.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.end());
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await microIngest({
    terminals: Number(arg('terminals', '50')),
    tickets: Number(arg('tickets', '400')),
    batch: Number(arg('batch', '100')),
    databaseUrl: arg('database-url', '') || undefined,
    stepMs: arg('step-ms', '') ? Number(arg('step-ms', '')) : undefined,
  });
  const f = (x: number) => x.toFixed(1);
  console.log(`${r.tickets} tickets: JSON.parse ${f(r.jsonUs)} µs, validate ${f(r.validateUs)} µs, submit (validate+apply+commit) ${f(r.submitUs)} µs wall, of which in ledger transactions ${f(r.applyUs)} µs / ${f(r.submitCpuUs)} µs CPU per ticket → ${r.perSecond}/s; refused batches ${r.refused}; ${r.commits} commits, longest ${f(r.longestTxMs)} ms`);
}
