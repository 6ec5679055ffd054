import { randomBytes } from 'node:crypto';
import { Table } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, instant, str, text } from '../migration-columns';
import { DEVICE_TOKEN_SECRET } from '../server-secret';

/**
 * Till identity and HQ durability (issue #9):
 * - terminal: which terminal a replacement replaces / was replaced by (a replacement is a new installation
 *   with its own code, series and chain), the conflict a till reported (HQ holds more than it wrote), and the
 *   generation of its device token (a signed token of a newer generation re-validates after a restore);
 * - sync_epoch: one row per back-office start, from which version on changes belong to it — a till whose
 *   version falls under another epoch than the one it was given holds changes a restore took away;
 * - server_secret: keys the back office keeps for itself (never in the repo or the environment); the one that
 *   signs device tokens is made here, so every copy of the database taken since holds it.
 */
// Plain ALTER TABLE on both engines: TypeORM's SQLite addColumn/dropColumn rebuilds the table, and dropping
// `terminal` (referenced by sales, fiscal records, holds…) inside the migration's transaction fails its FKs.
const TERMINAL_COLUMNS: Array<[string, string]> = [
  ['replaces_id', 'varchar(36)'],
  ['replaced_by_id', 'varchar(36)'],
  ['replaced_at', 'varchar(32)'],
  ['sync_conflict', 'varchar(500)'],
  ['sync_conflict_at', 'varchar(32)'],
  ['token_generation', 'integer NOT NULL DEFAULT 0'],
];

export class TillIdentity1795400000101 implements MigrationInterface {
  name = 'TillIdentity1795400000101';

  async up(qr: QueryRunner): Promise<void> {
    for (const [name, type] of TERMINAL_COLUMNS) await qr.query(`ALTER TABLE "terminal" ADD COLUMN "${name}" ${type}`);
    await qr.createTable(
      new Table({
        name: 'sync_epoch',
        columns: [str('epoch', 36, { primary: true }), bigint('first_version'), instant('started_at')],
        indices: [{ name: 'IDX_sync_epoch_first_version', columnNames: ['first_version'] }],
      }),
    );
    await qr.createTable(new Table({ name: 'server_secret', columns: [str('name', 64, { primary: true }), text('value'), instant('created_at')] }));
    const pg = qr.connection.options.type === 'postgres';
    await qr.query(`INSERT INTO server_secret (name, value, created_at) VALUES (${pg ? '$1, $2, $3' : '?, ?, ?'})`, [
      DEVICE_TOKEN_SECRET,
      randomBytes(32).toString('base64'),
      new Date().toISOString(),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('server_secret');
    await qr.dropTable('sync_epoch');
    for (const [name] of [...TERMINAL_COLUMNS].reverse()) await qr.query(`ALTER TABLE "terminal" DROP COLUMN "${name}"`);
  }
}
