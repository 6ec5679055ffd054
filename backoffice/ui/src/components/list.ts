/**
 * The list contract every back-office list route follows, and its state in the URL: `page, pageSize, sort,
 * dir (asc|desc), q` plus the module's own filters as search params, so a copied link reproduces the view.
 * Response: `{ items, page, pageSize, total, hasMore }` (page counts from 1).
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface ListQuery {
  page: number;
  pageSize: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  q?: string;
  /** The module's filters (storeId, status, from, …): present only when set. */
  filters: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface ListDefaults {
  pageSize?: number;
  sort?: string;
  dir?: 'asc' | 'desc';
  /** Filter values applied when the URL does not say (e.g. status=open); '' in the URL means "all". */
  filters?: Record<string, string>;
}

const RESERVED = new Set(['page', 'pageSize', 'sort', 'dir', 'q', 'format']);

/**
 * The list's state read from and written to the URL search params. `prefix` keeps two lists on one page
 * apart ('mv.page'). Changing anything but the page goes back to page 1.
 */
export function useListParams(defaults: ListDefaults = {}, prefix = '') {
  const [params, setParams] = useSearchParams();
  const key = (k: string) => prefix + k;
  // Callers pass defaults inline: compare them by value.
  const defaultsKey = JSON.stringify(defaults);
  const query: ListQuery = useMemo(() => {
    const num = (v: string | null, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);
    const filters: Record<string, string> = {};
    for (const [k, v] of Object.entries(defaults.filters ?? {})) if (v) filters[k] = v;
    for (const [k, v] of params) {
      if (!k.startsWith(prefix)) continue;
      const name = k.slice(prefix.length);
      if (RESERVED.has(name) || (prefix === '' && name.includes('.'))) continue;
      if (v) filters[name] = v;
      else delete filters[name];
    }
    const dir = params.get(key('dir'));
    return {
      page: Math.max(1, num(params.get(key('page')), 1)),
      pageSize: Math.min(200, Math.max(1, num(params.get(key('pageSize')), defaults.pageSize ?? 50))),
      sort: params.get(key('sort')) ?? defaults.sort,
      dir: dir === 'asc' || dir === 'desc' ? dir : defaults.dir,
      q: params.get(key('q')) || undefined,
      filters,
    };
  }, [params, prefix, defaultsKey]);

  /** Sets some of page/pageSize/sort/dir/q or filters (null clears back to the default; '' means all). */
  const set = useCallback(
    (patch: Partial<Record<'page' | 'pageSize' | 'sort' | 'dir' | 'q', string | number | null>> & { filters?: Record<string, string | null> }) => {
      setParams(
        () => {
          // The address bar as it is now: the router's `prev` can be a render behind when two changes come
          // quickly (a filter, then another), and the first one would be lost.
          const next = new URLSearchParams(window.location.search);
          const put = (k: string, v: string | number | null | undefined, keepEmpty = false) => {
            if (v === null || v === undefined || (v === '' && !keepEmpty)) next.delete(key(k));
            else next.set(key(k), String(v));
          };
          const { filters, ...rest } = patch;
          for (const [k, v] of Object.entries(rest)) put(k, v);
          // null: back to the default; '': explicitly none ("all"), kept in the URL when there is a default.
          for (const [k, v] of Object.entries(filters ?? {})) put(k, v, v !== null && Boolean(defaults.filters?.[k]));
          if (!('page' in patch)) next.delete(key('page'));
          return next;
        },
        { replace: !('page' in patch) && 'q' in patch },
      );
    },
    [setParams, prefix, defaultsKey],
  );
  return { query, set };
}

/** The query string of a list request (`format` for an export of the same view). */
export function listSearch(query: ListQuery, extra: Record<string, string | number | undefined> = {}): Record<string, string | number | undefined> {
  return { page: query.page, pageSize: query.pageSize, sort: query.sort, dir: query.sort ? query.dir : undefined, q: query.q, ...query.filters, ...extra };
}

/**
 * A page cut from a whole array on the client, for the few older routes that still answer a plain array:
 * search over `text(row)`, sort by `value(row, column)`, then slice. New routes page on the server.
 */
export function pageOf<T>(rows: readonly T[], query: ListQuery, opts: { text?: (row: T) => string; value?: (row: T, column: string) => unknown } = {}): Page<T> {
  let out = [...rows];
  const q = query.q?.trim().toLowerCase();
  if (q && opts.text) out = out.filter((r) => opts.text!(r).toLowerCase().includes(q));
  if (query.sort) {
    const value = opts.value ?? ((r: T, c: string) => (r as Record<string, unknown>)[c]);
    const sign = query.dir === 'desc' ? -1 : 1;
    out.sort((a, b) => {
      const x = value(a, query.sort!);
      const y = value(b, query.sort!);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign;
    });
  }
  const start = (query.page - 1) * query.pageSize;
  return { items: out.slice(start, start + query.pageSize), page: query.page, pageSize: query.pageSize, total: out.length, hasMore: start + query.pageSize < out.length };
}

/** A page as the table got it: `exportable` when the route answered the list contract (so it exports too). */
export type FetchedPage<T> = Page<T> & { exportable: boolean };

/**
 * How to read a route that does not follow the list contract yet (the older report/stock/review routes while
 * they are converted): `query` = its own query string (limit/offset…), tried when the contract's is refused
 * with 400; `text` = what a client-side search looks in when the route answers a whole array.
 */
export interface LegacyList<T> {
  query?: (q: ListQuery) => Record<string, string | number | undefined>;
  text?: (row: T) => string;
}

/**
 * Any answer → a page: the contract's `{items, page, pageSize, total, hasMore}` as is; `{items, total}`
 * (limit/offset) with the page computed; a plain array paged, sorted and searched here.
 */
export function toPage<T>(body: unknown, q: ListQuery, legacy: LegacyList<T> = {}): FetchedPage<T> {
  if (Array.isArray(body)) return { ...pageOf(body as T[], legacy.text ? q : { ...q, q: undefined }, { text: legacy.text }), exportable: false };
  const b = body as Partial<Page<T>> & { items: T[]; total: number };
  if (typeof b.page === 'number' && typeof b.pageSize === 'number') return { ...(b as Page<T>), hasMore: b.hasMore ?? b.page * b.pageSize < b.total, exportable: true };
  return { items: b.items, page: q.page, pageSize: q.pageSize, total: b.total, hasMore: q.page * q.pageSize < b.total, exportable: false };
}
