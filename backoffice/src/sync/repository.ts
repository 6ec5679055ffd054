/**
 * The sync gateway's persistence: the terminal row a till authenticates against and the bookkeeping the
 * gateway writes on it (last seen, feed version, sync conflict). The gateway owns the transactions.
 */
import { IsNull, type EntityManager } from 'typeorm';
import { CompanyEntity, StoreEntity, TerminalEntity, type TerminalRow } from '../persistence/entities';

export async function terminalById(m: EntityManager, id: string): Promise<TerminalRow | null> {
  return m.getRepository(TerminalEntity).findOneBy({ id });
}

/** The NIF of the company owning the store (the store and company must exist). */
export async function companyNifOfStore(m: EntityManager, storeId: string): Promise<string> {
  const store = await m.getRepository(StoreEntity).findOneByOrFail({ id: storeId });
  const company = await m.getRepository(CompanyEntity).findOneByOrFail({ id: store.companyId });
  return company.nif;
}

/** Adopts a newer device token on a terminal that is still not revoked. */
export async function adoptTerminalToken(m: EntityManager, id: string, tokenHash: string, tokenGeneration: number): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id, revokedAt: IsNull() }, { tokenHash, tokenGeneration });
}

/** On a till's hello: when it was seen and the feed version it says it holds. */
export async function noteTerminalSeen(m: EntityManager, id: string, lastSeenAt: string, catalogVersion: number): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id }, { lastSeenAt, catalogVersion });
}

export async function setTerminalCatalogVersion(m: EntityManager, id: string, catalogVersion: number): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id }, { catalogVersion });
}

/** Records (what, at) or clears (null, null) the terminal's sync conflict. */
export async function setTerminalSyncConflict(m: EntityManager, id: string, syncConflict: string | null, syncConflictAt: string | null): Promise<void> {
  await m.getRepository(TerminalEntity).update({ id }, { syncConflict, syncConflictAt });
}
