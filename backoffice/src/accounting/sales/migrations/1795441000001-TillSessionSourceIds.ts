import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A till session-day's entry names its source `<terminalId>:<sessionId>:<date>` (a uuid, a till's session id
 * of up to 64 characters, a date: up to 112 characters): `acc_entry.source_id` was 64. SQLite does not
 * enforce varchar lengths; PostgreSQL widens the column.
 */
export class TillSessionSourceIds1795441000001 implements MigrationInterface {
  name = 'TillSessionSourceIds1795441000001';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') await qr.query(`ALTER TABLE "acc_entry" ALTER COLUMN "source_id" TYPE varchar(160)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') await qr.query(`ALTER TABLE "acc_entry" ALTER COLUMN "source_id" TYPE varchar(64)`);
  }
}
