import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipt design at the till (issue 19). `receipt_design`: the design HQ published for this store as the
 * change feed sends it (id = store id; the whole record as JSON), so the till keeps printing its logo,
 * header, footer, policy and promotion offline. `printer_logo`: which logo each printer holds in its NV
 * graphics memory (`GS ( L`, by printer address), so it is stored once and re-stored when the design's
 * logo changes.
 */
export class ReceiptDesign1732300730001 implements MigrationInterface {
  name = 'ReceiptDesign1732300730001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "receipt_design" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "data" text NOT NULL,
      "version" integer NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "printer_logo" (
      "printer" varchar(200) PRIMARY KEY NOT NULL,
      "logo_id" varchar(64),
      "stored_at" varchar(40) NOT NULL)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "printer_logo"');
    await queryRunner.query('DROP TABLE "receipt_design"');
  }
}
