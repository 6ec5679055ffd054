/**
 * Throttling of everything an outsider can try without credentials (issue #9): back-office login (per
 * account and per address), pairing codes (per address and per terminal) and socket handshakes (per
 * address). Counts live in Redis when REDIS_URL is set, so every back-office node sees the same counts;
 * in memory otherwise. Every limit is "N failures within S seconds, then blocked for S seconds".
 */
import { isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { limitedAttempt, type AttemptLimiter, type AttemptSlot } from '@tpv/runtime/attempts';
import { HttpProblem, problem } from '@tpv/shared/problem';

export interface Limit {
  /** Failures (attempts not given back by a success) allowed inside the window. */
  points: number;
  /** Window, and how long a key stays blocked once it has used them all, in seconds. */
  seconds: number;
}

export interface ThrottleLimits {
  loginPerAccount: Limit;
  loginPerAddress: Limit;
  pairingPerAddress: Limit;
  pairingPerTerminal: Limit;
  handshakePerAddress: Limit;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  loginPerAccount: { points: 10, seconds: 900 },
  loginPerAddress: { points: 50, seconds: 900 },
  pairingPerAddress: { points: 10, seconds: 900 },
  pairingPerTerminal: { points: 5, seconds: 900 },
  handshakePerAddress: { points: 30, seconds: 60 },
};

/** README "Configuration": `N/S` = N failures within S seconds, then S seconds blocked. */
export const LIMIT_ENV: Record<keyof ThrottleLimits, string> = {
  loginPerAccount: 'TPV_LIMIT_LOGIN_ACCOUNT',
  loginPerAddress: 'TPV_LIMIT_LOGIN_ADDRESS',
  pairingPerAddress: 'TPV_LIMIT_PAIRING_ADDRESS',
  pairingPerTerminal: 'TPV_LIMIT_PAIRING_TERMINAL',
  handshakePerAddress: 'TPV_LIMIT_HANDSHAKE_ADDRESS',
};

export function parseLimit(text: string | undefined, fallback: Limit, name = 'limit'): Limit {
  if (text === undefined || text.trim() === '') return fallback;
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`${name} must be N/S (failures / seconds, both ≥ 1), got "${text}"`);
  return { points: Number(m[1]), seconds: Number(m[2]) };
}

export function limitsFromEnv(env: NodeJS.ProcessEnv): ThrottleLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(LIMIT_ENV) as Array<keyof ThrottleLimits>) out[k] = parseLimit(env[LIMIT_ENV[k]], DEFAULT_LIMITS[k], LIMIT_ENV[k]);
  return out;
}

export type Throttle = Record<keyof ThrottleLimits, AttemptLimiter>;

export interface ThrottleStore {
  /** A connected node-redis client: counts shared by every back-office node. */
  redis?: unknown;
  /** Key prefix in Redis (default `tpv:limit`); tests use one per run. */
  prefix?: string;
}

/** One limiter per kind of attempt; on Redis trouble each falls back to an in-memory twin (never fails open wide). */
export function createThrottle(limits: ThrottleLimits = DEFAULT_LIMITS, store: ThrottleStore = {}): Throttle {
  const prefix = store.prefix ?? 'tpv:limit';
  const make = (name: keyof ThrottleLimits): AttemptLimiter => {
    const l = limits[name];
    const opts = { keyPrefix: `${prefix}:${name}`, points: l.points, duration: l.seconds, blockDuration: l.seconds };
    if (!store.redis) return new RateLimiterMemory(opts);
    return new RateLimiterRedis({ ...opts, storeClient: store.redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(opts) });
  };
  return {
    loginPerAccount: make('loginPerAccount'),
    loginPerAddress: make('loginPerAddress'),
    pairingPerAddress: make('pairingPerAddress'),
    pairingPerTerminal: make('pairingPerTerminal'),
    handshakePerAddress: make('handshakePerAddress'),
  };
}

/** A throttle whose counts live in Redis (REDIS_URL): every back-office node sees the same failures. */
export async function createRedisThrottle(url: string, limits: ThrottleLimits, prefix?: string): Promise<{ throttle: Throttle; close: () => Promise<void> }> {
  // node-redis is imported only when REDIS_URL asks for it (it costs a noticeable part of start-up otherwise).
  const { createClient } = await import('redis');
  const client = createClient({ url });
  client.on('error', () => undefined); // reconnects by itself; meanwhile the in-memory insurance limiters count
  await client.connect();
  return { throttle: createThrottle(limits, { redis: client, ...(prefix ? { prefix } : {}) }), close: async () => void (await client.quit().catch(() => undefined)) };
}

/** The 429 problem of a throttled caller (the runtime adds `Retry-After`). */
export function tooManyAttempts(retryAfterSeconds: number, what: string): HttpProblem {
  return new HttpProblem(
    problem(429, 'TOO_MANY_ATTEMPTS', 'Too many attempts', { detail: `too many failed ${what}; try again in ${retryAfterSeconds} s`, retryAfterSeconds }),
  );
}

/** Runs a counted attempt (see runtime/attempts.ts) and answers 429 when a key has no attempts left. */
export async function throttled<T>(slots: AttemptSlot[], what: string, evaluate: () => Promise<T>, succeeded: (outcome: T) => boolean): Promise<T> {
  const r = await limitedAttempt(slots, evaluate, succeeded);
  if (r.limited) throw tooManyAttempts(r.retryAfterSeconds, what);
  return r.outcome;
}

/**
 * The key an address is counted under: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 — one host
 * usually holds a whole /64, so counting single IPv6 addresses would count nothing.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (v4) return v4[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
