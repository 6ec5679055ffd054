import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The documents library (issue 16). `office_document`: a procedure or manual for an audience (`target` and its
 * ids in `office_document_target`, back-office `roles`: comma list, empty = all), with its current version;
 * `office_document_version`: each version's file in the files area (`stored_file`); `office_document_ack`: who
 * acknowledged which version, once per person and version (a new version asks again).
 */
export class OfficeDocuments1795468000003 implements MigrationInterface {
  name = 'OfficeDocuments1795468000003';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "office_document" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "title" varchar(200) NOT NULL,
      "category" varchar(60) NOT NULL,
      "target" varchar(8) NOT NULL,
      "roles" varchar(200) NOT NULL,
      "current_version" integer NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_office_document_target" CHECK ("target" IN ('all', 'company', 'store')))`);
    await qr.query(`CREATE TABLE "office_document_target" (
      "document_id" varchar(36) NOT NULL REFERENCES "office_document" ("id"),
      "ref_id" varchar(36) NOT NULL,
      "company_id" varchar(36) NOT NULL,
      PRIMARY KEY ("document_id", "ref_id"))`);
    await qr.query(`CREATE TABLE "office_document_version" (
      "document_id" varchar(36) NOT NULL REFERENCES "office_document" ("id"),
      "version" integer NOT NULL,
      "file_id" varchar(36) NOT NULL REFERENCES "stored_file" ("id"),
      "note" varchar(500),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      PRIMARY KEY ("document_id", "version"))`);
    await qr.query(`CREATE TABLE "office_document_ack" (
      "document_id" varchar(36) NOT NULL,
      "version" integer NOT NULL,
      "user_id" varchar(36) NOT NULL REFERENCES "app_user" ("id"),
      "acknowledged_at" varchar(32) NOT NULL,
      PRIMARY KEY ("document_id", "version", "user_id"),
      FOREIGN KEY ("document_id", "version") REFERENCES "office_document_version" ("document_id", "version"))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['office_document_ack', 'office_document_version', 'office_document_target', 'office_document']) await qr.query(`DROP TABLE "${t}"`);
  }
}
