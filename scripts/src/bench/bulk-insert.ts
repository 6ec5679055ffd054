/**
 * Bench datasets: `bulk` seeds straight into a table: one prepared INSERT per row in one transaction on SQLite, `unnest` arrays
 * of 20,000 rows on PostgreSQL (into the data source's schema). `cols` are [column, PostgreSQL array type].
 */
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { engineOfDs, pgPool, sqliteDb } from '@tpv/backoffice/persistence/raw';

export async function bulk(ds: DataSource, table: string, cols: Array<[string, string]>, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  if (engineOfDs(ds) === 'sqlite') {
    const db = sqliteDb(ds);
    const ins = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => c[0]).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    db.transaction(() => {
      for (const r of rows) ins.run(r.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    })();
    return;
  }
  const pool = pgPool(ds);
  const schema = (ds.options as { schema?: string }).schema;
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    await pool.query(
      `INSERT INTO "${schema}"."${table}" (${cols.map((c) => c[0]).join(', ')}) SELECT * FROM unnest(${cols.map((c, k) => `$${k + 1}::${c[1]}[]`).join(', ')})`,
      cols.map((_, k) => chunk.map((r) => r[k])),
    );
  }
}

/** Drops a bench's own PostgreSQL schema (before a run, so a period posts once; and after it). */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}
