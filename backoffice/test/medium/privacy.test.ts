/**
 * Data protection on both engines: consents (history and derived current state, at HQ and from a till's
 * document applied once), the access log, the export (JSON keys; the PDF's text through pdftotext, rendered
 * by pdftoppm), erasure (refused with an open balance and nothing written; then the full invoice intact and
 * the person gone elsewhere, the feed deletes the customer), the retention job with a fixed clock, bad input.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpwardAck } from '@tpv/shared/wire/upward';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec, one } from '../../src/persistence/sql';
import { writeTransaction } from '../../src/persistence/raw';
import { runRetention } from '../../src/privacy/erasure';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const YEAR = 365 * 86_400_000;
const ANA = { id: '00000000-0000-7000-8990-000000000001', nif: 'B44556678', name: 'Ana Pérez Gil', email: 'ana@example.com' };
const BEA = { id: '00000000-0000-7000-8990-000000000002', name: 'Bea Inactiva' };
const CARLOS = { id: '00000000-0000-7000-8990-000000000003', name: 'Carlos Debe' };
const ADDRESS = { street: 'Calle Mayor 12', postalCode: '28013', city: 'Madrid' };
const docId = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

describe.each(engines)('privacy on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let t1: TerminalClient;
  let now = T0;
  const clock = { now: () => now };
  let full: TicketDocument;
  let simplified: TicketDocument;
  let f: ReturnType<typeof factoryFor>;

  const count = async (table: string, where = '1 = 1', params: unknown[] = []) => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params))!.n);
  const fileBytes = async (id: string) => Buffer.from(await (await fetch(`${h.url}/api/files/${id}`, { headers: { authorization: `Bearer ${hq}` } })).arrayBuffer());

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    for (const c of [{ ...ANA }, { id: BEA.id, name: BEA.name, nif: null, email: null }, { id: CARLOS.id, name: CARLOS.name, nif: null, email: null }]) {
      const { id, ...body } = c;
      expect((await h.api('PUT', `/api/customers/${id}`, { token: hq, body: { ...body, creditLimitCents: 100_000 } })).status).toBe(200);
    }
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 11);
    const p = F.products[0]!;
    // Ana: a full invoice (F1) naming her, and a simplified ticket on her account (an open balance until paid).
    full = f.sale({ lines: [{ product: p, units: 3632 }], payment: 'card', invoice: { id: ANA.id, nif: ANA.nif, name: ANA.name, address: ADDRESS } });
    simplified = f.sale({ lines: [{ product: p, units: 2 }], payment: { onAccount: { id: ANA.id, name: ANA.name } } });
    const carlos = f.sale({ lines: [{ product: p, units: 1 }], payment: { onAccount: { id: CARLOS.id, name: CARLOS.name } } });
    expect(await t1.send([full, simplified, carlos])).toMatchObject({ ackedSeq: 3 });
  });
  afterAll(async () => {
    t1?.close();
    await h?.teardown();
  });

  it('keeps every consent as a record and derives the current state per purpose; a till consent applies once', async () => {
    const post = (body: unknown) => h.api('POST', `/api/privacy/customers/${ANA.id}/consents`, { token: hq, body });
    expect((await post({ consents: [{ purpose: 'marketing', granted: true }, { purpose: 'loyalty', granted: true }] })).status).toBe(201);
    now += 60_000;
    expect((await post({ consents: [{ purpose: 'marketing', granted: false }], source: 'web' })).status).toBe(201);
    // A paper form entered late, dated before the web withdrawal: in the history, not the current state.
    const late = await post({ consents: [{ purpose: 'marketing', granted: true }], givenAt: new Date(T0 + 30_000).toISOString(), note: 'formulario en papel' });
    expect(late.status).toBe(201);
    // At the counter: the till's document, sent twice (a lost ack), recorded once.
    const doc = { id: docId(1), kind: 'privacy.consent', createdAt: '2026-11-30T10:05:00+01:00', payload: { customerId: ANA.id, consents: [{ purpose: 'e_receipt', granted: true }] } };
    for (let i = 0; i < 2; i++) {
      const ack = (await t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [doc] })) as UpwardAck;
      expect(ack.results[0]).toMatchObject({ id: docId(1), status: 'applied' });
    }
    const r = await h.api('GET', `/api/privacy/customers/${ANA.id}/consents`, { token: hq });
    expect(r.status).toBe(200);
    expect(r.body.current.map((s: { purpose: string; granted: boolean; source: string }) => [s.purpose, s.granted, s.source])).toEqual([
      ['e_receipt', true, 'till'], ['loyalty', true, 'backoffice'], ['marketing', false, 'web'],
    ]);
    expect(r.body.history.map((x: { purpose: string; granted: boolean; source: string }) => `${x.purpose}:${x.granted}:${x.source}`)).toEqual([
      'marketing:true:backoffice', 'loyalty:true:backoffice', 'marketing:false:web', 'marketing:true:backoffice', 'e_receipt:true:till',
    ]);
    expect(r.body.history.at(-1)).toMatchObject({ recordedBy: `till ${F.t1.id}`, storeId: F.storeM1.id, terminalId: F.t1.id });
  });

  it('refuses an unknown purpose, an unknown customer and a duplicate purpose: 4xx, nothing written', async () => {
    const before = await count('customer_consent');
    const bad = [
      [ANA.id, { consents: [{ purpose: 'spam', granted: true }] }, 400],
      [ANA.id, { consents: [{ purpose: 'loyalty', granted: true }, { purpose: 'loyalty', granted: false }] }, 400],
      [ANA.id, { consents: [] }, 400],
      ['00000000-0000-7000-8990-0000000000ff', { consents: [{ purpose: 'loyalty', granted: true }] }, 404],
    ] as const;
    for (const [id, body, status] of bad) expect((await h.api('POST', `/api/privacy/customers/${id}/consents`, { token: hq, body })).status).toBe(status);
    expect(await count('customer_consent')).toBe(before);
  });

  it('logs every read of personal data and lists it', async () => {
    const before = await count('privacy_access_log', 'customer_id = ?', [ANA.id]);
    const r = await h.api('GET', `/api/privacy/customers/${ANA.id}`, { token: hq });
    expect(r.body).toMatchObject({ id: ANA.id, name: ANA.name, email: ANA.email, erasedAt: null });
    const log = await h.api('GET', `/api/privacy/access-log?customerId=${ANA.id}`, { token: hq });
    expect(log.body.items.length).toBe(before + 1);
    expect(log.body.items[0]).toMatchObject({ customerId: ANA.id, userEmail: F.hq.email, what: 'privacy.personal_data' });
  });

  it('exports everything held about the customer: JSON with every part, a readable PDF', async () => {
    const r = await h.api('POST', `/api/privacy/customers/${ANA.id}/export`, { token: hq });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'export', status: 'done', customerId: ANA.id });
    const json = JSON.parse((await fileBytes(r.body.jsonFileId)).toString('utf8'));
    expect(Object.keys(json).sort()).toEqual(['accessLog', 'consents', 'customer', 'exportedAt', 'format', 'invoices', 'loyalty', 'openItems', 'other', 'receivables', 'requests', 'tickets', 'vouchers']);
    expect(json.customer).toMatchObject({ id: ANA.id, name: ANA.name, email: ANA.email, nif: ANA.nif });
    expect(json.tickets.map((t: { fiscalNumber: string; invoiceType: string }) => [t.fiscalNumber, t.invoiceType])).toEqual([[full.fiscalNumber, 'F1'], [simplified.fiscalNumber, 'F2']]);
    expect(json.consents.history).toHaveLength(5);
    expect(json.receivables).toHaveLength(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-privacy-pdf-'));
    try {
      const pdf = path.join(dir, 'export.pdf');
      writeFileSync(pdf, await fileBytes(r.body.pdfFileId));
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
      for (const s of ['Sus datos personales / Your personal data', ANA.name, ANA.email, 'Comunicaciones comerciales / Marketing: No', 'Ticket electrónico / E-receipt: Sí / Yes', full.fiscalNumber]) expect(text).toContain(s);
      execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', pdf, path.join(dir, 'page')]);
      expect(readdirSync(dir).some((n) => n.endsWith('.png'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await count('privacy_access_log', 'customer_id = ? AND what = ?', [ANA.id, 'privacy.export'])).toBe(1);
  });

  it('refuses erasure while the customer has an open balance, writing nothing', async () => {
    const snapshot = async () => JSON.stringify([
      await one(h.ds.manager, `SELECT name, email, nif, erased_at FROM customer WHERE id = ?`, [ANA.id]),
      await count('privacy_request', 'kind = ?', ['erasure']), await count('change_log'), await count('customer_consent'), await count('audit_log'),
    ]);
    const before = await snapshot();
    const r = await h.api('POST', `/api/privacy/customers/${ANA.id}/erasure`, { token: hq, body: { reason: 'petición del cliente' } });
    expect(r.status).toBe(409);
    expect(r.body.code ?? r.body.type).toMatch(/open[-_]balance/i);
    expect(r.body.detail).toMatch(/saldo pendiente/);
    expect((await h.api('POST', `/api/privacy/customers/${ANA.id}/erasure`, { token: hq, body: {} })).status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('erases: the full invoice keeps its recipient, the person is gone from everything else and from the tills’ feed', async () => {
    // Ana pays her account.
    await exec(h.ds.manager, `UPDATE receivable SET status = 'paid', paid_cents = amount_cents WHERE customer_id = ?`, [ANA.id]);
    await exec(h.ds.manager, `UPDATE open_item SET balance_cents = 0, status = 'paid' WHERE counterparty_id = ?`, [ANA.id]);
    const since = (await pullChanges(t1, 0)).toVersion;
    const r = await h.api('POST', `/api/privacy/customers/${ANA.id}/erasure`, { token: hq, body: { reason: 'petición del cliente' } });
    expect(r.status).toBe(200);
    expect(r.body.summary).toMatchObject({ fullInvoicesKept: 1, nifKept: true, ticketsUnlinked: 1, consentsWithdrawn: 2 });

    const ticket = async (id: string) => {
      const t = (await one<{ customer_id: string | null; document: string }>(h.ds.manager, `SELECT customer_id, document FROM sale_ticket WHERE id = ?`, [id]))!;
      return [t.customer_id, (JSON.parse(t.document) as TicketDocument).customer ?? null];
    };
    const customer = await one<Record<string, unknown>>(h.ds.manager, `SELECT name, email, nif, active, erased_at FROM customer WHERE id = ?`, [ANA.id]);
    const states = await all<{ purpose: string; granted: unknown }>(h.ds.manager, `SELECT purpose, granted FROM customer_consent_state WHERE customer_id = ? ORDER BY purpose`, [ANA.id]);
    // What remains, table by table.
    expect({
      fullInvoice: await ticket(full.id),
      simplifiedTicket: await ticket(simplified.id),
      customer: { ...customer, active: Boolean(customer!.active), erased: customer!.erased_at !== null, erased_at: undefined },
      consents: states.map((s) => [s.purpose, Boolean(s.granted)]),
    }).toEqual({
      fullInvoice: [ANA.id, { id: ANA.id, nif: ANA.nif, name: ANA.name, reRegime: false, address: ADDRESS }],
      simplifiedTicket: [null, null],
      customer: { name: 'Cliente suprimido', email: null, nif: ANA.nif, active: false, erased: true, erased_at: undefined },
      consents: [['e_receipt', false], ['loyalty', false], ['marketing', false]],
    });
    // HQ's ticket page shows the invoice's recipient as issued, not the anonymised record.
    expect((await h.api('GET', `/api/tickets/${full.id}`, { token: hq })).body.customer).toEqual({ id: ANA.id, name: ANA.name, nif: ANA.nif });
    const page = await pullChanges(t1, since);
    expect(page.changes.filter((c) => c.entity === 'customer')).toEqual([expect.objectContaining({ id: ANA.id, op: 'delete' })]);
    expect(await count('audit_log', `action = 'customer.erase' AND entity_id = ?`, [ANA.id])).toBe(1);
    // A till still offline at the erasure names her on a later ticket: the ingest step unlinks it as well.
    const late = f.sale({ lines: [{ product: F.products[1]!, units: 1 }], payment: { onAccount: { id: ANA.id, name: ANA.name } } });
    expect(await t1.send([late])).toMatchObject({ ackedSeq: 4 });
    expect(await ticket(late.id)).toEqual([null, null]);
    // Nor can the record be edited back into a person.
    expect((await h.api('PUT', `/api/customers/${ANA.id}`, { token: hq, body: { name: ANA.name, nif: ANA.nif } })).status).toBe(409);
    // Once erased: no second erasure, no new consent.
    expect((await h.api('POST', `/api/privacy/customers/${ANA.id}/erasure`, { token: hq, body: { reason: 'otra vez' } })).status).toBe(409);
    expect((await h.api('POST', `/api/privacy/customers/${ANA.id}/consents`, { token: hq, body: { consents: [{ purpose: 'loyalty', granted: true }] } })).status).toBe(409);
    const list = await h.api('GET', `/api/privacy/requests?customerId=${ANA.id}`, { token: hq });
    expect(list.body.items.map((x: { kind: string }) => x.kind)).toEqual(['erasure', 'export']);
  });

  it('retention: anonymises customers inactive for the policy’s years, skips those with an open balance, reports counts', async () => {
    expect((await h.api('PUT', '/api/privacy/retention', { token: hq, body: { retentionYears: 0 } })).status).toBe(400);
    expect((await h.api('PUT', '/api/privacy/retention', { token: hq, body: { retentionYears: 2 } })).body).toMatchObject({ retentionYears: 2, updatedBy: F.hq.email });
    // One year on: only the seeded customer, of whom nothing was ever recorded (no ticket, invoice, consent or change).
    now = T0 + YEAR;
    const run = () => runRetention((fn) => writeTransaction(h.ds, fn), h.ds.manager, clock, null);
    expect(await run()).toMatchObject({ years: 2, candidates: 1, anonymised: 1, skippedOpenBalance: 0 });
    // Three years on: Bea (created, then nothing) is anonymised; Carlos still owes his on-account ticket.
    now = T0 + 3 * YEAR;
    expect(await run()).toMatchObject({ years: 2, candidates: 2, anonymised: 1, skippedOpenBalance: 1 });
    const rows = await all<{ id: string; name: string; erased_at: string | null }>(h.ds.manager, `SELECT id, name, erased_at FROM customer WHERE id IN (?, ?, ?) ORDER BY id`, [BEA.id, CARLOS.id, F.customer.id]);
    expect(rows.map((r) => [r.id, r.name, r.erased_at !== null])).toEqual([
      [F.customer.id, 'Cliente suprimido', true], [BEA.id, 'Cliente suprimido', true], [CARLOS.id, CARLOS.name, false],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(await count('privacy_request', 'kind = ?', ['retention'])).toBe(2);
  });
});
