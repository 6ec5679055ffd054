/**
 * PostgreSQL type parsing for the back office.
 *
 * node-postgres returns `int8` (bigint, COUNT(*)) and `numeric` (SUM of a bigint) as strings, because they
 * can exceed 2^53. Our money is integer cents and our quantities are integer units/grams, all far below
 * 2^53, so we parse them to JS numbers — and throw rather than silently lose precision if one ever is not a
 * safe integer. The parsers are installed per pool (pg `types` client option), not on the global `pg.types`,
 * so nothing else in the process is affected.
 */
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';

export const PG_INT8_OID = 20;
export const PG_NUMERIC_OID = 1700;

/** Parses an integer that must fit a JS safe integer (bigint columns, COUNT, SUM). */
export function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} is outside the JS safe-integer range (±2^53)`);
  }
  return value;
}

/** Parses a numeric (SUM(bigint) yields numeric on PostgreSQL): exact if integral, refuses unsafe magnitudes. */
export function parseNumeric(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`numeric ${text} is outside the JS safe-integer range (±2^53)`);
  }
  return value;
}

/** Pass as `types` in the pg pool/client config (TypeORM: `extra: { types: backofficePgTypes }`). */
export const backofficePgTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      if (oid === PG_INT8_OID) return parseSafeInteger;
      if (oid === PG_NUMERIC_OID) return parseNumeric;
    }
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};
