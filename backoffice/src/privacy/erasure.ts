/**
 * Erasure as anonymisation (GDPR art. 17, LOPDGDD art. 15) and the retention job.
 *
 * What tax law requires stays: full invoices (F1, F3) and their credit notes (R1–R4) keep the recipient's
 * name, NIF and address as issued — the issuer must keep invoices for the limitation period (LGT arts. 66 and
 * 70; Reglamento de facturación, RD 1619/2012, art. 19) — in `invoice` and in the tills' `sale_ticket`
 * documents. Everything else loses the person, in ONE transaction:
 *   - the customer row: name → "Cliente suprimido", contact/address/loyalty-card columns nulled (those that
 *     exist), NIF kept only when a kept invoice names the customer, inactive, `erased_at` set;
 *   - simplified tickets (F2, R5) naming them: the customer link and the `customer` of the document removed;
 *   - the names on their on-account open items (when no invoice keeps the name, on payments too);
 *   - notes (tables `customer_note*`) deleted; loyalty card/member rows detached (`loyalty_*card*`/`*member*`
 *     with a nullable customer_id);
 *   - consents closed: a withdrawal record per purpose still granted;
 *   - the change feed deletes the customer, so every till drops it (and its local copies: terminal/src/privacy);
 *   - an erasure request row and an audit entry.
 * Ledgers (points, payments, receivables) keep the customer's id: pseudonymous once the row is anonymised.
 *
 * Rule on money: an erasure is refused while the customer owes us or we owe them — a live open item with a
 * non-zero balance (receivable or credit) or an on-account ticket still open. Settle first.
 */
import type { Clock } from '@tpv/shared/clock';
import type { AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { appendChange } from '../persistence/change-log';
import { newRowId } from '../persistence/row-id';
import { all, exec, one, type Db } from '../persistence/sql';
import { customerErased, customerUnknown, recordConsents } from './consents';
import * as repo from './repository';
import type { TicketStep } from '../sales-ingest/steps';

export const ERASED_NAME = 'Cliente suprimido';
/** Invoice types whose recipient the issuer must keep. */
export const FULL_INVOICE_TYPES: ReadonlySet<string> = new Set(['F1', 'F3', 'R1', 'R2', 'R3', 'R4']);
/** Customer columns that hold personal data beyond the name and NIF (those present are nulled). */
const PERSONAL_COLUMNS = ['email', 'phone', 'mobile', 'address', 'street', 'postal_code', 'city', 'province', 'country', 'birth_date', 'birthday', 'gender', 'notes', 'note', 'loyalty_card', 'iban', 'contact_name'];

export interface ErasureSummary {
  fullInvoicesKept: number;
  nifKept: boolean;
  ticketsUnlinked: number;
  openItemsRenamed: number;
  notesDeleted: number;
  consentsWithdrawn: number;
  loyaltyDetached: number;
  customerColumnsNulled: string[];
  feedVersion: number;
}

export const openBalanceRefusal = (cents: number) =>
  refused(409, 'OPEN_BALANCE', `el cliente tiene saldo pendiente (${(cents / 100).toFixed(2)} €): liquide antes de suprimir / the customer has an open balance: settle it before erasure`);

/** Erases (anonymises) one customer inside the caller's transaction; throws a 4xx refusal (nothing written). */
export async function eraseCustomer(
  m: Db, clock: Clock, by: Pick<AuthUser, 'id' | 'email'> | null, customerId: string, why: { kind: 'erasure' | 'retention'; reason: string; requestId?: string | undefined },
): Promise<{ request: repo.RequestRow; summary: ErasureSummary }> {
  const c = await repo.customerForUpdate(m, customerId, true);
  if (!c) throw customerUnknown(customerId);
  if (c.erasedAt) throw customerErased(customerId);
  const owed = await repo.openBalanceCents(m, customerId);
  if (owed !== 0) throw openBalanceRefusal(owed);
  const at = new Date(clock.now()).toISOString();

  // What tax law keeps: HQ invoices to them, the tills' full invoices naming them.
  const invoices = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM invoice WHERE recipient_customer_id = ?`, [customerId]))?.n ?? 0);
  const tickets = await all<{ id: string; document: string }>(m, `SELECT id, document FROM sale_ticket WHERE customer_id = ?`, [customerId]);
  let fullTickets = 0;
  let unlinked = 0;
  for (const t of tickets) {
    const doc = JSON.parse(t.document) as { customer?: unknown; fiscal?: { invoiceType?: string } };
    if (FULL_INVOICE_TYPES.has(doc.fiscal?.invoiceType ?? '')) {
      fullTickets++;
      continue;
    }
    delete doc.customer;
    await exec(m, `UPDATE sale_ticket SET customer_id = NULL, document = ? WHERE id = ?`, [JSON.stringify(doc), t.id]);
    unlinked++;
  }
  const fullInvoicesKept = invoices + fullTickets;
  const nifKept = fullInvoicesKept > 0 && c.nif !== null;

  // The customer row.
  const cols = await repo.columnsOf(m, 'customer');
  const nulled = cols.filter((col) => col.nullable && PERSONAL_COLUMNS.includes(col.name)).map((col) => col.name);
  if (!nifKept) nulled.push('nif');
  await repo.nullColumns(m, 'customer', nulled, 'id', customerId);
  await exec(m, `UPDATE customer SET name = ?, active = ?, erased_at = ?, version = version + 1 WHERE id = ?`, [ERASED_NAME, false, at, customerId]);

  // Names copied into the receivables ledger: on-account tickets' items; payments too when no invoice keeps the name.
  const renamed = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM open_item WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND kind <> 'invoice_due'`, [customerId]))?.n ?? 0);
  await exec(m, `UPDATE open_item SET counterparty_name = ? WHERE counterparty_kind = 'customer' AND counterparty_id = ? AND kind <> 'invoice_due'`, [ERASED_NAME, customerId]);
  if (fullInvoicesKept === 0) await exec(m, `UPDATE payment SET counterparty_name = ? WHERE counterparty_kind = 'customer' AND counterparty_id = ?`, [ERASED_NAME, customerId]);

  // Other modules' rows, found by name.
  let notesDeleted = 0;
  let loyaltyDetached = 0;
  for (const t of await repo.tablesWithColumn(m, 'customer_id')) {
    if (t.startsWith('customer_note')) notesDeleted += await repo.deleteRows(m, t, 'customer_id', customerId);
    else if (t.startsWith('loyalty') && /card|member/.test(t)) {
      const col = (await repo.columnsOf(m, t)).find((x) => x.name === 'customer_id');
      if (col?.nullable) loyaltyDetached += await repo.nullColumns(m, t, ['customer_id'], 'customer_id', customerId);
    }
  }
  if (nulled.includes('loyalty_card')) loyaltyDetached += 1;

  // Consents closed (erasure withdraws every consent still given).
  const granted = (await repo.consentStates(m, customerId)).filter((s) => s.granted);
  if (granted.length > 0) {
    await recordConsents(m, clock, {
      closing: true,
      customerId, consents: granted.map((s) => ({ purpose: s.purpose, granted: false })), source: 'backoffice', recordedBy: by?.email ?? 'system',
      givenAt: at, note: why.kind === 'erasure' ? 'supresión / erasure' : 'conservación / retention',
    });
  }

  // Every till drops the customer.
  const feedVersion = await appendChange(m, { entity: 'customer', entityId: customerId, op: 'delete', createdAt: at });

  const summary: ErasureSummary = {
    fullInvoicesKept, nifKept, ticketsUnlinked: unlinked, openItemsRenamed: renamed, notesDeleted, consentsWithdrawn: granted.length, loyaltyDetached,
    customerColumnsNulled: nulled, feedVersion,
  };
  const request: repo.RequestRow = {
    id: newRowId(clock), customerId, kind: why.kind, status: 'done', jsonFileId: null, pdfFileId: null, summary: { ...summary, reason: why.reason },
    requestedBy: by?.id ?? null, requestedByEmail: by?.email ?? null, createdAt: at,
  };
  await repo.insertRequest(m, request);
  await recordAudit(m, clock, {
    actor: by, action: why.kind === 'erasure' ? 'customer.erase' : 'customer.retention_erase', entity: 'customer', entityId: customerId,
    // The audit keeps no personal data either: what was done, not who it was.
    before: { erasedAt: null }, after: { erasedAt: at, ...summary, reason: why.reason }, requestId: why.requestId ?? null,
  });
  return { request, summary };
}

export interface RetentionReport {
  years: number | null;
  cutoff: string | null;
  candidates: number;
  anonymised: number;
  skippedOpenBalance: number;
  feedVersion: number;
}

/**
 * The retention job: customers with no activity since `now − N years` (policy) are anonymised one by one (one
 * transaction each, so a refusal skips only that customer); those with an open balance are skipped and counted.
 */
export async function runRetention(
  tx: <T>(fn: (m: Db) => Promise<T>) => Promise<T>, m0: Db, clock: Clock, by: Pick<AuthUser, 'id' | 'email'> | null, onProgress?: (done: number, total: number) => Promise<void>,
): Promise<RetentionReport> {
  const { retentionYears: years } = await repo.policy(m0);
  if (years === null) return { years, cutoff: null, candidates: 0, anonymised: 0, skippedOpenBalance: 0, feedVersion: 0 };
  const now = new Date(clock.now());
  const cutoff = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes())).toISOString();
  const ids = await repo.inactiveCustomers(m0, cutoff, 100_000);
  let anonymised = 0;
  let skipped = 0;
  let feedVersion = 0;
  for (const [i, id] of ids.entries()) {
    const owed = await repo.openBalanceCents(m0, id);
    if (owed !== 0) skipped++;
    else {
      const r = await tx((m) => eraseCustomer(m, clock, by, id, { kind: 'retention', reason: `inactivo desde ${cutoff.slice(0, 10)} / inactive since` }));
      feedVersion = r.summary.feedVersion;
      anonymised++;
    }
    if (onProgress && (i % 50 === 49 || i === ids.length - 1)) await onProgress(i + 1, ids.length);
  }
  return { years, cutoff, candidates: ids.length, anonymised, skippedOpenBalance: skipped, feedVersion };
}

/**
 * Ingest posting step: a till that had not yet heard of the erasure (offline) may still name the customer on a
 * simplified ticket; once applied, the ticket loses the link and the name as the erasure would have done. Full
 * invoices keep their recipient. Never throws for content.
 */
export const erasedCustomerStep: TicketStep = {
  id: 'privacy.erased_customers',
  async apply(ctx, tickets) {
    const named = tickets.filter((t) => t.customer?.id !== undefined && !FULL_INVOICE_TYPES.has(t.fiscal.invoiceType ?? ''));
    if (named.length === 0) return;
    const ids = [...new Set(named.map((t) => t.customer!.id!))];
    const erased = new Set((await ctx.sql(`SELECT id FROM customer WHERE erased_at IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`, ids)).map((r) => String((r as { id: unknown }).id)));
    for (const t of named) {
      if (!erased.has(t.customer!.id!)) continue;
      const { customer: _dropped, ...doc } = t;
      await ctx.sql(`UPDATE sale_ticket SET customer_id = NULL, document = ? WHERE id = ?`, [JSON.stringify(doc), t.id]);
    }
  },
};
