/**
 * `npm run bench -- <name> [...]`: runs benchmarks, prints a table (figure, value, unit, conditions) and
 * writes `bench/results/<name>.json` as `{"figure": {"value", "unit", "conditions"}}`. Timings live here,
 * never as assertions inside `npm test`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benches } from './bench/index';
import type { Figures } from './bench/types';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = requested.length ? requested : Object.keys(benches);

for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown bench "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== bench ${name} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version})`);
  const figures: Figures = await bench();
  printTable(figures);
  const out = path.join(repoRoot, 'bench/results', `${name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  // A partial run (e.g. BENCH_SYNC_PARTS) replaces only the figures it measured.
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Figures) : {};
  writeFileSync(out, JSON.stringify({ ...previous, ...figures }, null, 2) + '\n');
  console.log(`written ${path.relative(repoRoot, out)}`);
}

function printTable(figures: Figures) {
  const rows = Object.entries(figures).map(([k, f]) => [k, String(f.value), f.unit, f.conditions]);
  const head = ['figure', 'value', 'unit', 'conditions'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
