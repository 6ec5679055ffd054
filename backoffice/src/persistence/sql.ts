/**
 * Plain SQL for repositories, written once with `?` placeholders: numbered (`$1…`) on PostgreSQL, booleans
 * bound as 0/1 on SQLite. Every module's repository uses these; none of them knows the engine otherwise.
 */
import type { EntityManager } from 'typeorm';
import { engineOfManager } from './raw';

export type Db = EntityManager;

export function bind(m: Db, sql: string, params: readonly unknown[]): [string, unknown[]] {
  const pg = engineOfManager(m) === 'postgres';
  let i = 0;
  const text = pg ? sql.replace(/\?/g, () => `$${++i}`) : sql;
  return [text, params.map((p) => (typeof p === 'boolean' && !pg ? (p ? 1 : 0) : p))];
}

export async function all<T>(m: Db, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const [text, values] = bind(m, sql, params);
  return (await m.query(text, values)) as T[];
}
export async function one<T>(m: Db, sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
  return (await all<T>(m, sql, params))[0];
}
export async function exec(m: Db, sql: string, params: readonly unknown[] = []): Promise<void> {
  const [text, values] = bind(m, sql, params);
  await m.query(text, values);
}
/** `?, ?, …` for an IN list of n values. */
export const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');
export const isPostgres = (m: Db) => engineOfManager(m) === 'postgres';
/** A nullable numeric column as a number (pg returns bigint as string). */
export const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** A boolean column on either engine. */
export const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';
/** `FOR UPDATE` on PostgreSQL; nothing on SQLite, where the write transaction already holds the database. */
export const forUpdate = (m: Db) => (isPostgres(m) ? ' FOR UPDATE' : '');

/** The rows of an `UPDATE … RETURNING` on both engines (TypeORM's pg driver answers `[rows, count]` for an UPDATE). */
export async function updated<T>(m: Db, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const [text, values] = bind(m, sql, params);
  const res: unknown = await m.query(text, values);
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return (Array.isArray(res) ? res : []) as T[];
}
