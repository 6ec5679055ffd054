/**
 * The fuzz tier's engine: every route of an express app enumerated at run time (so a new route is fuzzed
 * without touching the tests), malformed requests generated from a seeded PRNG (the same seed gives the
 * same run), sent in parallel over keep-alive to a loopback service, and every answer checked against the
 * edge contract: never 5xx, every 4xx `application/problem+json` with its status and a stable code.
 */
import type { Express } from 'express';
import { seededRandom } from '@tpv/shared/prng';

export interface RouteSpec {
  method: string;
  /** Express path pattern, e.g. `/api/products/:id`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `/api` route of an app (routers mounted at the root, as createHttpService does). */
export function listRoutes(app: Express): RouteSpec[] {
  const out: RouteSpec[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          if (!path.startsWith('/api')) continue;
          for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

export type Rand = () => number;
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Numbers a schema must refuse or bound: negative, fractional, huge, beyond 2^53, exponent forms. */
export const HOSTILE_NUMBERS: readonly number[] = [-1, -0.5, 0.5, 1.5, 2 ** 31, 2 ** 31 - 1 + 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -1e308, Number.MIN_VALUE, 99999999999, -2147483649];

/** Long and odd unicode strings: emoji, combining marks, right-to-left, NUL, lone surrogates, 10 k chars. */
export function hostileString(rand: Rand): string {
  const n = pick(rand, [0, 1, 37, 65, 255, 257, 4097, 10_000]);
  const alphabet = pick(rand, ['a', 'ñ', '€', '😀', '\u0000', '\u202e', 'e\u0301', '\ud800', '%', "'", '"', '\\', '<', '9', ' ', '𝕏', '\n']);
  return pick(rand, [
    alphabet.repeat(n),
    '',
    ' ',
    '../../etc/passwd',
    "'; DROP TABLE product; --",
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    '1.5',
    '-1',
    '2147483648',
    'null',
    'true',
    '2026-02-30',
    '9'.repeat(40),
    'x'.repeat(37),
    'x'.repeat(64),
  ]);
}

/** A value of any JSON type, hostile where it can be. */
export function hostileValue(rand: Rand, ids: readonly string[] = [], depth = 0): unknown {
  const k = Math.floor(rand() * (depth > 2 ? 6 : 9));
  switch (k) {
    case 0:
      return pick(rand, HOSTILE_NUMBERS);
    case 1:
      return hostileString(rand);
    case 2:
      return pick(rand, [true, false, null]);
    case 3:
      return ids.length > 0 ? pick(rand, ids) : hostileString(rand);
    case 4:
      return Math.floor(rand() * 2000) - 1000;
    case 5:
      return pick(rand, [{}, [], '', 0]);
    case 6:
      return Array.from({ length: pick(rand, [1, 2, 25, 1001]) }, () => hostileValue(rand, ids, depth + 3));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = pick(rand, [1, 3, 8]); i < n; i++) o[pick(rand, ['id', 'x', '__proto__', 'constructor', 'amountCents', hostileString(rand).slice(0, 20)])] = hostileValue(rand, ids, depth + 1);
      return o;
    }
  }
}

/** Nested arrays/objects `depth` deep (built without recursion). */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/**
 * One mutation of a valid example: a field removed, an unknown field added, a field's value replaced by a
 * hostile one (wrong type, bad number, long string, foreign id), or an array item duplicated.
 */
export function mutate(rand: Rand, seed: unknown, ids: readonly string[] = []): unknown {
  const copy = structuredClone(seed);
  const holders: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const stack: unknown[] = [copy];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((x, i) => (holders.push({ parent: v, key: i }), stack.push(x)));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        holders.push({ parent: v as Record<string, unknown>, key: k });
        stack.push(x);
      }
    }
  }
  const times = 1 + Math.floor(rand() * 2);
  let root: unknown = copy;
  for (let t = 0; t < times; t++) {
    if (holders.length === 0 || rand() < 0.05) {
      root = hostileValue(rand, ids);
      continue;
    }
    const h = pick(rand, holders);
    const r = rand();
    if (r < 0.15) {
      if (Array.isArray(h.parent)) h.parent.splice(Number(h.key), 1);
      else delete h.parent[h.key as string];
    } else if (r < 0.25 && !Array.isArray(h.parent)) {
      h.parent[pick(rand, ['extra', '__proto__', 'id', 'companyId', 'admin'])] = hostileValue(rand, ids);
    } else if (r < 0.3 && Array.isArray(h.parent)) {
      h.parent.push(h.parent[Number(h.key)]);
    } else {
      (h.parent as Record<string | number, unknown>)[h.key] = hostileValue(rand, ids);
    }
  }
  return root;
}

const BAD_JSON = ['{', '{"a":', '[1,2,', 'nul', '{"a":1,}', "{'a':1}", '\u0000', '{"a":1}{"b":2}', '"\\ud800"', '{"a":NaN}', '{"a":01}', '\ufeff{}', ' '];
const WRONG_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=utf-7', 'application/json; charset=latin9', 'text/json'];

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** `METHOD /pattern` of the route it aims at. */
  route: string;
  /** What was done, for the failure report. */
  label: string;
  /** Lock/logout: sent after the rest of its round so it does not log the other requests out. */
  last?: boolean;
}

export interface FuzzTarget {
  routes: RouteSpec[];
  /** Valid bearer tokens (requests reach the handlers); a few requests go with none or a forged one. */
  tokens: readonly string[];
  /** Ids to put in paths, queries and bodies: own ones, other companies' ones, unknown ones. */
  ids: readonly string[];
  /** Valid example bodies, by `METHOD /path/:pattern`; mutated so most requests reach the use case. */
  seeds?: Readonly<Record<string, unknown>>;
  /** Query keys worth trying on GET routes. */
  queryKeys?: readonly string[];
  /** Share of the requests for a route relative to the others (default 1): argon2 routes cost ~100 ms each. */
  weights?: Readonly<Record<string, number>>;
  /** The service's JSON body limit in bytes (one body above it per route family). */
  bodyLimitBytes: number;
}

const idLike = (rand: Rand, ids: readonly string[]): string =>
  rand() < 0.5 && ids.length > 0
    ? pick(rand, ids)
    : pick(rand, ['00000000-0000-7000-8000-000000000000', 'x'.repeat(37), 'a'.repeat(64), 'a'.repeat(65), '1.5', '-1', 'null', '..', '%00', ' ', '😀', 'ñ'.repeat(40), "'", '9'.repeat(30)]);

/** encodeURIComponent, except that a lone surrogate becomes an invalid UTF-8 escape instead of a throw. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

function fillPath(rand: Rand, pattern: string, ids: readonly string[]): string {
  return pattern.replace(/:(\w+)/g, () => enc(idLike(rand, ids)));
}

function query(rand: Rand, keys: readonly string[], ids: readonly string[]): string {
  if (rand() < 0.3) return '';
  const parts: string[] = [];
  for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
    const key = pick(rand, keys);
    const value = pick(rand, ['1.5', '-1', '0', '1e309', '2147483648', '9007199254740993', 'abc', '', '%', 'null', '[]', idLike(rand, ids), hostileString(rand).slice(0, 300)]);
    parts.push(`${enc(key)}${rand() < 0.1 ? '[]' : ''}=${enc(value)}`);
    if (rand() < 0.1) parts.push(`${enc(key)}=${enc(value)}`); // repeated key: an array
  }
  return '?' + parts.join('&');
}

/** `count` malformed requests spread over every route, deterministic for a given seed. */
export function generateRequests(seed: number, target: FuzzTarget, count: number): FuzzRequest[] {
  const rand = seededRandom(seed);
  const out: FuzzRequest[] = [];
  const keys = target.queryKeys ?? ['limit', 'q', 'storeId', 'from', 'to', 'offset', 'id'];
  // Each route gets its share, in round-robin order (a lighter route drops out of the rotation sooner).
  const slots: RouteSpec[] = [];
  const share = count / target.routes.reduce((n, r) => n + (target.weights?.[`${r.method} ${r.path}`] ?? 1), 0);
  const left = target.routes.map((r) => Math.max(1, Math.round(share * (target.weights?.[`${r.method} ${r.path}`] ?? 1))));
  for (let any = true; any; ) {
    any = false;
    target.routes.forEach((r, i) => {
      if (left[i]! <= 0) return;
      left[i]!--;
      slots.push(r);
      any = true;
    });
  }
  // Rounding: top up (or trim) to exactly `count`, from the full-weight routes.
  const full = target.routes.filter((r) => (target.weights?.[`${r.method} ${r.path}`] ?? 1) >= 1);
  for (let k = 0; slots.length < count && full.length > 0; k++) slots.push(full[k % full.length]!);
  slots.length = Math.min(slots.length, Math.max(count, target.routes.length));
  for (let i = 0; i < slots.length; i++) {
    const route = slots[i]!;
    const seedBody = target.seeds?.[`${route.method} ${route.path}`];
    const headers: Record<string, string> = {};
    const t = rand();
    headers.authorization = t < 0.85 && target.tokens.length > 0 ? `Bearer ${pick(rand, target.tokens)}` : t < 0.92 ? pick(rand, ['Bearer ', 'Bearer x', 'Basic YTpi', `Bearer ${'A'.repeat(600)}`, 'bearer  two words']) : '';
    if (!headers.authorization) delete headers.authorization;
    const path = fillPath(rand, route.path, target.ids) + (route.method === 'GET' || rand() < 0.1 ? query(rand, keys, target.ids) : '');
    const last = /\/auth\/(lock|logout)$/.test(route.path) || undefined;
    const withBody = route.method !== 'GET'; // fetch sends no body with GET
    if (!withBody) {
      out.push({ method: route.method, path, headers, route: `${route.method} ${route.path}`, label: 'no body', ...(last ? { last } : {}) });
      continue;
    }
    const b = rand();
    let body: string;
    let label: string;
    headers['content-type'] = 'application/json';
    if (seedBody !== undefined && b < 0.55) {
      body = JSON.stringify(mutate(rand, seedBody, target.ids));
      label = 'mutated example';
    } else if (b < 0.7) {
      body = JSON.stringify(hostileValue(rand, target.ids));
      label = 'hostile value';
    } else if (b < 0.8) {
      body = pick(rand, BAD_JSON);
      label = 'bad JSON';
    } else if (b < 0.9) {
      headers['content-type'] = pick(rand, WRONG_TYPES);
      body = seedBody !== undefined ? JSON.stringify(seedBody) : 'a=1';
      label = `content-type ${headers['content-type']}`;
    } else if (b < 0.93) {
      body = deepJson(pick(rand, [64, 1000, 20_000, 50_000]), rand() < 0.5 ? 'array' : 'object');
      label = 'deep JSON';
    } else if (b < 0.96) {
      body = '';
      label = 'empty body';
    } else if (b < 0.98) {
      headers['content-encoding'] = pick(rand, ['gzip', 'x-unknown', 'br']);
      body = JSON.stringify(seedBody ?? {});
      label = `content-encoding ${headers['content-encoding']}`;
    } else {
      body = JSON.stringify({ pad: 'x'.repeat(Math.min(64 * 1024, target.bodyLimitBytes)) , ...(seedBody && typeof seedBody === 'object' ? seedBody : {}) });
      label = 'padded body';
    }
    out.push({ method: route.method, path, headers, body, route: `${route.method} ${route.path}`, label, ...(last ? { last } : {}) });
  }
  return out;
}

/** One body just over the limit per distinct method (oversized uploads must be a 413 problem). */
export function oversizedRequests(target: FuzzTarget): FuzzRequest[] {
  const big = new Uint8Array(target.bodyLimitBytes + 1024).fill(0x61);
  big.set(Buffer.from('{"a":"'), 0);
  big.set(Buffer.from('"}'), big.length - 2);
  const seen = new Set<string>();
  const out: FuzzRequest[] = [];
  for (const r of target.routes) {
    if (r.method === 'GET' || seen.has(r.method)) continue;
    seen.add(r.method);
    out.push({ method: r.method, path: fillPath(() => 0.99, r.path, []), headers: { 'content-type': 'application/json', ...(target.tokens[0] ? { authorization: `Bearer ${target.tokens[0]}` } : {}) }, body: big, route: `${r.method} ${r.path}`, label: 'oversized body' });
  }
  return out;
}

export interface FuzzAnswer {
  req: FuzzRequest;
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

/** Sends requests `concurrency` at a time (fetch keeps connections alive), lock/logout last. */
export async function sendAll(baseUrl: string, requests: readonly FuzzRequest[], concurrency = 16): Promise<FuzzAnswer[]> {
  // Lock/logout go last, so that a valid token is not ended halfway through the run.
  return [
    ...(await sendBatch(baseUrl, requests.filter((r) => !r.last), concurrency)),
    ...(await sendBatch(baseUrl, requests.filter((r) => r.last), concurrency)),
  ];
}

async function sendBatch(baseUrl: string, requests: readonly FuzzRequest[], concurrency: number): Promise<FuzzAnswer[]> {
  const answers: FuzzAnswer[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const req = requests[i]!;
      const t0 = performance.now();
      try {
        const res = await fetch(baseUrl + req.path, { method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
        answers[i] = { req, status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text(), ms: performance.now() - t0 };
      } catch (e) {
        answers[i] = { req, status: 0, contentType: '', body: String((e as { cause?: unknown }).cause ?? e), ms: performance.now() - t0 };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

/** What breaks the edge contract in an answer, or null. */
export function contractBreach(a: FuzzAnswer): string | null {
  if (a.status === 0) return `no answer: ${a.body}`;
  if (a.status >= 500) return `answered ${a.status}: ${a.body.slice(0, 200)}`;
  if (a.status < 400) return null;
  if (!a.contentType.startsWith('application/problem+json')) return `${a.status} as ${a.contentType || 'no content type'}`;
  try {
    const p = JSON.parse(a.body) as { status?: unknown; code?: unknown; type?: unknown; title?: unknown };
    if (p.status !== a.status || typeof p.code !== 'string' || typeof p.type !== 'string' || typeof p.title !== 'string') return `${a.status} problem without status/code/type/title: ${a.body.slice(0, 200)}`;
    if (a.status === 415 && p.code !== 'UNSUPPORTED_MEDIA_TYPE') return `415 with code ${String(p.code)}`;
  } catch {
    return `${a.status} problem body is not JSON`;
  }
  return null;
}

/** Breaches grouped by `METHOD pattern → breach`, with one example request each, for a readable failure. */
export function summarise(answers: readonly FuzzAnswer[]): Array<{ what: string; count: number; example: string }> {
  const groups = new Map<string, { count: number; example: string }>();
  for (const a of answers) {
    const breach = contractBreach(a);
    if (!breach) continue;
    const key = `${a.req.route} → ${breach.replace(/[0-9a-f-]{36}/g, '…').slice(0, 120)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { count: 1, example: `${a.req.method} ${a.req.path.slice(0, 200)} [${a.req.label}] ${typeof a.req.body === 'string' ? a.req.body.slice(0, 300) : ''}` });
  }
  return [...groups].map(([what, g]) => ({ what, ...g }));
}
