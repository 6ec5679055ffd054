import { Table, TableForeignKey, TableUnique } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, bool, instant, oneOf, str, text, uuid } from '../migration-columns';

/** Companies (franchisor and franchisees), stores, terminals (each a Veri*Factu installation), users, staff. */
export class Organisation1795400000001 implements MigrationInterface {
  name = 'Organisation1795400000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'company',
        columns: [
          uuid('id', { primary: true }),
          str('kind', 16),
          str('nif', 16),
          str('legal_name', 200),
          str('trade_name', 200, { nullable: true }),
          text('address', { nullable: true }),
        ],
        uniques: [new TableUnique({ name: 'UQ_company_nif', columnNames: ['nif'] })],
        checks: [oneOf('company', 'kind', ['franchisor', 'franchisee'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'store',
        columns: [
          uuid('id', { primary: true }),
          str('code', 16),
          uuid('company_id'),
          str('name', 200),
          text('address', { nullable: true }),
          str('timezone', 64, { default: 'Europe/Madrid' }),
        ],
        uniques: [new TableUnique({ name: 'UQ_store_code', columnNames: ['code'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_store_company',
            columnNames: ['company_id'],
            referencedTableName: 'company',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [{ name: 'IDX_store_company', columnNames: ['company_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'terminal',
        columns: [
          uuid('id', { primary: true }),
          uuid('store_id'),
          str('code', 16),
          str('name', 100),
          str('installation', 100),
          text('token_hash', { nullable: true }),
          text('pairing_code_hash', { nullable: true }),
          instant('pairing_expires_at', { nullable: true }),
          instant('revoked_at', { nullable: true }),
          instant('last_seen_at', { nullable: true }),
          bigint('last_acked_seq', { default: 0 }),
          str('last_fiscal_hash', 64, { nullable: true }),
          bigint('catalog_version', { default: 0 }),
          str('app_version', 32, { nullable: true }),
        ],
        uniques: [
          new TableUnique({ name: 'UQ_terminal_store_code', columnNames: ['store_id', 'code'] }),
          new TableUnique({ name: 'UQ_terminal_installation', columnNames: ['installation'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_terminal_store',
            columnNames: ['store_id'],
            referencedTableName: 'store',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'app_user',
        columns: [
          uuid('id', { primary: true }),
          str('email', 254),
          str('name', 200),
          text('password_hash'),
          str('role', 16),
          uuid('company_id', { nullable: true }),
        ],
        uniques: [new TableUnique({ name: 'UQ_app_user_email', columnNames: ['email'] })],
        checks: [oneOf('app_user', 'role', ['hq', 'manager'])],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_app_user_company',
            columnNames: ['company_id'],
            referencedTableName: 'company',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'staff',
        columns: [
          uuid('id', { primary: true }),
          uuid('company_id'),
          uuid('store_id', { nullable: true }),
          str('code', 16),
          str('name', 200),
          str('role', 16),
          text('pin_hash'),
          bool('active', { default: true }),
          bigint('version', { default: 0 }),
        ],
        uniques: [new TableUnique({ name: 'UQ_staff_company_code', columnNames: ['company_id', 'code'] })],
        checks: [oneOf('staff', 'role', ['cashier', 'supervisor', 'manager'])],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_staff_company',
            columnNames: ['company_id'],
            referencedTableName: 'company',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({
            name: 'FK_staff_store',
            columnNames: ['store_id'],
            referencedTableName: 'store',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [{ name: 'IDX_staff_store', columnNames: ['store_id'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['staff', 'app_user', 'terminal', 'store', 'company']) await qr.dropTable(table);
  }
}
