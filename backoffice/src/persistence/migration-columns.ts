/**
 * Column builders shared by the back-office migrations (QueryRunner Table API, both engines).
 *
 * Migrations are history: once a migration has shipped, the meaning of a builder it uses must never change.
 * Add a new builder instead of editing one.
 *
 * Portable representations (see persistence/README.md):
 * - ids: `varchar(36)` holding a UUID string on both engines (same semantics everywhere; app generates v7);
 * - money and stock quantities: `bigint` (integer cents, integer units or grams);
 * - instants we sort on: ISO-8601 UTC text `varchar(32)` (`2026-11-23T07:48:35.123Z`), lexicographic = chronological;
 * - fiscal timestamps: text with their offset as issued (`2024-01-01T19:20:30+01:00`), `varchar(32)`;
 * - calendar dates: `varchar(10)` `yyyy-mm-dd` (store-local business date);
 * - booleans: `boolean` (native on PostgreSQL, 0/1 on SQLite; TypeORM hydrates both to true/false);
 * - JSON: `text` (serialized by the app; no engine-specific json operators).
 */
import { TableCheck } from 'typeorm';
import type { TableColumnOptions } from 'typeorm';

interface Opts {
  nullable?: boolean;
  default?: string | number | boolean;
  primary?: boolean;
}

function base(name: string, type: string, opts: Opts, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
  const column: TableColumnOptions = { name, type, isNullable: opts.nullable ?? false, ...extra };
  if (opts.primary) column.isPrimary = true;
  if (opts.default !== undefined) {
    column.default =
      typeof opts.default === 'string' ? `'${opts.default.replace(/'/g, "''")}'` : String(opts.default);
  }
  return column;
}

/** UUID held as text (primary key when `primary`). */
export const uuid = (name: string, opts: Opts = {}) => base(name, 'varchar', opts, { length: '36' });
export const str = (name: string, length: number, opts: Opts = {}) =>
  base(name, 'varchar', opts, { length: String(length) });
export const text = (name: string, opts: Opts = {}) => base(name, 'text', opts);
export const int = (name: string, opts: Opts = {}) => base(name, 'integer', opts);
/** 64-bit integer: money in cents, stock quantities, sequence numbers. */
export const bigint = (name: string, opts: Opts = {}) => base(name, 'bigint', opts);
export const bool = (name: string, opts: Opts = {}) => base(name, 'boolean', opts);
/** ISO-8601 UTC instant as text, e.g. `2026-11-23T07:48:35.123Z`. */
export const instant = (name: string, opts: Opts = {}) => base(name, 'varchar', opts, { length: '32' });
/** Timestamp with its original offset, e.g. `2024-01-01T19:20:30+01:00` (fiscal). */
export const offsetTimestamp = instant;
/** Calendar date `yyyy-mm-dd`. */
export const date = (name: string, opts: Opts = {}) => base(name, 'varchar', opts, { length: '10' });

/** `CHECK (column IN (...))`, named so that it can be dropped on both engines. */
export function oneOf(table: string, column: string, values: readonly string[]): TableCheck {
  return new TableCheck({
    name: `CHK_${table}_${column}`,
    columnNames: [column],
    expression: `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`,
  });
}
