import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gift vouchers at the till (issue 15): `voucher_sale` — a voucher sold or loaded, its own document (no IVA:
 * a multi-purpose voucher is not a ticket line), counted in its cash session and sent up through the
 * document outbox; `voucher_authorization` — what the till may take from a voucher for a payment: an HQ hold
 * (online) or its own offline allowance (Σ offline per code ≤ the policy's cap), claimed by the ticket.
 */
export class Vouchers1732300530001 implements MigrationInterface {
  name = 'Vouchers1732300530001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "voucher_sale" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "number" varchar(40) NOT NULL UNIQUE,
      "kind" varchar(8) NOT NULL,
      "code" varchar(32) NOT NULL,
      "amount_cents" integer NOT NULL,
      "cash_cents" integer NOT NULL,
      "card_cents" integer NOT NULL,
      "change_cents" integer NOT NULL,
      "session_id" varchar(36) NOT NULL,
      "staff_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "chk_voucher_sale_kind" CHECK ("kind" IN ('issue', 'load'))
    )`);
    await q.query(`CREATE INDEX "idx_voucher_sale_session" ON "voucher_sale" ("session_id")`);
    await q.query(`CREATE TABLE "voucher_authorization" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "code" varchar(32) NOT NULL,
      "amount_cents" integer NOT NULL,
      "mode" varchar(8) NOT NULL,
      "status" varchar(10) NOT NULL,
      "ticket_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "chk_voucher_authorization_mode" CHECK ("mode" IN ('online', 'offline')),
      CONSTRAINT "chk_voucher_authorization_status" CHECK ("status" IN ('open', 'used', 'released'))
    )`);
    await q.query(`CREATE INDEX "idx_voucher_authorization_code" ON "voucher_authorization" ("code", "status")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "voucher_authorization"');
    await q.query('DROP TABLE "voucher_sale"');
  }
}
