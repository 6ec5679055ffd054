import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collections (issue 13): a customer blocked by the back office's dunning / credit control (an overdue
 * item at a blocking level, or over its limit) is refused on account at the till until paid or released by
 * a manager. The flag arrives with the customer through the change feed (`onAccountBlocked`).
 */
export class CustomerOnAccountBlock1732300300001 implements MigrationInterface {
  name = 'CustomerOnAccountBlock1732300300001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customer" ADD COLUMN "on_account_blocked" integer NOT NULL DEFAULT 0 CHECK ("on_account_blocked" IN (0, 1))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "customer" DROP COLUMN "on_account_blocked"');
  }
}
