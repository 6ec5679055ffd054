/**
 * Collections and payments → each company's journal, in the document's transaction (document events from
 * backoffice/src/collections): a payment recorded (by hand, from a bank movement, a supplier transfer batch),
 * voided or refunded; a SEPA remittance settled by the bank; a direct debit returned; a bad debt written off.
 *
 * Exactly once per document: every entry has a source key (`payment:<id>`, `remittance:<id>`,
 * `remittance_return:<line>`, `write_off:<id>`, `payment_refund:<movement>`), and a payment that a remittance
 * settled posts nothing of its own — the remittance's entry holds it (one bank line for the bank's one credit).
 */
import type { Clock } from '@tpv/shared/clock';
import type { DocumentReaction } from '../../platform/document-events';
import { all, num, one, type Db } from '../../persistence/sql';
import { postEntry, reverseEntry, type PostedEntry } from '../core/journal';
import { rulesOf } from '../core/rules';
import { debitReturnLines, paymentLines, refundLines, remittanceSettledLines, voidLines, writeOffLines, type Counterparty, type PaymentFacts, type Side } from './lines';

/** The counterparty as the open items name it, with the NIF its sub-account is opened with. */
async function counterpartyOf(m: Db, kind: string, id: string, name: string | null): Promise<Counterparty> {
  const k = kind as Counterparty['kind'];
  if (k === 'other') {
    const nif = id.startsWith('nif:') ? id.slice(4) || null : null;
    return { kind: k, id, name: name ?? nif ?? id, nif };
  }
  const table = k === 'company' ? 'company' : k === 'customer' ? 'customer' : 'supplier';
  const r = await one<{ nif: string | null; n: string | null }>(m, `SELECT nif, ${k === 'company' ? 'legal_name' : 'name'} AS n FROM ${table} WHERE id = ?`, [id]);
  return { kind: k, id, name: name ?? r?.n ?? id, nif: r?.nif ?? null };
}

async function paymentFacts(m: Db, paymentId: string): Promise<(PaymentFacts & { sourceKind: string | null; sourceId: string | null; status: string }) | null> {
  const p = await one<Record<string, unknown>>(
    m,
    `SELECT id, company_id, side, number, method, amount_cents, received_on, counterparty_kind, counterparty_id, counterparty_name, source_kind, source_id, status FROM payment WHERE id = ?`,
    [paymentId],
  );
  if (!p) return null;
  const stores = await all<{ store_id: string | null; c: unknown }>(
    m,
    `SELECT i.store_id, SUM(a.amount_cents) AS c FROM payment_allocation a JOIN open_item i ON i.id = a.item_id WHERE a.payment_id = ? GROUP BY i.store_id ORDER BY i.store_id`,
    [paymentId],
  );
  const amount = num(p.amount_cents)!;
  const byStore = stores.map((s) => ({ storeId: s.store_id ?? null, cents: num(s.c)! }));
  const rest = amount - byStore.reduce((s, b) => s + b.cents, 0);
  const none = byStore.find((b) => b.storeId === null);
  if (none) none.cents += rest;
  else if (rest !== 0) byStore.push({ storeId: null, cents: rest });
  return {
    id: String(p.id),
    companyId: String(p.company_id),
    side: p.side as Side,
    number: String(p.number),
    method: String(p.method),
    amountCents: amount,
    receivedOn: String(p.received_on),
    counterparty: await counterpartyOf(m, String(p.counterparty_kind), String(p.counterparty_id), (p.counterparty_name as string | null) ?? null),
    byStore,
    sourceKind: (p.source_kind as string | null) ?? null,
    sourceId: (p.source_id as string | null) ?? null,
    status: String(p.status),
  };
}

const label = (side: Side) => (side === 'receivable' ? 'Cobro' : 'Pago');

/** A payment recorded: its entry (once). A direct debit a remittance settled is in the remittance's entry. */
export async function postPaymentRecorded(m: Db, clock: Clock, paymentId: string, by: string | null): Promise<PostedEntry | null> {
  const p = await paymentFacts(m, paymentId);
  if (!p || p.sourceKind === 'remittance_item') return null;
  return postEntry(m, clock, {
    companyId: p.companyId,
    date: p.receivedOn,
    kind: 'payment',
    description: `${label(p.side)} ${p.number} · ${p.counterparty.name}`,
    lines: paymentLines(p, await rulesOf(m, p.companyId)),
    source: { type: 'payment', id: p.id, ref: p.number },
    mode: 'document',
    by,
  });
}

/** The remittance entry that holds a direct debit's payment, if the remittance posted. */
async function remittanceEntryOf(m: Db, companyId: string, lineId: string): Promise<string | null> {
  const r = await one<{ id: string }>(
    m,
    `SELECT e.id FROM remittance_item ri JOIN acc_entry e ON e.company_id = ? AND e.source_key = 'remittance:' || ri.remittance_id WHERE ri.id = ?`,
    [companyId, lineId],
  );
  return r?.id ?? null;
}

/**
 * A payment voided: its own entry reversed on the void date; a direct debit held by its remittance's entry gets
 * an entry the other way round for its amount. A payment that never posted (recorded before the books) posts nothing.
 */
export async function postPaymentVoided(m: Db, clock: Clock, paymentId: string, by: string | null): Promise<PostedEntry | null> {
  const p = await paymentFacts(m, paymentId);
  if (!p) return null;
  const on =
    (await one<{ d: string }>(m, `SELECT on_date AS d FROM open_item_posting WHERE source_kind = 'payment_cancel' AND source_id = ? ORDER BY created_at LIMIT 1`, [paymentId]))?.d ??
    (await one<{ d: string }>(m, `SELECT on_date AS d FROM payment_credit_movement WHERE payment_id = ? AND kind = 'cancelled' ORDER BY created_at LIMIT 1`, [paymentId]))?.d ??
    p.receivedOn;
  const own = await one<{ id: string; reversed_by_id: string | null }>(m, `SELECT id, reversed_by_id FROM acc_entry WHERE company_id = ? AND source_key = ?`, [p.companyId, `payment:${paymentId}`]);
  if (own) {
    if (own.reversed_by_id) return null;
    return reverseEntry(m, clock, own.id, by, { date: on, reason: `${label(p.side)} ${p.number} anulado` });
  }
  if (p.sourceKind !== 'remittance_item' || !p.sourceId || !(await remittanceEntryOf(m, p.companyId, p.sourceId))) return null;
  return postEntry(m, clock, {
    companyId: p.companyId,
    date: on,
    kind: 'payment',
    description: `Anulación ${label(p.side).toLowerCase()} ${p.number} · ${p.counterparty.name}`,
    lines: voidLines(p, await rulesOf(m, p.companyId)),
    source: { type: 'payment_void', id: p.id, ref: p.number },
    mode: 'document',
    by,
  });
}

/** Credit a payment held, paid back to the counterparty (one refund movement). */
export async function postPaymentRefunded(m: Db, clock: Clock, paymentId: string, movementId: string, by: string | null): Promise<PostedEntry | null> {
  const p = await paymentFacts(m, paymentId);
  const mv = await one<{ amount_cents: unknown; on_date: string; kind: string }>(m, `SELECT amount_cents, on_date, kind FROM payment_credit_movement WHERE id = ? AND payment_id = ?`, [movementId, paymentId]);
  if (!p || !mv || mv.kind !== 'refunded') return null;
  return postEntry(m, clock, {
    companyId: p.companyId,
    date: mv.on_date,
    kind: 'payment',
    description: `Devolución de anticipo ${p.number} · ${p.counterparty.name}`,
    lines: refundLines(p, -num(mv.amount_cents)!, await rulesOf(m, p.companyId)),
    source: { type: 'payment_refund', id: movementId, ref: p.number },
    mode: 'document',
    by,
  });
}

/** The bank's credit for a remittance: one entry, one bank line per store, one 430 line per debit. */
export async function postRemittanceSettled(m: Db, clock: Clock, remittanceId: string, by: string | null): Promise<PostedEntry | null> {
  const r = await one<Record<string, unknown>>(m, `SELECT id, company_id, number, settled_on FROM remittance WHERE id = ?`, [remittanceId]);
  if (!r || !r.settled_on) return null;
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT ri.amount_cents, i.counterparty_kind, i.counterparty_id, i.counterparty_name, i.store_id FROM remittance_item ri JOIN open_item i ON i.id = ri.item_id
      WHERE ri.remittance_id = ? AND ri.payment_id IS NOT NULL ORDER BY ri.end_to_end_id`,
    [remittanceId],
  );
  if (rows.length === 0) return null;
  const debits = [];
  for (const x of rows) {
    debits.push({ counterparty: await counterpartyOf(m, String(x.counterparty_kind), String(x.counterparty_id), (x.counterparty_name as string | null) ?? null), storeId: (x.store_id as string | null) ?? null, cents: num(x.amount_cents)! });
  }
  const companyId = String(r.company_id);
  return postEntry(m, clock, {
    companyId,
    date: String(r.settled_on),
    kind: 'remittance',
    description: `Remesa ${String(r.number)} abonada (${rows.length} adeudos)`,
    lines: remittanceSettledLines({ id: String(r.id), companyId, number: String(r.number), settledOn: String(r.settled_on), debits, feeCents: 0 }, await rulesOf(m, companyId)),
    source: { type: 'remittance', id: String(r.id), ref: String(r.number) },
    mode: 'document',
    by,
  });
}

/** Each returned line: one entry (what the bank took back, its fee, the fee recharged); a reject without a fee posts nothing. */
export async function postDebitReturns(m: Db, clock: Clock, remittanceId: string, lineIds: readonly string[], by: string | null): Promise<PostedEntry[]> {
  const out: PostedEntry[] = [];
  for (const lineId of lineIds) {
    const x = await one<Record<string, unknown>>(
      m,
      `SELECT ri.id, ri.end_to_end_id, ri.amount_cents, ri.payment_id, ri.return_fee_cents, ri.returned_on, ri.fee_item_id, ri.status, r.company_id, r.number,
              i.counterparty_kind, i.counterparty_id, i.counterparty_name, i.store_id, i.document_ref, f.amount_cents AS recharged
         FROM remittance_item ri JOIN remittance r ON r.id = ri.remittance_id JOIN open_item i ON i.id = ri.item_id LEFT JOIN open_item f ON f.id = ri.fee_item_id
        WHERE ri.id = ? AND ri.remittance_id = ?`,
      [lineId, remittanceId],
    );
    if (!x || x.status !== 'returned' || !x.returned_on) continue;
    const companyId = String(x.company_id);
    const facts = {
      lineId: String(x.id),
      companyId,
      ref: String(x.end_to_end_id),
      returnedOn: String(x.returned_on),
      counterparty: await counterpartyOf(m, String(x.counterparty_kind), String(x.counterparty_id), (x.counterparty_name as string | null) ?? null),
      storeId: (x.store_id as string | null) ?? null,
      // Settled before (it has its payment): the bank takes the whole debit back. When the debit had left credit
      // that was since applied elsewhere, collections gives back only the unused part (takeBackSettledDebit):
      // the books still follow the bank, so the debtor's 430 then exceeds its open items by the difference.
      returnedCents: x.payment_id ? num(x.amount_cents)! : 0,
      feeCents: num(x.return_fee_cents) ?? 0,
      rechargedCents: num(x.recharged) ?? 0,
    };
    const lines = debitReturnLines(facts, await rulesOf(m, companyId));
    if (lines.length === 0) continue;
    out.push(
      await postEntry(m, clock, {
        companyId,
        date: facts.returnedOn,
        kind: 'remittance_return',
        description: `Devolución adeudo ${facts.ref} (${String(x.document_ref)}) · ${facts.counterparty.name}`,
        lines,
        source: { type: 'remittance_return', id: facts.lineId, ref: facts.ref },
        mode: 'document',
        by,
      }),
    );
  }
  return out;
}

/** A bad debt written off (an approved write-off's posting): 650 / 430. */
export async function postWriteOff(m: Db, clock: Clock, itemId: string, postingId: string, by: string | null): Promise<PostedEntry | null> {
  const x = await one<Record<string, unknown>>(
    m,
    `SELECT p.amount_cents, p.on_date, p.kind, i.company_id, i.side, i.counterparty_kind, i.counterparty_id, i.counterparty_name, i.store_id, i.document_ref
       FROM open_item_posting p JOIN open_item i ON i.id = p.item_id WHERE p.id = ? AND p.item_id = ?`,
    [postingId, itemId],
  );
  if (!x || x.kind !== 'written_off' || x.side !== 'receivable') return null;
  const w = await one<{ id: string }>(m, `SELECT id FROM write_off WHERE posting_id = ?`, [postingId]);
  const companyId = String(x.company_id);
  const counterparty = await counterpartyOf(m, String(x.counterparty_kind), String(x.counterparty_id), (x.counterparty_name as string | null) ?? null);
  return postEntry(m, clock, {
    companyId,
    date: String(x.on_date),
    kind: 'write_off',
    description: `Crédito incobrable ${String(x.document_ref)} · ${counterparty.name}`,
    lines: writeOffLines({ counterparty, storeId: (x.store_id as string | null) ?? null, cents: num(x.amount_cents)! }, await rulesOf(m, companyId)),
    source: { type: 'write_off', id: w?.id ?? postingId, key: `write_off:${postingId}`, ref: String(x.document_ref) },
    mode: 'document',
    by,
  });
}

/** The accounting module's listener for the collections documents. */
export const postCollections: DocumentReaction = async (m, clock, e, by) => {
  switch (e.type) {
    case 'payment.recorded':
      await postPaymentRecorded(m, clock, e.paymentId, by);
      return;
    case 'payment.voided':
      await postPaymentVoided(m, clock, e.paymentId, by);
      return;
    case 'payment.refunded':
      await postPaymentRefunded(m, clock, e.paymentId, e.movementId, by);
      return;
    case 'remittance.settled':
      await postRemittanceSettled(m, clock, e.remittanceId, by);
      return;
    case 'remittance.returned':
      await postDebitReturns(m, clock, e.remittanceId, e.lineIds, by);
      return;
    case 'item.written_off':
      await postWriteOff(m, clock, e.itemId, e.postingId, by);
      return;
    default:
      return;
  }
};
