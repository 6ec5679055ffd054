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
import type { Replacement } from '@tpv/shared/wire/http/terminals';
import { writeTransaction } from '../persistence/raw';
import { canAccessStore, type AuthUser } from '../auth/service';
import { createPairingCode, type PairingError } from './service';
import { recordAudit } from '../platform/audit';
import { companyOfStore, findTerminal, insertReplacement, installationInUse, retireTerminal, storeCodeOf, terminalCodesOf } from './repository';

export type { Replacement } from '@tpv/shared/wire/http/terminals';

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
  requestId?: string,
): Promise<Result<Replacement, PairingError>> {
  const old = await findTerminal(ds, terminalId);
  if (!old) return err(domainError('TERMINAL_NOT_FOUND', `terminal ${terminalId} not found`));
  if (!(await canAccessStore(ds, user, old.storeId))) return err(domainError('FORBIDDEN', 'terminal of another company'));
  if (old.replacedById) return err(domainError('TERMINAL_REPLACED', `terminal ${old.code} was already replaced`, { replacedById: old.replacedById }));
  const now = new Date(clock.now()).toISOString();
  const newId = createUuidV7(clock, (n) => randomBytes(n))();
  const done = await writeTransaction(ds, async (m) => {
    // Only the first of two concurrent replacements wins (the other sees replaced_by_id set).
    if (!(await retireTerminal(m, old.id, newId, now))) return err(domainError('TERMINAL_REPLACED', `terminal ${old.code} was already replaced`));
    const storeCode = await storeCodeOf(m, old.storeId);
    const code = nextTerminalCode(await terminalCodesOf(m, old.storeId));
    if (!code) throw new Error(`store ${storeCode} has no free terminal code`);
    let installation = `${storeCode}-${code}`;
    if (await installationInUse(m, installation)) installation = `${installation}-${newId.slice(-12)}`;
    await insertReplacement(m, { id: newId, storeId: old.storeId, code, name: old.name, installation, replacesId: old.id });
    await recordAudit(m, clock, {
      actor: user, action: 'terminal.replace', entity: 'terminal', entityId: old.id, storeId: old.storeId, companyId: await companyOfStore(m, old.storeId),
      before: { code: old.code, installation: old.installation, paired: old.tokenHash !== null, replacedById: null },
      after: { replacedById: newId, replacedAt: now, replacement: { id: newId, code, installation } },
      requestId: requestId ?? null,
    });
    return ok({ code, name: old.name, installation });
  });
  if (!done.ok) return done;
  const pairing = await createPairingCode(ds, clock, user, newId, requestId);
  if (!pairing.ok) return pairing;
  log(`terminal ${old.code} (${old.id}) replaced by ${done.value.code} (${newId}) by user ${user.id}`);
  return ok({
    replaced: { id: old.id, code: old.code, replacedAt: now },
    terminal: { id: newId, ...done.value },
    code: pairing.value.code,
    expiresAt: pairing.value.expiresAt,
  });
}
