import type { MigrationInterface, QueryRunner } from 'typeorm';
import { foldName } from '@tpv/shared/crm/customer';

/**
 * Customer search at the till (issue 15), fast with a million customers: a name typed from its start through
 * `name_key` (the folded name, shared/src/crm/customer.ts foldName: written by whoever writes the row) and a
 * B-tree range; name words in any order through an FTS5 index
 * (external content over customer.rowid, kept in step by triggers, prefix indexes so "gar*" is cheap);
 * phone, email and loyalty card (unique since 1732300400001) through B-tree indexes for exact and prefix
 * lookups by range; NIF already has one. Phones and emails are stored normalised (shared/src/crm/customer.ts).
 */
/** Tables this migration creates (the FTS index; its shadow tables go with it). */
export const CUSTOMER_SEARCH_TABLES = ['customer_fts'] as const;

export class CustomerSearch1732300510001 implements MigrationInterface {
  name = 'CustomerSearch1732300510001';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "customer" ADD COLUMN "name_key" text NOT NULL DEFAULT ''`);
    const rows = (await qr.query(`SELECT "id", "name" FROM "customer"`)) as Array<{ id: string; name: string }>;
    for (const r of rows) await qr.query(`UPDATE "customer" SET "name_key" = ? WHERE "id" = ?`, [foldName(r.name), r.id]);
    await qr.query(`CREATE INDEX "idx_customer_name_key" ON "customer" ("name_key")`);
    await qr.query(`CREATE INDEX "idx_customer_phone" ON "customer" ("phone") WHERE "phone" IS NOT NULL`);
    await qr.query(`CREATE INDEX "idx_customer_email" ON "customer" ("email") WHERE "email" IS NOT NULL`);
    await qr.query(`CREATE VIRTUAL TABLE "customer_fts" USING fts5("name", content='customer', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5')`);
    await qr.query(`CREATE TRIGGER "trg_customer_fts_insert" AFTER INSERT ON "customer" BEGIN
      INSERT INTO "customer_fts" ("rowid", "name") VALUES (NEW."rowid", NEW."name");
    END`);
    await qr.query(`CREATE TRIGGER "trg_customer_fts_delete" AFTER DELETE ON "customer" BEGIN
      INSERT INTO "customer_fts" ("customer_fts", "rowid", "name") VALUES ('delete', OLD."rowid", OLD."name");
    END`);
    await qr.query(`CREATE TRIGGER "trg_customer_fts_update" AFTER UPDATE OF "name" ON "customer" BEGIN
      INSERT INTO "customer_fts" ("customer_fts", "rowid", "name") VALUES ('delete', OLD."rowid", OLD."name");
      INSERT INTO "customer_fts" ("rowid", "name") VALUES (NEW."rowid", NEW."name");
    END`);
    await qr.query(`INSERT INTO "customer_fts" ("customer_fts") VALUES ('rebuild')`);
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const t of ['trg_customer_fts_update', 'trg_customer_fts_delete', 'trg_customer_fts_insert']) await qr.query(`DROP TRIGGER "${t}"`);
    await qr.query(`DROP TABLE "customer_fts"`);
    await qr.query(`DROP INDEX "idx_customer_email"`);
    await qr.query(`DROP INDEX "idx_customer_phone"`);
    await qr.query(`DROP INDEX "idx_customer_name_key"`);
    await qr.query(`ALTER TABLE "customer" DROP COLUMN "name_key"`);
  }
}
