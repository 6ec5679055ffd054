/**
 * Constraint failures of either engine as one typed value, so that a write refused by the database is
 * answered as a conflict naming the field, never as a 500. SQLite (better-sqlite3) and PostgreSQL (pg)
 * report them differently; TypeORM wraps both in `QueryFailedError` with the driver's error beside it.
 */
export type ConstraintKind = 'unique' | 'foreign_key' | 'not_null' | 'check' | 'too_long' | 'out_of_range';

export interface ConstraintViolation {
  kind: ConstraintKind;
  /** camelCase property names of the columns involved, when the engine says which (SQLite never does for FKs). */
  fields: string[];
  /** Constraint name (PostgreSQL only). */
  constraint?: string;
}

const camel = (column: string) => column.trim().replace(/^"|"$/g, '').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

const PG_CODES: Record<string, ConstraintKind> = { '23505': 'unique', '23503': 'foreign_key', '23502': 'not_null', '23514': 'check', '22001': 'too_long', '22003': 'out_of_range' };
const SQLITE_CODES: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_CONSTRAINT_CHECK: 'check',
};

/** The constraint an engine error reports, or null for any other failure (I/O, syntax, a bug). */
export function constraintViolation(error: unknown): ConstraintViolation | null {
  const e = (error as { driverError?: unknown } | null)?.driverError ?? error;
  const d = e as { code?: unknown; detail?: unknown; column?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!d || typeof d.code !== 'string') return null;
  const pg = PG_CODES[d.code];
  if (pg) {
    const keys = typeof d.detail === 'string' ? /Key \(([^)]*)\)/.exec(d.detail)?.[1] : undefined;
    const fields = keys ? keys.split(',').map(camel) : typeof d.column === 'string' ? [camel(d.column)] : [];
    return { kind: pg, fields, ...(typeof d.constraint === 'string' ? { constraint: d.constraint } : {}) };
  }
  const lite = SQLITE_CODES[d.code];
  if (lite) {
    // "UNIQUE constraint failed: staff.company_id, staff.code" / "NOT NULL constraint failed: product.name"
    const cols = typeof d.message === 'string' ? /constraint failed: (.*)$/.exec(d.message)?.[1] : undefined;
    const fields = lite === 'foreign_key' || !cols ? [] : cols.split(',').map((c) => camel(c.split('.').pop() ?? c));
    return { kind: lite, fields };
  }
  return null;
}
