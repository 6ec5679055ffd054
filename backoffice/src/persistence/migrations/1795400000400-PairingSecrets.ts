import { TableColumn, TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { str } from '../migration-columns';

/**
 * Keyed pairing codes (issue #9): their HMAC key is a `server_secret` row (table made by 1795400000101) the
 * back office generates at first start — in the database, so every node shares it and none is in the repo;
 * `terminal.pairing_selector` is the public first group of a live pairing code, looked up without taking the
 * write lock. Codes issued before this migration (8 digits, unkeyed SHA-256) are dropped: they lived 15
 * minutes, HQ issues a new one.
 */
export class PairingSecrets1795400000400 implements MigrationInterface {
  name = 'PairingSecrets1795400000400';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('terminal', new TableColumn(str('pairing_selector', 8, { nullable: true })));
    await qr.createIndex('terminal', new TableIndex({ name: 'UQ_terminal_pairing_selector', columnNames: ['pairing_selector'], isUnique: true }));
    await qr.query('UPDATE terminal SET pairing_code_hash = NULL, pairing_expires_at = NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('terminal', 'UQ_terminal_pairing_selector');
    // SQLite: TypeORM's dropColumn copies the table, which the foreign keys onto `terminal` forbid; SQLite's
    // own DROP COLUMN (3.35+) does it in place once the index is gone.
    if (qr.connection.options.type === 'postgres') await qr.dropColumn('terminal', 'pairing_selector');
    else await qr.query('ALTER TABLE "terminal" DROP COLUMN "pairing_selector"');
    await qr.query(`DELETE FROM server_secret WHERE name = 'pairing-code-hmac'`);
  }
}
