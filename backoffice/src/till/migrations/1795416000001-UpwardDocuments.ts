import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `upward_document`: every document a till sent up that HQ answered for good (applied or rejected), keyed by
 * the id the till made. Written in the same transaction as what the document did, so a document applies
 * once: a repeat (lost ack, a till restored from its own backup) gets the stored answer back. A `retry`
 * answer writes nothing here (the till sends it again).
 */
export class UpwardDocuments1795416000001 implements MigrationInterface {
  name = 'UpwardDocuments1795416000001';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "upward_document" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "terminal_id" varchar(36) NOT NULL REFERENCES "terminal" ("id"),
      "kind" varchar(48) NOT NULL,
      "status" varchar(16) NOT NULL,
      "reference" varchar(200),
      "message" varchar(500),
      "created_at" varchar(40) NOT NULL,
      "applied_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_upward_document_status" CHECK ("status" IN ('applied', 'rejected')))`);
    await qr.query(`CREATE INDEX "IDX_upward_document_terminal" ON "upward_document" ("terminal_id", "applied_at")`);
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_upward_document_terminal"`);
    await qr.query(`DROP TABLE "upward_document"`);
  }
}
