/**
 * Issue 10, must-be-true 4 (CLI half): `npm run import -- products <file>` run as a process against the
 * back office's database — a 200,000-product CSV on SQLite (20,000 on PostgreSQL) is imported with progress
 * reported on stderr; a file with bad rows exits 1, lists every bad row and writes nothing; --dry-run writes
 * nothing either (on a small file: the suite runs the full size once).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, PG_URL } from '../../../backoffice/test/support/engines';
import { writeProductsCsv } from '../../src/bench/catalog-import';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/src/import.ts'), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(engines)('import CLI on $name', (engine) => {
  const n = engine.name === 'sqlite' ? 200_000 : 20_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-import-cli-'));
  let ds: DataSource;
  let env: NodeJS.ProcessEnv;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    const setup = await engine.setup();
    ds = await setup.open();
    teardown = setup.teardown;
    // Where the CLI finds the database: DATABASE_URL (with the test's schema) or the SQLite file.
    const schema = (ds.options as { schema?: string }).schema;
    env = engine.name === 'postgres' ? { DATABASE_URL: `${PG_URL}?schema=${schema}` } : { DATABASE_URL: '', TPV_BACKOFFICE_DB: (ds.options as { database: string }).database };
  });
  afterAll(async () => {
    await ds?.destroy();
    await teardown?.();
  });
  const count = async (sql: string) => Number(((await ds.query(sql)) as Array<{ n: number | string }>)[0]!.n);

  it('a file with bad rows exits 1, lists every bad row and writes nothing', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'sku;name;tax_rate;price;barcodes\nOK-1;Bien;21;1,00;\nMAL 2;Mal;21;1,00;\nOK-3;Bien;8;1,00;\nOK-4;Bien;10;1,999;8412345000019\n');
    const r = await runCli(['products', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('4 error(s) in 3 row(s); nothing was imported');
    expect(r.stderr).toContain('row 3, sku: SKU: letters, digits');
    expect(r.stderr).toContain('row 4, tax_rate: unknown tax rate "8"');
    expect(r.stderr).toContain('row 5, barcodes: barcode 8412345000019: wrong check digit');
    expect(r.stderr).toContain('row 5, price: price: euros with up to 2 decimals');
    expect(await count('SELECT COUNT(*) AS n FROM product')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM change_log')).toBe(0);
  });

  it('--dry-run checks a good file and writes nothing', async () => {
    const file = path.join(dir, 'small.csv');
    await writeProductsCsv(file, 500);
    const dry = await runCli(['products', file, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run, nothing written: 500 rows (csv) — 500 new, 0 changed, 0 unchanged, 60 new categories');
    expect(await count('SELECT COUNT(*) AS n FROM product')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM category')).toBe(0);
  });

  it(`imports ${n.toLocaleString('en')} products with progress reported`, { timeout: 240_000 }, async () => {
    const file = path.join(dir, 'products.csv');
    await writeProductsCsv(file, n);

    const t0 = performance.now();
    const r = await runCli(['products', file], env);
    console.log(`[import cli ${engine.name}] ${n} products in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Imported: ${n} rows (csv) — ${n} new, 0 changed, 0 unchanged, 60 new categories`);
    // cli-progress without a terminal prints a line a second; the last one is the total.
    const lines = r.stderr.split('\n').filter((l) => l.includes(`/${n} rows`));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toContain(`100% | ${n}/${n} rows`);
    expect(await count('SELECT COUNT(*) AS n FROM product')).toBe(n);
    expect(await count(`SELECT COUNT(*) AS n FROM change_log WHERE entity = 'product'`)).toBe(n);
    const audit = (await ds.query(`SELECT actor_id, after_json FROM audit_log WHERE action = 'catalog.import'`)) as Array<{ actor_id: string | null; after_json: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBeNull();
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({ via: 'cli', file: 'products.csv', new: n });
  });
});
