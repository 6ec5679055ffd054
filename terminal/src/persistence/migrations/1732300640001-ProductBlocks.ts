import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product blocks at the till (issue 17): HQ's blocks as the change feed sends them (`product_block`, this
 * store's and the network's), read before every line is added and again at payment (terminal/src/blocks).
 */
export class ProductBlocks1732300640001 implements MigrationInterface {
  name = 'ProductBlocks1732300640001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "product_block" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "product_id" varchar(64) NOT NULL,
      "data" text NOT NULL,
      "version" integer NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_product_block_product" ON "product_block" ("product_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "product_block"');
  }
}
