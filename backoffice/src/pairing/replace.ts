/**
 * "Replace this till" (new hardware, a wiped or reinstalled till): the replacement is a **new installation**
 * — a new terminal row with its own id, the next free code of the store (so its own invoice series), its
 * own Veri*Factu installation number and a chain that starts afresh — and the old terminal is retired
 * (token revoked, `replaced_by_id` set), keeping everything HQ holds of it. No seq, number or chain is ever
 * handed to two tills: the old till's numbers stay its own (if its disk comes back it can be paired again
 * with its own history and deliver what it still has), the new till starts at seq 1 of its own series.
 * Handing over the continuation state instead was rejected: HQ only knows what was delivered, so a till
 * that died with tickets in its outbox would have its printed numbers issued a second time.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { createUuidV7 } from '@tpv/shared/ids';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import { StoreEntity, TerminalEntity } from '../persistence/entities';
import { writeTransaction } from '../persistence/raw';
import { canAccessStore, type AuthUser } from '../auth/service';
import { createPairingCode, type PairingError } from './service';

export interface Replacement {
  replaced: { id: string; code: string; replacedAt: string };
  terminal: { id: string; code: string; name: string; installation: string };
  /** One-time pairing code of the new terminal. */
  code: string;
  expiresAt: string;
}

const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The first free two-character terminal code of a store ('01'…'99', then 'A0'…'ZZ'). */
export function nextTerminalCode(taken: ReadonlySet<string>): string | null {
  for (const a of CODE_CHARS) {
    for (const b of CODE_CHARS) {
      const code = a + b;
      if (code !== '00' && !taken.has(code)) return code;
    }
  }
  return null;
}

export async function replaceTerminal(
  ds: DataSource,
  clock: Clock,
  user: AuthUser,
  terminalId: string,
  log: (msg: string) => void = () => undefined,
): Promise<Result<Replacement, PairingError>> {
  const old = await ds.getRepository(TerminalEntity).findOneBy({ id: terminalId });
  if (!old) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, old.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  if (old.replacedById) return err(domainError('TERMINAL_REPLACED', `terminal ${old.code} was already replaced`, { replacedById: old.replacedById }));
  const now = new Date(clock.now()).toISOString();
  const newId = createUuidV7(clock, (n) => randomBytes(n))();
  const done = await writeTransaction(ds, async (m) => {
    const repo = m.getRepository(TerminalEntity);
    // Only the first of two concurrent replacements wins (the other sees replaced_by_id set).
    const retired = await repo
      .createQueryBuilder()
      .update()
      .set({ replacedById: newId, replacedAt: now, tokenHash: null, revokedAt: now, pairingCodeHash: null, pairingSelector: null, pairingExpiresAt: null, syncConflict: null, syncConflictAt: null })
      .where('id = :id AND replaced_by_id IS NULL', { id: old.id })
      .execute();
    if (retired.affected === 0) return err(domainError('TERMINAL_REPLACED', `terminal ${old.code} was already replaced`));
    const store = await m.getRepository(StoreEntity).findOneByOrFail({ id: old.storeId });
    const taken = new Set((await repo.find({ where: { storeId: old.storeId }, select: { code: true } })).map((t) => t.code));
    const code = nextTerminalCode(taken);
    if (!code) throw new Error(`store ${store.code} has no free terminal code`);
    let installation = `${store.code}-${code}`;
    if (await repo.existsBy({ installation })) installation = `${installation}-${newId.slice(-12)}`;
    await repo.insert({
      id: newId, storeId: old.storeId, code, name: old.name, installation, tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null,
      revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
      replacesId: old.id, replacedById: null, replacedAt: null, syncConflict: null, syncConflictAt: null, tokenGeneration: 0,
    });
    return ok({ code, name: old.name, installation });
  });
  if (!done.ok) return done;
  const pairing = await createPairingCode(ds, clock, user, newId);
  if (!pairing.ok) return pairing;
  // No audit log exists at HQ yet: the terminal rows keep who replaced whom and when; the log says who did it.
  log(`terminal ${old.code} (${old.id}) replaced by ${done.value.code} (${newId}) by user ${user.id}`);
  return ok({
    replaced: { id: old.id, code: old.code, replacedAt: now },
    terminal: { id: newId, ...done.value },
    code: pairing.value.code,
    expiresAt: pairing.value.expiresAt,
  });
}
