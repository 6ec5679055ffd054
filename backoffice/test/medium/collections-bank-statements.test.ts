/**
 * Bank statements and reconciliation on both engines, through the HTTP API: the Norma 43 sample of the shared
 * fixtures imports to its expected values (its Z deposit matched to the store's cash session of that day), the
 * camt.053 sample to one statement per account;
 * the same file again is refused with 409, nothing written; a credit naming an invoice number settles that
 * invoice's items (a payment from the bank movement, `collected` postings); a credit of an item's amount
 * naming its customer settles the oldest such item; a credit paying off what blocked a customer (dunning) lifts the block; a movement is matched by hand (the rest is credit) or
 * ignored, once; bad input is a 422 naming the field, nothing written; another franchisee sees none of it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { writeNorma43, type BankMovement, type BankStatement } from '../../src/collections/bank';
import { setRemittanceSettler } from '../../src/collections/bank-statements/matching';
import { openItem } from '../../src/collections/ledger';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/bank');
const SAMPLE = readFileSync(path.join(FIXTURES, 'norma43-sample.txt'), 'latin1');
const EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'norma43-sample.expected.json'), 'utf8')) as BankStatement;
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hqActor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8007-000000000001', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const ACCOUNT = { bank: '2100', office: '0418', number: '0200051332', currency: 'EUR' };

const mov = (over: Partial<BankMovement>): BankMovement => ({
  operationDate: '2026-12-01', valueDate: '2026-12-01', commonConcept: '02', ownConcept: '000', amountCents: 0, document: '0000000000', reference1: '', reference2: '', concepts: [], ...over,
});
/** A statement of Ruiz's account for December (opening balance chosen so each file has its own key). */
const statementOf = (opening: number, movements: BankMovement[]): BankStatement => {
  const sum = movements.reduce((s, m) => s + m.amountCents, 0);
  return { account: ACCOUNT, from: '2026-12-01', to: '2026-12-31', openingBalanceCents: opening, closingBalanceCents: opening + sum, debits: { count: 0, totalCents: 0 }, credits: { count: 0, totalCents: 0 }, movements };
};

describe.each(engines)('bank statements on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let sampleId: string;

  const count = async (table: string) => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))!.n);
  const counts = async () => Object.fromEntries(await Promise.all(['bank_statement', 'bank_movement', 'bank_account', 'payment', 'payment_allocation', 'open_item_posting'].map(async (t) => [t, await count(t)])));
  /** An invoice Ruiz issues to the customer, 1.000,00 + 21 % = 1.210,00, due in `days`; its id and number. */
  const invoice = async (days: number[], unitPriceCents = 100_000) => {
    const d: DraftInvoiceInput = {
      companyId: F.ruiz.id, invoiceType: 'F1', source: 'manual', recipient: { customerId: F.customer.id, nif: 'A58818501', name: F.customer.name, address: 'Calle 2, 28002 Madrid' },
      paymentDays: days, lines: [{ description: 'Suministro', quantityMilli: 1000, unitPriceCents, ivaRateBp: 2100 }],
    };
    const { id } = await writeTransaction(h.ds, (m) => insertDraftInvoice(m, clock, hqActor, d));
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, hqActor, id));
    const number = (await one<{ number: string }>(h.ds.manager, `SELECT number FROM invoice WHERE id = ?`, [id]))!.number;
    return { id, number };
  };
  const items = (invoiceId: string) => all<{ id: string; balance_cents: unknown; status: string }>(h.ds.manager, `SELECT id, balance_cents, status FROM open_item WHERE source_id = ? ORDER BY source_idx`, [invoiceId]);
  const upload = (content: string, token = hq, companyId: string | undefined = F.ruiz.id) => h.api('POST', '/api/collections/bank-statements', { token, body: { companyId, content, fileName: 'extracto.n43' } });

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    levante = await h.login(F.managerLevante);
    // A cash session of Madrid 1 on 2026-11-02 whose drawer should hold 482,30 € of sales in cash.
    const totals = { tickets: 1, salesCount: 1, salesCents: 50_000, returnsCount: 0, returnsCents: 0, taxCents: 0, changeCents: 1_770, byMethod: { cash: 50_000, card: 0, voucher: 0, on_account: 0 }, cashNetCents: 48_230 };
    await exec(h.ds.manager, `INSERT INTO cash_session_summary (terminal_id, session_id, totals, updated_at) VALUES (?, 'S-1102', ?, ?)`, [F.t1.id, JSON.stringify(totals), '2026-11-02T20:00:00.000Z']);
    await exec(
      h.ds.manager,
      `INSERT INTO sale_ticket (id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date, session_id, total_cents, tax_cents, document, received_at, chain_ok)
       VALUES ('00000000-0000-7000-80aa-000000000001', ?, ?, 1, 'sale', 'M001-01-2026', 1, 'M001-01-2026-1', '2026-11-02T10:00:00+01:00', '2026-11-02', 'S-1102', 50000, 0, '{}', '2026-11-02T10:00:01.000Z', ?)`,
      [F.t1.id, F.storeM1.id, h.ds.options.type === 'postgres' ? true : 1],
    );
  });
  afterAll(async () => h?.teardown());

  it('imports the Norma 43 sample to its expected values; the Z deposit matches the store’s cash session of that day', async () => {
    const r = await upload(SAMPLE, ruiz);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.statements).toHaveLength(1);
    const s = r.body.statements[0];
    sampleId = s.id;
    expect(s).toMatchObject({
      companyId: F.ruiz.id, iban: 'ES9121000418450200051332', format: 'norma43', from: EXPECTED.from, to: EXPECTED.to,
      openingBalanceCents: EXPECTED.openingBalanceCents, closingBalanceCents: EXPECTED.closingBalanceCents,
      debitCount: 2, debitCents: 74_415, creditCount: 2, creditCents: 198_230, movementCount: 4, skippedCount: 0,
    });
    expect(s.movements.map((m: { amountCents: number; reference1: string; reference2: string; concepts: string[]; operationDate: string; valueDate: string }) => [m.operationDate, m.valueDate, m.amountCents, m.reference1, m.reference2, m.concepts])).toEqual(
      EXPECTED.movements.map((m) => [m.operationDate, m.valueDate, m.amountCents, m.reference1, m.reference2, m.concepts]),
    );
    // ZM001-20261102: 482,30 € deposited, the session's cash net is 482,30 €: matched, no payment, no difference.
    expect(s.movements[0]).toMatchObject({ status: 'matched', matchKind: 'cash_deposit', storeId: F.storeM1.id, businessDate: '2026-11-02', expectedCents: 48_230, paymentId: null, note: null });
    expect(s.movements.slice(1).map((m: { status: string }) => m.status)).toEqual(['unmatched', 'unmatched', 'unmatched']);
    expect(r.body.matched).toBe(1);
  });

  it('imports a camt.053 file: one statement per account, the foreign one by its IBAN', async () => {
    const camt = readFileSync(path.resolve(import.meta.dirname, '../fixtures/bank/camt053-sample.xml'), 'utf8');
    const r = await upload(camt, ruiz);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.statements.map((s: { format: string; iban: string; from: string; to: string; movementCount: number }) => [s.format, s.iban, s.from, s.to, s.movementCount])).toEqual([
      ['camt053', 'ES9121000418450200051332', '2026-12-01', '2026-12-07', 3],
      ['camt053', 'DE89370400440532013000', '2026-12-01', '2026-12-02', 1],
    ]);
    expect(await all(h.ds.manager, `SELECT iban FROM bank_account ORDER BY iban`)).toEqual([{ iban: 'DE89370400440532013000' }, { iban: 'ES9121000418450200051332' }]);
  });

  it('refuses the same file a second time with 409, writing nothing', async () => {
    const before = await counts();
    const r = await upload(SAMPLE);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'STATEMENT_ALREADY_IMPORTED' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a file that is no statement, an unknown company and an account of another company: 422 naming the field, nothing written', async () => {
    const before = await counts();
    const bad = await upload('11 esto no es un extracto\r\n');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('content');
    const empty = await h.api('POST', '/api/collections/bank-statements', { token: hq, body: { companyId: F.ruiz.id, content: '' } });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('content');
    const other = await upload(writeNorma43([statementOf(7, [mov({ amountCents: 100 })])]), hq, F.levante.id);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'ACCOUNT_OF_ANOTHER_COMPANY' });
    expect(await counts()).toEqual(before);
  });

  it('matches a credit naming an invoice number to that invoice’s items, oldest due first, the rest as credit', async () => {
    const inv = await invoice([30, 60]); // 605,00 + 605,00
    const file = writeNorma43([statementOf(1, [mov({ amountCents: 100_000, concepts: [`PAGO FRA ${inv.number}`] })])]);
    const r = await upload(file, ruiz);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const m = r.body.statements[0].movements[0];
    expect(m).toMatchObject({ status: 'matched', matchKind: 'reference' });
    expect(m.paymentNumber).toMatch(/^COB-2026-\d{6}$/);
    expect((await items(inv.id)).map((i) => [Number(i.balance_cents), i.status])).toEqual([
      [0, 'paid'],
      [21_000, 'partial'],
    ]);
    const p = (await one<Record<string, unknown>>(h.ds.manager, `SELECT * FROM payment WHERE id = ?`, [m.paymentId]))!;
    expect([p.source_kind, p.source_id, Number(p.amount_cents), Number(p.allocated_cents), Number(p.credit_cents), p.counterparty_kind, p.counterparty_id]).toEqual(['bank_movement', m.id, 100_000, 100_000, 0, 'customer', F.customer.id]);
    const postings = await all<{ kind: string; amount_cents: unknown; source_id: string }>(h.ds.manager, `SELECT p.kind, p.amount_cents, p.source_id FROM open_item_posting p JOIN open_item i ON i.id = p.item_id WHERE i.source_id = ? AND p.kind = 'collected' ORDER BY i.source_idx`, [inv.id]);
    expect(postings.map((x) => [x.kind, Number(x.amount_cents), x.source_id])).toEqual([
      ['collected', 60_500, m.paymentId],
      ['collected', 39_500, m.paymentId],
    ]);
  });

  it('matches a credit of an item’s balance naming its customer to the oldest such item', async () => {
    const older = await invoice([10], 50_000); // 605,00 due in 10 days
    const newer = await invoice([20], 50_000); // 605,00 due in 20 days
    const file = writeNorma43([statementOf(2, [mov({ amountCents: 60_500, concepts: ['TRANSFERENCIA DE BAR EL RINCON SL'] }), mov({ amountCents: 60_500, concepts: ['TRANSFERENCIA SIN NOMBRE'] })])]);
    const r = await upload(file);
    expect(r.status).toBe(201);
    const [named, anonymous] = r.body.statements[0].movements;
    expect(named).toMatchObject({ status: 'matched', matchKind: 'amount' });
    expect(anonymous).toMatchObject({ status: 'unmatched', paymentId: null });
    expect((await items(older.id)).map((i) => i.status)).toEqual(['paid']);
    expect((await items(newer.id)).map((i) => i.status)).toEqual(['open']);
  });

  it('matches a movement by hand (the rest is credit), once; bad lines are 422 naming the field, nothing written; or ignores it', async () => {
    const inv = await invoice([45], 10_000); // 121,00
    const [item] = await items(inv.id);
    const file = writeNorma43([statementOf(3, [mov({ amountCents: 15_000, concepts: ['INGRESO VARIOS'] }), mov({ amountCents: -350, commonConcept: '12', concepts: ['COMISION MANTENIMIENTO'] })])]);
    const r = await upload(file);
    const [credit, fee] = r.body.statements[0].movements;
    expect(credit.status).toBe('unmatched');
    const listed = await h.api('GET', `/api/collections/bank-movements?status=unmatched&statementId=${r.body.statements[0].id}`, { token: ruiz });
    expect(listed.body.items.map((x: { id: string }) => x.id).sort()).toEqual([credit.id, fee.id].sort());

    const candidates = await h.api('GET', `/api/collections/bank-movements/${credit.id}/candidates?q=${encodeURIComponent(inv.number)}`, { token: ruiz });
    expect(candidates.body.items.map((c: { id: string; balanceCents: number }) => [c.id, c.balanceCents])).toEqual([[item!.id, 12_100]]);
    expect((await h.api('GET', `/api/collections/bank-movements/${fee.id}/candidates`, { token: ruiz })).body.items).toEqual([]);
    const before = await counts();
    const over = await h.api('POST', `/api/collections/bank-movements/${credit.id}/match`, { token: ruiz, body: { lines: [{ itemId: item!.id, amountCents: 12_200 }] } });
    expect(over.status).toBe(422);
    expect(over.body.errors.map((e: { path: string }) => e.path)).toEqual(['lines.0.amountCents']);
    const wrongSide = await h.api('POST', `/api/collections/bank-movements/${fee.id}/match`, { token: ruiz, body: { lines: [{ itemId: item!.id, amountCents: 100 }] } });
    expect(wrongSide.status).toBe(422);
    expect(wrongSide.body.errors[0].path).toBe('lines.0.itemId');
    const malformed = await h.api('POST', `/api/collections/bank-movements/${credit.id}/match`, { token: ruiz, body: { lines: [{ itemId: item!.id, amountCents: -5 }] } });
    expect(malformed.status).toBe(400);
    const foreign = await h.api('POST', `/api/collections/bank-movements/${credit.id}/match`, { token: levante, body: { lines: [{ itemId: item!.id, amountCents: 100 }] } });
    expect(foreign.status).toBe(403);
    expect(await counts()).toEqual(before);

    const ok = await h.api('POST', `/api/collections/bank-movements/${credit.id}/match`, { token: ruiz, body: { lines: [{ itemId: item!.id, amountCents: 12_100 }], note: 'Cobro en ventanilla' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'matched', matchKind: 'manual' });
    const p = (await one<Record<string, unknown>>(h.ds.manager, `SELECT amount_cents, allocated_cents, credit_cents FROM payment WHERE id = ?`, [ok.body.paymentId]))!;
    expect([Number(p.amount_cents), Number(p.allocated_cents), Number(p.credit_cents)]).toEqual([15_000, 12_100, 2_900]);
    expect((await items(inv.id)).map((i) => [Number(i.balance_cents), i.status])).toEqual([[0, 'paid']]);
    const again = await h.api('POST', `/api/collections/bank-movements/${credit.id}/match`, { token: ruiz, body: { lines: [{ itemId: item!.id, amountCents: 1 }] } });
    expect(again.status).toBe(409);

    const noNote = await h.api('POST', `/api/collections/bank-movements/${fee.id}/ignore`, { token: ruiz, body: {} });
    expect(noNote.status).toBe(400);
    const ignored = await h.api('POST', `/api/collections/bank-movements/${fee.id}/ignore`, { token: ruiz, body: { note: 'Comisión bancaria' } });
    expect(ignored.body).toMatchObject({ status: 'ignored', note: 'Comisión bancaria' });
    expect((await h.api('POST', `/api/collections/bank-movements/${fee.id}/ignore`, { token: ruiz, body: { note: 'x' } })).status).toBe(409);
  });

  it('hands a credit to the remittances part’s settler when the remittance table exists (the hook the SEPA part fills)', async () => {
    // The SEPA remittances part owns the table; here only its existence matters (IF NOT EXISTS: no-op once it is there).
    await exec(h.ds.manager, `CREATE TABLE IF NOT EXISTS remittance (id varchar(36) PRIMARY KEY)`);
    const REMITTANCE = '00000000-0000-7000-80bb-000000000001';
    const asked: Array<{ amountCents: number; companyId: string }> = [];
    const before = setRemittanceSettler(async (_m, _clock, q) => {
      asked.push({ amountCents: q.amountCents, companyId: q.companyId });
      return q.amountCents === 333_300 ? REMITTANCE : null;
    });
    try {
      const r = await upload(writeNorma43([statementOf(5, [mov({ amountCents: 333_300, commonConcept: '03', concepts: ['ABONO REMESA RECIBOS'] }), mov({ amountCents: 4_400, concepts: ['OTRO'] })])]));
      const [settled, other] = r.body.statements[0].movements;
      expect(settled).toMatchObject({ status: 'matched', matchKind: 'remittance', remittanceId: REMITTANCE, paymentId: null });
      expect(other.status).toBe('unmatched');
      expect(asked).toEqual([{ amountCents: 333_300, companyId: F.ruiz.id }, { amountCents: 4_400, companyId: F.ruiz.id }]);
    } finally {
      // Back to what was there: other test files in this worker share the module (isolate: false).
      setRemittanceSettler(before);
    }
  });

  it('matches again on demand once the item exists; another franchisee sees none of Ruiz’s statements', async () => {
    const file = writeNorma43([statementOf(4, [mov({ amountCents: 24_200, concepts: ['PAGO PENDIENTE FRA'] })])]);
    const r = await upload(file);
    const s = r.body.statements[0];
    expect(s.movements[0].status).toBe('unmatched');
    const inv = await invoice([5], 20_000); // 242,00
    await exec(h.ds.manager, `UPDATE bank_movement SET concepts = ? WHERE id = ?`, [`PAGO FRA ${inv.number}`, s.movements[0].id]);
    const again = await h.api('POST', `/api/collections/bank-statements/${s.id}/match`, { token: ruiz });
    expect(again.status).toBe(200);
    expect(again.body.matched).toBe(1);
    expect((await items(inv.id)).map((i) => i.status)).toEqual(['paid']);

    expect((await h.api('GET', `/api/collections/bank-statements/${sampleId}`, { token: levante })).status).toBe(403);
    const list = await h.api('GET', '/api/collections/bank-statements', { token: levante });
    expect(list.body.items).toEqual([]);
    const mine = await h.api('GET', '/api/collections/bank-statements', { token: ruiz });
    expect(mine.body.total).toBe(8);
    expect((await h.api('GET', '/api/collections/bank-movements', { token: levante })).body.total).toBe(0);
    // The bulk writer of the automatic matching kept every item's balance equal to the sum of its postings,
    // and every bank payment's amount = allocated + credit.
    expect(await all(h.ds.manager, `SELECT i.id FROM open_item i WHERE i.balance_cents <> (SELECT SUM(p.signed_cents) FROM open_item_posting p WHERE p.item_id = i.id)`)).toEqual([]);
    expect(await all(h.ds.manager, `SELECT p.id FROM payment p WHERE p.allocated_cents <> (SELECT COALESCE(SUM(a.amount_cents), 0) FROM payment_allocation a WHERE a.payment_id = p.id)`)).toEqual([]);
  });

  it('a credit that pays off what blocked a customer lifts the block, and the change feed says so', async () => {
    // Levante's on-account ticket to the customer, 90 days overdue: its dunning run blocks the customer.
    await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.levante.id, side: 'receivable', kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8f0b-000000000001', sourceIdx: 0, documentRef: 'T-LEV-1', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: F.storeV1.id, issueDate: '2026-08-01', dueDate: '2026-09-01', amountCents: 20_000 }, null, 'test'),
    );
    const run = await h.api('POST', '/api/collections/dunning/run', { token: levante, body: { companyId: F.levante.id, asOf: '2026-11-30' } });
    expect([run.status, run.body.blocked]).toEqual([201, 1]);
    const lastCustomer = async () => {
      const r = await one<{ payload: unknown }>(h.ds.manager, `SELECT payload FROM change_log WHERE entity = 'customer' AND entity_id = ? ORDER BY version DESC`, [F.customer.id]);
      return typeof r!.payload === 'string' ? JSON.parse(r!.payload) : r!.payload;
    };
    expect(await lastCustomer()).toMatchObject({ onAccountBlocked: true });
    // Levante's bank statement: a credit naming the ticket, matched automatically (the bulk writer).
    const levanteAccount = { bank: '2100', office: '0418', number: '0200051334', currency: 'EUR' };
    const file = writeNorma43([{ ...statementOf(9, [mov({ amountCents: 20_000, concepts: ['PAGO T-LEV-1'] })]), account: levanteAccount }]);
    const r = await upload(file, levante, F.levante.id);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.statements[0].movements[0].status).toBe('matched');
    expect((await h.api('GET', `/api/collections/credit-control?companyId=${F.levante.id}`, { token: levante })).body.items).toEqual([expect.objectContaining({ counterpartyId: F.customer.id, blocked: false, exposureCents: 0 })]);
    expect(await lastCustomer()).toMatchObject({ onAccountBlocked: false });
  });
});
