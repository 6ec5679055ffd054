import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * seed_marker: which bulk datasets (demo history, the bench's million tickets) were written into this
 * database, so the demo's restarts and later benches reuse them instead of seeding again.
 */
export class SeedMarker1795406000002 implements MigrationInterface {
  name = 'SeedMarker1795406000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "seed_marker" ("key" varchar(100) PRIMARY KEY NOT NULL, "detail" text NOT NULL, "created_at" varchar(32) NOT NULL)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "seed_marker"`);
  }
}
