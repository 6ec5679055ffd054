/**
 * Terminals of a store: add one (next free till code, its own installation number) and hand out its first
 * pairing code; retire one for good. Pairing and replacement live in ../pairing (the same codes, the same rules).
 *
 * Retiring is refused while HQ still holds tickets of the terminal back — out of order in ingest_hold (waiting
 * for earlier seqs) or open in the review queue: only that till can send the missing seqs, and a retired
 * till can never connect again, so those tickets would stay unbooked for good. HQ settles them first (or
 * replaces the till, which keeps the old one's history deliverable).
 */
import type { TerminalInput } from '@tpv/shared/wire/http/organisation';
import { forbidden } from '../auth/http';
import { canAccessStore, type AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { nextTerminalCode } from '../pairing/replace';
import { createPairingCode } from '../pairing/service';
import type { Ctx } from './use-cases';
import * as repo from './repository';

export async function addTerminal(x: Ctx, u: AuthUser, b: TerminalInput) {
  if (!(await canAccessStore(x.ds, u, b.storeId))) throw forbidden('This store belongs to another company.');
  const id = newRowId(x.clock);
  const terminal = await writeTransaction(x.ds, async (m) => {
    const store = await repo.storeById(m, b.storeId);
    if (!store) throw refused(422, 'STORE_NOT_FOUND', `No existe la tienda / no store ${b.storeId}`, 'storeId');
    if (store.archivedAt) throw refused(409, 'STORE_ARCHIVED', `La tienda ${store.code} está archivada / the store is archived`, 'storeId');
    const code = nextTerminalCode(await repo.terminalCodesOf(m, store.id));
    if (!code) throw refused(409, 'NO_FREE_CODE', `La tienda ${store.code} no tiene códigos de caja libres / no free till code`, 'storeId');
    let installation = `${store.code}-${code}`;
    if (await repo.installationTaken(m, installation)) installation = `${installation}-${id.slice(-12)}`;
    const row = {
      id, storeId: store.id, code, name: b.name, installation, tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null, revokedAt: null,
      lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null, replacesId: null, replacedById: null,
      replacedAt: null, syncConflict: null, syncConflictAt: null, tokenGeneration: 0, retiredAt: null,
    };
    await repo.insertTerminal(m, row);
    const after = { id, storeId: store.id, code, name: b.name, installation };
    await recordAudit(m, x.clock, { actor: { id: u.id, email: u.email }, action: 'terminal.create', entity: 'terminal', entityId: id, companyId: store.companyId, storeId: store.id, after });
    return after;
  });
  const pairing = await createPairingCode(x.ds, x.clock, u, id);
  if (!pairing.ok) throw refused(409, pairing.error.code, pairing.error.message);
  return { terminal, code: pairing.value.code, expiresAt: pairing.value.expiresAt };
}

export async function retireTerminal(x: Ctx, u: AuthUser, id: string): Promise<{ id: string; retiredAt: string }> {
  const t = await repo.terminalById(x.ds.manager, id);
  if (!t) throw refused(404, 'NOT_FOUND', `terminal ${id} not found`);
  if (!(await canAccessStore(x.ds, u, t.storeId))) throw forbidden('This terminal belongs to another company.');
  const at = new Date(x.clock.now()).toISOString();
  return writeTransaction(x.ds, async (m) => {
    const held = await repo.heldTickets(m, id);
    if (held.held + held.inReview > 0) {
      throw refused(
        409,
        'TERMINAL_HAS_HELD_TICKETS',
        `La caja ${t.code} tiene ${held.held} tickets retenidos y ${held.inReview} en revisión: resuélvelos antes de retirarla / the till has ${held.held} held and ${held.inReview} tickets in review: settle them first`,
      );
    }
    if (!(await repo.retireTerminal(m, id, at))) throw refused(409, 'TERMINAL_RETIRED', `La caja ${t.code} ya está retirada o sustituida / already retired or replaced`);
    const store = await repo.storeById(m, t.storeId);
    await recordAudit(m, x.clock, {
      actor: { id: u.id, email: u.email }, action: 'terminal.retire', entity: 'terminal', entityId: id, companyId: store?.companyId ?? null, storeId: t.storeId,
      before: { retiredAt: null, paired: t.tokenHash !== null }, after: { retiredAt: at, paired: false },
    });
    return { id, retiredAt: at };
  });
}
