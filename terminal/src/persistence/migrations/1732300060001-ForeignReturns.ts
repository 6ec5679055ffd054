import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returns of tickets sold at another till of the company (terminal/src/returns).
 *
 * `ticket.original_ticket_id` and `ticket_line.return_of_*` reference this till's own tickets (foreign keys),
 * so a credit note against another till's ticket leaves them NULL and keeps the link here instead:
 * `foreign_ticket` holds the original document as the back office answered it (for the receipt's "Rectifica
 * a" and the offline fallback) and `foreign_return_line` what each of this till's credit notes returned of
 * it. The credit note's own document (outbox, fiscal record) carries the reference either way. Immutable,
 * like the tickets they belong to.
 */
const up = [
  `CREATE TABLE "foreign_ticket" (
    "id" text PRIMARY KEY NOT NULL,
    "fiscal_number" text NOT NULL,
    "issued_at" text NOT NULL,
    "terminal_id" text NOT NULL,
    "terminal_code" text NOT NULL,
    "terminal_name" text NOT NULL,
    "store_code" text NOT NULL,
    "store_name" text NOT NULL,
    "document" text NOT NULL,
    "fetched_at" text NOT NULL
  )`,
  `CREATE TABLE "foreign_return_line" (
    "ticket_id" text NOT NULL REFERENCES "ticket" ("id"),
    "line_no" integer NOT NULL,
    "original_ticket_id" text NOT NULL REFERENCES "foreign_ticket" ("id"),
    "original_line_no" integer NOT NULL,
    "units" integer,
    "grams" integer,
    PRIMARY KEY ("ticket_id", "line_no"),
    CONSTRAINT "chk_foreign_return_line_quantity" CHECK (("units" IS NULL) <> ("grams" IS NULL))
  )`,
  `CREATE INDEX "idx_foreign_return_line_original" ON "foreign_return_line" ("original_ticket_id")`,
  `CREATE TRIGGER "trg_foreign_return_line_no_update" BEFORE UPDATE ON "foreign_return_line"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: credit note lines are never changed'); END`,
  `CREATE TRIGGER "trg_foreign_return_line_no_delete" BEFORE DELETE ON "foreign_return_line"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: credit note lines are never deleted'); END`,
];

export const FOREIGN_RETURN_TABLES = ['foreign_ticket', 'foreign_return_line'] as const;

export class ForeignReturns1732300060001 implements MigrationInterface {
  name = 'ForeignReturns1732300060001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...FOREIGN_RETURN_TABLES].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}
