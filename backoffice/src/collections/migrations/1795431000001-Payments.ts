import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collections, payments part (issue 13): what moves a payment's held credit after it was recorded, and the
 * write-offs of bad debts waiting for approval.
 *
 * `payment_credit_movement`: the credit a payment left (its rest) and each later use of it — applied to an
 * item (`allocated`), paid back (`refunded`), dropped when the payment is cancelled (`cancelled`) — dated, so a
 * statement of account shows the credit held on any day. Σ amount of a payment's movements = its credit_cents.
 *
 * `write_off`: requested by collections.write with a reason, decided by collections.admin; approved posts a
 * `written_off` posting on the item (posting_id), refused posts nothing.
 */
export class Payments1795431000001 implements MigrationInterface {
  name = 'Payments1795431000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "payment_credit_movement" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "payment_id" varchar(36) NOT NULL REFERENCES "payment" ("id"),
      "kind" varchar(10) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "on_date" varchar(10) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_payment_credit_movement_kind" CHECK ("kind" IN ('received', 'allocated', 'refunded', 'cancelled')),
      CONSTRAINT "CHK_payment_credit_movement_sign" CHECK (("kind" = 'received' AND "amount_cents" > 0) OR ("kind" <> 'received' AND "amount_cents" < 0)))`);
    await qr.query(`CREATE INDEX "IDX_payment_credit_movement_payment" ON "payment_credit_movement" ("payment_id")`);

    await qr.query(`CREATE TABLE "write_off" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "amount_cents" bigint NOT NULL,
      "reason" text NOT NULL,
      "status" varchar(10) NOT NULL DEFAULT 'requested',
      "requested_at" varchar(32) NOT NULL,
      "requested_by" varchar(36),
      "decided_at" varchar(32),
      "decided_by" varchar(36),
      "decision_note" text,
      "posting_id" varchar(36) REFERENCES "open_item_posting" ("id"),
      CONSTRAINT "CHK_write_off_status" CHECK ("status" IN ('requested', 'approved', 'refused')),
      CONSTRAINT "CHK_write_off_amount" CHECK ("amount_cents" > 0))`);
    await qr.query(`CREATE INDEX "IDX_write_off_item" ON "write_off" ("item_id")`);
    // One request waiting per item.
    await qr.query(`CREATE UNIQUE INDEX "UQ_write_off_pending" ON "write_off" ("item_id") WHERE "status" = 'requested'`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE "write_off"`);
    await qr.query(`DROP TABLE "payment_credit_movement"`);
  }
}
