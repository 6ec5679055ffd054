import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Initial terminal schema. Explicit SQL (SQLite dialect) so the database is exactly what is written here.
 *
 * Conventions: money = integer cents, rates = basis points, timestamps = ISO-8601 text, ids = uuid v7 text,
 * JSON = text. Master-data tables carry no foreign keys to one another except barcode/quick key → product
 * (deferred, cascade), so a change feed can apply rows in any order inside one transaction.
 * Selling tables are append-only where the law wants it (ticket, ticket_line, payment, fiscal_record), and
 * gapless counters (ticket seq, series number, Z number, fiscal chain index) are guarded by triggers on top
 * of the unique keys — the application allocates numbers through sequence_counter / series_counter, the
 * triggers only make a bug loud instead of leaving a hole.
 */
const up: readonly string[] = [
  // ── master data ────────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE "category" (
    "id" text PRIMARY KEY NOT NULL,
    "name" text NOT NULL,
    "parent_id" text,
    "sort" integer NOT NULL DEFAULT (0),
    "version" integer NOT NULL
  )`,
  `CREATE INDEX "idx_category_parent" ON "category" ("parent_id", "sort")`,

  `CREATE TABLE "product" (
    "id" text PRIMARY KEY NOT NULL,
    "sku" text NOT NULL,
    "name" text NOT NULL,
    "category_id" text,
    "tax_rate_bp" integer NOT NULL,
    "exemption" text,
    "weighed" boolean NOT NULL DEFAULT (0),
    "price_cents" integer NOT NULL,
    "active" boolean NOT NULL DEFAULT (1),
    "version" integer NOT NULL,
    CONSTRAINT "uq_product_sku" UNIQUE ("sku"),
    CONSTRAINT "chk_product_tax_rate" CHECK ("tax_rate_bp" >= 0),
    CONSTRAINT "chk_product_price" CHECK ("price_cents" >= 0),
    CONSTRAINT "chk_product_weighed" CHECK ("weighed" IN (0, 1)),
    CONSTRAINT "chk_product_active" CHECK ("active" IN (0, 1))
  )`,
  `CREATE INDEX "idx_product_category" ON "product" ("category_id", "name")`,

  `CREATE TABLE "product_barcode" (
    "barcode" text PRIMARY KEY NOT NULL,
    "product_id" text NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    "version" integer NOT NULL DEFAULT (0)
  )`,
  `CREATE INDEX "idx_product_barcode_product" ON "product_barcode" ("product_id")`,

  // Full-text product search (name + sku), external content over product.rowid, kept in step by triggers.
  // unicode61 + remove_diacritics folds "cafe" onto "café"; prefix indexes make "caf*" cheap.
  `CREATE VIRTUAL TABLE "product_fts" USING fts5(
    "name", "sku", content='product', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
  )`,
  `CREATE TRIGGER "trg_product_fts_insert" AFTER INSERT ON "product" BEGIN
    INSERT INTO "product_fts" ("rowid", "name", "sku") VALUES (NEW."rowid", NEW."name", NEW."sku");
  END`,
  `CREATE TRIGGER "trg_product_fts_delete" AFTER DELETE ON "product" BEGIN
    INSERT INTO "product_fts" ("product_fts", "rowid", "name", "sku") VALUES ('delete', OLD."rowid", OLD."name", OLD."sku");
  END`,
  `CREATE TRIGGER "trg_product_fts_update" AFTER UPDATE OF "name", "sku" ON "product" BEGIN
    INSERT INTO "product_fts" ("product_fts", "rowid", "name", "sku") VALUES ('delete', OLD."rowid", OLD."name", OLD."sku");
    INSERT INTO "product_fts" ("rowid", "name", "sku") VALUES (NEW."rowid", NEW."name", NEW."sku");
  END`,

  `CREATE TABLE "quick_key" (
    "page" integer NOT NULL,
    "position" integer NOT NULL,
    "product_id" text NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    "label" text NOT NULL,
    "color" text,
    "version" integer NOT NULL DEFAULT (0),
    PRIMARY KEY ("page", "position")
  )`,
  `CREATE INDEX "idx_quick_key_product" ON "quick_key" ("product_id")`,

  `CREATE TABLE "customer" (
    "id" text PRIMARY KEY NOT NULL,
    "nif" text,
    "name" text NOT NULL,
    "re_regime" boolean NOT NULL DEFAULT (0),
    "credit_limit_cents" integer NOT NULL DEFAULT (0),
    "balance_cents" integer NOT NULL DEFAULT (0),
    "active" boolean NOT NULL DEFAULT (1),
    "version" integer NOT NULL,
    CONSTRAINT "chk_customer_re_regime" CHECK ("re_regime" IN (0, 1)),
    CONSTRAINT "chk_customer_active" CHECK ("active" IN (0, 1)),
    CONSTRAINT "chk_customer_credit_limit" CHECK ("credit_limit_cents" >= 0)
  )`,
  `CREATE INDEX "idx_customer_nif" ON "customer" ("nif")`,
  // NOCASE so `name LIKE 'gar%'` (case-insensitive by default) can use the index.
  `CREATE INDEX "idx_customer_name" ON "customer" ("name" COLLATE NOCASE)`,

  `CREATE TABLE "staff" (
    "id" text PRIMARY KEY NOT NULL,
    "code" text NOT NULL,
    "name" text NOT NULL,
    "role" text NOT NULL,
    "pin_hash" text NOT NULL,
    "active" boolean NOT NULL DEFAULT (1),
    "version" integer NOT NULL,
    CONSTRAINT "uq_staff_code" UNIQUE ("code"),
    CONSTRAINT "chk_staff_role" CHECK ("role" IN ('cashier', 'supervisor', 'manager')),
    CONSTRAINT "chk_staff_active" CHECK ("active" IN (0, 1))
  )`,

  `CREATE TABLE "notice" (
    "id" text PRIMARY KEY NOT NULL,
    "title" text NOT NULL,
    "body" text NOT NULL,
    "valid_until" text,
    "version" integer NOT NULL
  )`,
  `CREATE INDEX "idx_notice_valid_until" ON "notice" ("valid_until")`,

  `CREATE TABLE "master_data_state" (
    "id" integer PRIMARY KEY NOT NULL,
    "version" integer NOT NULL,
    "updated_at" text,
    CONSTRAINT "chk_master_data_state_single" CHECK ("id" = 1)
  )`,
  `INSERT INTO "master_data_state" ("id", "version", "updated_at") VALUES (1, 0, NULL)`,

  // ── terminal identity / config ─────────────────────────────────────────────────────────────────
  `CREATE TABLE "terminal_config" (
    "key" text PRIMARY KEY NOT NULL,
    "value" text NOT NULL
  )`,

  // ── selling ────────────────────────────────────────────────────────────────────────────────────
  `CREATE TABLE "cash_session" (
    "id" text PRIMARY KEY NOT NULL,
    "number" integer NOT NULL,
    "status" text NOT NULL,
    "opened_at" text NOT NULL,
    "opened_by" text NOT NULL,
    "float_cents" integer NOT NULL,
    "float_count" text,
    "closed_at" text,
    "closed_by" text,
    "counted_cents" integer,
    "counted_detail" text,
    "expected_cents" integer,
    "difference_cents" integer,
    "z_report" text,
    CONSTRAINT "uq_cash_session_number" UNIQUE ("number"),
    CONSTRAINT "chk_cash_session_status" CHECK ("status" IN ('open', 'closed')),
    CONSTRAINT "chk_cash_session_closed" CHECK ("status" = 'open' OR ("closed_at" IS NOT NULL AND "closed_by" IS NOT NULL))
  )`,
  // At most one open session per terminal.
  `CREATE UNIQUE INDEX "uq_cash_session_one_open" ON "cash_session" ("status") WHERE "status" = 'open'`,
  `CREATE TRIGGER "trg_cash_session_gapless" BEFORE INSERT ON "cash_session"
    WHEN NEW."number" <> COALESCE((SELECT MAX("number") FROM "cash_session"), 0) + 1
  BEGIN SELECT RAISE(ABORT, 'TPV_GAP: cash_session.number must be the next Z number'); END`,

  `CREATE TABLE "ticket" (
    "id" text PRIMARY KEY NOT NULL,
    "seq" integer NOT NULL,
    "kind" text NOT NULL,
    "series" text NOT NULL,
    "number" integer NOT NULL,
    "fiscal_number" text NOT NULL,
    "issued_at" text NOT NULL,
    "session_id" text NOT NULL REFERENCES "cash_session" ("id"),
    "cashier_id" text NOT NULL,
    "customer_id" text,
    "original_ticket_id" text REFERENCES "ticket" ("id"),
    "total_cents" integer NOT NULL,
    "discount_cents" integer NOT NULL DEFAULT (0),
    "document" text NOT NULL,
    CONSTRAINT "uq_ticket_seq" UNIQUE ("seq"),
    CONSTRAINT "uq_ticket_series_number" UNIQUE ("series", "number"),
    CONSTRAINT "uq_ticket_fiscal_number" UNIQUE ("fiscal_number"),
    CONSTRAINT "chk_ticket_kind" CHECK ("kind" IN ('sale', 'return'))
  )`,
  `CREATE INDEX "idx_ticket_session" ON "ticket" ("session_id")`,
  `CREATE INDEX "idx_ticket_issued_at" ON "ticket" ("issued_at")`,
  `CREATE INDEX "idx_ticket_customer" ON "ticket" ("customer_id")`,
  `CREATE INDEX "idx_ticket_original" ON "ticket" ("original_ticket_id")`,
  `CREATE TRIGGER "trg_ticket_seq_gapless" BEFORE INSERT ON "ticket"
    WHEN NEW."seq" <> COALESCE((SELECT MAX("seq") FROM "ticket"), 0) + 1
  BEGIN SELECT RAISE(ABORT, 'TPV_GAP: ticket.seq must be the next terminal sequence'); END`,
  `CREATE TRIGGER "trg_ticket_number_gapless" BEFORE INSERT ON "ticket"
    WHEN NEW."number" <> COALESCE((SELECT MAX("number") FROM "ticket" WHERE "series" = NEW."series"), 0) + 1
  BEGIN SELECT RAISE(ABORT, 'TPV_GAP: ticket.number must be the next number of its series'); END`,
  `CREATE TRIGGER "trg_ticket_no_update" BEFORE UPDATE ON "ticket"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: tickets are never changed'); END`,
  `CREATE TRIGGER "trg_ticket_no_delete" BEFORE DELETE ON "ticket"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: tickets are never deleted'); END`,

  `CREATE TABLE "ticket_line" (
    "ticket_id" text NOT NULL REFERENCES "ticket" ("id"),
    "line_no" integer NOT NULL,
    "product_id" text,
    "description" text NOT NULL,
    "units" integer,
    "grams" integer,
    "unit_price_cents" integer NOT NULL,
    "discount_cents" integer NOT NULL DEFAULT (0),
    "total_cents" integer NOT NULL,
    "tax_rate_bp" integer NOT NULL,
    "return_of_ticket_id" text,
    "return_of_line_no" integer,
    PRIMARY KEY ("ticket_id", "line_no"),
    FOREIGN KEY ("return_of_ticket_id", "return_of_line_no") REFERENCES "ticket_line" ("ticket_id", "line_no") DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT "chk_ticket_line_quantity" CHECK (("units" IS NULL) <> ("grams" IS NULL)),
    CONSTRAINT "chk_ticket_line_return_of" CHECK (("return_of_ticket_id" IS NULL) = ("return_of_line_no" IS NULL))
  )`,
  `CREATE INDEX "idx_ticket_line_return_of" ON "ticket_line" ("return_of_ticket_id", "return_of_line_no")`,
  `CREATE TRIGGER "trg_ticket_line_no_update" BEFORE UPDATE ON "ticket_line"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: ticket lines are never changed'); END`,
  `CREATE TRIGGER "trg_ticket_line_no_delete" BEFORE DELETE ON "ticket_line"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: ticket lines are never deleted'); END`,

  `CREATE TABLE "payment" (
    "ticket_id" text NOT NULL REFERENCES "ticket" ("id"),
    "idx" integer NOT NULL,
    "method" text NOT NULL,
    "amount_cents" integer NOT NULL,
    "reference" text,
    PRIMARY KEY ("ticket_id", "idx")
  )`,
  `CREATE TRIGGER "trg_payment_no_update" BEFORE UPDATE ON "payment"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: payments are never changed'); END`,
  `CREATE TRIGGER "trg_payment_no_delete" BEFORE DELETE ON "payment"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: payments are never deleted'); END`,

  `CREATE TABLE "cash_movement" (
    "id" text PRIMARY KEY NOT NULL,
    "session_id" text NOT NULL REFERENCES "cash_session" ("id"),
    "kind" text NOT NULL,
    "amount_cents" integer NOT NULL,
    "reason" text,
    "ticket_id" text REFERENCES "ticket" ("id") DEFERRABLE INITIALLY DEFERRED,
    "at" text NOT NULL,
    "staff_id" text,
    CONSTRAINT "chk_cash_movement_kind" CHECK ("kind" IN ('float', 'sale', 'refund', 'cash_in', 'cash_out'))
  )`,
  `CREATE INDEX "idx_cash_movement_session" ON "cash_movement" ("session_id", "at")`,
  `CREATE INDEX "idx_cash_movement_ticket" ON "cash_movement" ("ticket_id")`,

  `CREATE TABLE "series_counter" (
    "series" text PRIMARY KEY NOT NULL,
    "last_number" integer NOT NULL,
    CONSTRAINT "chk_series_counter_last" CHECK ("last_number" >= 0)
  )`,
  `CREATE TABLE "sequence_counter" (
    "name" text PRIMARY KEY NOT NULL,
    "value" integer NOT NULL,
    CONSTRAINT "chk_sequence_counter_value" CHECK ("value" >= 0)
  )`,

  `CREATE TABLE "fiscal_record" (
    "chain_index" integer PRIMARY KEY NOT NULL,
    "ticket_id" text NOT NULL REFERENCES "ticket" ("id") DEFERRABLE INITIALLY DEFERRED,
    "kind" text NOT NULL,
    "invoice_number" text NOT NULL,
    "hash" text NOT NULL,
    "previous_hash" text,
    "record" text NOT NULL,
    CONSTRAINT "uq_fiscal_record_hash" UNIQUE ("hash"),
    CONSTRAINT "chk_fiscal_record_kind" CHECK ("kind" IN ('alta', 'anulacion'))
  )`,
  `CREATE INDEX "idx_fiscal_record_ticket" ON "fiscal_record" ("ticket_id")`,
  `CREATE TRIGGER "trg_fiscal_record_chain" BEFORE INSERT ON "fiscal_record"
    WHEN NEW."chain_index" <> COALESCE((SELECT MAX("chain_index") FROM "fiscal_record"), 0) + 1
      OR NEW."previous_hash" IS NOT (SELECT "hash" FROM "fiscal_record" WHERE "chain_index" = NEW."chain_index" - 1)
  BEGIN SELECT RAISE(ABORT, 'TPV_CHAIN: fiscal_record must extend the chain (next index, previous hash)'); END`,
  `CREATE TRIGGER "trg_fiscal_record_no_update" BEFORE UPDATE ON "fiscal_record"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: fiscal records are never changed'); END`,
  `CREATE TRIGGER "trg_fiscal_record_no_delete" BEFORE DELETE ON "fiscal_record"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: fiscal records are never deleted'); END`,

  `CREATE TABLE "outbox" (
    "seq" integer PRIMARY KEY NOT NULL,
    "ticket_id" text NOT NULL REFERENCES "ticket" ("id") DEFERRABLE INITIALLY DEFERRED,
    "payload" text NOT NULL,
    "created_at" text NOT NULL,
    "sent_at" text,
    "attempts" integer NOT NULL DEFAULT (0),
    "last_error" text,
    CONSTRAINT "uq_outbox_ticket" UNIQUE ("ticket_id")
  )`,
  // Pending rows in seq order, and "mark sent up to seq N" — both stay on this small partial index.
  `CREATE INDEX "idx_outbox_pending" ON "outbox" ("seq") WHERE "sent_at" IS NULL`,
  `CREATE TRIGGER "trg_outbox_no_delete" BEFORE DELETE ON "outbox"
  BEGIN SELECT RAISE(ABORT, 'TPV_IMMUTABLE: outbox rows are never dropped'); END`,

  `CREATE TABLE "parked_ticket" (
    "id" text PRIMARY KEY NOT NULL,
    "label" text,
    "cashier_id" text NOT NULL,
    "created_at" text NOT NULL,
    "draft" text NOT NULL
  )`,
  `CREATE INDEX "idx_parked_ticket_created_at" ON "parked_ticket" ("created_at")`,

  `CREATE TABLE "audit_log" (
    "id" text PRIMARY KEY NOT NULL,
    "at" text NOT NULL,
    "action" text NOT NULL,
    "actor_id" text,
    "authorised_by" text,
    "details" text
  )`,
  `CREATE INDEX "idx_audit_log_at" ON "audit_log" ("at")`,

  `CREATE TABLE "print_job" (
    "id" text PRIMARY KEY NOT NULL,
    "kind" text NOT NULL,
    "ticket_id" text,
    "document" text NOT NULL,
    "status" text NOT NULL DEFAULT ('pending'),
    "attempts" integer NOT NULL DEFAULT (0),
    "last_error" text,
    "created_at" text NOT NULL,
    "printed_at" text,
    "copy" boolean NOT NULL DEFAULT (0),
    CONSTRAINT "chk_print_job_status" CHECK ("status" IN ('pending', 'printing', 'done', 'failed')),
    CONSTRAINT "chk_print_job_copy" CHECK ("copy" IN (0, 1))
  )`,
  `CREATE INDEX "idx_print_job_status" ON "print_job" ("status", "created_at")`,
  `CREATE INDEX "idx_print_job_ticket" ON "print_job" ("ticket_id")`,
];

/** Tables created by this migration, in creation order (dropped in reverse). */
export const INITIAL_TABLES = [
  'category', 'product', 'product_barcode', 'product_fts', 'quick_key', 'customer', 'staff', 'notice',
  'master_data_state', 'terminal_config', 'cash_session', 'ticket', 'ticket_line', 'payment', 'cash_movement',
  'series_counter', 'sequence_counter', 'fiscal_record', 'outbox', 'parked_ticket', 'audit_log', 'print_job',
] as const;

export class InitialSchema1732300000000 implements MigrationInterface {
  name = 'InitialSchema1732300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of up) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping a table drops its indexes and triggers; reverse order keeps foreign keys satisfied.
    for (const table of [...INITIAL_TABLES].reverse()) await queryRunner.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}
