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
 * - handshake_flood_*: a few tills stream a backlog, timed without and with a flood of wrong-token socket
 *   handshakes from another process on loopback (bounded: BENCH_FLOOD_CONCURRENCY in flight), with the
 *   default per-address limit and with the limit lifted.
 * - preauth_frames_*: 20 raw WebSocket connections that never authenticate each stream one 8 MiB frame; the
 *   back office's peak RSS growth with the default pre-auth frame limit and with it set to the global 16 MiB.
 * BENCH_CATALOG_PRODUCTS / BENCH_DRAIN_TICKETS shrink the last two for quick runs (the figure names stay).
 * BENCH_SYNC_PARTS=load,real,flood,frames picks parts (default all); figures of parts not run stay as they were.
 */
import os from 'node:os';
import { runSyncLoad } from '../loadgen/harness';
import { runRealTerminal } from '../loadgen/real-terminal';
import { runHandshakeFlood, startLoadBackoffice, type HandshakeFloodResult } from '../loadgen/handshake-flood';
import { runPreAuthFrames, type PreAuthFrameResult } from '../loadgen/preauth-frames';
import { percentile, round, type Figures } from './types';

const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function syncBench(): Promise<Figures> {
  const parts = new Set((process.env.BENCH_SYNC_PARTS ?? 'load,real,flood,frames').split(',').map((p) => p.trim()));
  const figures: Figures = {};
  if (parts.has('load')) Object.assign(figures, await loadFigures());
  if (parts.has('real')) Object.assign(figures, await realTerminalFigures());
  if (parts.has('flood')) Object.assign(figures, await handshakeFloodFigures());
  if (parts.has('frames')) Object.assign(figures, await preAuthFrameFigures());
  return figures;
}

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

async function loadFigures(): Promise<Figures> {
  const terminals = Number(process.env.BENCH_TERMINALS ?? 50);
  const perTerminal = Number(process.env.BENCH_TICKETS ?? 400);
  const batch = Number(process.env.BENCH_BATCH ?? 100);
  const trickleSeconds = Number(process.env.BENCH_TRICKLE_S ?? 15);
  const base = { terminals, stores: Math.ceil(terminals / 2), ticketsPerTerminal: perTerminal, batchSize: batch, trickleSeconds, trickleIntervalMs: 1000 };
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
  const errors = [...sqlite.flood.errors, ...postgres.flood.errors];
  if (errors.length > 0) console.warn('sync bench errors:', errors);
  return figures;
}

async function realTerminalFigures(): Promise<Figures> {
  const figures: Figures = {};
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
  return figures;
}

async function handshakeFloodFigures(): Promise<Figures> {
  const o = {
    terminals: Number(process.env.BENCH_FLOOD_TILLS ?? 4),
    ticketsPerTerminal: Number(process.env.BENCH_FLOOD_TICKETS ?? 1500),
    batchSize: 100,
    floodConcurrency: Number(process.env.BENCH_FLOOD_CONCURRENCY ?? 20),
  };
  const throttled = await runHandshakeFlood(o);
  const throttledMachine = machine();
  // The same flood with the per-address limit lifted: every handshake reads the database and logs a line.
  const open = await runHandshakeFlood({ ...o, env: { TPV_LIMIT_HANDSHAKE_ADDRESS: '100000000/1' } });
  const openMachine = machine();
  const load = `${o.terminals} tills × ${o.ticketsPerTerminal} tickets (1–6 lines), batches of ${o.batchSize}, back office on SQLite in its own process`;
  // Back-office CPU the flood added per handshake: flooded-window CPU minus what the same tickets cost quietly.
  const cpuPerHandshakeUs = (r: HandshakeFloodResult) => ((r.serverCpuMs.flooded - r.serverCpuMs.quiet) * 1000) / Math.max(1, r.handshakes.attempts);
  const outcomes = (r: HandshakeFloodResult) =>
    `${r.handshakes.attempts} handshakes (${Object.entries(r.handshakes.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')})`;
  return {
    handshake_flood_ingest_tickets_per_s_quiet: {
      value: round(throttled.quiet.ticketsPerSecond, 0),
      unit: 'tickets/s',
      conditions: `${load}, no flood; ${throttledMachine}`,
    },
    handshake_flood_ingest_tickets_per_s_flooded: {
      value: round(throttled.flooded.ticketsPerSecond, 0),
      unit: 'tickets/s',
      conditions: `${load}, during a flood of wrong-token handshakes from one loopback address (${o.floodConcurrency} in flight, another process), default limit 30 failures/60 s: ${outcomes(throttled)}; ${throttledMachine}`,
    },
    handshake_flood_ingest_ratio: {
      value: round(throttled.flooded.ticketsPerSecond / throttled.quiet.ticketsPerSecond, 2),
      unit: 'flooded / quiet',
      conditions: 'ingest throughput of the connected tills during the flood relative to without it (throttled handshakes); 2 cores shared by the back office, the tills and the flooder',
    },
    handshake_flood_server_cpu_us_per_handshake: {
      value: round(cpuPerHandshakeUs(throttled), 0),
      unit: 'µs CPU/handshake',
      conditions: `back-office CPU added by the flood per handshake, throttled (most refused at the HTTP upgrade, before any WebSocket, database read or log line); unthrottled: ${round(cpuPerHandshakeUs(open), 0)} µs (each one a token lookup and a log line); /proc ticks of 10 ms, noisy under load`,
    },
    handshake_flood_unthrottled_ingest_ratio: {
      value: round(open.flooded.ticketsPerSecond / open.quiet.ticketsPerSecond, 2),
      unit: 'flooded / quiet',
      conditions: `the same with the limit lifted (TPV_LIMIT_HANDSHAKE_ADDRESS=100000000/1): quiet ${round(open.quiet.ticketsPerSecond, 0)}, flooded ${round(open.flooded.ticketsPerSecond, 0)} tickets/s, ${outcomes(open)}; ${openMachine}`,
    },
  };
}

async function preAuthFrameFigures(): Promise<Figures> {
  const connections = 20;
  const frameBytes = 8 * 1024 * 1024;
  const run = async (env: NodeJS.ProcessEnv): Promise<PreAuthFrameResult> => {
    const bo = await startLoadBackoffice(1, env);
    try {
      return await runPreAuthFrames(bo.port, bo.pid, connections, frameBytes);
    } finally {
      await bo.stop();
    }
  };
  const limited = await run({});
  const open = await run({ TPV_PREAUTH_FRAME_BYTES: String(16 * 1024 * 1024) });
  const what = `${connections} WebSocket connections on loopback, never authenticated, each streaming one ${frameBytes / 1048576} MiB text frame`;
  const mib = (b: number) => round(b / 1048576, 2);
  return {
    preauth_frames_peak_rss_growth_mib: {
      value: round(limited.peakRssGrowthMiB, 1),
      unit: 'MiB',
      conditions: `${what}; pre-auth limit 16 KiB (default): ${limited.closedEarly}/${connections} closed by the server from the frame header, the client got ${mib(limited.acceptedBytesMean)} MiB each into the socket before the close (kernel buffers included); ${machine()}`,
    },
    preauth_frames_peak_rss_growth_mib_unlimited: {
      value: round(open.peakRssGrowthMiB, 1),
      unit: 'MiB',
      conditions: `the same with TPV_PREAUTH_FRAME_BYTES=16 MiB (the global limit, as before): ${open.closedEarly}/${connections} closed early, ${mib(open.acceptedBytesMean)} MiB sent each; ${machine()}`,
    },
  };
}
