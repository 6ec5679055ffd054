import { Table, TableForeignKey, TableUnique } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { date, instant, int, oneOf, str, text, uuid } from '../migration-columns';

const ADDRESS = ['"street" varchar(200)', '"postal_code" varchar(10)', '"city" varchar(100)', '"province" varchar(100)', '"country" varchar(2)'];

/**
 * The organisation module (issue 10): structured addresses, IBAN and archiving of companies; opening hours,
 * sales area and archiving of stores; retired terminals; contacts, central warehouses and franchise contracts.
 * Plain ALTER TABLE on company/store/terminal: SQLite's table rebuild would trip the rows that reference them.
 * `address` stays as the one-line text the tills print (kept in step by the repository).
 */
export class OrganisationModule1795403000001 implements MigrationInterface {
  name = 'OrganisationModule1795403000001';

  async up(qr: QueryRunner): Promise<void> {
    for (const col of [...ADDRESS, '"iban" varchar(34)', '"archived_at" varchar(32)']) await qr.query(`ALTER TABLE "company" ADD COLUMN ${col}`);
    for (const col of [...ADDRESS, '"opening_hours" text', '"sales_area_m2" integer', '"archived_at" varchar(32)']) await qr.query(`ALTER TABLE "store" ADD COLUMN ${col}`);
    await qr.query(`ALTER TABLE "terminal" ADD COLUMN "retired_at" varchar(32)`);
    await qr.createTable(
      new Table({
        name: 'company_contact',
        columns: [uuid('id', { primary: true }), uuid('company_id'), int('position'), str('name', 120), str('role', 80), str('email', 254), str('phone', 32)],
        foreignKeys: [new TableForeignKey({ name: 'FK_company_contact_company', columnNames: ['company_id'], referencedTableName: 'company', referencedColumnNames: ['id'] })],
        indices: [{ name: 'IDX_company_contact_company', columnNames: ['company_id', 'position'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'warehouse',
        columns: [
          uuid('id', { primary: true }),
          str('code', 16),
          uuid('company_id'),
          str('name', 200),
          text('address', { nullable: true }),
          str('street', 200, { nullable: true }),
          str('postal_code', 10, { nullable: true }),
          str('city', 100, { nullable: true }),
          str('province', 100, { nullable: true }),
          str('country', 2, { nullable: true }),
          instant('archived_at', { nullable: true }),
        ],
        uniques: [new TableUnique({ name: 'UQ_warehouse_code', columnNames: ['code'] })],
        foreignKeys: [new TableForeignKey({ name: 'FK_warehouse_company', columnNames: ['company_id'], referencedTableName: 'company', referencedColumnNames: ['id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'franchise_contract',
        columns: [
          uuid('id', { primary: true }),
          uuid('company_id'),
          date('starts_on'),
          date('ends_on', { nullable: true }),
          int('royalty_bp'),
          int('marketing_fee_bp'),
          int('payment_days'),
          str('payment_method', 16),
          str('notes', 500, { nullable: true }),
          instant('created_at'),
          instant('updated_at'),
        ],
        checks: [oneOf('franchise_contract', 'payment_method', ['transfer', 'direct_debit'])],
        foreignKeys: [new TableForeignKey({ name: 'FK_franchise_contract_company', columnNames: ['company_id'], referencedTableName: 'company', referencedColumnNames: ['id'] })],
        indices: [{ name: 'IDX_franchise_contract_company', columnNames: ['company_id', 'starts_on'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('franchise_contract');
    await qr.dropTable('warehouse');
    await qr.dropTable('company_contact');
    await qr.query(`ALTER TABLE "terminal" DROP COLUMN "retired_at"`);
    for (const col of ['archived_at', 'sales_area_m2', 'opening_hours', 'country', 'province', 'city', 'postal_code', 'street']) await qr.query(`ALTER TABLE "store" DROP COLUMN "${col}"`);
    for (const col of ['archived_at', 'iban', 'country', 'province', 'city', 'postal_code', 'street']) await qr.query(`ALTER TABLE "company" DROP COLUMN "${col}"`);
  }
}
