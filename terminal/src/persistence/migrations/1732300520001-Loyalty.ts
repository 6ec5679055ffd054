import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loyalty at the till (issue 15): the programme as the feed sends it (`loyalty_programme`, one row), and
 * the points this till redeemed offline per customer and day (`loyalty_offline_redemption`, written in the
 * sale's transaction) so the till never passes the programme's offline cap.
 */
export class Loyalty1732300520001 implements MigrationInterface {
  name = 'Loyalty1732300520001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "loyalty_programme" ("id" varchar(20) PRIMARY KEY NOT NULL, "rules" text NOT NULL, "version" integer NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "loyalty_offline_redemption" (
      "ticket_id" varchar(36) PRIMARY KEY NOT NULL,
      "customer_id" varchar(36) NOT NULL,
      "day" varchar(10) NOT NULL,
      "points" integer NOT NULL,
      "created_at" varchar(32) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_loyalty_offline_customer_day" ON "loyalty_offline_redemption" ("customer_id", "day")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "loyalty_offline_redemption"');
    await queryRunner.query('DROP TABLE "loyalty_programme"');
  }
}
