/**
 * `npm run bench -- sync`: ticket ingest throughput and end-to-end lag, back office as its own process on a
 * fresh database, ≥ 50 simulated terminals (real socket.io clients, valid chained tickets) in this process.
 *
 * - ingest_tickets_per_s_{sqlite,postgres}: every terminal sends a backlog (pre-built, untimed) as fast as
 *   acks come back; tickets / (first send → last ack).
 * - e2e_lag_p99_ms: each terminal sells one ticket a second; time from the ticket leaving the terminal to
 *   its ack, which the back office sends after the commit that moved the stock.
 * - catalog_sync_200k_s: a terminal (its real SQLite database and SyncClient) receives a 200,000-product
 *   catalogue (+ one barcode each: 400,000 changes) from the real back office, start → loaded.
 * - drain_50k_s: the same terminal sells 50,000 tickets while the back office is stopped (untimed), the back
 *   office comes back, and the client drains its outbox: start → last ack.
 * BENCH_CATALOG_PRODUCTS / BENCH_DRAIN_TICKETS shrink the last two for quick runs (the figure names stay).
 */
import os from 'node:os';
import { runSyncLoad } from '../loadgen/harness';
import { runRealTerminal } from '../loadgen/real-terminal';
import { percentile, round, type Figures } from './types';

const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function syncBench(): Promise<Figures> {
  const terminals = Number(process.env.BENCH_TERMINALS ?? 50);
  const perTerminal = Number(process.env.BENCH_TICKETS ?? 400);
  const batch = Number(process.env.BENCH_BATCH ?? 100);
  const trickleSeconds = Number(process.env.BENCH_TRICKLE_S ?? 15);
  const base = { terminals, stores: Math.ceil(terminals / 2), ticketsPerTerminal: perTerminal, batchSize: batch, trickleSeconds, trickleIntervalMs: 1000 };
  const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;
  const load = `${terminals} terminals in ${base.stores} stores, ${terminals * perTerminal} tickets of 1–6 lines, batches of ${batch}, two in flight per terminal`;

  const sqlite = await runSyncLoad(base);
  const sqliteMachine = machine();
  const postgres = await runSyncLoad({ ...base, databaseUrl: PG_URL });
  const pgMachine = machine();
  const figures: Figures = {
    ingest_tickets_per_s_sqlite: {
      value: round(sqlite.flood.ticketsPerSecond, 0),
      unit: 'tickets/s',
      conditions: `SQLite WAL synchronous=FULL, ${load}, ${sqlite.flood.rejected} rejected; ${sqliteMachine}`,
    },
    ingest_tickets_per_s_postgres: {
      value: round(postgres.flood.ticketsPerSecond, 0),
      unit: 'tickets/s',
      conditions: `PostgreSQL 127.0.0.1, ${load}, ${postgres.flood.rejected} rejected; ${pgMachine}`,
    },
    ingest_server_cpu_us_per_ticket_sqlite: {
      value: round(sqlite.serverCpuUsPerTicket, 0),
      unit: 'µs CPU/ticket',
      conditions: `back-office process (user + system) during the SQLite flood: socket.io, zod, arithmetic, chain, SQLite writes; 1e6 / value = tickets/s one dedicated core sustains`,
    },
    ingest_server_cpu_us_per_ticket_postgres: {
      value: round(postgres.serverCpuUsPerTicket, 0),
      unit: 'µs CPU/ticket',
      conditions: 'back-office process only during the PostgreSQL flood (PostgreSQL server CPU not included)',
    },
    e2e_lag_p99_ms: {
      value: round(percentile(sqlite.lagMs, 99), 1),
      unit: 'ms',
      conditions: `SQLite, ${terminals} terminals × 1 ticket/s for ${trickleSeconds} s (${sqlite.lagMs.length} tickets), send → ack after stock commit; p50 ${round(percentile(sqlite.lagMs, 50), 1)} ms`,
    },
    e2e_lag_p99_ms_postgres: {
      value: round(percentile(postgres.lagMs, 99), 1),
      unit: 'ms',
      conditions: `PostgreSQL, ${terminals} terminals × 1 ticket/s for ${trickleSeconds} s (${postgres.lagMs.length} tickets); p50 ${round(percentile(postgres.lagMs, 50), 1)} ms`,
    },
  };
  const catalogProducts = Number(process.env.BENCH_CATALOG_PRODUCTS ?? 200_000);
  const drainTickets = Number(process.env.BENCH_DRAIN_TICKETS ?? 50_000);
  const real = await runRealTerminal({ products: catalogProducts, tickets: drainTickets });
  const realMachine = machine();
  const exact = real.hq.tickets === drainTickets && real.hq.distinctSeqs === drainTickets && real.hq.maxSeq === drainTickets && real.hq.brokenChain === 0;
  figures.catalog_sync_200k_s = {
    value: round(real.catalogSeconds, 2),
    unit: 's',
    conditions: `new terminal (SQLite file, real SyncClient) ← real back office (own process, SQLite): ${catalogProducts} products + ${catalogProducts} barcodes = ${real.catalogVersion} changes in pages of 1000, start → loaded; client CPU ${round(real.catalogClientCpuSeconds, 1)} s; ${realMachine}`,
  };
  figures.drain_50k_s = {
    value: round(real.drainSeconds, 2),
    unit: 's',
    conditions: `${drainTickets} tickets (1–3 lines) queued on the terminal while the back office was stopped, then drained after its restart (batches of ≤ 200, two in flight), connect → last ack = ${round(drainTickets / real.drainSeconds, 0)} tickets/s; HQ holds ${real.hq.tickets} tickets${exact ? ', each seq once, chain verified' : ' — NOT exactly once!'}; ${realMachine}`,
  };
  const errors = [...sqlite.flood.errors, ...postgres.flood.errors];
  if (errors.length > 0) console.warn('sync bench errors:', errors);
  return figures;
}
