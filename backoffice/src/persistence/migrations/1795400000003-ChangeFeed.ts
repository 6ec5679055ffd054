import { Table } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { instant, oneOf, str, text, uuid } from '../migration-columns';

/**
 * The master-data change feed: one row per change, `version` strictly increasing and never reused
 * (PostgreSQL BIGSERIAL; SQLite INTEGER PRIMARY KEY AUTOINCREMENT, which never reuses a deleted maximum).
 */
export class ChangeFeed1795400000003 implements MigrationInterface {
  name = 'ChangeFeed1795400000003';

  async up(qr: QueryRunner): Promise<void> {
    const sqlite = qr.connection.driver.options.type === 'better-sqlite3';
    await qr.createTable(
      new Table({
        name: 'change_log',
        columns: [
          {
            name: 'version',
            // SQLite only autoincrements an `INTEGER PRIMARY KEY` (a 64-bit rowid); `bigint` there would not be one.
            type: sqlite ? 'integer' : 'bigint',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('entity', 32),
          str('entity_id', 64),
          str('op', 8),
          uuid('store_id', { nullable: true }),
          text('payload', { nullable: true }),
          instant('created_at'),
        ],
        checks: [oneOf('change_log', 'op', ['upsert', 'delete'])],
        indices: [{ name: 'IDX_change_log_store_version', columnNames: ['store_id', 'version'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('change_log');
  }
}
