import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collections (issue 13): the receivables/payables ledger. An open item is one due date of an invoice we
 * issued, an on-account ticket, or one due date of a supplier invoice; its balance is the sum of its postings
 * (shared/src/collections/open-items.ts), kept equal in the transaction that appends a posting. Payments
 * (collections received and payments made) are documents numbered per company and year; what part of a
 * payment went to which item is in payment_allocation, the rest is the counterparty's credit.
 *
 * A counterparty is a company of the franchise (fees, wholesale), a customer, a supplier, or an invoice
 * recipient typed by hand ('other', id `nif:<NIF>`).
 *
 * Existing invoices, on-account tickets and supplier invoices get their open items here, so the ledger starts
 * complete on a database that already trades.
 */
const SIDES = ['receivable', 'payable'];
const KINDS = ['invoice_due', 'on_account_ticket', 'supplier_invoice_due'];
const COUNTERPARTIES = ['company', 'customer', 'supplier', 'other'];
const ITEM_STATUSES = ['open', 'partial', 'paid', 'written_off', 'overpaid', 'cancelled'];
const POSTINGS = ['invoiced', 'credited', 'collected', 'returned', 'written_off'];
const METHODS = ['transfer', 'card', 'cash', 'direct_debit', 'cheque', 'offset'];

export class Collections1795430000001 implements MigrationInterface {
  name = 'Collections1795430000001';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.options.type === 'postgres';
    const list = (v: string[]) => v.map((s) => `'${s}'`).join(', ');
    const falsy = pg ? 'false' : '0';
    await qr.query(`CREATE TABLE "open_item" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "side" varchar(10) NOT NULL,
      "kind" varchar(24) NOT NULL,
      "source_id" varchar(36) NOT NULL,
      "source_idx" integer NOT NULL DEFAULT 0,
      "document_ref" varchar(60) NOT NULL,
      "counterparty_kind" varchar(10) NOT NULL,
      "counterparty_id" varchar(64) NOT NULL,
      "counterparty_name" varchar(200),
      "store_id" varchar(36),
      "issue_date" varchar(10) NOT NULL,
      "due_date" varchar(10) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "balance_cents" bigint NOT NULL,
      "status" varchar(12) NOT NULL,
      "cancelled" boolean NOT NULL DEFAULT ${falsy},
      "dunning_level" integer NOT NULL DEFAULT 0,
      "last_dunned_on" varchar(10),
      "created_at" varchar(32) NOT NULL,
      "updated_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_open_item_side" CHECK ("side" IN (${list(SIDES)})),
      CONSTRAINT "CHK_open_item_kind" CHECK ("kind" IN (${list(KINDS)})),
      CONSTRAINT "CHK_open_item_counterparty" CHECK ("counterparty_kind" IN (${list(COUNTERPARTIES)})),
      CONSTRAINT "CHK_open_item_status" CHECK ("status" IN (${list(ITEM_STATUSES)})),
      CONSTRAINT "UQ_open_item_source" UNIQUE ("kind", "source_id", "source_idx"))`);
    // Aging and the open-items list: what is still owed, by company and due date.
    await qr.query(`CREATE INDEX "IDX_open_item_company_open" ON "open_item" ("company_id", "side", "status", "due_date")`);
    // A counterparty's statement and position.
    await qr.query(`CREATE INDEX "IDX_open_item_counterparty" ON "open_item" ("counterparty_kind", "counterparty_id", "side", "due_date")`);

    await qr.query(`CREATE TABLE "open_item_posting" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "kind" varchar(12) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "signed_cents" bigint NOT NULL,
      "on_date" varchar(10) NOT NULL,
      "source_kind" varchar(24) NOT NULL,
      "source_id" varchar(36),
      "note" text,
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_open_item_posting_kind" CHECK ("kind" IN (${list(POSTINGS)})),
      CONSTRAINT "CHK_open_item_posting_amount" CHECK ("amount_cents" > 0))`);
    await qr.query(`CREATE INDEX "IDX_open_item_posting_item" ON "open_item_posting" ("item_id")`);
    await qr.query(`CREATE INDEX "IDX_open_item_posting_source" ON "open_item_posting" ("source_kind", "source_id")`);

    await qr.query(`CREATE TABLE "payment" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "company_id" varchar(36) NOT NULL REFERENCES "company" ("id"),
      "side" varchar(10) NOT NULL,
      "number" varchar(24) NOT NULL,
      "counterparty_kind" varchar(10) NOT NULL,
      "counterparty_id" varchar(64) NOT NULL,
      "counterparty_name" varchar(200),
      "method" varchar(16) NOT NULL,
      "amount_cents" bigint NOT NULL,
      "allocated_cents" bigint NOT NULL DEFAULT 0,
      "refunded_cents" bigint NOT NULL DEFAULT 0,
      "credit_cents" bigint NOT NULL DEFAULT 0,
      "received_on" varchar(10) NOT NULL,
      "reference" varchar(140),
      "note" text,
      "status" varchar(12) NOT NULL DEFAULT 'posted',
      "source_kind" varchar(24),
      "source_id" varchar(36),
      "created_at" varchar(32) NOT NULL,
      "created_by" varchar(36),
      CONSTRAINT "CHK_payment_side" CHECK ("side" IN (${list(SIDES)})),
      CONSTRAINT "CHK_payment_method" CHECK ("method" IN (${list(METHODS)})),
      CONSTRAINT "CHK_payment_counterparty" CHECK ("counterparty_kind" IN (${list(COUNTERPARTIES)})),
      CONSTRAINT "CHK_payment_status" CHECK ("status" IN ('posted', 'cancelled')),
      CONSTRAINT "CHK_payment_amount" CHECK ("amount_cents" > 0),
      CONSTRAINT "CHK_payment_split" CHECK ("allocated_cents" + "refunded_cents" + "credit_cents" = "amount_cents"),
      CONSTRAINT "UQ_payment_number" UNIQUE ("company_id", "number"))`);
    await qr.query(`CREATE INDEX "IDX_payment_company_date" ON "payment" ("company_id", "side", "received_on")`);
    await qr.query(`CREATE INDEX "IDX_payment_counterparty" ON "payment" ("counterparty_kind", "counterparty_id", "side")`);
    // A bank movement, a remittance line… settles once.
    await qr.query(`CREATE UNIQUE INDEX "UQ_payment_source" ON "payment" ("source_kind", "source_id") WHERE "source_id" IS NOT NULL`);

    await qr.query(`CREATE TABLE "payment_allocation" (
      "id" varchar(36) PRIMARY KEY NOT NULL,
      "payment_id" varchar(36) NOT NULL REFERENCES "payment" ("id"),
      "item_id" varchar(36) NOT NULL REFERENCES "open_item" ("id"),
      "posting_id" varchar(36) NOT NULL REFERENCES "open_item_posting" ("id"),
      "amount_cents" bigint NOT NULL,
      "created_at" varchar(32) NOT NULL,
      CONSTRAINT "CHK_payment_allocation_amount" CHECK ("amount_cents" > 0))`);
    await qr.query(`CREATE INDEX "IDX_payment_allocation_payment" ON "payment_allocation" ("payment_id")`);
    await qr.query(`CREATE INDEX "IDX_payment_allocation_item" ON "payment_allocation" ("item_id")`);

    await backfill(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['payment_allocation', 'payment', 'open_item_posting', 'open_item']) await qr.query(`DROP TABLE "${t}"`);
  }
}

/** Open items (one `invoiced` posting each) for what was posted before this module existed. */
async function backfill(qr: QueryRunner): Promise<void> {
  const pg = qr.connection.options.type === 'postgres';
  const ph = (sql: string) => (pg ? sql.replace(/\?/g, (() => { let n = 0; return () => `$${++n}`; })()) : sql);
  const now = new Date().toISOString();
  const rows: unknown[][] = [];
  const invoices = (await qr.query(`
    SELECT d.invoice_id AS source_id, d.idx AS idx, d.due_date AS due_date, d.amount_cents AS amount, i.company_id AS company_id, i.number AS ref,
           i.issue_date AS issue_date, i.store_id AS store_id, i.recipient_company_id AS rc, i.recipient_customer_id AS rcu, i.recipient_supplier_id AS rs,
           i.recipient_nif AS nif, i.recipient_name AS name
      FROM invoice_due d JOIN invoice i ON i.id = d.invoice_id
     WHERE i.status = 'posted' AND i.source <> 'ticket' AND d.amount_cents > 0`)) as Array<Record<string, unknown>>;
  for (const r of invoices) {
    const [kind, id] = r.rc ? ['company', r.rc] : r.rcu ? ['customer', r.rcu] : r.rs ? ['supplier', r.rs] : ['other', `nif:${String(r.nif ?? '')}`];
    rows.push(['receivable', 'invoice_due', r.source_id, r.idx, r.ref, kind, id, r.name ?? null, r.store_id ?? null, r.company_id, r.issue_date, r.due_date, Number(r.amount)]);
  }
  const tickets = (await qr.query(`
    SELECT r.ticket_id AS source_id, r.due_date AS due_date, r.amount_cents - r.paid_cents AS amount, s.company_id AS company_id, t.fiscal_number AS ref,
           t.business_date AS issue_date, r.store_id AS store_id, r.customer_id AS customer_id, c.name AS name
      FROM receivable r JOIN store s ON s.id = r.store_id JOIN sale_ticket t ON t.id = r.ticket_id JOIN customer c ON c.id = r.customer_id
     WHERE r.status = 'open' AND r.amount_cents > r.paid_cents`)) as Array<Record<string, unknown>>;
  for (const r of tickets) rows.push(['receivable', 'on_account_ticket', r.source_id, 0, r.ref, 'customer', r.customer_id, r.name, r.store_id, r.company_id, r.issue_date, r.due_date, Number(r.amount)]);
  const supplier = (await qr.query(`
    SELECT d.invoice_id AS source_id, d.idx AS idx, d.due_date AS due_date, d.amount_cents - d.paid_cents AS amount, d.company_id AS company_id,
           i.supplier_number AS ref, i.invoice_date AS issue_date, d.supplier_id AS supplier_id, s.name AS name
      FROM supplier_invoice_due d JOIN supplier_invoice i ON i.id = d.invoice_id JOIN supplier s ON s.id = d.supplier_id
     WHERE i.status = 'posted' AND d.amount_cents > d.paid_cents`)) as Array<Record<string, unknown>>;
  for (const r of supplier) rows.push(['payable', 'supplier_invoice_due', r.source_id, r.idx, r.ref, 'supplier', r.supplier_id, r.name, null, r.company_id, r.issue_date, r.due_date, Number(r.amount)]);
  for (const [side, kind, sourceId, idx, ref, cpKind, cpId, cpName, storeId, companyId, issueDate, dueDate, amount] of rows) {
    const id = randomUUID();
    await qr.query(
      ph(`INSERT INTO open_item (id, company_id, side, kind, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, store_id, issue_date, due_date, amount_cents, balance_cents, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`),
      [id, companyId, side, kind, sourceId, idx, String(ref ?? sourceId).slice(0, 60), cpKind, cpId, cpName, storeId, issueDate, dueDate, amount, amount, now, now],
    );
    await qr.query(ph(`INSERT INTO open_item_posting (id, item_id, kind, amount_cents, signed_cents, on_date, source_kind, source_id, created_at) VALUES (?, ?, 'invoiced', ?, ?, ?, 'backfill', ?, ?)`), [randomUUID(), id, amount, amount, issueDate, sourceId, now]);
  }
}
