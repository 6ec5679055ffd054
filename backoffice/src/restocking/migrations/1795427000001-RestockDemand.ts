import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restocking's demand statistics (issue 11, the 500 × 5,000 proposal in ≤ 20 s): what a proposal needs of the
 * `sales_week` rollup, kept per store and product so that a proposal reads one row per pair instead of summing
 * ~35,000 rollup rows per store, and can leave out the pairs that cannot order (see `demand.ts`).
 *
 * - `restock_demand`: per (store, product) with rollup rows in the weeks a proposal made in `week` reads: Σ q and
 *   Σ q² of the 8 recent weeks, last year's same 8 weeks and the 4 after them (exactly the sums of the straight
 *   query), and the reorder point of the default rule computed from them (`default_rop`, the filter).
 * - `restock_demand_store`: per store, the week (Monday) the rows were computed for and the formulas' version;
 *   a proposal of another week (or another version) reads the rollup straight instead.
 * - `restock_demand_stale`: pairs whose rollup rows changed for a past week after their store's refresh (late
 *   tickets, written by the ingest in the ticket's transaction): a proposal recomputes those pairs from
 *   `sales_week`; the next refresh of the store clears them.
 */
export class RestockDemand1795427000001 implements MigrationInterface {
  name = 'RestockDemand1795427000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const noRowid = pg ? '' : ' WITHOUT ROWID';
    await qr.query(`CREATE TABLE "restock_demand" (
      "location_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      "sum_qty" bigint NOT NULL,
      "sum_sq" bigint NOT NULL,
      "last_year_same" bigint NOT NULL,
      "last_year_ahead" bigint NOT NULL,
      "default_rop" bigint NOT NULL,
      PRIMARY KEY ("location_id", "product_id"))${noRowid}`);
    await qr.query(`CREATE TABLE "restock_demand_store" (
      "location_id" varchar(36) PRIMARY KEY NOT NULL,
      "week" varchar(10) NOT NULL,
      "version" varchar(200) NOT NULL,
      "pairs" integer NOT NULL,
      "refreshed_at" varchar(32) NOT NULL)`);
    await qr.query(`CREATE TABLE "restock_demand_stale" (
      "location_id" varchar(36) NOT NULL,
      "product_id" varchar(36) NOT NULL,
      PRIMARY KEY ("location_id", "product_id"))${noRowid}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['restock_demand_stale', 'restock_demand_store', 'restock_demand']) await qr.query(`DROP TABLE "${t}"`);
  }
}
