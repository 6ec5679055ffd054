import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the ticket search (GET /api/tickets), sized for a first page in ≤ 150 ms over a million tickets:
 * - issued_at: the default order (newest first) and any date range across stores;
 * - (store_id, issued_at): one store's tickets in order (franchisee and store-manager scopes, the store filter);
 * - (cashier_id, issued_at): a cashier's tickets in order.
 * Ingest pays three more index entries per ticket; no other filter gets an index of its own (till: the
 * (terminal_id, seq) unique; customer: IDX_sale_ticket_customer; number: the (series, number) unique).
 */
const INDEXES = [
  ['IDX_sale_ticket_issued', '"issued_at"'],
  ['IDX_sale_ticket_store_issued', '"store_id", "issued_at"'],
  ['IDX_sale_ticket_cashier_issued', '"cashier_id", "issued_at"'],
] as const;

export class TicketSearchIndexes1795406000001 implements MigrationInterface {
  name = 'TicketSearchIndexes1795406000001';

  async up(qr: QueryRunner): Promise<void> {
    for (const [name, cols] of INDEXES) await qr.query(`CREATE INDEX "${name}" ON "sale_ticket" (${cols})`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await qr.query(`DROP INDEX "${name}"`);
  }
}
