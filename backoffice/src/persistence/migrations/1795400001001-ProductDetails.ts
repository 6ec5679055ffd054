import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product details the back office keeps beyond what a till needs: the English name (the admin UI and
 * documents are bilingual) and the cost price per unit or kg (margins, stock valuation).
 * Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds `product`, which sales and stock rows reference.
 */
export class ProductDetails1795400001001 implements MigrationInterface {
  name = 'ProductDetails1795400001001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "product" ADD COLUMN "name_en" varchar(200)`);
    await qr.query(`ALTER TABLE "product" ADD COLUMN "cost_cents" bigint`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "product" DROP COLUMN "cost_cents"`);
    await qr.query(`ALTER TABLE "product" DROP COLUMN "name_en"`);
  }
}
