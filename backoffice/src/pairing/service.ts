/**
 * Pairing a terminal with the back office: an HQ user (or a manager of the store's company) asks for a
 * one-time code (./code.ts: 60 bits, 15 min, stored as an HMAC under the server's key); the till sends it once
 * and receives its token (32 random bytes, base64url, stored as SHA-256 in terminal.token_hash) and its
 * identity. Revoking clears the token. A code is checked by a plain read (selector → row, constant-time
 * HMAC compare); only a right code takes the write lock that ingest also uses.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { TerminalIdentity } from '@tpv/shared/wire/sync-protocol';
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import { latestChangeVersion } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { canAccessStore, type AuthUser } from '../auth/service';
import { sameHash, sha256Hex } from '../auth/tokens';
import { deviceTokenKey, issueDeviceToken } from '../auth/device-token';
import { serverSecret } from '../persistence/server-secret';
import { newPairingCode, pairingCodeHash, type PairingCode } from './code';
import { recordAudit } from '../platform/audit';
import { claimPairing, companyOfStore, dropPairingCode, findTerminal, findTerminalBySelector, revokeToken, selectorInUse, storePairingCode, terminalIdentity } from './repository';

export { terminalIdentity } from './repository';

export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

/** The HMAC key of pairing codes, made at first start (main.ts asks for it before listening). */
export const pairingKey = (ds: DataSource) => serverSecret(ds, 'pairing-code-hmac');

export interface PairingResult {
  terminalId: string;
  token: string;
  identity: TerminalIdentity;
  catalogVersion: number;
  /** Highest seq HQ holds of this terminal: the till's own history must reach it. */
  ackedSeq: number;
}

export type PairingErrorCode =
  | 'TERMINAL_NOT_FOUND'
  | 'FORBIDDEN'
  | 'PAIRING_CODE_INVALID'
  | 'PAIRING_CODE_EXPIRED'
  | 'TERMINAL_HISTORY_CONFLICT'
  | 'TERMINAL_REPLACED'
  | 'TERMINAL_RETIRED';
export type PairingError = DomainError<PairingErrorCode>;

export async function createPairingCode(
  ds: DataSource,
  clock: Clock,
  user: AuthUser,
  terminalId: string,
  /** The HTTP request's id, stored with the audit entry. */
  requestId?: string,
): Promise<Result<{ code: string; expiresAt: string }, PairingError>> {
  const terminal = await findTerminal(ds, terminalId);
  if (!terminal) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, terminal.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  // A retired till is gone for good (organisation/terminals.ts): no code would bring it back.
  if (terminal.retiredAt) return err(domainError('TERMINAL_RETIRED', `terminal ${terminal.code} was retired`));
  const expiresAt = new Date(clock.now() + PAIRING_CODE_TTL_MS).toISOString();
  const key = await pairingKey(ds);
  return writeTransaction(ds, async (m) => {
    // Two live codes never share a selector (unique index): draw again on the (1 in 2^20 per live code) clash.
    for (;;) {
      const code = newPairingCode();
      if (await selectorInUse(m, code.selector)) continue;
      await storePairingCode(m, terminalId, { hash: pairingCodeHash(key, code), selector: code.selector, expiresAt });
      // The code itself is a secret: the audit says that one was issued and until when.
      await recordAudit(m, clock, {
        actor: user, action: 'terminal.pairing_code', entity: 'terminal', entityId: terminalId, storeId: terminal.storeId,
        companyId: await companyOfStore(m, terminal.storeId), after: { pairingExpiresAt: expiresAt }, requestId: requestId ?? null,
      });
      return ok({ code: code.display, expiresAt });
    }
  });
}

const invalid = () => err(domainError('PAIRING_CODE_INVALID', 'unknown or already used pairing code'));

export async function pairTerminal(
  ds: DataSource,
  clock: Clock,
  code: PairingCode,
  appVersion: string,
  /** Highest seq the till has written (absent from older tills: not checked). */
  lastSeq?: number,
  requestId?: string,
): Promise<Result<PairingResult, PairingError>> {
  const hash = pairingCodeHash(await pairingKey(ds), code);
  const now = new Date(clock.now()).toISOString();
  // A guess costs one indexed read, outside the write lock.
  const t = await findTerminalBySelector(ds, code.selector);
  if (!t || !t.pairingCodeHash || !sameHash(t.pairingCodeHash, hash)) return invalid();
  if (!t.pairingExpiresAt || t.pairingExpiresAt <= now) {
    await writeTransaction(ds, (m) => dropPairingCode(m, t.id, hash));
    return err(domainError('PAIRING_CODE_EXPIRED', 'the pairing code has expired; ask for a new one'));
  }
  // A till without this terminal's history (new disk, reinstall) would reuse its seqs, numbers and chain:
  // refused (the code stays usable by the right till); new hardware is a replacement (replace.ts).
  if (lastSeq !== undefined && t.lastAckedSeq > lastSeq) {
    return err(
      domainError(
        'TERMINAL_HISTORY_CONFLICT',
        `the back office already holds ${t.lastAckedSeq} tickets of terminal ${t.code}; this till wrote ${lastSeq}. New hardware or a wiped till: use "replace this till"`,
      ),
    );
  }
  // Generations grow with the clock (minutes) as well: a pairing made after a restore lost a later one still
  // outranks every token issued before it.
  const generation = Math.max(t.tokenGeneration + 1, Math.floor(clock.now() / 60_000));
  const token = issueDeviceToken(await deviceTokenKey(ds), t.id, generation);
  const paired = await writeTransaction(ds, async (m) => {
    // Single use even under a race: only the update that still sees the code wins.
    if (!(await claimPairing(m, t.id, hash, { tokenHash: sha256Hex(token), tokenGeneration: generation, appVersion: appVersion.slice(0, 32), at: now }))) return invalid();
    // The till did it (no user): the audit keeps when, which version, and whether it replaced a live token.
    await recordAudit(m, clock, {
      actor: null, action: 'terminal.pair', entity: 'terminal', entityId: t.id, storeId: t.storeId, companyId: await companyOfStore(m, t.storeId),
      before: { paired: t.tokenHash !== null, revokedAt: t.revokedAt, appVersion: t.appVersion }, after: { paired: true, appVersion: appVersion.slice(0, 32), tokenGeneration: generation },
      requestId: requestId ?? null,
    });
    return ok(t.id);
  });
  if (!paired.ok) return paired;
  const identity = await terminalIdentity(ds, paired.value);
  return ok({ terminalId: paired.value, token, identity: identity!, catalogVersion: await latestChangeVersion(ds.manager), ackedSeq: t.lastAckedSeq });
}

export async function revokeTerminal(
  ds: DataSource,
  clock: Clock,
  user: AuthUser,
  terminalId: string,
  requestId?: string,
): Promise<Result<{ revokedAt: string }, PairingError>> {
  const terminal = await findTerminal(ds, terminalId);
  if (!terminal) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, terminal.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  const revokedAt = new Date(clock.now()).toISOString();
  await writeTransaction(ds, async (m) => {
    await revokeToken(m, terminalId, revokedAt);
    await recordAudit(m, clock, {
      actor: user, action: 'terminal.revoke', entity: 'terminal', entityId: terminalId, storeId: terminal.storeId, companyId: await companyOfStore(m, terminal.storeId),
      before: { paired: terminal.tokenHash !== null, revokedAt: terminal.revokedAt }, after: { paired: false, revokedAt }, requestId: requestId ?? null,
    });
  });
  return ok({ revokedAt });
}
