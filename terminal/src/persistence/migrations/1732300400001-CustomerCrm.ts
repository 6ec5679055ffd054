import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CRM (issue 15): the till finds a customer by phone, email or loyalty card as well as by name and NIF, and
 * knows their segments (promotions for a segment, loyalty members only) offline. All arrive with the
 * customer through the change feed.
 */
export class CustomerCrm1732300400001 implements MigrationInterface {
  name = 'CustomerCrm1732300400001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customer" ADD COLUMN "phone" varchar(30)`);
    await queryRunner.query(`ALTER TABLE "customer" ADD COLUMN "email" varchar(254)`);
    await queryRunner.query(`ALTER TABLE "customer" ADD COLUMN "loyalty_card" varchar(40)`);
    await queryRunner.query(`ALTER TABLE "customer" ADD COLUMN "segment_ids" text NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_customer_loyalty_card" ON "customer" ("loyalty_card") WHERE "loyalty_card" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ux_customer_loyalty_card"');
    for (const c of ['segment_ids', 'loyalty_card', 'email', 'phone']) await queryRunner.query(`ALTER TABLE "customer" DROP COLUMN "${c}"`);
  }
}
