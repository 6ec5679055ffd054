import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restocking: rules per store and product, the weekly sales rollup the ingest keeps, and proposals.
 *
 * - `restock_rule`: min/max or days of cover, pack multiple, lead-time override, where it comes from
 *   (the franchisor's warehouse, or a supplier when bought direct). A pair without a rule gets the module's
 *   default (days of cover, see `formulas.ts`).
 * - `sales_week`: units (or grams) sold per store, product and ISO week (its Monday, `YYYY-MM-DD`), net of
 *   returns, written by the ingest in the ticket's transaction; keyed (location, week, product) so a proposal
 *   reads a store's recent weeks as one index range. No foreign keys: the ingest's hot path.
 * - `restock_proposal` / `restock_proposal_line`: what to order per store and why; the line keeps the
 *   figures it was computed from (sales per day ×1000, cover in tenths of a day, on hand, open orders,
 *   in transit) so the page can explain it after the stock has moved on.
 */
export class Restocking1795415000001 implements MigrationInterface {
  name = 'Restocking1795415000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    await qr.query(`CREATE TABLE "restock_rule" (
      "location_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL REFERENCES "product" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "method" varchar(8) NOT NULL,
      "min_qty" bigint,
      "max_qty" bigint,
      "cover_days" integer,
      "pack_multiple" integer NOT NULL DEFAULT 1,
      "lead_time_days" integer,
      "source" varchar(10) NOT NULL DEFAULT 'warehouse',
      "supplier_id" varchar(36) REFERENCES "supplier" ("id"),
      "updated_at" varchar(32) NOT NULL,
      PRIMARY KEY ("location_id", "product_id"),
      CONSTRAINT "CHK_restock_rule_method" CHECK ("method" IN ('minmax', 'cover')),
      CONSTRAINT "CHK_restock_rule_source" CHECK ("source" IN ('warehouse', 'supplier')),
      CONSTRAINT "CHK_restock_rule_pack" CHECK ("pack_multiple" >= 1))`);
    await qr.query(`CREATE INDEX "IDX_restock_rule_company" ON "restock_rule" ("company_id", "location_id")`);

    await qr.query(`CREATE TABLE "sales_week" (
      "location_id" varchar(36) NOT NULL,
      "week" varchar(10) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "quantity" bigint NOT NULL,
      PRIMARY KEY ("location_id", "week", "product_id"))${pg ? '' : ' WITHOUT ROWID'}`);

    await qr.query(`CREATE TABLE "restock_proposal" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "store_id" varchar(36) NOT NULL REFERENCES "store" ("id"),
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "status" varchar(10) NOT NULL,
      "as_of" varchar(10) NOT NULL,
      "line_count" integer NOT NULL,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(200),
      "confirmed_at" varchar(32),
      "confirmed_by" varchar(200),
      "orders" text,
      CONSTRAINT "CHK_restock_proposal_status" CHECK ("status" IN ('draft', 'confirmed', 'discarded')))`);
    await qr.query(`CREATE INDEX "IDX_restock_proposal_store_created" ON "restock_proposal" ("store_id", "created_at")`);
    await qr.query(`CREATE TABLE "restock_proposal_line" (
      "proposal_id" varchar(36) NOT NULL REFERENCES "restock_proposal" ("id") ON DELETE CASCADE,
      "product_id" varchar(36) NOT NULL,
      "source" varchar(10) NOT NULL,
      "supplier_id" varchar(36),
      "suggested_qty" bigint NOT NULL,
      "quantity" bigint NOT NULL,
      "on_hand" bigint NOT NULL,
      "open_orders" bigint NOT NULL,
      "in_transit" bigint NOT NULL,
      "daily_milli" bigint NOT NULL,
      "cover_tenths" bigint,
      "safety_qty" bigint NOT NULL,
      "reorder_point" bigint NOT NULL,
      "target_qty" bigint NOT NULL,
      "lead_time_days" integer NOT NULL,
      "season_pct" integer NOT NULL,
      "method" varchar(8) NOT NULL,
      PRIMARY KEY ("proposal_id", "product_id"))`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['restock_proposal_line', 'restock_proposal', 'sales_week', 'restock_rule']) await qr.query(`DROP TABLE "${t}"`);
  }
}
