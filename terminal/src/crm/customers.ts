/**
 * Customers at the till (issue 15): found by name words, phone, email, NIF or loyalty card among everything
 * the feed brought (a million rows: every lookup is an index probe or range, names through FTS5 — see
 * migration 1732300510001), and created or edited here, offline too. A creation writes the local row and the
 * upward document `crm.customer` in one transaction: the customer is usable at once at this till, and HQ
 * applies the document once and sends the customer to every till with the same id.
 */
import type { Clock } from '@tpv/shared/clock';
import { cleanCustomer, foldName, normalizeCard, normalizePhone, type CustomerInput } from '@tpv/shared/crm/customer';
import { normalizeNif } from '@tpv/shared/nif';
import { ok, type Result } from '@tpv/shared/result';
import type { StaffMember } from '../people/pins';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { CustomerView } from '../catalog/catalog';

interface Row {
  id: string; nif: string | null; name: string; re_regime: number; credit_limit_cents: number; balance_cents: number; active: number; on_account_blocked: number;
  phone: string | null; email: string | null; loyalty_card: string | null; segment_ids: string;
}
const COLUMNS = 'c.id, c.nif, c.name, c.re_regime, c.credit_limit_cents, c.balance_cents, c.active, c.on_account_blocked, c.phone, c.email, c.loyalty_card, c.segment_ids';
const toView = (r: Row): CustomerView => ({
  id: r.id, nif: r.nif, name: r.name, reRegime: r.re_regime === 1, creditLimitCents: r.credit_limit_cents, balanceCents: r.balance_cents, active: r.active === 1,
  onAccountBlocked: r.on_account_blocked === 1, phone: r.phone, email: r.email, loyaltyCard: r.loyalty_card, segmentIds: JSON.parse(r.segment_ids) as string[],
});

const collator = new Intl.Collator('es');

/** FTS candidates read (in index order) before sorting by name: bounds the work of a one-letter prefix. */
const NAME_CANDIDATES = 25;

/** The search: exact keys first (card, NIF, phone, email), then prefixes of them, then name words; active customers only. */
export function createCustomerSearch(db: SqliteHandle): (q: string, limit?: number) => CustomerView[] {
  const where = 'c.active = 1';
  const byCard = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM customer c WHERE c.loyalty_card = ? AND ${where}`);
  const byNif = db.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM customer c WHERE c.nif = ? AND ${where} LIMIT ?`);
  const range = (col: string) => db.prepare<[string, string, number], Row>(`SELECT ${COLUMNS} FROM customer c WHERE c.${col} >= ? AND c.${col} < ? AND ${where} ORDER BY c.${col} LIMIT ?`);
  const phoneRange = range('phone');
  const emailRange = range('email');
  const cardRange = range('loyalty_card');
  const nifRange = range('nif');
  const byNameStart = db.prepare<[string, string, number], Row>(`SELECT ${COLUMNS} FROM customer c WHERE c.name_key >= ? AND c.name_key < ? AND ${where} ORDER BY c.name_key LIMIT ?`);
  const byName = db.prepare<[string, number], Row>(
    `SELECT ${COLUMNS} FROM customer_fts f JOIN customer c ON c.rowid = f.rowid WHERE customer_fts MATCH ? AND ${where} LIMIT ?`,
  );
  return (q, limit = 20) => {
    const t = q.trim().slice(0, 100);
    if (t === '') return [];
    const n = Math.max(1, Math.min(100, limit));
    const out = new Map<string, Row>();
    const add = (rows: Row[]) => {
      for (const r of rows) if (out.size < n && !out.has(r.id)) out.set(r.id, r);
    };
    const compact = normalizeCard(t);
    const digits = t.replace(/\D/g, '');
    const phoneLike = /^[\d\s+().-]+$/.test(t) && digits.length >= 3;
    if (compact.length >= 4) {
      add(byCard.all(compact));
      add(byNif.all(normalizeNif(t), n));
    }
    if (phoneLike) {
      const p = normalizePhone(t);
      add(phoneRange.all(p, `${p}:`, n));
    }
    if (t.includes('@')) {
      const e = t.toLowerCase();
      add(emailRange.all(e, `${e}\uffff`, n));
    }
    if (compact.length >= 4) {
      add(cardRange.all(compact, `${compact}~`, n));
      if (/^[A-Z0-9]{4,}$/.test(compact) && /[A-Z]/.test(compact.slice(0, 1))) add(nifRange.all(compact, `${compact}~`, n));
    }
    const key = foldName(t);
    const words = key.split(' ').filter((w) => w.length > 0).slice(0, 6);
    if (!phoneLike && !t.includes('@') && words.length > 0 && out.size < n) {
      // The name as typed from its start ("maria garc"): one range of the folded-name index.
      const before = out.size;
      add(byNameStart.all(key, `${key}\uffff`, n));
      // Words in any order, or a surname alone: FTS (several words only when the start found nobody). Whole
      // words first (a term's doclist is read lazily up to the limit), then the last word, then all, as prefixes
      // (a prefix longer than the index's prefixes merges whole doclists: kept for when whole words found too few).
      if (out.size < n && (words.length === 1 || out.size === before)) {
        const q = (prefix: (i: number) => boolean) => words.map((w, i) => `"${w}"${prefix(i) ? '*' : ''}`).join(' ');
        for (const match of [...new Set([q(() => false), q((i) => i === words.length - 1), q(() => true)])]) {
          add(byName.all(match, NAME_CANDIDATES).sort((a, b) => collator.compare(a.name, b.name)));
          if (out.size >= n) break;
        }
      }
    }
    return [...out.values()].map(toView);
  };
}

export interface TillCustomers {
  search(q: string, limit?: number): CustomerView[];
  create(by: StaffMember, input: CustomerInput): Result<{ customer: CustomerView; documentId: string }, Failure>;
  update(by: StaffMember, id: string, input: CustomerInput): Result<{ customer: CustomerView; documentId: string }, Failure>;
}

export function createTillCustomers(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued: () => void }): TillCustomers {
  const db = o.db;
  const outbox = createDocumentOutbox(db);
  const search = createCustomerSearch(db);
  const byId = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM customer c WHERE c.id = ?`);
  const holder = (col: 'nif' | 'loyalty_card') => db.prepare<[string, string], { id: string; name: string }>(`SELECT id, name FROM customer WHERE ${col} = ? AND id <> ?`);
  const nifHolder = holder('nif');
  const cardHolder = holder('loyalty_card');
  const insert = db.prepare<[string, string | null, string, string | null, string | null, string | null, string]>(
    `INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, on_account_blocked, phone, email, loyalty_card, segment_ids, version, name_key)
     VALUES (?, ?, ?, 0, 0, 0, 1, 0, ?, ?, ?, '[]', 0, ?)`,
  );
  const update = db.prepare<[string, string, string | null, string | null, string | null, string | null, string]>(
    `UPDATE customer SET name = ?, name_key = ?, nif = ?, phone = ?, email = ?, loyalty_card = ? WHERE id = ?`,
  );
  const nowIso = () => new Date(o.clock.now()).toISOString();

  /** Checked fields, or the refusal naming them (invalid NIF: nothing written, not even the document). */
  const check = (id: string, input: CustomerInput) => {
    const c = cleanCustomer(input);
    if (!c.ok) return failure('CUSTOMER_INVALID', c.error.message, c.error.details);
    if (c.value.nif) {
      const h = nifHolder.get(c.value.nif, id);
      if (h) return failure('CUSTOMER_NIF_TAKEN', `el NIF ${c.value.nif} ya es de ${h.name} / NIF ${c.value.nif} already belongs to ${h.name}`, { customerId: h.id, errors: [{ path: 'nif', message: 'taken' }] });
    }
    if (c.value.loyaltyCard) {
      const h = cardHolder.get(c.value.loyaltyCard, id);
      if (h) return failure('CUSTOMER_CARD_TAKEN', `la tarjeta ${c.value.loyaltyCard} ya es de ${h.name} / card already belongs to ${h.name}`, { customerId: h.id, errors: [{ path: 'loyaltyCard', message: 'taken' }] });
    }
    return ok(c.value);
  };

  const write = (by: StaffMember, id: string, input: CustomerInput, op: 'create' | 'update') => {
    const c = check(id, input);
    if (!c.ok) return c;
    const documentId = o.newId();
    const v = c.value;
    db.transaction(() => {
      if (op === 'create') insert.run(id, v.nif, v.name, v.phone, v.email, v.loyaltyCard, foldName(v.name));
      else update.run(v.name, foldName(v.name), v.nif, v.phone, v.email, v.loyaltyCard, id);
      const payload = {
        customerId: id, op, name: v.name, nif: v.nif, phone: v.phone, email: v.email, loyaltyCard: v.loyaltyCard, staffId: by.id,
        ...(input.consents ? { consents: input.consents } : {}),
      };
      outbox.enqueue({ id: documentId, kind: 'crm.customer', createdAt: nowIso(), payload });
    })();
    o.queued();
    return ok({ customer: toView(byId.get(id)!), documentId });
  };

  return {
    search,
    create: (by, input) => write(by, o.newId(), input, 'create'),
    update(by, id, input) {
      if (!byId.get(id)) return failure('CUSTOMER_UNKNOWN', `cliente ${id} desconocido / unknown customer ${id}`);
      return write(by, id, input, 'update');
    },
  };
}
