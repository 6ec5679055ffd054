/**
 * Column helpers for EntitySchema definitions: property names are camelCase, database columns snake_case.
 * Representations match migration-columns.ts (see README.md in this folder).
 */
import type { EntitySchemaColumnOptions, ValueTransformer } from 'typeorm';
import { LIMITS } from '@tpv/shared/wire/limits';
import { parseSafeInteger } from './pg-types';

/** Coerces an integer read from the database (number or numeric string) to a safe JS number. */
export function toSafeInteger(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${value} is outside the JS safe-integer range`);
    return value;
  }
  if (typeof value === 'bigint') return parseSafeInteger(value.toString());
  if (typeof value === 'string') return parseSafeInteger(value);
  throw new TypeError(`expected an integer from the database, got ${typeof value}`);
}

/** bigint column ⇄ JS number, whatever the driver returns (pg gives int8 as string unless parsed). */
export const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : toSafeInteger(value)),
};

/** JSON stored as text; null stays null. */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? value : JSON.stringify(value)),
  from: (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value),
};

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Def = Omit<EntitySchemaColumnOptions, 'name'>;

/** Maps `{ camelKey: options }` to EntitySchema columns named `camel_key`. */
export function columns<K extends string>(defs: Record<K, Def>): Record<K, EntitySchemaColumnOptions> {
  const out = {} as Record<K, EntitySchemaColumnOptions>;
  for (const key of Object.keys(defs) as K[]) out[key] = { name: snake(key), ...defs[key] };
  return out;
}

/** `default` must mirror the migration's DB default: on SQLite TypeORM inserts NULL, not DEFAULT, for a missing value. */
type O = { nullable?: boolean; primary?: boolean; default?: string | number | boolean };
const n = (o: O) => ({
  nullable: o.nullable ?? false,
  ...(o.primary ? { primary: true } : {}),
  ...(o.default !== undefined ? { default: o.default } : {}),
});

export const c = {
  uuid: (o: O = {}): Def => ({ type: 'varchar', length: LIMITS.id, ...n(o) }),
  str: (length: number, o: O = {}): Def => ({ type: 'varchar', length, ...n(o) }),
  text: (o: O = {}): Def => ({ type: 'text', ...n(o) }),
  int: (o: O = {}): Def => ({ type: 'integer', ...n(o) }),
  bigint: (o: O = {}): Def => ({ type: 'bigint', transformer: bigintAsNumber, ...n(o) }),
  bool: (o: O = {}): Def => ({ type: 'boolean', ...n(o) }),
  /** ISO-8601 UTC instant text. */
  instant: (o: O = {}): Def => ({ type: 'varchar', length: LIMITS.instant, ...n(o) }),
  /** Calendar date `yyyy-mm-dd`. */
  date: (o: O = {}): Def => ({ type: 'varchar', length: 10, ...n(o) }),
  /** JSON object stored as text, parsed on read. */
  json: (o: O = {}): Def => ({ type: 'text', transformer: jsonText, ...n(o) }),
};
