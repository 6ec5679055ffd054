/**
 * Pairing: trade a one-time code (HQ made it with `POST /api/terminals/:id/pairing-code`) for this
 * terminal's token and identity, then keep both in `terminal_config` (one transaction). `pairAndRetry` is
 * the sync client's side: a refusal is final, an unreachable back office is asked again with backoff.
 */
import type { SqliteHandle } from '../persistence/data-source';
import { writeIdentity, type TerminalIdentity } from '../identity';
import { PairingResponseSchema, type PairingResponse } from '@tpv/shared/wire/sync-protocol';
import type { Connection } from './connection';
import type { SyncContext } from './context';
import { readCredentials, writeCredentials } from './state';

export class PairingError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

export interface PairOptions {
  backofficeUrl: string;
  code: string;
  appVersion: string;
  /** Highest seq this till has written (0 for a new database): HQ must not hold more of the terminal id. */
  lastSeq?: number;
  fetch?: typeof fetch;
  nowIso: () => string;
  timeoutMs?: number;
}

/** Calls `POST {backoffice}/api/pairing` and stores the token and identity. */
export async function pairTerminal(db: SqliteHandle, opts: PairOptions): Promise<PairingResponse> {
  const doFetch = opts.fetch ?? fetch;
  const url = new URL('/api/pairing', opts.backofficeUrl).toString();
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code: opts.code.trim(), appVersion: opts.appVersion, ...(opts.lastSeq !== undefined ? { lastSeq: opts.lastSeq } : {}) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
  } catch (e) {
    throw new PairingError(`back office not reachable at ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { title?: string; detail?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not JSON: keep the text
    }
    throw new PairingError(`pairing refused (${res.status}): ${detail}`, res.status);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PairingError('pairing answer is not JSON', res.status);
  }
  const parsed = PairingResponseSchema.safeParse(body);
  if (!parsed.success) throw new PairingError(`pairing answer malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const r = parsed.data;
  if (r.identity.terminalId !== r.terminalId) throw new PairingError('pairing answer: identity.terminalId differs from terminalId');
  // HQ holds more of this terminal id than this till ever wrote: its seqs, numbers and chain are another
  // installation's. Taking the token would reuse them; keep nothing (HQ checks it too, this is the till's word).
  if (opts.lastSeq !== undefined && (r.ackedSeq ?? 0) > opts.lastSeq) {
    throw new PairingError(
      `pairing refused: the back office already holds ${r.ackedSeq} tickets of terminal ${r.identity.terminalCode} and this till wrote ${opts.lastSeq}; use "replace this till" at the back office`,
      409,
    );
  }
  db.transaction(() => {
    writeIdentity(db, r.identity as TerminalIdentity);
    writeCredentials(db, { terminalId: r.terminalId, token: r.token, pairedAt: opts.nowIso(), revokedAt: null });
  })();
  return r;
}

/** Trades the code; a refusal (4xx) is final, an unreachable back office is retried with backoff, then connects. */
export async function pairAndRetry(ctx: SyncContext, link: Connection, code: string): Promise<void> {
  ctx.setState('pairing');
  try {
    const r = await pairTerminal(ctx.o.db, {
      backofficeUrl: ctx.o.backofficeUrl, code, appVersion: ctx.o.appVersion, lastSeq: ctx.outbox.stats().lastSeq,
      nowIso: () => ctx.nowIso(), ...(ctx.o.fetch ? { fetch: ctx.o.fetch } : {}),
    });
    ctx.creds = readCredentials(ctx.o.db);
    link.resetBackoff();
    ctx.log(`paired as terminal ${r.identity.terminalCode} of store ${r.identity.storeCode} (${r.terminalId})`);
    ctx.setState('offline');
  } catch (e) {
    ctx.fail(`pairing failed: ${(e as Error).message}`);
    const status = (e as PairingError).status;
    // A refusal is final, except 429 (HQ throttles pairing attempts from this address): retry with backoff.
    if (ctx.stopped || (status !== undefined && status < 500 && status !== 429)) {
      ctx.setState(ctx.creds ? 'offline' : 'unpaired');
      return;
    }
    link.retryLater(() => {
      void pairAndRetry(ctx, link, code).then(() => {
        if (ctx.state !== 'pairing' && !ctx.stopped && ctx.creds && !ctx.creds.revokedAt) link.connect();
      });
    });
  }
}
