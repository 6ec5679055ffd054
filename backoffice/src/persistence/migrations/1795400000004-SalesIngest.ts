import { Table, TableForeignKey, TableIndex, TableUnique } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, bool, date, instant, int, offsetTimestamp, oneOf, str, text, uuid } from '../migration-columns';

const fk = (table: string, column: string, refTable: string, refColumn = 'id', onDelete?: string) =>
  new TableForeignKey({
    name: `FK_${table}_${column}`,
    columnNames: [column],
    referencedTableName: refTable,
    referencedColumnNames: [refColumn],
    ...(onDelete ? { onDelete } : {}),
  });

/**
 * Ticket ingest, fiscal chain verification, stock, cash sessions, receivables.
 *
 * Sales facts carry no foreign key to catalog/customer/staff rows (product_id, customer_id, cashier_id): a
 * ticket is a fact that already happened at the till and must be ingested even if HQ master data disagrees;
 * structural links (ticket → terminal/store, line → ticket) are enforced.
 */
export class SalesIngest1795400000004 implements MigrationInterface {
  name = 'SalesIngest1795400000004';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sale_ticket',
        columns: [
          uuid('id', { primary: true }),
          uuid('terminal_id'),
          uuid('store_id'),
          bigint('seq'),
          str('kind', 16),
          str('series', 32),
          bigint('number'),
          str('fiscal_number', 64),
          offsetTimestamp('issued_at'),
          date('business_date'),
          uuid('cashier_id', { nullable: true }),
          uuid('customer_id', { nullable: true }),
          str('session_id', 64, { nullable: true }),
          bigint('total_cents'),
          bigint('tax_cents'),
          bigint('discount_cents', { default: 0 }),
          uuid('original_ticket_id', { nullable: true }),
          text('document'),
          instant('received_at'),
          bool('chain_ok'),
        ],
        uniques: [
          new TableUnique({ name: 'UQ_sale_ticket_terminal_seq', columnNames: ['terminal_id', 'seq'] }),
          // A series belongs to one terminal and year, so (series, number) is globally unique.
          new TableUnique({ name: 'UQ_sale_ticket_series_number', columnNames: ['series', 'number'] }),
        ],
        foreignKeys: [fk('sale_ticket', 'terminal_id', 'terminal'), fk('sale_ticket', 'store_id', 'store')],
        indices: [
          { name: 'IDX_sale_ticket_store_date', columnNames: ['store_id', 'business_date'] },
          { name: 'IDX_sale_ticket_customer', columnNames: ['customer_id'] },
          { name: 'IDX_sale_ticket_original', columnNames: ['original_ticket_id'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sale_line',
        columns: [
          uuid('ticket_id', { primary: true }),
          int('line_no', { primary: true }),
          uuid('product_id'),
          int('units'),
          int('grams', { nullable: true }),
          bigint('total_cents'),
          int('tax_rate_bp'),
        ],
        foreignKeys: [fk('sale_line', 'ticket_id', 'sale_ticket', 'id', 'CASCADE')],
        indices: [{ name: 'IDX_sale_line_product', columnNames: ['product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sale_payment',
        columns: [uuid('ticket_id', { primary: true }), int('idx', { primary: true }), str('method', 16), bigint('amount_cents')],
        foreignKeys: [fk('sale_payment', 'ticket_id', 'sale_ticket', 'id', 'CASCADE')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'fiscal_record',
        columns: [
          uuid('terminal_id', { primary: true }),
          bigint('chain_position', { primary: true }),
          str('record_kind', 16, { default: 'alta' }),
          uuid('ticket_id', { nullable: true }),
          str('hash', 64),
          str('previous_hash', 64, { nullable: true }),
          bool('verified'),
          text('break_reason', { nullable: true }),
        ],
        checks: [oneOf('fiscal_record', 'record_kind', ['alta', 'anulacion'])],
        foreignKeys: [fk('fiscal_record', 'terminal_id', 'terminal')],
        indices: [{ name: 'IDX_fiscal_record_ticket', columnNames: ['ticket_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ingest_hold',
        columns: [uuid('terminal_id', { primary: true }), bigint('seq', { primary: true }), text('payload'), instant('received_at')],
        foreignKeys: [fk('ingest_hold', 'terminal_id', 'terminal')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_level',
        columns: [
          uuid('store_id', { primary: true }),
          uuid('product_id', { primary: true }),
          bigint('quantity', { default: 0 }),
          instant('updated_at'),
        ],
        foreignKeys: [fk('stock_level', 'store_id', 'store'), fk('stock_level', 'product_id', 'product')],
        indices: [{ name: 'IDX_stock_level_product', columnNames: ['product_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_movement',
        columns: [
          uuid('id', { primary: true }),
          uuid('store_id'),
          uuid('product_id'),
          bigint('delta'),
          str('reason', 16),
          uuid('ticket_id', { nullable: true }),
          int('line_no', { nullable: true }),
          instant('at'),
        ],
        checks: [oneOf('stock_movement', 'reason', ['sale', 'return', 'receipt', 'adjustment', 'transfer'])],
        foreignKeys: [fk('stock_movement', 'store_id', 'store'), fk('stock_movement', 'product_id', 'product')],
        indices: [
          new TableIndex({ name: 'IDX_stock_movement_store_product_at', columnNames: ['store_id', 'product_id', 'at'] }),
          // A ticket line moves stock once, however often the ticket is delivered.
          new TableIndex({
            name: 'UQ_stock_movement_ticket_line',
            columnNames: ['ticket_id', 'line_no'],
            isUnique: true,
            where: '"ticket_id" IS NOT NULL',
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'cash_session_summary',
        columns: [
          uuid('terminal_id', { primary: true }),
          str('session_id', 64, { primary: true }),
          text('totals'),
          instant('updated_at'),
        ],
        foreignKeys: [fk('cash_session_summary', 'terminal_id', 'terminal')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'receivable',
        columns: [
          uuid('id', { primary: true }),
          uuid('customer_id'),
          uuid('store_id'),
          uuid('ticket_id'),
          bigint('amount_cents'),
          date('due_date'),
          str('status', 16, { default: 'open' }),
          bigint('paid_cents', { default: 0 }),
        ],
        uniques: [new TableUnique({ name: 'UQ_receivable_ticket', columnNames: ['ticket_id'] })],
        checks: [oneOf('receivable', 'status', ['open', 'paid', 'written_off'])],
        foreignKeys: [
          fk('receivable', 'customer_id', 'customer'),
          fk('receivable', 'store_id', 'store'),
          fk('receivable', 'ticket_id', 'sale_ticket'),
        ],
        indices: [{ name: 'IDX_receivable_customer_status', columnNames: ['customer_id', 'status'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of [
      'receivable',
      'cash_session_summary',
      'stock_movement',
      'stock_level',
      'ingest_hold',
      'fiscal_record',
      'sale_payment',
      'sale_line',
      'sale_ticket',
    ]) {
      await qr.dropTable(table);
    }
  }
}
