/**
 * The two database engines every back-office medium test runs on: a SQLite file in a temp dir, and
 * PostgreSQL (PG_TEST_URL, default the machine's 127.0.0.1:5432/test) in a throw-away schema per run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '../../src/persistence/data-source';

export const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Engine {
  name: 'sqlite' | 'postgres';
  setup(): Promise<{ open: () => Promise<DataSource>; teardown: () => Promise<void> }>;
}

export const engines: Engine[] = [
  {
    name: 'sqlite',
    async setup() {
      const dir = mkdtempSync(path.join(tmpdir(), 'tpv-bo-'));
      const file = path.join(dir, 'backoffice.sqlite');
      return {
        open: () => openBackofficeDatabase({ file }),
        teardown: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async setup() {
      const schema = `tpv_test_${process.pid}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      return {
        open: () => openBackofficeDatabase({ databaseUrl: PG_URL, schema }),
        teardown: async () => {
          const admin = new pg.Client({ connectionString: PG_URL });
          await admin.connect();
          try {
            await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          } finally {
            await admin.end();
          }
        },
      };
    },
  },
];
