import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-only access for the labour inspectorate (issue 16): HR grants an inspector, for one company and a few
 * weeks, a key (kept only as its SHA-256) that opens that company's working-time records — monthly totals,
 * the CSV with hashes and each worker's monthly PDF — and nothing else; revocable; every use is audited.
 */
export class InspectorAccess1795474000002 implements MigrationInterface {
  name = 'InspectorAccess1795474000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "inspector_access" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "inspector_name" varchar(200) NOT NULL,
      "reference" varchar(100) NOT NULL,
      "token_hash" varchar(64) NOT NULL UNIQUE,
      "created_by" varchar(36) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "expires_at" varchar(32) NOT NULL,
      "revoked_at" varchar(32),
      "last_used_at" varchar(32))`);
    await qr.query(`CREATE INDEX "idx_inspector_access_company" ON "inspector_access" ("company_id", "created_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "inspector_access"`);
  }
}
