import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a whole ticket cancelled at the till in one action ("Anular ticket") arrives as ONE `sales.void`
 * document with its line count. Kept apart from line voids so the cashiers report shows it as one cancelled
 * ticket with its amount, and the drill-down says which it was:
 *
 * - `till_cashier_event.ticket_cancel` (1 for a whole-ticket cancel) and `line_count` (its lines; 1 for a line
 *   void, 0 for a cash close). Old rows keep the defaults and stay line voids.
 * - `report_cashier_event_day.tickets_cancelled`, `cancelled_cents`, `cancelled_lines`: the cancels of the day.
 */
export class TicketCancels1795482000001 implements MigrationInterface {
  name = 'TicketCancels1795482000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "till_cashier_event" ADD COLUMN "ticket_cancel" smallint NOT NULL DEFAULT 0`);
    await qr.query(`ALTER TABLE "till_cashier_event" ADD COLUMN "line_count" integer NOT NULL DEFAULT 1`);
    await qr.query(`UPDATE "till_cashier_event" SET "line_count" = 0 WHERE "kind" = 'cash_close'`);
    for (const c of ['tickets_cancelled', 'cancelled_cents', 'cancelled_lines']) await qr.query(`ALTER TABLE "report_cashier_event_day" ADD COLUMN "${c}" bigint NOT NULL DEFAULT 0`);
    // The drill-down reads one cashier's events over a period.
    await qr.query(`CREATE INDEX "IDX_till_cashier_event_cashier_date" ON "till_cashier_event" ("cashier_id", "business_date")`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "IDX_till_cashier_event_cashier_date"`);
    for (const c of ['cancelled_lines', 'cancelled_cents', 'tickets_cancelled']) await qr.query(`ALTER TABLE "report_cashier_event_day" DROP COLUMN "${c}"`);
    for (const c of ['line_count', 'ticket_cancel']) await qr.query(`ALTER TABLE "till_cashier_event" DROP COLUMN "${c}"`);
  }
}
