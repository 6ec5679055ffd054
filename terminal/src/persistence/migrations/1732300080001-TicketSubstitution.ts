import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full invoices replacing simplified tickets (F3, terminal/src/sales/substitution.ts).
 *
 * The F3 itself is a `ticket` row (kind 'sale', its document carries `substitutes` and an F3 fiscal record) so
 * it keeps its place in the till's seq, series and Veri*Factu chain and goes up through the outbox like any
 * ticket. `ticket_substitution` says which ticket it replaced: a ticket is replaced once (primary key).
 * Immutable, like the tickets.
 */
const up = [
  `CREATE TABLE "ticket_substitution" (
    "ticket_id" text PRIMARY KEY NOT NULL REFERENCES "ticket" ("id"),
    "invoice_ticket_id" text NOT NULL REFERENCES "ticket" ("id") DEFERRABLE INITIALLY DEFERRED,
    "at" text NOT NULL,
    CONSTRAINT "uq_ticket_substitution_invoice" UNIQUE ("invoice_ticket_id")
  )`,
  `CREATE TRIGGER "trg_ticket_substitution_no_update" BEFORE UPDATE ON "ticket_substitution"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: substitutions are never changed'); END`,
  `CREATE TRIGGER "trg_ticket_substitution_no_delete" BEFORE DELETE ON "ticket_substitution"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: substitutions are never deleted'); END`,
];

export const TICKET_SUBSTITUTION_TABLES = ['ticket_substitution'] as const;

export class TicketSubstitution1732300080001 implements MigrationInterface {
  name = 'TicketSubstitution1732300080001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS "ticket_substitution"');
  }
}
