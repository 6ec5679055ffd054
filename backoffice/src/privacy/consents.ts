/**
 * Consents per purpose (marketing, loyalty, e-receipt): every consent given or withdrawn is a new record
 * (`customer_consent`, append-only) with its date, source (till, back office, import, web) and who recorded
 * it; the current state per purpose (`customer_consent_state`) is derived — the latest record by the date the
 * customer gave it — and written in the same transaction as the record.
 *
 * Also the access log helper: every read of a customer's personal data through the API leaves a row in
 * `privacy_access_log` (the CRM's customer page calls `recordCustomerAccess` the same way).
 */
import type { Clock } from '@tpv/shared/clock';
import { currentConsents, type ConsentPurpose, type ConsentSource } from '@tpv/shared/privacy/consent';
import type { ConsentsAnswer } from '@tpv/shared/wire/http/privacy';
import type { AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import * as repo from './repository';

export interface ConsentInput {
  customerId: string;
  consents: ReadonlyArray<{ purpose: ConsentPurpose; granted: boolean }>;
  source: ConsentSource;
  /** The user's email, or `till <terminal> staff <id>`. */
  recordedBy: string | null;
  givenAt: string;
  storeId?: string | null;
  terminalId?: string | null;
  documentId?: string | null;
  note?: string | null;
  /** The erasure closing the consents of the customer it is erasing (already flagged erased). */
  closing?: boolean;
}

export const customerUnknown = (id: string) => refused(404, 'CUSTOMER_UNKNOWN', `no customer ${id}`);
export const customerErased = (id: string) => refused(409, 'CUSTOMER_ERASED', `customer ${id} was erased: nothing more is recorded about them / el cliente fue suprimido`);

/** Appends the records and updates the current state per purpose (inside the caller's transaction). Refuses an unknown or erased customer. */
export async function recordConsents(m: Db, clock: Clock, c: ConsentInput): Promise<repo.ConsentRow[]> {
  const customer = await repo.customerForUpdate(m, c.customerId, true);
  if (!customer) throw customerUnknown(c.customerId);
  if (customer.erasedAt && !c.closing) throw customerErased(c.customerId);
  if (Number.isNaN(Date.parse(c.givenAt))) throw refused(422, 'GIVEN_AT_INVALID', 'givenAt is not a date', 'givenAt');
  const states = new Map((await repo.consentStates(m, c.customerId)).map((s) => [s.purpose, s]));
  const createdAt = new Date(clock.now()).toISOString();
  const out: repo.ConsentRow[] = [];
  for (const k of c.consents) {
    const row: repo.ConsentRow = {
      id: newRowId(clock), customerId: c.customerId, purpose: k.purpose, granted: k.granted, source: c.source, recordedBy: c.recordedBy?.slice(0, 254) ?? null,
      storeId: c.storeId ?? null, terminalId: c.terminalId ?? null, documentId: c.documentId ?? null, note: c.note ?? null, givenAt: c.givenAt, createdAt,
    };
    await repo.insertConsent(m, row);
    // The state is the latest record by the customer's date: a record entered late for an older date does not override a newer one.
    const prev = states.get(k.purpose);
    const latest = currentConsents([
      ...(prev ? [{ id: prev.consentId, purpose: prev.purpose, granted: prev.granted, givenAt: prev.givenAt, createdAt: '' }] : []),
      { id: row.id, purpose: row.purpose, granted: row.granted, givenAt: row.givenAt, createdAt },
    ])[k.purpose];
    // Closing (erasure) withdraws whatever the dates say.
    if (c.closing || latest?.id === row.id) {
      const s = { purpose: k.purpose, granted: k.granted, source: c.source, givenAt: c.givenAt, consentId: row.id };
      await repo.putConsentState(m, c.customerId, s);
      states.set(k.purpose, s);
    }
    out.push(row);
  }
  return out;
}

export async function consentsOf(m: Db, customerId: string): Promise<ConsentsAnswer> {
  const [states, history] = await Promise.all([repo.consentStates(m, customerId), repo.consentHistory(m, customerId)]);
  return {
    customerId,
    current: states.map((s) => ({ purpose: s.purpose, granted: s.granted, source: s.source, givenAt: s.givenAt })),
    history: history.map((h) => ({
      id: h.id, purpose: h.purpose, granted: h.granted, source: h.source, recordedBy: h.recordedBy, storeId: h.storeId, terminalId: h.terminalId,
      note: h.note, givenAt: h.givenAt, createdAt: h.createdAt,
    })),
  };
}

/**
 * One row in the access log: `user` read `what` (`customer.detail`, `privacy.export`…) of the customer. Call it
 * from any route that shows a customer's personal data, inside or outside a transaction.
 */
export async function recordCustomerAccess(m: Db, clock: Clock, user: Pick<AuthUser, 'id' | 'email'> | null, customerId: string, what: string, requestId?: string | null): Promise<void> {
  await repo.insertAccess(m, clock, { customerId, userId: user?.id ?? null, userEmail: user?.email ?? null, what, requestId: requestId ?? null });
}

/** The customer's personal data as the privacy page shows it (master data and consents), logged as read. */
export async function personalData(m: Db, clock: Clock, user: AuthUser, customerId: string, requestId: string | undefined) {
  const c = await repo.customerForUpdate(m, customerId);
  if (!c) throw customerUnknown(customerId);
  await recordCustomerAccess(m, clock, user, customerId, 'privacy.personal_data', requestId);
  const states = await repo.consentStates(m, customerId);
  const phone = c.raw.phone;
  return {
    id: c.id, name: c.name, nif: c.nif, email: c.email, phone: typeof phone === 'string' ? phone : null, active: c.active, erasedAt: c.erasedAt,
    consents: states.map((s) => ({ purpose: s.purpose, granted: s.granted, source: s.source, givenAt: s.givenAt })),
  };
}
