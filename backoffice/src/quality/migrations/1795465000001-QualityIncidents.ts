import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quality control (issue 17), incidents grown from the minimal register replenishment opened:
 * - `incident` gets the lifecycle open → assigned → in_progress → resolved → closed (the state CHECK
 *   widens), where it came from (`source`), a due date by severity, the assignee, the resolution, the
 *   customer concerned and the official complaint form (hoja de reclamaciones) number, unique per store.
 *   SQLite cannot alter a CHECK: the table is rebuilt here in plain SQL (never by TypeORM, which rebuilt
 *   `app_user` from a stale copy once), copying every existing row; PostgreSQL alters in place.
 * - `incident_photo` (files area ids), `incident_comment`, `incident_event` (every change: who, when, what).
 */
const STATES = `'open', 'assigned', 'in_progress', 'resolved', 'closed'`;
const OLD_COLUMNS = [
  'id', 'number', 'company_id', 'store_id', 'kind', 'severity', 'state', 'title', 'description', 'product_id', 'document_type', 'document_id', 'document_number',
  'quantity', 'supplier_id', 'created_at', 'created_by_id', 'created_by_email',
].map((c) => `"${c}"`).join(', ');
const NEW_COLUMNS: Array<[string, string]> = [
  ['source', 'varchar(8)'],
  ['due_at', 'varchar(32)'],
  ['assignee_id', 'varchar(36)'],
  ['assignee_email', 'varchar(200)'],
  ['resolution', 'varchar(2000)'],
  ['resolved_at', 'varchar(32)'],
  ['closed_at', 'varchar(32)'],
  ['customer_id', 'varchar(36)'],
  ['complaint_form_number', 'varchar(40)'],
  ['updated_at', 'varchar(32)'],
];

export class QualityIncidents1795465000001 implements MigrationInterface {
  name = 'QualityIncidents1795465000001';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'postgres') {
      await qr.query(`ALTER TABLE "incident" DROP CONSTRAINT "CHK_incident_state"`);
      await qr.query(`ALTER TABLE "incident" ADD CONSTRAINT "CHK_incident_state" CHECK ("state" IN (${STATES}))`);
      for (const [c, t] of NEW_COLUMNS) await qr.query(`ALTER TABLE "incident" ADD COLUMN "${c}" ${t}`);
      await qr.query(`ALTER TABLE "incident" ADD CONSTRAINT "UQ_incident_complaint_form" UNIQUE ("store_id", "complaint_form_number")`);
    } else {
      await qr.query(`CREATE TABLE "incident_rebuilt" (
        "id" varchar(36) PRIMARY KEY NOT NULL,
        "number" varchar(40) NOT NULL,
        "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
        "store_id" varchar(36) REFERENCES "store" ("id"),
        "kind" varchar(32) NOT NULL,
        "severity" varchar(16) NOT NULL,
        "state" varchar(16) NOT NULL,
        "title" varchar(300) NOT NULL,
        "description" varchar(2000),
        "product_id" varchar(36),
        "document_type" varchar(32),
        "document_id" varchar(36),
        "document_number" varchar(40),
        "quantity" bigint,
        "supplier_id" varchar(36),
        "created_at" varchar(32) NOT NULL,
        "created_by_id" varchar(36),
        "created_by_email" varchar(200),
        ${NEW_COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(',\n        ')},
        CONSTRAINT "UQ_incident_number" UNIQUE ("company_id", "number"),
        CONSTRAINT "UQ_incident_complaint_form" UNIQUE ("store_id", "complaint_form_number"),
        CONSTRAINT "CHK_incident_state" CHECK ("state" IN (${STATES})))`);
      await qr.query(`INSERT INTO "incident_rebuilt" (${OLD_COLUMNS}) SELECT ${OLD_COLUMNS} FROM "incident"`);
      await qr.query(`DROP TABLE "incident"`);
      await qr.query(`ALTER TABLE "incident_rebuilt" RENAME TO "incident"`);
      await qr.query(`CREATE INDEX "IDX_incident_store_created" ON "incident" ("store_id", "created_at")`);
      await qr.query(`CREATE INDEX "IDX_incident_document" ON "incident" ("document_id")`);
    }
    await qr.query(`UPDATE "incident" SET "source" = 'system', "updated_at" = "created_at" WHERE "source" IS NULL`);
    await qr.query(`CREATE INDEX "IDX_incident_state_due" ON "incident" ("state", "due_at")`);
    await qr.query(`CREATE TABLE "incident_photo" (
      "incident_id" varchar(36) NOT NULL REFERENCES "incident" ("id"),
      "file_id" varchar(36) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      PRIMARY KEY ("incident_id", "file_id"))`);
    await qr.query(`CREATE TABLE "incident_comment" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "incident_id" varchar(36) NOT NULL REFERENCES "incident" ("id"),
      "text" varchar(2000) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by_id" varchar(36),
      "created_by_email" varchar(200))`);
    await qr.query(`CREATE INDEX "IDX_incident_comment_incident" ON "incident_comment" ("incident_id", "created_at")`);
    await qr.query(`CREATE TABLE "incident_event" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "incident_id" varchar(36) NOT NULL REFERENCES "incident" ("id"),
      "action" varchar(24) NOT NULL,
      "detail" varchar(2000),
      "created_at" varchar(32) NOT NULL,
      "created_by_id" varchar(36),
      "created_by_email" varchar(200))`);
    await qr.query(`CREATE INDEX "IDX_incident_event_incident" ON "incident_event" ("incident_id", "created_at")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['incident_event', 'incident_comment', 'incident_photo']) await qr.query(`DROP TABLE "${t}"`);
    await qr.query(`DROP INDEX "IDX_incident_state_due"`);
    // Rows in the new states cannot go back: they fall back to the nearest old one.
    await qr.query(`UPDATE "incident" SET "state" = 'in_progress' WHERE "state" IN ('assigned', 'resolved')`);
    if (qr.connection.options.type === 'postgres') {
      await qr.query(`ALTER TABLE "incident" DROP CONSTRAINT "UQ_incident_complaint_form"`);
      for (const [c] of NEW_COLUMNS) await qr.query(`ALTER TABLE "incident" DROP COLUMN "${c}"`);
      await qr.query(`ALTER TABLE "incident" DROP CONSTRAINT "CHK_incident_state"`);
      await qr.query(`ALTER TABLE "incident" ADD CONSTRAINT "CHK_incident_state" CHECK ("state" IN ('open', 'in_progress', 'closed'))`);
    }
    // SQLite keeps the wider table on the way down (a rebuild back would only lose the new columns' data).
  }
}
