import { Table, TableForeignKey, TableUnique } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, bool, instant, int, str, text, uuid } from '../migration-columns';

/** Master data that flows down to the terminals: categories, products, barcodes, store prices, customers, notices. */
export class Catalog1795400000002 implements MigrationInterface {
  name = 'Catalog1795400000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'category',
        columns: [
          uuid('id', { primary: true }),
          str('name', 100),
          uuid('parent_id', { nullable: true }),
          bool('active', { default: true }),
          bigint('version', { default: 0 }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_category_parent',
            columnNames: ['parent_id'],
            referencedTableName: 'category',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'product',
        columns: [
          uuid('id', { primary: true }),
          str('sku', 64),
          str('name', 200),
          uuid('category_id', { nullable: true }),
          int('tax_rate_bp'),
          str('exemption', 8, { nullable: true }),
          bool('weighed', { default: false }),
          bigint('base_price_cents'),
          bool('active', { default: true }),
          bigint('version', { default: 0 }),
        ],
        uniques: [new TableUnique({ name: 'UQ_product_sku', columnNames: ['sku'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_product_category',
            columnNames: ['category_id'],
            referencedTableName: 'category',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [{ name: 'IDX_product_category', columnNames: ['category_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'product_barcode',
        columns: [str('barcode', 32, { primary: true }), uuid('product_id')],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_product_barcode_product',
            columnNames: ['product_id'],
            referencedTableName: 'product',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [{ name: 'IDX_product_barcode_product', columnNames: ['product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'store_price',
        columns: [uuid('store_id', { primary: true }), uuid('product_id', { primary: true }), bigint('price_cents')],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_store_price_store',
            columnNames: ['store_id'],
            referencedTableName: 'store',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({
            name: 'FK_store_price_product',
            columnNames: ['product_id'],
            referencedTableName: 'product',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [{ name: 'IDX_store_price_product', columnNames: ['product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'customer',
        columns: [
          uuid('id', { primary: true }),
          str('nif', 16, { nullable: true }),
          str('name', 200),
          str('email', 254, { nullable: true }),
          bool('re_regime', { default: false }),
          bigint('credit_limit_cents', { default: 0 }),
          bool('active', { default: true }),
          bigint('version', { default: 0 }),
        ],
        // NULLs are distinct in a UNIQUE constraint on both engines: many customers may lack a NIF.
        uniques: [new TableUnique({ name: 'UQ_customer_nif', columnNames: ['nif'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'notice',
        columns: [
          uuid('id', { primary: true }),
          uuid('store_id', { nullable: true }),
          str('title', 200),
          text('body'),
          instant('starts_at', { nullable: true }),
          instant('ends_at', { nullable: true }),
          bool('active', { default: true }),
          bigint('version', { default: 0 }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_notice_store',
            columnNames: ['store_id'],
            referencedTableName: 'store',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['notice', 'customer', 'store_price', 'product_barcode', 'product', 'category']) {
      await qr.dropTable(table);
    }
  }
}
