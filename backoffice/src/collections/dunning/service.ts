/**
 * Dunning (reclamaciones) and credit control in the database.
 *
 * - Levels per company (`dunning_level`; none stored: DEFAULT_DUNNING_LEVELS).
 * - A run (company, as-of date) looks at the company's receivable items still owed and past due: each item
 *   whose reached level is above the last letter it got (`open_item.dunning_level`) goes into a letter — one
 *   letter per counterparty and level — with Ley 3/2004 interest when the level claims it (`lateClaim`; the
 *   €40 compensation once per invoice). The items remember the level and the day.
 * - Credit control (`credit_control` per company + counterparty) is recomputed with `counterpartyBlock` after
 *   a run and a release. A customer blocked at any company travels to every till through the change feed:
 *   the `customer` upsert carries `onAccountBlocked`, and the till refuses an on-account tender for it.
 */
import { customerFeedPayload } from '../../crm/feed';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { counterpartyBlock, DEFAULT_DUNNING_LEVELS, nextDunningLevel, validateDunningLevels, type BlockReason, type DunningLevel } from '@tpv/shared/collections/dunning';
import { lateClaim, STATUTORY_LATE_PAYMENT_RATES, type StatutoryRate } from '@tpv/shared/collections/interest';
import { dayNumber } from '@tpv/shared/collections/days';
import { formatMoney } from '@tpv/shared/money';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import type { Files } from '../../platform/files/service';
import { appendChange } from '../../persistence/change-log';
import { writeTransaction } from '../../persistence/raw';
import { newRowId } from '../../persistence/row-id';
import { all, bool, exec, inList, one, type Db } from '../../persistence/sql';
import { renderDunningLetterPdf } from './pdf';

export interface LetterItemView { itemId: string; documentRef: string; dueDate: string; balanceCents: number; daysPastDue: number; interestCents: number; compensationCents: number }
export interface LetterView {
  id: string; companyId: string; counterpartyKind: string; counterpartyId: string; counterpartyName: string | null; level: number; letterDate: string;
  principalCents: number; interestCents: number; compensationCents: number; fileId: string | null; items: LetterItemView[];
}
export interface CreditControlView {
  companyId: string; counterpartyKind: string; counterpartyId: string; counterpartyName: string | null; creditLimitCents: number | null; exposureCents: number;
  blocked: boolean; reason: string | null; releasedOn: string | null; releasedUntil: string | null; releasedBy: string | null;
}

/**
 * The statutory rates the letters use: the shared table (to 2026 H1) and the half-years published since.
 * 2026 H2: the ECB main refinancing rate of 2,15 % (unchanged since June 2025) + 8 points = 10,15 %. It is
 * the figure the rule gives, not read from the BOE resolution: compare before relying on a claim.
 */
export const LATE_PAYMENT_RATES: readonly StatutoryRate[] = [
  ...STATUTORY_LATE_PAYMENT_RATES,
  { from: '2026-07-01', to: '2026-12-31', rateBp: 1015, source: 'BCE 2,15 % + 8 (2º semestre 2026; comprobar con el BOE)' },
];

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const today = (clock: Clock) => iso(clock).slice(0, 10);
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });

function checkCompany(user: AuthUser, companyId: string): void {
  if (!canAccessCompany(user, companyId)) throw forbidden();
}

async function companyExists(m: Db, companyId: string): Promise<{ legal_name: string; nif: string }> {
  const c = await one<{ legal_name: string; nif: string }>(m, `SELECT legal_name, nif FROM company WHERE id = ?`, [companyId]);
  if (!c) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${companyId}`, 'companyId');
  return c;
}

/** A company's levels: its own rows, else the defaults. */
export async function levelsOf(m: Db, companyId: string): Promise<{ isDefault: boolean; levels: DunningLevel[] }> {
  const rows = await all<Record<string, unknown>>(m, `SELECT * FROM dunning_level WHERE company_id = ? ORDER BY level`, [companyId]);
  if (rows.length === 0) return { isDefault: true, levels: DEFAULT_DUNNING_LEVELS.map((l) => ({ ...l })) };
  return {
    isDefault: false,
    levels: rows.map((r) => ({
      level: Number(r.level), name: { es: String(r.name_es), en: String(r.name_en) }, minDaysPastDue: Number(r.min_days_past_due),
      text: { es: String(r.text_es), en: String(r.text_en) }, blocks: bool(r.blocks), claimsInterest: bool(r.claims_interest),
    })),
  };
}

/** Whether a customer is blocked for sales on account at any company (what the tills are told). */
export async function customerOnAccountBlocked(m: Db, customerId: string): Promise<boolean> {
  const r = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM credit_control WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND blocked = ?`, [customerId, true]);
  return Number(r?.n ?? 0) > 0;
}

/** Appends the customer's row, with its block flag, to the change feed (every till). Answers the feed version. */
async function publishCustomer(m: Db, clock: Clock, customerId: string): Promise<number> {
  // The whole row (contact data and segments too): the till replaces its copy with what it is sent.
  const payload = await customerFeedPayload(m, customerId);
  if (!payload) return 0;
  return appendChange(m, { entity: 'customer', entityId: customerId, op: 'upsert', payload, createdAt: iso(clock) });
}

/** A list's company filter: the company asked for (checked) within the caller's scope; null when they see none. */
function companyScope(user: AuthUser, companyId: string | undefined): { conds: string[]; params: unknown[] } | null {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (companyId) {
    checkCompany(user, companyId);
    conds.push('company_id = ?');
    params.push(companyId);
  }
  const visible = visibleCompanyIds(user);
  if (visible !== null) {
    if (visible.length === 0) return null;
    conds.push(`company_id IN (${inList(visible.length)})`);
    params.push(...visible);
  }
  return { conds, params };
}

function reasonText(reasons: readonly BlockReason[], levels: readonly DunningLevel[]): string | null {
  if (reasons.length === 0) return null;
  return reasons
    .map((r) => {
      if (r.kind === 'credit_limit') return `límite de crédito superado / credit limit exceeded: ${formatMoney(r.exposureCents, 'es')} > ${formatMoney(r.limitCents, 'es')}`;
      const l = levels.find((x) => x.level === r.level);
      return `${l?.name.es ?? `nivel ${r.level}`} / ${l?.name.en ?? `level ${r.level}`}: ${r.daysPastDue} días / days`;
    })
    .join('; ');
}

/**
 * Recomputes one counterparty's credit control at a company on `asOf` (inserting its row when it is blocked
 * or has one already). Answers whether the blocked flag changed. A customer's change reaches the feed.
 */
export async function recomputeCreditControl(m: Db, clock: Clock, companyId: string, kind: string, counterpartyId: string, asOf: string): Promise<{ changed: boolean; blocked: boolean; feedVersion: number }> {
  const { levels } = await levelsOf(m, companyId);
  const items = await all<{ id: string; due_date: string; balance_cents: unknown; counterparty_name: string | null }>(
    m,
    `SELECT id, due_date, balance_cents, counterparty_name FROM open_item WHERE company_id = ? AND side = 'receivable' AND counterparty_kind = ? AND counterparty_id = ? AND cancelled = ? AND balance_cents > 0`,
    [companyId, kind, counterpartyId, false],
  );
  const row = await one<Record<string, unknown>>(m, `SELECT * FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [companyId, kind, counterpartyId]);
  let limit: number | null = row && row.credit_limit_cents !== null && row.credit_limit_cents !== undefined ? Number(row.credit_limit_cents) : null;
  let name = (row?.counterparty_name as string | null | undefined) ?? items[0]?.counterparty_name ?? null;
  if (kind === 'customer') {
    const c = await one<{ credit_limit_cents: unknown; name: string }>(m, `SELECT credit_limit_cents, name FROM customer WHERE id = ?`, [counterpartyId]);
    if (c) {
      if (limit === null) limit = Number(c.credit_limit_cents);
      name = name ?? c.name;
    }
  }
  const credit = await one<{ c: unknown }>(
    m,
    `SELECT COALESCE(SUM(credit_cents), 0) AS c FROM payment WHERE company_id = ? AND side = 'receivable' AND counterparty_kind = ? AND counterparty_id = ? AND status = 'posted'`,
    [companyId, kind, counterpartyId],
  );
  const release = row && row.released_on ? { releasedOn: String(row.released_on), until: (row.released_until as string | null) ?? null } : null;
  const d = counterpartyBlock({
    items: items.map((i) => ({ id: i.id, dueDate: i.due_date, balanceCents: Number(i.balance_cents) })),
    asOf, levels, creditLimitCents: limit, creditCents: Number(credit?.c ?? 0), release,
  });
  const wasBlocked = row ? bool(row.blocked) : false;
  const reason = reasonText(d.reasons, levels);
  const at = iso(clock);
  if (row) {
    await exec(m, `UPDATE credit_control SET blocked = ?, reason = ?, exposure_cents = ?, counterparty_name = ?, updated_at = ? WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [d.blocked, reason, d.exposureCents, name, at, companyId, kind, counterpartyId]);
  } else if (d.blocked || d.reasons.length > 0) {
    await exec(
      m,
      `INSERT INTO credit_control (company_id, counterparty_kind, counterparty_id, counterparty_name, credit_limit_cents, exposure_cents, blocked, reason, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
      [companyId, kind, counterpartyId, name, d.exposureCents, d.blocked, reason, at],
    );
  }
  const changed = wasBlocked !== d.blocked;
  const feedVersion = changed && kind === 'customer' ? await publishCustomer(m, clock, counterpartyId) : 0;
  return { changed, blocked: d.blocked, feedVersion };
}

/**
 * After a posting on an item (ledger.ts calls it): when its counterparty has a credit-control row at the
 * item's company, the block is recomputed on the clock's day — a payment that clears what blocked a
 * customer unblocks it at every till (the change reaches the feed; tills pick it up on their next pull).
 * Counterparties without a row are left to the next dunning run (one primary-key read per posting).
 */
export async function creditControlAfterPosting(m: Db, clock: Clock, itemId: string): Promise<void> {
  const item = await one<{ company_id: string; side: string; counterparty_kind: string; counterparty_id: string }>(m, `SELECT company_id, side, counterparty_kind, counterparty_id FROM open_item WHERE id = ?`, [itemId]);
  if (!item || item.side !== 'receivable') return;
  const row = await one<{ n: unknown }>(m, `SELECT 1 AS n FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [item.company_id, item.counterparty_kind, item.counterparty_id]);
  if (!row) return;
  await recomputeCreditControl(m, clock, item.company_id, item.counterparty_kind, item.counterparty_id, today(clock));
}

function letterOf(r: Record<string, unknown>, items: LetterItemView[]): LetterView {
  return {
    id: String(r.id), companyId: String(r.company_id), counterpartyKind: String(r.counterparty_kind), counterpartyId: String(r.counterparty_id),
    counterpartyName: (r.counterparty_name as string | null) ?? null, level: Number(r.level), letterDate: String(r.letter_date),
    principalCents: Number(r.principal_cents), interestCents: Number(r.interest_cents), compensationCents: Number(r.compensation_cents),
    fileId: (r.file_id as string | null) ?? null, items,
  };
}

async function lettersWhere(m: Db, where: string, params: unknown[]): Promise<LetterView[]> {
  const rows = await all<Record<string, unknown>>(m, `SELECT * FROM dunning_letter WHERE ${where} ORDER BY letter_date DESC, created_at DESC, id LIMIT 500`, params);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const lines = await all<Record<string, unknown>>(
    m,
    `SELECT li.letter_id, li.item_id, li.balance_cents, li.days_past_due, li.interest_cents, li.compensation_cents, o.document_ref, o.due_date
       FROM dunning_letter_item li JOIN open_item o ON o.id = li.item_id WHERE li.letter_id IN (${inList(ids.length)}) ORDER BY o.due_date, o.document_ref`,
    ids,
  );
  const by = new Map<string, LetterItemView[]>();
  for (const l of lines) {
    const list = by.get(String(l.letter_id)) ?? [];
    list.push({ itemId: String(l.item_id), documentRef: String(l.document_ref), dueDate: String(l.due_date), balanceCents: Number(l.balance_cents), daysPastDue: Number(l.days_past_due), interestCents: Number(l.interest_cents), compensationCents: Number(l.compensation_cents) });
    by.set(String(l.letter_id), list);
  }
  return rows.map((r) => letterOf(r, by.get(String(r.id)) ?? []));
}

function controlOf(r: Record<string, unknown>): CreditControlView {
  return {
    companyId: String(r.company_id), counterpartyKind: String(r.counterparty_kind), counterpartyId: String(r.counterparty_id), counterpartyName: (r.counterparty_name as string | null) ?? null,
    creditLimitCents: r.credit_limit_cents === null || r.credit_limit_cents === undefined ? null : Number(r.credit_limit_cents), exposureCents: Number(r.exposure_cents),
    blocked: bool(r.blocked), reason: (r.reason as string | null) ?? null, releasedOn: (r.released_on as string | null) ?? null,
    releasedUntil: (r.released_until as string | null) ?? null, releasedBy: (r.released_by as string | null) ?? null,
  };
}

export interface FeedNudge { (version: number): void }

export function createDunningService(ds: DataSource, clock: Clock, files: Files, nudge: FeedNudge) {
  return {
    async getLevels(user: AuthUser, companyId: string) {
      checkCompany(user, companyId);
      await companyExists(ds.manager, companyId);
      return { companyId, ...(await levelsOf(ds.manager, companyId)) };
    },

    async putLevels(user: AuthUser, companyId: string, levels: DunningLevel[]) {
      checkCompany(user, companyId);
      const v = validateDunningLevels(levels);
      if (!v.ok) throw refused(422, v.error.code, v.error.message, `levels.${v.error.details?.index ?? 0}`);
      await writeTransaction(ds, async (m) => {
        await companyExists(m, companyId);
        const before = await levelsOf(m, companyId);
        const at = iso(clock);
        await exec(m, `DELETE FROM dunning_level WHERE company_id = ?`, [companyId]);
        for (const l of levels) {
          await exec(
            m,
            `INSERT INTO dunning_level (company_id, level, name_es, name_en, min_days_past_due, text_es, text_en, blocks, claims_interest, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [companyId, l.level, l.name.es, l.name.en, l.minDaysPastDue, l.text.es, l.text.en, l.blocks, l.claimsInterest, at],
          );
        }
        await recordAudit(m, clock, { actor: actorOf(user), action: 'dunning_levels.update', entity: 'company', entityId: companyId, companyId, before: before.levels, after: levels });
      });
      return { companyId, isDefault: false, levels };
    },

    /** A dunning run: letters for the items that reached a new level, then credit control recomputed. */
    async run(user: AuthUser, companyId: string, asOf: string, language: 'es' | 'en') {
      checkCompany(user, companyId);
      const company = await companyExists(ds.manager, companyId);
      const result = await writeTransaction(ds, async (m) => {
        const { levels } = await levelsOf(m, companyId);
        const items = await all<Record<string, unknown>>(
          m,
          `SELECT id, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, due_date, balance_cents, dunning_level
             FROM open_item WHERE company_id = ? AND side = 'receivable' AND cancelled = ? AND balance_cents > 0 AND due_date < ?
            ORDER BY counterparty_kind, counterparty_id, due_date, document_ref, source_idx`,
          [companyId, false, asOf],
        );
        // counterparty + level → the items of one letter
        const groups = new Map<string, { kind: string; id: string; name: string | null; level: DunningLevel; items: Record<string, unknown>[] }>();
        for (const it of items) {
          const last = Number(it.dunning_level);
          const next = nextDunningLevel({ id: String(it.id), dueDate: String(it.due_date), balanceCents: Number(it.balance_cents) }, asOf, levels, last > 0 ? last : null);
          if (!next) continue;
          const key = `${String(it.counterparty_kind)}|${String(it.counterparty_id)}|${next.level}`;
          const g = groups.get(key) ?? { kind: String(it.counterparty_kind), id: String(it.counterparty_id), name: (it.counterparty_name as string | null) ?? null, level: next, items: [] };
          g.items.push(it);
          groups.set(key, g);
        }
        const at = iso(clock);
        const letters: LetterView[] = [];
        const compensated = new Set<string>(
          (await all<{ source_id: string }>(m, `SELECT DISTINCT o.source_id FROM dunning_letter_item li JOIN open_item o ON o.id = li.item_id WHERE o.company_id = ? AND li.compensation_cents > 0`, [companyId])).map((r) => r.source_id),
        );
        for (const g of groups.values()) {
          const id = newRowId(clock);
          const lines: LetterItemView[] = [];
          for (const it of g.items) {
            const balance = Number(it.balance_cents);
            const days = dayNumber(asOf) - dayNumber(String(it.due_date));
            let interest = 0;
            let compensation = 0;
            if (g.level.claimsInterest) {
              const withCompensation = !compensated.has(String(it.source_id));
              const claim = lateClaim({ principalCents: balance, dueDate: String(it.due_date), asOf, withCompensation, rates: LATE_PAYMENT_RATES });
              if (!claim.ok) throw refused(422, claim.error.code, claim.error.message, 'asOf');
              interest = claim.value.interest.interestCents;
              compensation = claim.value.compensationCents;
              if (compensation > 0) compensated.add(String(it.source_id));
            }
            lines.push({ itemId: String(it.id), documentRef: String(it.document_ref), dueDate: String(it.due_date), balanceCents: balance, daysPastDue: days, interestCents: interest, compensationCents: compensation });
          }
          const principal = lines.reduce((s, l) => s + l.balanceCents, 0);
          const interest = lines.reduce((s, l) => s + l.interestCents, 0);
          const compensation = lines.reduce((s, l) => s + l.compensationCents, 0);
          await exec(
            m,
            `INSERT INTO dunning_letter (id, company_id, counterparty_kind, counterparty_id, counterparty_name, level, letter_date, principal_cents, interest_cents, compensation_cents, file_id, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
            [id, companyId, g.kind, g.id, g.name, g.level.level, asOf, principal, interest, compensation, at, user.id],
          );
          for (const l of lines) {
            await exec(m, `INSERT INTO dunning_letter_item (letter_id, item_id, balance_cents, days_past_due, interest_cents, compensation_cents) VALUES (?, ?, ?, ?, ?, ?)`, [id, l.itemId, l.balanceCents, l.daysPastDue, l.interestCents, l.compensationCents]);
            await exec(m, `UPDATE open_item SET dunning_level = ?, last_dunned_on = ?, updated_at = ? WHERE id = ?`, [g.level.level, asOf, at, l.itemId]);
          }
          letters.push({ id, companyId, counterpartyKind: g.kind, counterpartyId: g.id, counterpartyName: g.name, level: g.level.level, letterDate: asOf, principalCents: principal, interestCents: interest, compensationCents: compensation, fileId: null, items: lines });
        }
        // Credit control: every counterparty with something owed here, and every one with a row.
        const cps = await all<{ k: string; i: string }>(
          m,
          `SELECT DISTINCT counterparty_kind AS k, counterparty_id AS i FROM open_item WHERE company_id = ? AND side = 'receivable' AND cancelled = ? AND balance_cents > 0
           UNION SELECT counterparty_kind AS k, counterparty_id AS i FROM credit_control WHERE company_id = ?`,
          [companyId, false, companyId],
        );
        let blocked = 0;
        let unblocked = 0;
        let version = 0;
        for (const cp of cps) {
          const r = await recomputeCreditControl(m, clock, companyId, cp.k, cp.i, asOf);
          if (r.changed && r.blocked) blocked++;
          else if (r.changed) unblocked++;
          version = Math.max(version, r.feedVersion);
        }
        await recordAudit(m, clock, { actor: actorOf(user), action: 'dunning.run', entity: 'company', entityId: companyId, companyId, after: { asOf, letters: letters.length, blocked, unblocked } });
        return { letters, levels, blocked, unblocked, version };
      });
      if (result.version > 0) nudge(result.version);
      // The PDFs, once the letters are committed (the files area writes on its own).
      for (const letter of result.letters) {
        const level = result.levels.find((l) => l.level === letter.level)!;
        const pdf = await renderDunningLetterPdf({ company: { legalName: company.legal_name, nif: company.nif }, letter, level, language });
        const f = await files.save({ name: `reclamacion-${letter.letterDate}-${letter.id}.pdf`, mediaType: 'application/pdf', purpose: 'dunning_letter', owner: { companyId, storeId: null, createdBy: user.id }, data: pdf });
        letter.fileId = f.id;
        await writeTransaction(ds, (m) => exec(m, `UPDATE dunning_letter SET file_id = ? WHERE id = ?`, [f.id, letter.id]));
      }
      return { asOf, letters: result.letters, blocked: result.blocked, unblocked: result.unblocked };
    },

    async letters(user: AuthUser, q: { companyId?: string | undefined; from?: string | undefined; to?: string | undefined }) {
      const scope = companyScope(user, q.companyId);
      if (!scope) return { items: [] };
      const { conds, params } = scope;
      if (q.from) { conds.push('letter_date >= ?'); params.push(q.from); }
      if (q.to) { conds.push('letter_date <= ?'); params.push(q.to); }
      return { items: await lettersWhere(ds.manager, conds.length ? conds.join(' AND ') : '1 = 1', params) };
    },

    async itemHistory(user: AuthUser, itemId: string) {
      const item = await one<{ company_id: string; dunning_level: unknown; last_dunned_on: string | null }>(ds.manager, `SELECT company_id, dunning_level, last_dunned_on FROM open_item WHERE id = ?`, [itemId]);
      if (!item) throw refused(404, 'OPEN_ITEM_NOT_FOUND', 'vencimiento no encontrado / open item not found', 'id');
      checkCompany(user, item.company_id);
      const letters = await lettersWhere(ds.manager, `id IN (SELECT letter_id FROM dunning_letter_item WHERE item_id = ?)`, [itemId]);
      return { itemId, dunningLevel: Number(item.dunning_level), lastDunnedOn: item.last_dunned_on ?? null, letters };
    },

    async creditControl(user: AuthUser, q: { companyId?: string | undefined; blocked?: 'true' | 'false' | undefined }) {
      const scope = companyScope(user, q.companyId);
      if (!scope) return { items: [] };
      const { conds, params } = scope;
      if (q.blocked) { conds.push('blocked = ?'); params.push(q.blocked === 'true'); }
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT * FROM credit_control WHERE ${conds.length ? conds.join(' AND ') : '1 = 1'} ORDER BY blocked DESC, counterparty_name, counterparty_id LIMIT 1000`, params);
      return { items: rows.map(controlOf) };
    },

    /** Sets (or clears) this company's credit limit for a counterparty, then re-assesses its block on today. */
    async setLimit(user: AuthUser, b: { companyId: string; counterpartyKind: string; counterpartyId: string; creditLimitCents: number | null }) {
      checkCompany(user, b.companyId);
      const out = await writeTransaction(ds, async (m) => {
        await companyExists(m, b.companyId);
        const key = [b.companyId, b.counterpartyKind, b.counterpartyId];
        const row = await one<Record<string, unknown>>(m, `SELECT * FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, key);
        if (row) await exec(m, `UPDATE credit_control SET credit_limit_cents = ? WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [b.creditLimitCents, ...key]);
        else {
          const known = b.counterpartyKind === 'customer'
            ? await one<{ name: string }>(m, `SELECT name FROM customer WHERE id = ?`, [b.counterpartyId])
            : b.counterpartyKind === 'company'
              ? await one<{ name: string }>(m, `SELECT legal_name AS name FROM company WHERE id = ?`, [b.counterpartyId])
              : await one<{ name: string }>(m, `SELECT counterparty_name AS name FROM open_item WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, key);
          if (!known) throw refused(422, 'REFERENCE_UNKNOWN', `contraparte desconocida / unknown counterparty ${b.counterpartyId}`, 'counterpartyId');
          await exec(m, `INSERT INTO credit_control (company_id, counterparty_kind, counterparty_id, counterparty_name, credit_limit_cents, exposure_cents, blocked, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)`, [...key, known.name, b.creditLimitCents, false, iso(clock)]);
        }
        const r = await recomputeCreditControl(m, clock, b.companyId, b.counterpartyKind, b.counterpartyId, today(clock));
        await recordAudit(m, clock, { actor: actorOf(user), action: 'credit_control.limit', entity: 'credit_control', entityId: `${b.counterpartyKind}:${b.counterpartyId}`, companyId: b.companyId, before: row ? controlOf(row) : null, after: { creditLimitCents: b.creditLimitCents, blocked: r.blocked } });
        const after = await one<Record<string, unknown>>(m, `SELECT * FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, key);
        return { row: controlOf(after!), version: r.feedVersion };
      });
      if (out.version > 0) nudge(out.version);
      return out.row;
    },

    /** A manager releases a counterparty: sales on account allowed again from `releasedOn` to `until`. */
    async release(user: AuthUser, b: { companyId: string; counterpartyKind: string; counterpartyId: string; releasedOn?: string | undefined; until: string | null; note: string }) {
      checkCompany(user, b.companyId);
      const on = b.releasedOn ?? today(clock);
      if (b.until !== null && b.until < on) throw refused(422, 'BLOCK_DATE_INVALID', 'la liberación acaba antes de empezar / the release ends before it starts', 'until');
      const out = await writeTransaction(ds, async (m) => {
        await companyExists(m, b.companyId);
        const row = await one<Record<string, unknown>>(m, `SELECT * FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [b.companyId, b.counterpartyKind, b.counterpartyId]);
        if (!row) throw refused(404, 'CREDIT_CONTROL_NOT_FOUND', 'no hay control de crédito para esa contraparte / no credit control for that counterparty', 'counterpartyId');
        await exec(m, `UPDATE credit_control SET released_on = ?, released_until = ?, released_by = ?, release_note = ? WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [on, b.until, user.id, b.note, b.companyId, b.counterpartyKind, b.counterpartyId]);
        const r = await recomputeCreditControl(m, clock, b.companyId, b.counterpartyKind, b.counterpartyId, on);
        await recordAudit(m, clock, { actor: actorOf(user), action: 'credit_control.release', entity: 'credit_control', entityId: `${b.counterpartyKind}:${b.counterpartyId}`, companyId: b.companyId, before: controlOf(row), after: { releasedOn: on, until: b.until, note: b.note, blocked: r.blocked } });
        const after = await one<Record<string, unknown>>(m, `SELECT * FROM credit_control WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ?`, [b.companyId, b.counterpartyKind, b.counterpartyId]);
        return { row: controlOf(after!), version: r.feedVersion };
      });
      if (out.version > 0) nudge(out.version);
      return out.row;
    },
  };
}
