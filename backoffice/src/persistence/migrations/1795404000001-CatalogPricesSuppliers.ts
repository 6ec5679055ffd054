import { Table, TableForeignKey, TableIndex } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, bool, instant, int, oneOf, str, text, uuid } from '../migration-columns';

const fk = (table: string, column: string, ref: string) =>
  new TableForeignKey({ name: `FK_${table}_${column}`, columnNames: [column], referencedTableName: ref, referencedColumnNames: ['id'] });

/**
 * Catalog (issue 10): company price overrides, scheduled price changes (an instant in UTC plus the local
 * wall time and zone the user typed, so the list shows what they chose), suppliers with per-product
 * references and costs, pack sizes with their own barcode, and the indexes the product list sorts and
 * filters on (200k products, first page ≤ 150 ms on both engines).
 */
export class CatalogPricesSuppliers1795404000001 implements MigrationInterface {
  name = 'CatalogPricesSuppliers1795404000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'company_price',
        columns: [uuid('company_id', { primary: true }), uuid('product_id', { primary: true }), bigint('price_cents')],
        foreignKeys: [fk('company_price', 'company_id', 'company'), fk('company_price', 'product_id', 'product')],
        indices: [{ name: 'IDX_company_price_product', columnNames: ['product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'price_change',
        columns: [
          uuid('id', { primary: true }),
          uuid('product_id'),
          str('level', 8),
          uuid('company_id', { nullable: true }),
          uuid('store_id', { nullable: true }),
          bigint('price_cents'),
          instant('effective_at'),
          str('local_time', 16),
          str('timezone', 64),
          str('status', 12, { default: 'scheduled' }),
          instant('created_at'),
          uuid('created_by', { nullable: true }),
          instant('cancelled_at', { nullable: true }),
        ],
        checks: [oneOf('price_change', 'level', ['base', 'company', 'store']), oneOf('price_change', 'status', ['scheduled', 'cancelled', 'superseded'])],
        foreignKeys: [fk('price_change', 'product_id', 'product'), fk('price_change', 'company_id', 'company'), fk('price_change', 'store_id', 'store')],
        indices: [
          { name: 'IDX_price_change_product', columnNames: ['product_id', 'status', 'effective_at'] },
          { name: 'IDX_price_change_effective', columnNames: ['status', 'effective_at'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'supplier',
        columns: [
          uuid('id', { primary: true }),
          str('name', 200),
          str('nif', 16, { nullable: true }),
          str('contact_name', 200, { nullable: true }),
          str('email', 254, { nullable: true }),
          str('phone', 40, { nullable: true }),
          int('payment_terms_days', { default: 30 }),
          text('notes', { nullable: true }),
          bool('active', { default: true }),
          instant('created_at'),
        ],
        indices: [{ name: 'IDX_supplier_name', columnNames: ['name'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'product_supplier',
        columns: [uuid('product_id', { primary: true }), uuid('supplier_id', { primary: true }), str('reference', 64, { nullable: true }), bigint('cost_cents', { nullable: true })],
        foreignKeys: [fk('product_supplier', 'product_id', 'product'), fk('product_supplier', 'supplier_id', 'supplier')],
        indices: [{ name: 'IDX_product_supplier_supplier', columnNames: ['supplier_id', 'product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'product_pack',
        columns: [uuid('id', { primary: true }), uuid('product_id'), str('name', 100), int('units'), str('barcode', 32, { nullable: true })],
        foreignKeys: [fk('product_pack', 'product_id', 'product')],
        uniques: [{ name: 'UQ_product_pack_barcode', columnNames: ['barcode'] }],
        indices: [{ name: 'IDX_product_pack_product', columnNames: ['product_id'] }],
      }),
    );
    // The product list's sorts and filters (plain CREATE INDEX: no table rebuild).
    for (const [name, cols] of [
      ['IDX_product_name', ['name', 'id']],
      ['IDX_product_active_name', ['active', 'name', 'id']],
      ['IDX_product_tax_name', ['tax_rate_bp', 'name', 'id']],
      ['IDX_product_category_name', ['category_id', 'name', 'id']],
      ['IDX_product_price', ['base_price_cents', 'id']],
    ] as const) {
      await qr.createIndex('product', new TableIndex({ name, columnNames: [...cols] }));
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of ['IDX_product_price', 'IDX_product_category_name', 'IDX_product_tax_name', 'IDX_product_active_name', 'IDX_product_name']) await qr.query(`DROP INDEX "${name}"`);
    for (const t of ['product_pack', 'product_supplier', 'supplier', 'price_change', 'company_price']) await qr.dropTable(t);
  }
}
