/**
 * The CRM's use cases: customers created or edited at a till (upward `crm.customer`) or at HQ, the list and
 * the customer page, notes, duplicates and the merge of B into A, segments and their membership. Each write
 * is one transaction with its audit entry and its change-feed rows (tills are nudged after the commit).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { cleanCustomer, type CleanCustomer, type CustomerInput, type TillCustomer } from '@tpv/shared/crm/customer';
import type { Customer360, CustomerSection, SegmentRules } from '@tpv/shared/wire/http/crm';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { appendChanges } from '../catalog/changes';
import type { ChangeInput } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { bind, isPostgres, type Db } from '../persistence/sql';
import { newRowId } from '../persistence/row-id';
import { recordAudit, type AuditActor } from '../platform/audit';
import { documentPosted } from '../platform/document-events';
import { refused } from '../platform/api';
import { todayInMadrid } from '../invoicing/posting';
import { customerChange } from './feed';
import * as repo from './repository';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();

/** The fields checked; a refusal names each field at fault (422, nothing written). */
export function checkedCustomer(input: CustomerInput): CleanCustomer {
  const c = cleanCustomer(input);
  if (!c.ok) {
    const errors = (c.error.details?.errors ?? []) as Array<{ path: string; message: string }>;
    throw new HttpProblem(problem(422, 'CUSTOMER_INVALID', 'Request refused', { detail: c.error.message, errors }));
  }
  return c.value;
}

/** Unique keys (NIF, loyalty card) held by another live customer: 409 naming the field. */
async function checkUnique(m: Db, id: string, c: CleanCustomer): Promise<void> {
  if (c.nif) {
    const other = await repo.holderOf(m, 'nif', c.nif, id);
    if (other) throw refused(409, 'NIF_TAKEN', `el NIF ${c.nif} ya es del cliente ${other} / NIF ${c.nif} belongs to customer ${other}`, 'nif');
  }
  if (c.loyaltyCard) {
    const other = await repo.holderOf(m, 'loyalty_card', c.loyaltyCard, id);
    if (other) throw refused(409, 'CARD_TAKEN', `la tarjeta ${c.loyaltyCard} ya es del cliente ${other} / card ${c.loyaltyCard} belongs to customer ${other}`, 'loyaltyCard');
  }
}

/**
 * A customer written in the caller's transaction (till document or HQ): created with the given id, or its
 * fields replaced. A customer that was merged lands on the survivor (a till's edit of B edits A's name etc.
 * only where it does not clash). Answers the id written and its feed row.
 */
export async function writeCustomer(
  m: EntityManager, clock: Clock, actor: AuditActor | null, origin: { storeId: string | null; companyId?: string | null },
  id: string, input: CustomerInput, op: 'create' | 'update',
): Promise<{ id: string; created: boolean; changes: ChangeInput[] }> {
  const c = checkedCustomer(input);
  const target = (await repo.mergedInto(m, id)) ?? id;
  const prev = await repo.customerRow(m, target);
  await checkUnique(m, target, c);
  const at = iso(clock);
  if (prev) {
    // An edit keeps what it does not name (a till that never knew the email does not erase it).
    await repo.updateCustomer(m, target, { name: c.name, nif: c.nif ?? prev.nif, phone: c.phone ?? prev.phone, email: c.email ?? prev.email, loyaltyCard: c.loyaltyCard ?? prev.loyaltyCard });
  } else {
    await repo.insertCustomer(m, { id: target, ...c, createdAt: at, originStoreId: origin.storeId });
  }
  await recordAudit(m, clock, {
    actor, action: prev ? 'customer.update' : 'customer.create', entity: 'customer', entityId: target, storeId: origin.storeId, companyId: origin.companyId ?? null,
    before: prev ?? null, after: { id: target, op, ...c, ...(input.consents ? { consents: input.consents } : {}) },
  });
  return { id: target, created: !prev, changes: [await customerChange(m, target, at)] };
}

/** Applies a `crm.customer` document inside the channel's transaction; a bad one is refused with its message. */
export async function applyTillCustomer(m: EntityManager, clock: Clock, till: { storeId: string; companyId: string }, doc: TillCustomer) {
  const { customerId, op, staffId: _staff, ...input } = doc;
  const r = await writeCustomer(m, clock, null, till, customerId, input, op);
  if (r.created) await documentPosted(m, clock, { type: 'customer.registered', customerId: r.id }, null);
  const version = await appendChanges(m, r.changes);
  return { id: r.id, created: r.created, version };
}

export function createCrmService(ds: DataSource, clock: Clock, nudge: (version: number) => void) {
  const commit = async <T>(fn: (m: EntityManager) => Promise<{ out: T; changes: ChangeInput[] }>): Promise<T & { version: number }> => {
    const { out, version } = await writeTransaction(ds, async (m) => {
      const r = await fn(m);
      return { out: r.out, version: await appendChanges(m, r.changes) };
    });
    if (version > 0) nudge(version);
    return { ...out, version };
  };

  return {
    async create(actor: AuditActor, id: string, input: CustomerInput) {
      return commit(async (m) => {
        if (await repo.customerRow(m, id)) throw refused(409, 'CUSTOMER_EXISTS', `el cliente ${id} ya existe / customer ${id} already exists`, 'id');
        const r = await writeCustomer(m, clock, actor, { storeId: null }, id, input, 'create');
        return { out: { id: r.id }, changes: r.changes };
      });
    },

    async update(actor: AuditActor, id: string, input: CustomerInput) {
      return commit(async (m) => {
        const prev = await repo.customerRow(m, id);
        if (!prev || prev.mergedIntoId) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente ${id} no encontrado / customer ${id} not found`);
        const r = await writeCustomer(m, clock, actor, { storeId: null }, id, input, 'update');
        return { out: { id: r.id }, changes: r.changes };
      });
    },

    async addNote(actor: AuditActor, customerId: string, body: string) {
      return commit(async (m) => {
        const c = await repo.customerRow(m, customerId);
        if (!c || c.mergedIntoId) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente ${customerId} no encontrado / customer ${customerId} not found`);
        const id = newRowId(clock);
        await repo.insertNote(m, { id, customerId, body, at: iso(clock), by: actor.id, author: actor.email });
        await recordAudit(m, clock, { actor, action: 'customer.note', entity: 'customer', entityId: customerId, after: { id, body } });
        return { out: { id }, changes: [] };
      });
    },

    /**
     * Merges B into A in one transaction: every row naming B (tickets, receivables, invoices, open items,
     * payments, mandates, letters, credit control, notes, and what other modules registered) now names A; A
     * takes B's contact data where it has none; B stays as a tombstone `merged_into_id = A` (a late till
     * document naming B lands on A) and is deleted from the tills by the feed.
     */
    async merge(actor: AuditActor, intoId: string, mergedId: string) {
      if (intoId === mergedId) throw refused(422, 'MERGE_INTO_ITSELF', 'no se puede fusionar un cliente consigo mismo / a customer cannot be merged into itself', 'mergedId');
      return commit(async (m) => {
        const a = await repo.customerRow(m, intoId);
        const b = await repo.customerRow(m, mergedId);
        if (!a || a.mergedIntoId) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente ${intoId} no encontrado / customer ${intoId} not found`, 'intoId');
        if (!b) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente ${mergedId} no encontrado / customer ${mergedId} not found`, 'mergedId');
        if (b.mergedIntoId) throw refused(409, 'ALREADY_MERGED', `el cliente ${mergedId} ya se fusionó en ${b.mergedIntoId} / customer ${mergedId} was already merged into ${b.mergedIntoId}`, 'mergedId');
        const moved: Record<string, number> = {};
        for (const mv of repo.MERGE_MOVES) {
          const n = await repo.countNaming(m, mv.table, mergedId).catch(() => 0);
          if (n > 0) {
            await m.query(...bind(m, mv.sql, mv.params(intoId, mergedId)));
            moved[mv.table] = n;
          }
        }
        const at = iso(clock);
        await repo.markMerged(m, mergedId, intoId, at, actor.id, moved);
        const fill = { name: a.name, nif: a.nif ?? b.nif, phone: a.phone ?? b.phone, email: a.email ?? b.email, loyaltyCard: a.loyaltyCard ?? b.loyaltyCard };
        await repo.updateCustomer(m, intoId, fill);
        // Ledgers other modules keep per customer (the loyalty points) move in this same transaction.
        await documentPosted(m, clock, { type: 'customer.merged', intoId, mergedId }, actor.id);
        await recordAudit(m, clock, { actor, action: 'customer.merge', entity: 'customer', entityId: intoId, before: { a, b }, after: { intoId, mergedId, moved } });
        return { out: { intoId, mergedId, moved }, changes: [await customerChange(m, mergedId, at), await customerChange(m, intoId, at)] };
      });
    },

    async saveSegment(actor: AuditActor, id: string, name: string, rules: SegmentRules) {
      const out = await commit(async (m) => {
        const exists = (await repo.segments(m)).some((s) => s.id === id);
        await repo.saveSegment(m, { id, name, rules, at: iso(clock) }, exists);
        await recordAudit(m, clock, { actor, action: exists ? 'segment.update' : 'segment.create', entity: 'customer_segment', entityId: id, after: { name, rules } });
        return { out: { id }, changes: [] };
      });
      const r = await this.recompute([id]);
      return { ...out, version: r.version };
    },

    async deleteSegment(actor: AuditActor, id: string) {
      return commit(async (m) => {
        if (!(await repo.segments(m)).some((s) => s.id === id)) throw refused(404, 'SEGMENT_UNKNOWN', `segmento ${id} no encontrado / segment ${id} not found`);
        const members = await repo.deleteSegment(m, id);
        await recordAudit(m, clock, { actor, action: 'segment.delete', entity: 'customer_segment', entityId: id });
        const at = iso(clock);
        return { out: { id }, changes: await Promise.all(members.map((c) => customerChange(m, c, at))) };
      });
    },

    /** Recomputes segments (all, or those named) as of today; customers whose membership changed go down the feed. */
    async recompute(ids?: readonly string[]) {
      return commit(async (m) => {
        const today = todayInMadrid(clock);
        const at = iso(clock);
        const changed = new Set<string>();
        const all = (await repo.segments(m)).filter((s) => !ids || ids.includes(s.id));
        for (const s of all) {
          const now = new Set(await repo.segmentMembers(m, s.rules, today));
          const before = new Set(await repo.membersOf(m, s.id));
          const add = [...now].filter((c) => !before.has(c));
          const remove = [...before].filter((c) => !now.has(c));
          await repo.replaceMembers(m, s.id, add, remove, now.size, at);
          for (const c of [...add, ...remove]) changed.add(c);
        }
        const changes = await Promise.all([...changed].sort().map((c) => customerChange(m, c, at)));
        return { out: { segments: all.length, changedCustomers: changed.size }, changes };
      });
    },
  };
}

/**
 * The loyalty and consents sections of the customer page, read from those modules' tables when they exist (a
 * deployment may run without them). Other modules' per-customer ledgers follow a merge through the document
 * event `customer.merged`, not through this page.
 */
async function defaultSection(m: Db, module: 'loyalty' | 'privacy', customerId: string): Promise<CustomerSection> {
  const pg = isPostgres(m);
  const title = module === 'loyalty' ? 'Fidelización / Loyalty' : 'Consentimientos / Consents';
  const table = module === 'loyalty' ? 'loyalty_posting' : 'customer_consent';
  if (!(await repo.tableExists(m, pg, table))) return { module, title, rows: [] };
  try {
    if (module === 'loyalty') {
      const r = await m.query(...bind(m, `SELECT COALESCE(SUM(points), 0) AS points, COUNT(*) AS postings FROM loyalty_posting WHERE customer_id = ?`, [customerId]));
      const row = (r as Array<Record<string, unknown>>)[0] ?? {};
      return { module, title, rows: [{ points: Number(row.points ?? 0), postings: Number(row.postings ?? 0) }] };
    }
    const rows = (await m.query(...bind(m, `SELECT * FROM customer_consent WHERE customer_id = ?`, [customerId]))) as Array<Record<string, unknown>>;
    return { module, title, rows: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'customer_id').map(([k, v]) => [k, v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as string) : String(v)]))) };
  } catch {
    return { module, title, rows: [] };
  }
}

export async function customer360(m: Db, customerId: string, scope: { storeIds: string[] | null; companyIds: string[] | null }): Promise<Customer360 | undefined> {
  const c = await repo.customerRow(m, customerId);
  if (!c) return undefined;
  const { mergedIntoId: _merged, ...customer } = c;
  const openItems = await repo.openItemsOf(m, customerId, scope.companyIds);
  const sections: CustomerSection[] = [];
  for (const mod of ['loyalty', 'privacy'] as const) sections.push(await defaultSection(m, mod, customerId));
  return {
    customer,
    mergedFrom: await repo.mergedFrom(m, customerId),
    purchases: await repo.ticketsOf(m, customerId, scope.storeIds, false),
    returns: await repo.ticketsOf(m, customerId, scope.storeIds, true),
    stores: await repo.storesOf(m, customerId, scope.storeIds),
    invoices: await repo.invoicesOf(m, customerId, scope.companyIds),
    balanceCents: openItems.reduce((s, i) => s + i.balanceCents, 0),
    openItems,
    notes: await repo.notesOf(m, customerId),
    segments: await repo.segmentsOfCustomer(m, customerId),
    sections,
  };
}
