/**
 * `npm run bench -- sync`: ticket ingest throughput and end-to-end lag, back office as its own process on a
 * fresh database, ≥ 50 simulated terminals (real socket.io clients, valid chained tickets) in this process.
 *
 * - ingest_tickets_per_s_{sqlite,postgres}: every terminal sends a backlog (pre-built, untimed) as fast as
 *   acks come back; tickets / (first send → last ack).
 * - e2e_lag_p99_ms: each terminal sells one ticket a second; time from the ticket leaving the terminal to
 *   its ack, which the back office sends after the commit that moved the stock.
 */
import os from 'node:os';
import { runSyncLoad } from '../loadgen/harness';
import { percentile, round, type Figures } from './types';

const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function syncBench(): Promise<Figures> {
  const terminals = Number(process.env.BENCH_TERMINALS ?? 50);
  const perTerminal = Number(process.env.BENCH_TICKETS ?? 400);
  const batch = Number(process.env.BENCH_BATCH ?? 100);
  const trickleSeconds = Number(process.env.BENCH_TRICKLE_S ?? 15);
  const base = { terminals, stores: Math.ceil(terminals / 2), ticketsPerTerminal: perTerminal, batchSize: batch, trickleSeconds, trickleIntervalMs: 1000 };
  const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;
  const load = `${terminals} terminals in ${base.stores} stores, ${terminals * perTerminal} tickets of 1–6 lines, batches of ${batch}`;

  const sqlite = await runSyncLoad(base);
  const sqliteMachine = machine();
  const postgres = await runSyncLoad({ ...base, databaseUrl: PG_URL });
  const pgMachine = machine();
  const figures: Figures = {
    ingest_tickets_per_s_sqlite: {
      value: round(sqlite.flood.ticketsPerSecond, 0),
      unit: 'tickets/s',
      conditions: `SQLite WAL synchronous=NORMAL, ${load}, ${sqlite.flood.rejected} rejected; ${sqliteMachine}`,
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
  const errors = [...sqlite.flood.errors, ...postgres.flood.errors];
  if (errors.length > 0) console.warn('sync bench errors:', errors);
  return figures;
}
