import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Aging of receivables/payables (issue 13): one partial covering index over what is still owed, in the order
 * the aging report groups it (side, counterparty), with the due date, balance and company the buckets and
 * the scope read — the report is an index-only scan over open items with a non-zero balance (1 million in
 * ≤ 1 s, scripts/src/bench/aging.ts). Paid and cancelled items (the bulk of an old ledger) are not in it.
 */
export class Aging1795435000001 implements MigrationInterface {
  name = 'Aging1795435000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE INDEX "IDX_open_item_aging" ON "open_item" ("side", "counterparty_kind", "counterparty_id", "company_id", "due_date", "balance_cents") WHERE "balance_cents" <> 0 AND "status" <> 'cancelled'`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_open_item_aging"`);
  }
}
