import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Promotions (issue 15): the definitions HQ sends on the change feed (entity `promotion`), kept whole as JSON
 * (shared/src/promotions/definition.ts) so the till evaluates them offline; `promotion_state.version` moves on
 * every change so the cart rebuilds its index only when the set changed (one primary-key read per scan).
 */
export class Promotions1732300500001 implements MigrationInterface {
  name = 'Promotions1732300500001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "promotion" ("id" varchar(64) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "definition" text NOT NULL, "valid_to" varchar(40), "version" integer NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "promotion_state" ("id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1), "version" integer NOT NULL)`);
    await queryRunner.query(`INSERT INTO "promotion_state" ("id", "version") VALUES (1, 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "promotion_state"');
    await queryRunner.query('DROP TABLE "promotion"');
  }
}
