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
import { CompanyEntity, StoreEntity, TerminalEntity } from '../persistence/entities';
import { latestChangeVersion } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { canAccessStore, type AuthUser } from '../auth/service';
import { sameHash, sha256Hex } from '../auth/tokens';
import { deviceTokenKey, issueDeviceToken } from '../auth/device-token';
import { serverSecret } from '../persistence/server-secret';
import { newPairingCode, pairingCodeHash, type PairingCode } from './code';

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
): Promise<Result<{ code: string; expiresAt: string }, PairingError>> {
  const terminal = await ds.getRepository(TerminalEntity).findOneBy({ id: terminalId });
  if (!terminal) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, terminal.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  // A retired till is gone for good (organisation/terminals.ts): no code would bring it back.
  if (terminal.retiredAt) return err(domainError('TERMINAL_RETIRED', `terminal ${terminal.code} was retired`));
  const expiresAt = new Date(clock.now() + PAIRING_CODE_TTL_MS).toISOString();
  const key = await pairingKey(ds);
  return writeTransaction(ds, async (m) => {
    const repo = m.getRepository(TerminalEntity);
    // Two live codes never share a selector (unique index): draw again on the (1 in 2^20 per live code) clash.
    for (;;) {
      const code = newPairingCode();
      if (await repo.existsBy({ pairingSelector: code.selector })) continue;
      await repo.update({ id: terminalId }, { pairingCodeHash: pairingCodeHash(key, code), pairingSelector: code.selector, pairingExpiresAt: expiresAt });
      return ok({ code: code.display, expiresAt });
    }
  });
}

const cleared = { pairingCodeHash: null, pairingSelector: null, pairingExpiresAt: null };
const invalid = () => err(domainError('PAIRING_CODE_INVALID', 'unknown or already used pairing code'));

export async function pairTerminal(
  ds: DataSource,
  clock: Clock,
  code: PairingCode,
  appVersion: string,
  /** Highest seq the till has written (absent from older tills: not checked). */
  lastSeq?: number,
): Promise<Result<PairingResult, PairingError>> {
  const hash = pairingCodeHash(await pairingKey(ds), code);
  const now = new Date(clock.now()).toISOString();
  // A guess costs one indexed read, outside the write lock.
  const t = await ds.getRepository(TerminalEntity).findOneBy({ pairingSelector: code.selector });
  if (!t || !t.pairingCodeHash || !sameHash(t.pairingCodeHash, hash)) return invalid();
  if (!t.pairingExpiresAt || t.pairingExpiresAt <= now) {
    await writeTransaction(ds, (m) => m.getRepository(TerminalEntity).update({ id: t.id, pairingCodeHash: hash }, cleared));
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
    const r = await m
      .getRepository(TerminalEntity)
      .createQueryBuilder()
      .update()
      .set({ tokenHash: sha256Hex(token), tokenGeneration: generation, ...cleared, revokedAt: null, appVersion: appVersion.slice(0, 32), lastSeenAt: now, syncConflict: null, syncConflictAt: null })
      .where('id = :id AND pairing_code_hash = :hash', { id: t.id, hash })
      .execute();
    return r.affected === 0 ? invalid() : ok(t.id);
  });
  if (!paired.ok) return paired;
  const identity = await terminalIdentity(ds, paired.value);
  return ok({ terminalId: paired.value, token, identity: identity!, catalogVersion: await latestChangeVersion(ds.manager), ackedSeq: t.lastAckedSeq });
}

export async function terminalIdentity(ds: DataSource, terminalId: string): Promise<TerminalIdentity | undefined> {
  const t = await ds.getRepository(TerminalEntity).findOneBy({ id: terminalId });
  if (!t) return undefined;
  const s = await ds.getRepository(StoreEntity).findOneByOrFail({ id: t.storeId });
  const c = await ds.getRepository(CompanyEntity).findOneByOrFail({ id: s.companyId });
  return {
    terminalId: t.id,
    terminalCode: t.code,
    terminalName: t.name,
    storeId: s.id,
    storeCode: s.code,
    storeName: s.name,
    storeAddress: s.address ?? '',
    timezone: s.timezone,
    companyId: c.id,
    companyNif: c.nif,
    companyLegalName: c.legalName,
    companyTradeName: c.tradeName ?? c.legalName,
    installation: t.installation,
  };
}

export async function revokeTerminal(
  ds: DataSource,
  clock: Clock,
  user: AuthUser,
  terminalId: string,
): Promise<Result<{ revokedAt: string }, PairingError>> {
  const terminal = await ds.getRepository(TerminalEntity).findOneBy({ id: terminalId });
  if (!terminal) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, terminal.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  const revokedAt = new Date(clock.now()).toISOString();
  await writeTransaction(ds, (m) =>
    m.getRepository(TerminalEntity).update({ id: terminalId }, { tokenHash: null, revokedAt, ...cleared }),
  );
  return ok({ revokedAt });
}
