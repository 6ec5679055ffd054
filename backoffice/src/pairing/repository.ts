/**
 * Terminals module's repository: the only place pairing and replacement touch TypeORM. Reads take the data
 * source; writes take the transaction's manager (the use cases own the transaction, through writeTransaction).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { TerminalIdentity } from '@tpv/shared/wire/sync-protocol';
import { CompanyEntity, StoreEntity, TerminalEntity, type TerminalRow } from '../persistence/entities';

const noPairingCode = { pairingCodeHash: null, pairingSelector: null, pairingExpiresAt: null };

export const findTerminal = (ds: DataSource, id: string): Promise<TerminalRow | null> => ds.getRepository(TerminalEntity).findOneBy({ id });

/** The terminal whose live code has this public selector (unique among live codes). */
export const findTerminalBySelector = (ds: DataSource, selector: string): Promise<TerminalRow | null> =>
  ds.getRepository(TerminalEntity).findOneBy({ pairingSelector: selector });

export const selectorInUse = (m: EntityManager, selector: string): Promise<boolean> => m.getRepository(TerminalEntity).existsBy({ pairingSelector: selector });

export async function storePairingCode(m: EntityManager, terminalId: string, code: { hash: string; selector: string; expiresAt: string }): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id: terminalId }, { pairingCodeHash: code.hash, pairingSelector: code.selector, pairingExpiresAt: code.expiresAt });
}

/** Forgets an expired code (only if it is still the one that was checked). */
export async function dropPairingCode(m: EntityManager, terminalId: string, hash: string): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id: terminalId, pairingCodeHash: hash }, noPairingCode);
}

/** Issues the token in exchange for the code; false when another request used the code first (single use). */
export async function claimPairing(
  m: EntityManager,
  terminalId: string,
  hash: string,
  set: { tokenHash: string; tokenGeneration: number; appVersion: string; at: string },
): Promise<boolean> {
  const r = await m
    .getRepository(TerminalEntity)
    .createQueryBuilder()
    .update()
    .set({ tokenHash: set.tokenHash, tokenGeneration: set.tokenGeneration, ...noPairingCode, revokedAt: null, appVersion: set.appVersion, lastSeenAt: set.at, syncConflict: null, syncConflictAt: null })
    .where('id = :id AND pairing_code_hash = :hash', { id: terminalId, hash })
    .execute();
  return r.affected !== 0;
}

export async function revokeToken(m: EntityManager, terminalId: string, revokedAt: string): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id: terminalId }, { tokenHash: null, revokedAt, ...noPairingCode });
}

/** Who a terminal is (terminal, its store and company), as a till keeps it. */
export async function terminalIdentity(ds: DataSource, terminalId: string): Promise<TerminalIdentity | undefined> {
  const t = await findTerminal(ds, terminalId);
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

/** Retires a terminal in favour of `newId`; false when it was already replaced (only the first replacement wins). */
export async function retireTerminal(m: EntityManager, terminalId: string, newId: string, at: string): Promise<boolean> {
  const r = await m
    .getRepository(TerminalEntity)
    .createQueryBuilder()
    .update()
    .set({ replacedById: newId, replacedAt: at, tokenHash: null, revokedAt: at, ...noPairingCode, syncConflict: null, syncConflictAt: null })
    .where('id = :id AND replaced_by_id IS NULL', { id: terminalId })
    .execute();
  return r.affected !== 0;
}

/** The company a store belongs to (audit entries name it). */
export async function companyOfStore(m: EntityManager, storeId: string): Promise<string | null> {
  return (await m.getRepository(StoreEntity).findOneBy({ id: storeId }))?.companyId ?? null;
}

export async function storeCodeOf(m: EntityManager, storeId: string): Promise<string> {
  return (await m.getRepository(StoreEntity).findOneByOrFail({ id: storeId })).code;
}

export async function terminalCodesOf(m: EntityManager, storeId: string): Promise<Set<string>> {
  return new Set((await m.getRepository(TerminalEntity).find({ where: { storeId }, select: { code: true } })).map((t) => t.code));
}

export const installationInUse = (m: EntityManager, installation: string): Promise<boolean> => m.getRepository(TerminalEntity).existsBy({ installation });

/** A new, unpaired terminal that takes over from `replacesId`. */
export async function insertReplacement(m: EntityManager, t: { id: string; storeId: string; code: string; name: string; installation: string; replacesId: string }): Promise<void> {
  await m.getRepository(TerminalEntity).insert({
    ...t, tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null,
    catalogVersion: 0, appVersion: null, replacedById: null, replacedAt: null, syncConflict: null, syncConflictAt: null, tokenGeneration: 0,
  });
}
