import path from 'node:path';
import { compileTrustProxy } from '@tpv/runtime/client-address';
import { limitsFromEnv, type ThrottleLimits } from './throttle/limits';

/** Back-office process configuration, from the environment (README "Configuration"). */
export interface BackofficeConfig {
  port: number;
  host: string;
  /** `postgres://…` selects PostgreSQL; otherwise a SQLite file in `dataDir`. */
  databaseUrl: string | undefined;
  databaseFile: string;
  dataDir: string;
  /** `redis://…`: socket.io Redis adapter, for several back-office nodes. */
  redisUrl: string | undefined;
  /** Login, pairing and handshake limits (`TPV_LIMIT_*`, README "Configuration"). */
  limits: ThrottleLimits;
  /** Largest socket frame before a terminal has authenticated (`TPV_PREAUTH_FRAME_BYTES`). */
  preAuthFrameBytes: number | undefined;
  /** Proxies whose X-Forwarded-For names the client (`TPV_TRUST_PROXY`; checked here so a typo stops the start). */
  trustProxy: string | undefined;
  /** Modules switched off in this deployment (`TPV_MODULES_OFF=stock,reports`; checked at start). */
  modulesOff: string[];
  /** `TPV_REQUIRE_TOTP_HQ=1`: HQ roles must enrol TOTP two-factor sign-in. */
  requireTotpHq: boolean;
}

export function backofficeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BackofficeConfig {
  const dataDir = path.resolve(env.TPV_DATA_DIR ?? 'data');
  return {
    port: Number(env.TPV_BACKOFFICE_PORT ?? env.PORT ?? 3000),
    host: env.TPV_HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseFile: path.resolve(env.TPV_BACKOFFICE_DB ?? path.join(dataDir, 'backoffice.sqlite')),
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
    limits: limitsFromEnv(env),
    preAuthFrameBytes: positiveInt(env.TPV_PREAUTH_FRAME_BYTES, 'TPV_PREAUTH_FRAME_BYTES'),
    trustProxy: trustProxySetting(env.TPV_TRUST_PROXY),
    requireTotpHq: env.TPV_REQUIRE_TOTP_HQ === '1' || env.TPV_REQUIRE_TOTP_HQ === 'true',
    modulesOff: (env.TPV_MODULES_OFF ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

function trustProxySetting(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  compileTrustProxy(text); // throws with the reason
  return text;
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}
