import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory at the till (issue 11).
 *
 * `document_outbox`: the documents this till makes besides tickets (a delivery received by scanning, a count,
 * a replenishment request), written in the same local transaction as what the till does with them, sent up
 * by the document pump (sync/document-pump.ts) until HQ answers for good. Never deleted: `applied` rows keep
 * HQ's reference, `rejected` ones its message; `attempts` / `last_error` say how delivery went.
 *
 * `delivery_note`: the delivery notes shipped to this store, from the change feed (entity `delivery_note`),
 * so a delivery can be received by scanning while offline. `received_at` is set locally when this till
 * receives it (the document goes up); the feed deletes the row once HQ has received or closed it.
 */
const up = [
  `CREATE TABLE "document_outbox" (
    "id" text PRIMARY KEY NOT NULL,
    "kind" text NOT NULL,
    "payload" text NOT NULL,
    "created_at" text NOT NULL,
    "status" text NOT NULL DEFAULT 'pending',
    "reference" text,
    "message" text,
    "answered_at" text,
    "attempts" integer NOT NULL DEFAULT 0,
    "last_error" text,
    CONSTRAINT "chk_document_outbox_status" CHECK ("status" IN ('pending', 'applied', 'rejected'))
  )`,
  `CREATE INDEX "idx_document_outbox_pending" ON "document_outbox" ("status", "created_at")`,
  `CREATE TRIGGER "trg_document_outbox_no_delete" BEFORE DELETE ON "document_outbox"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: document outbox rows are never deleted'); END`,
  `CREATE TRIGGER "trg_document_outbox_payload_fixed" BEFORE UPDATE OF "id", "kind", "payload", "created_at" ON "document_outbox"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: a document in the outbox is never changed'); END`,
  `CREATE TABLE "delivery_note" (
    "id" text PRIMARY KEY NOT NULL,
    "number" text NOT NULL,
    "from_name" text NOT NULL,
    "shipped_at" text NOT NULL,
    "lines" text NOT NULL,
    "version" integer NOT NULL,
    "received_at" text,
    "receipt_document_id" text
  )`,
];

export const STOCK_DOCUMENT_TABLES = ['document_outbox', 'delivery_note'] as const;

export class StockDocuments1732300070001 implements MigrationInterface {
  name = 'StockDocuments1732300070001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...STOCK_DOCUMENT_TABLES].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}
