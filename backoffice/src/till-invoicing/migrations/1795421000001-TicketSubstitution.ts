import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which simplified ticket (F2) was replaced by a full invoice (F3), wherever that F3 was issued: at a till
 * (`invoice_ticket_id`: the F3 as ingested, a `sale_ticket` row of kind 'invoice') or at HQ (`invoice_id`:
 * an `invoice` of type F3, also listed in `invoice_substitution`). The primary key makes a ticket replaced
 * once across every till and HQ: the ingest refuses a second till F3 (kept for review, its record still
 * chains), the HQ action answers 409. `invoice.explicit_taxes`: tax rows fixed by the source (posting.ts).
 */
export class TicketSubstitution1795421000001 implements MigrationInterface {
  name = 'TicketSubstitution1795421000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE "ticket_substitution" (
      "ticket_id" varchar(36) PRIMARY KEY NOT NULL,
      "invoice_ticket_id" varchar(36),
      "invoice_id" varchar(36) REFERENCES "invoice" ("id"),
      "fiscal_number" varchar(64) NOT NULL,
      "issue_date" varchar(10) NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_ticket_substitution_one" CHECK (("invoice_ticket_id" IS NULL) <> ("invoice_id" IS NULL)))`);
    // Tax rows fixed by the source (an HQ F3 reproduces its ticket's bases and cuotas): see posting.ts.
    await qr.query(`ALTER TABLE "invoice" ADD COLUMN "explicit_taxes" text`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "invoice" DROP COLUMN "explicit_taxes"`);
    await qr.query(`DROP TABLE "ticket_substitution"`);
  }
}
