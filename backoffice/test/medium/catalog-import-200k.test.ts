/**
 * Issue 10, must-be-true 4 (API half): a 200,000-product CSV uploaded to the API is checked and applied by
 * the job worker, with progress the API reports while it runs (polled as the admin UI does), and every
 * product lands in the catalog and in the tills' feed. Full size on SQLite; 20,000 rows on PostgreSQL (the
 * same code path, kept short in the suite). The timed figure is the bench's (`catalog_import_200k_s`).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProductsCsv } from '../../../scripts/src/bench/catalog-import';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { upload } from '../support/imports';

describe.each(engines)('200k-product import through the API on $name', (engine) => {
  const n = engine.name === 'sqlite' ? 200_000 : 20_000;
  let h: Harness & { teardown: () => Promise<void> };
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-import-big-'));

  beforeAll(async () => {
    h = await startHarness(engine, undefined, { dataDir: dir });
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it(`imports ${n.toLocaleString('en')} products, reporting progress until the total`, { timeout: 180_000 }, async () => {
    const file = path.join(dir, 'products.csv');
    await writeProductsCsv(file, n);
    const token = await h.login(F.hq);
    const t0 = performance.now();
    const up = await upload(h, token, readFileSync(file), 'products.csv');
    expect(up.status).toBe(202);

    // Poll as the UI does (one request at a time) until the job is over, keeping what the API said.
    const poll = async (jobId: string) => {
      const seen: Array<{ done: number; total: number | null; status: string }> = [];
      for (;;) {
        const r = await h.api('GET', `/api/jobs/${jobId}`, { token }).catch((e) => {
          throw new Error(`poll of ${jobId} after ${seen.length} polls (${JSON.stringify(seen.at(-1))}): ${e.cause?.message ?? e}`);
        });
        expect(r.status).toBe(200);
        seen.push({ done: r.body.progress.done, total: r.body.progress.total, status: r.body.status });
        if (!['queued', 'running'].includes(r.body.status)) return seen;
        await new Promise((resolve) => setTimeout(resolve, 100)); // the UI's poll interval: waiting on the server, not a fixed pause
      }
    };
    const checked = await poll(up.body.id);
    expect(checked.at(-1)).toEqual({ done: n, total: n, status: 'succeeded' });
    const view = await h.api('GET', `/api/catalog/imports/${up.body.id}`, { token });
    expect(view.body.preview).toMatchObject({ errorCount: 0, counts: { rows: n, new: n, changed: 0, unchanged: 0 } });

    const apply = await h.api('POST', `/api/catalog/imports/${up.body.id}/apply`, { token });
    expect(apply.status).toBe(202);
    const applied = await poll(apply.body.job.id);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`[import ${engine.name}] ${n} products through the API in ${seconds.toFixed(1)} s; progress polls: ${applied.length}`);
    expect(applied.at(-1)).toEqual({ done: n, total: n, status: 'succeeded' });
    // Progress was reported while writing: values strictly between 0 and the total were seen, never going back.
    const writing = applied.filter((s) => s.status === 'running' && s.total === n).map((s) => s.done);
    expect(writing.some((d) => d > 0 && d < n)).toBe(true);

    const count = async (sql: string) => Number(((await h.ds.query(sql)) as Array<{ n: number | string }>)[0]!.n);
    expect(await count(`SELECT COUNT(*) AS n FROM product WHERE sku LIKE 'P%'`)).toBe(n);
    expect(await count(`SELECT COUNT(*) AS n FROM change_log WHERE entity = 'product'`)).toBe(n);
    expect(await count(`SELECT COUNT(*) AS n FROM product_barcode`)).toBe(n + Math.ceil(n / 3));
  });
});
