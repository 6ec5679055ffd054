/**
 * Load runs against a live back office: a flood (every terminal sends a backlog as fast as acks come back:
 * ingest throughput) and a steady trickle (each terminal sells at a shop's pace: send → stock-updated lag).
 */
import type { LoadFranchise } from './provision';
import { SimTerminal } from './terminal';

export interface FloodResult {
  tickets: number;
  seconds: number;
  ticketsPerSecond: number;
  rejected: number;
  errors: string[];
}

export async function connectTerminals(url: string, f: LoadFranchise, batchSize: number): Promise<SimTerminal[]> {
  const sims = f.terminals.map((t, i) => new SimTerminal({ url, terminal: t, products: f.products, customers: f.customers, seed: 1000 + i, batchSize }));
  await Promise.all(sims.map((s) => s.connect()));
  return sims;
}

/** Pre-sells `perTerminal` tickets on every terminal (untimed), then times sending them all until acked. */
export async function flood(sims: SimTerminal[], perTerminal: number): Promise<FloodResult> {
  for (const s of sims) s.sell(perTerminal);
  const start = performance.now();
  for (const s of sims) s.pump();
  await Promise.all(sims.map((s) => s.drained()));
  const seconds = (performance.now() - start) / 1000;
  const tickets = sims.length * perTerminal;
  return {
    tickets,
    seconds,
    ticketsPerSecond: tickets / seconds,
    rejected: sims.reduce((a, s) => a + s.rejected, 0),
    errors: sims.flatMap((s) => s.errors).slice(0, 5),
  };
}

/** Every terminal sells one ticket every `intervalMs` (jittered) for `seconds`; returns send→ack latencies. */
export async function trickle(sims: SimTerminal[], seconds: number, intervalMs: number): Promise<number[]> {
  for (const s of sims) s.latencies.length = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    sims.map(async (s, i) => {
      await new Promise((r) => setTimeout(r, (i * intervalMs) / sims.length));
      while (performance.now() < end) {
        s.sell(1);
        s.pump();
        await new Promise((r) => setTimeout(r, intervalMs * (0.5 + Math.random())));
      }
      await s.drained();
    }),
  );
  return sims.flatMap((s) => s.latencies);
}
