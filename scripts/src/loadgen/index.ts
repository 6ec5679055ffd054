/**
 * `tsx scripts/src/loadgen/index.ts [--terminals 50] [--stores 25] [--tickets 500] [--batch 100] [--database-url postgres://…]`
 * Starts a back office on a fresh database (SQLite file in a temp dir unless --database-url), provisions a
 * load franchise, connects N simulated terminals and floods it, then prints the figures.
 */
import { runSyncLoad } from './harness';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};

const result = await runSyncLoad({
  terminals: Number(arg('terminals', '50')),
  stores: Number(arg('stores', '25')),
  ticketsPerTerminal: Number(arg('tickets', '500')),
  batchSize: Number(arg('batch', '100')),
  databaseUrl: arg('database-url', '') || undefined,
  trickleSeconds: Number(arg('trickle-seconds', '10')),
});
console.log(JSON.stringify(result, null, 2));
