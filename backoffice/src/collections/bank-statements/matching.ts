/**
 * Reconciliation of bank movements with the ledger (issue 13). For each unmatched movement of a company, in
 * this order:
 *
 * 1. a credit equal to a SEPA remittance's total → that remittance is settled (only when the `remittance`
 *    table exists and the remittances part registered its settler with `setRemittanceSettler`; else skipped);
 * 2. a cash deposit with a Z reference (`ZM001-20261102`: store code + business date, in the references or
 *    the concepts) → the store's cash sessions of that business day (`cash_session_summary`): matched, with
 *    what the sessions say should have been deposited (`expected_cents`) beside it; no payment;
 * 3. a document number of an open item (an invoice we issued for a credit, a supplier's number for a debit)
 *    among the references/concepts → that document's items, oldest due first; what is left is credit;
 * 4. the amount equal to an item's balance and the counterparty named in the movement (its IBAN, or its
 *    name in the concepts) → the oldest such item.
 *
 * Each match of 3/4 (and each manual match) is a `payment` (source `bank_movement` + the movement id, unique:
 * a movement settles once) with its allocations, each through `appendItemPosting` (a `collected` posting).
 * Credits (> 0) settle receivables, debits (< 0) payables.
 *
 * A statement has thousands of movements: the automatic matching decides every match in memory first, then
 * writes them in a few statements (`writeMatches`): the items touched are locked and their postings read once,
 * each new posting is checked with the same pure rules `appendItemPosting` applies (checkPosting, statusOf),
 * and payments, postings, allocations, the items' balances/statuses and the movements are written in bulk —
 * balance = Σ postings holds as with `appendItemPosting` (a manual match goes through `appendItemPosting`).
 */
import type { Clock } from '@tpv/shared/clock';
import { checkPosting, signedAmount, statusOf, type OpenItemPosting, type PostingKind } from '@tpv/shared/collections/open-items';
import { appendItemPosting, type CounterpartyKind, type Side } from '../ledger';
import { creditControlAfterPosting } from '../dunning/service';
import { documentPosted } from '../../platform/document-events';
import { nextDocumentNumber } from '../../platform/numbering';
import { newRowId } from '../../persistence/row-id';
import { all, bool, exec, forUpdate, inList, isPostgres, one, type Db } from '../../persistence/sql';

/** The remittances part settles a remittance whose total equals a bank credit; answers its id, or null. */
export type RemittanceSettler = (
  m: Db,
  clock: Clock,
  q: { companyId: string; amountCents: number; onDate: string; movementId: string; text: string },
  by: string | null,
) => Promise<string | null>;
let remittanceSettler: RemittanceSettler | null = null;
/** Hook for the SEPA remittances part (it owns the `remittance` table). */
export function setRemittanceSettler(fn: RemittanceSettler | null): RemittanceSettler | null {
  const before = remittanceSettler;
  remittanceSettler = fn;
  return before;
}

export interface MovementRow {
  id: string;
  company_id: string;
  operation_date: string;
  amount_cents: unknown;
  document: string;
  reference1: string;
  reference2: string;
  concepts: string;
}

interface LiveItem {
  id: string;
  side: Side;
  ref: string;
  ckind: CounterpartyKind;
  cid: string;
  cname: string;
  due: string;
  balance: number;
}

export interface Counterpart {
  kind: CounterpartyKind;
  id: string;
  name: string | null;
}

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
/** Upper case, no accents, no dots (S.L. = SL), only letters/digits separated by one space. */
export const normName = (s: string) =>
  ` ${s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\./g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()} `;
const normRef = (s: string) => s.toUpperCase().replace(/\s+/g, '');
const textOf = (mv: MovementRow) => [mv.reference1, mv.reference2, mv.document, mv.concepts.replace(/\n/g, ' ')].join(' ').toUpperCase();

/** Writes a payment for a bank movement with its allocations (each a `collected` posting). Answers its id. */
export async function paymentForMovement(
  m: Db,
  clock: Clock,
  p: { companyId: string; side: Side; counterparty: Counterpart; amountCents: number; onDate: string; reference: string; movementId: string; note?: string | null },
  allocations: ReadonlyArray<{ itemId: string; amountCents: number }>,
  by: string | null,
): Promise<{ id: string; number: string }> {
  const year = Number(p.onDate.slice(0, 4));
  const type = p.side === 'receivable' ? 'COB' : 'PAG';
  const n = await nextDocumentNumber(m, p.companyId, type, year);
  const number = `${type}-${year}-${String(n).padStart(6, '0')}`;
  const allocated = allocations.reduce((s, a) => s + a.amountCents, 0);
  const id = newRowId(clock);
  const at = iso(clock);
  await exec(
    m,
    `INSERT INTO payment (id, company_id, side, number, counterparty_kind, counterparty_id, counterparty_name, method, amount_cents, allocated_cents, refunded_cents, credit_cents, received_on, reference, note, status, source_kind, source_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'transfer', ?, ?, 0, ?, ?, ?, ?, 'posted', 'bank_movement', ?, ?, ?)`,
    [id, p.companyId, p.side, number, p.counterparty.kind, p.counterparty.id, p.counterparty.name, p.amountCents, allocated, p.amountCents - allocated, p.onDate, p.reference.slice(0, 140), p.note ?? null, p.movementId, at, by],
  );
  // The rest is the counterparty's credit, dated like every credit a payment holds (payments/service.ts).
  if (p.amountCents > allocated) {
    await exec(m, `INSERT INTO payment_credit_movement (id, payment_id, kind, amount_cents, on_date, created_at, created_by) VALUES (?, ?, 'received', ?, ?, ?, ?)`, [newRowId(clock), id, p.amountCents - allocated, p.onDate, at, by]);
  }
  for (const a of allocations) {
    const posted = await appendItemPosting(m, clock, a.itemId, { kind: 'collected', amountCents: a.amountCents, onDate: p.onDate, sourceKind: 'payment', sourceId: id, note: `banco / bank ${p.reference}`.slice(0, 200) }, by);
    await exec(m, `INSERT INTO payment_allocation (id, payment_id, item_id, posting_id, amount_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [newRowId(clock), id, a.itemId, posted.postingId, a.amountCents, at]);
  }
  await documentPosted(m, clock, { type: 'payment.recorded', paymentId: id }, by);
  return { id, number };
}

async function tableExists(m: Db, table: string): Promise<boolean> {
  if (isPostgres(m)) return Boolean((await one<{ t: unknown }>(m, `SELECT to_regclass(?) AS t`, [table]))?.t);
  return Boolean(await one(m, `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, [table]));
}

/** Runs the automatic matching over the given movements (all of one company); answers how many matched. */
export async function autoMatch(m: Db, clock: Clock, companyId: string, movements: readonly MovementRow[], by: string | null): Promise<number> {
  if (movements.length === 0) return 0;
  const pg = isPostgres(m);
  const items = (
    await all<{ id: string; side: Side; document_ref: string; counterparty_kind: CounterpartyKind; counterparty_id: string; counterparty_name: string | null; due_date: string; balance_cents: unknown }>(
      m,
      `SELECT id, side, document_ref, counterparty_kind, counterparty_id, counterparty_name, due_date, balance_cents FROM open_item
        WHERE company_id = ? AND cancelled = ${pg ? 'false' : '0'} AND balance_cents > 0 ORDER BY due_date, id`,
      [companyId],
    )
  ).map((r): LiveItem => ({ id: r.id, side: r.side, ref: normRef(r.document_ref), ckind: r.counterparty_kind, cid: r.counterparty_id, cname: r.counterparty_name ?? '', due: r.due_date, balance: Number(r.balance_cents) }));
  const byRef = new Map<string, LiveItem[]>();
  const byAmount = new Map<string, LiveItem[]>();
  for (const it of items) {
    const k = `${it.side}:${it.ref}`;
    (byRef.get(k) ?? byRef.set(k, []).get(k)!).push(it);
    const a = `${it.side}:${it.balance}`;
    (byAmount.get(a) ?? byAmount.set(a, []).get(a)!).push(it);
  }
  const ibans = new Map<string, string>();
  for (const r of await all<{ kind: string; id: string; iban: string }>(m, `SELECT 'company' AS kind, id, iban FROM company WHERE iban IS NOT NULL UNION ALL SELECT 'supplier' AS kind, id, iban FROM supplier WHERE iban IS NOT NULL`)) {
    ibans.set(r.iban.replace(/\s+/g, '').toUpperCase(), `${r.kind}:${r.id}`);
  }
  const stores = new Map((await all<{ id: string; code: string }>(m, `SELECT id, code FROM store WHERE company_id = ?`, [companyId])).map((s) => [s.code.toUpperCase(), s.id]));
  const remittances = remittanceSettler !== null && (await tableExists(m, 'remittance'));
  const at = iso(clock);
  let matched = 0;
  const planned: PlannedMatch[] = [];

  const markMatched = (mvId: string, kind: string, cols: Record<string, unknown>) => {
    const names = Object.keys(cols);
    return exec(
      m,
      `UPDATE bank_movement SET status = 'matched', match_kind = ?, matched_at = ?, matched_by = ?${names.map((n) => `, ${n} = ?`).join('')} WHERE id = ? AND status = 'unmatched'`,
      [kind, at, by, ...names.map((n) => cols[n]), mvId],
    );
  };

  for (const mv of movements) {
    const signed = Number(mv.amount_cents);
    if (signed === 0) continue;
    const side: Side = signed > 0 ? 'receivable' : 'payable';
    const amount = Math.abs(signed);
    const text = textOf(mv);

    // 1. A remittance settled by the bank.
    if (remittances && signed > 0) {
      const rid = await remittanceSettler!(m, clock, { companyId, amountCents: amount, onDate: mv.operation_date, movementId: mv.id, text }, by);
      if (rid) {
        await markMatched(mv.id, 'remittance', { remittance_id: rid });
        matched++;
        continue;
      }
    }

    // 2. A cash deposit of a store's takings (Z reference).
    const z = signed > 0 ? /(?:^|[^A-Z0-9])Z([A-Z0-9]{2,12})-(\d{4})(\d{2})(\d{2})(?![0-9])/.exec(text) : null;
    const storeId = z ? stores.get(z[1]!) : undefined;
    if (z && storeId) {
      const day = `${z[2]}-${z[3]}-${z[4]}`;
      const sessions = await all<{ totals: string }>(
        m,
        `SELECT c.totals FROM cash_session_summary c WHERE EXISTS (SELECT 1 FROM sale_ticket t WHERE t.terminal_id = c.terminal_id AND t.session_id = c.session_id AND t.store_id = ? AND t.business_date = ?)`,
        [storeId, day],
      );
      if (sessions.length > 0) {
        const expected = sessions.reduce((s, r) => s + Number((JSON.parse(r.totals) as { cashNetCents?: number }).cashNetCents ?? 0), 0);
        const diff = amount - expected;
        const note = diff === 0 ? null : `diferencia con el arqueo / difference with the cash count: ${(diff / 100).toFixed(2)}`;
        await markMatched(mv.id, 'cash_deposit', { store_id: storeId, business_date: day, expected_cents: expected, note });
        matched++;
        continue;
      }
    }

    // 3. A document number in the references or concepts.
    let chosen: { items: LiveItem[]; kind: 'reference' | 'amount' } | null = null;
    for (const token of text.split(/[\s,;:()]+/)) {
      if (token.length < 3) continue;
      const found = byRef.get(`${side}:${token}`)?.filter((i) => i.balance > 0);
      if (found && found.length > 0) {
        chosen = { items: found, kind: 'reference' };
        break;
      }
    }
    // 4. The amount of an item's balance, and its counterparty named in the movement.
    if (!chosen) {
      const candidates = (byAmount.get(`${side}:${amount}`) ?? []).filter((i) => i.balance === amount);
      if (candidates.length > 0) {
        const named = normName(text);
        const ibanIds = new Set<string>();
        for (const iban of text.match(/[A-Z]{2}\d{2}[A-Z0-9]{10,30}/g) ?? []) {
          const who = ibans.get(iban);
          if (who) ibanIds.add(who);
        }
        const hit = candidates.find((i) => ibanIds.has(`${i.ckind}:${i.cid}`) || (i.cname.trim().length >= 4 && named.includes(normName(i.cname))));
        if (hit) chosen = { items: [hit], kind: 'amount' };
      }
    }
    if (!chosen) continue;

    const first = chosen.items[0]!;
    const sameParty = chosen.items.filter((i) => i.ckind === first.ckind && i.cid === first.cid);
    let left = amount;
    const allocations: Array<{ item: LiveItem; amountCents: number }> = [];
    for (const it of sameParty) {
      if (left <= 0) break;
      const take = Math.min(left, it.balance);
      if (take <= 0) continue;
      allocations.push({ item: it, amountCents: take });
      left -= take;
      it.balance -= take;
    }
    planned.push({ mv, side, amount, kind: chosen.kind, counterparty: { kind: first.ckind, id: first.cid, name: first.cname || null }, allocations });
  }
  matched += await writeMatches(m, clock, companyId, planned, by);
  return matched;
}

interface PlannedMatch {
  mv: MovementRow;
  side: Side;
  amount: number;
  kind: 'reference' | 'amount';
  counterparty: Counterpart;
  allocations: Array<{ item: LiveItem; amountCents: number }>;
}

const referenceOf = (mv: Pick<MovementRow, 'reference1' | 'reference2' | 'id'>) => [mv.reference1, mv.reference2].filter((r) => r && !/^0+$/.test(r)).join(' ') || mv.id;

/** Rows in chunks on SQLite; on PostgreSQL one statement over `unnest` of one array per column (`name:type`). */
async function insertRows(m: Db, table: string, typed: readonly string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const cols = typed.map((c) => c.split(':')[0]!);
  if (isPostgres(m)) {
    const arrays = typed.map((c) => `CAST(? AS ${c.split(':')[1] ?? 'varchar'}[])`).join(', ');
    await exec(m, `INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${arrays})`, cols.map((_, k) => rows.map((r) => r[k])));
    return;
  }
  const chunk = Math.max(1, Math.floor(4000 / cols.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await exec(m, `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${part.map(() => `(${inList(cols.length)})`).join(', ')}`, part.flat());
  }
}

/**
 * `UPDATE table SET … FROM (rows) WHERE id = …`: on PostgreSQL one statement over `unnest` of one array per
 * column (a join of hundreds of UNION ALL rows is planned badly there); on SQLite UNION ALL chunks.
 */
async function updateRows(m: Db, table: string, cols: ReadonlyArray<readonly [string, string]>, rows: unknown[][], extra: { set: string; params: unknown[] }): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgres(m)) {
    const set = cols.slice(1).map(([c]) => `${c} = v.${c}`).join(', ');
    const arrays = cols.map(([, t]) => `CAST(? AS ${t.replace(/\(.*\)/, '')}[])`).join(', ');
    await exec(m, `UPDATE ${table} SET ${set}, ${extra.set} FROM unnest(${arrays}) AS v(${cols.map(([c]) => c).join(', ')}) WHERE ${table}.${cols[0]![0]} = v.${cols[0]![0]}`, [...extra.params, ...cols.map((_, k) => rows.map((r) => r[k]))]);
    return;
  }
  // SQLite allows 500 terms in a compound SELECT.
  const chunk = Math.min(400, Math.max(1, Math.floor(3000 / cols.length)));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const select = (first: boolean) => `SELECT ${cols.map(([c, t]) => `CAST(? AS ${t})${first ? ` AS ${c}` : ''}`).join(', ')}`;
    const values = part.map((_, k) => select(k === 0)).join(' UNION ALL ');
    const set = cols.slice(1).map(([c]) => `${c} = v.${c}`).join(', ');
    await exec(m, `UPDATE ${table} SET ${set}, ${extra.set} FROM (${values}) AS v WHERE ${table}.${cols[0]![0]} = v.${cols[0]![0]}`, [...extra.params, ...part.flat()]);
  }
}

/** Writes the planned matches in bulk (see the header); answers how many were written. */
async function writeMatches(m: Db, clock: Clock, companyId: string, planned: readonly PlannedMatch[], by: string | null): Promise<number> {
  if (planned.length === 0) return 0;
  const at = iso(clock);
  // Lock the items and read their postings once.
  const itemIds = [...new Set(planned.flatMap((p) => p.allocations.map((a) => a.item.id)))];
  const cancelled = new Map<string, boolean>();
  const postings = new Map<string, OpenItemPosting[]>(itemIds.map((id) => [id, []]));
  for (let i = 0; i < itemIds.length; i += 500) {
    const part = itemIds.slice(i, i + 500);
    for (const r of await all<{ id: string; cancelled: unknown }>(m, `SELECT id, cancelled FROM open_item WHERE id IN (${inList(part.length)}) ORDER BY id${forUpdate(m)}`, part)) cancelled.set(r.id, bool(r.cancelled));
    for (const r of await all<{ item_id: string; id: string; kind: PostingKind; amount_cents: unknown; on_date: string }>(m, `SELECT item_id, id, kind, amount_cents, on_date FROM open_item_posting WHERE item_id IN (${inList(part.length)}) ORDER BY created_at, id`, part)) {
      postings.get(r.item_id)!.push({ kind: r.kind, amountCents: Number(r.amount_cents), on: r.on_date, ref: r.id });
    }
  }
  // Check every new posting with the ledger's rules; a match with one refused posting is left unmatched.
  const accepted: PlannedMatch[] = [];
  for (const p of planned) {
    const trial = new Map<string, OpenItemPosting[]>();
    const ok = p.allocations.every((a) => {
      const list = trial.get(a.item.id) ?? [...postings.get(a.item.id)!];
      const posting: OpenItemPosting = { kind: 'collected', amountCents: a.amountCents, on: p.mv.operation_date };
      if (!checkPosting({ cancelled: cancelled.get(a.item.id) ?? true, postings: list }, posting).ok) return false;
      list.push(posting);
      trial.set(a.item.id, list);
      return true;
    });
    if (!ok) continue;
    for (const [id, list] of trial) postings.set(id, list);
    accepted.push(p);
  }
  // Payment numbers: one counter step per (type, year) for all of them.
  const counters = new Map<string, number>();
  for (const p of accepted) {
    const k = `${p.side === 'receivable' ? 'COB' : 'PAG'}:${p.mv.operation_date.slice(0, 4)}`;
    counters.set(k, (counters.get(k) ?? 0) + 1);
  }
  const next = new Map<string, number>();
  for (const [k, n] of counters) {
    const [type, year] = k.split(':') as [string, string];
    const row = await one<{ last_number: unknown }>(
      m,
      `INSERT INTO document_counter (company_id, document_type, year, last_number) VALUES (?, ?, ?, ?)
       ON CONFLICT (company_id, document_type, year) DO UPDATE SET last_number = document_counter.last_number + ? RETURNING last_number`,
      [companyId, type, Number(year), n, n],
    );
    next.set(k, Number(row!.last_number) - n + 1);
  }
  const payments: unknown[][] = [];
  const newPostings: unknown[][] = [];
  const allocations: unknown[][] = [];
  const movements: unknown[][] = [];
  const creditMoves: unknown[][] = [];
  for (const p of accepted) {
    const type = p.side === 'receivable' ? 'COB' : 'PAG';
    const year = p.mv.operation_date.slice(0, 4);
    const k = `${type}:${year}`;
    const n = next.get(k)!;
    next.set(k, n + 1);
    const id = newRowId(clock);
    const allocated = p.allocations.reduce((s, a) => s + a.amountCents, 0);
    const reference = referenceOf(p.mv);
    payments.push([id, companyId, p.side, `${type}-${year}-${String(n).padStart(6, '0')}`, p.counterparty.kind, p.counterparty.id, p.counterparty.name, 'transfer', p.amount, allocated, 0, p.amount - allocated, p.mv.operation_date, reference.slice(0, 140), null, 'posted', 'bank_movement', p.mv.id, at, by]);
    for (const a of p.allocations) {
      const postingId = newRowId(clock);
      newPostings.push([postingId, a.item.id, 'collected', a.amountCents, -a.amountCents, p.mv.operation_date, 'payment', id, `banco / bank ${reference}`.slice(0, 200), at, by]);
      allocations.push([newRowId(clock), id, a.item.id, postingId, a.amountCents, at]);
    }
    if (p.amount > allocated) creditMoves.push([newRowId(clock), id, 'received', p.amount - allocated, p.mv.operation_date, at, by]);
    movements.push([p.mv.id, p.kind, id]);
  }
  await insertRows(m, 'payment', ['id', 'company_id', 'side', 'number', 'counterparty_kind', 'counterparty_id', 'counterparty_name', 'method', 'amount_cents:bigint', 'allocated_cents:bigint', 'refunded_cents:bigint', 'credit_cents:bigint', 'received_on', 'reference', 'note:text', 'status', 'source_kind', 'source_id', 'created_at', 'created_by'], payments);
  await insertRows(m, 'open_item_posting', ['id', 'item_id', 'kind', 'amount_cents:bigint', 'signed_cents:bigint', 'on_date', 'source_kind', 'source_id', 'note:text', 'created_at', 'created_by'], newPostings);
  await insertRows(m, 'payment_allocation', ['id', 'payment_id', 'item_id', 'posting_id', 'amount_cents:bigint', 'created_at'], allocations);
  await insertRows(m, 'payment_credit_movement', ['id', 'payment_id', 'kind', 'amount_cents:bigint', 'on_date', 'created_at', 'created_by'], creditMoves);
  const touched = new Set(accepted.flatMap((p) => p.allocations.map((a) => a.item.id)));
  const items = [...touched].map((id) => {
    const list = postings.get(id)!;
    return [id, list.reduce((s, x) => s + signedAmount(x), 0), statusOf(list)];
  });
  await updateRows(m, 'open_item', [['id', 'varchar(36)'], ['balance_cents', 'bigint'], ['status', 'varchar(12)']], items, { set: 'updated_at = ?', params: [at] });
  await updateRows(m, 'bank_movement', [['id', 'varchar(36)'], ['match_kind', 'varchar(14)'], ['payment_id', 'varchar(36)']], movements, { set: `status = 'matched', matched_at = ?, matched_by = ?`, params: [at, by] });
  // The bulk insert bypasses the payments API: each payment still announces itself (its entry, once).
  for (const p of payments) await documentPosted(m, clock, { type: 'payment.recorded', paymentId: String(p[0]) }, by);
  // Credit control, as appendItemPosting does posting by posting: a counterparty under watch (e.g. blocked by
  // dunning) is re-assessed once it has paid — one item of each such counterparty, once.
  const paidBy = new Map<string, string>();
  for (const p of accepted) for (const a of p.allocations) if (a.item.side === 'receivable') paidBy.set(`${a.item.ckind}|${a.item.cid}`, a.item.id);
  if (paidBy.size > 0) {
    const watched = await all<{ counterparty_kind: string; counterparty_id: string }>(m, `SELECT counterparty_kind, counterparty_id FROM credit_control WHERE company_id = ?`, [companyId]);
    for (const w of watched) {
      const itemId = paidBy.get(`${w.counterparty_kind}|${w.counterparty_id}`);
      if (itemId) await creditControlAfterPosting(m, clock, itemId);
    }
  }
  return accepted.length;
}
