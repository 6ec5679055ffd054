/**
 * CRM core on both engines: a customer created at a till (`crm.customer` through the real documents channel)
 * is applied once and published on the feed; an invalid NIF is refused with nothing written; duplicates by
 * normalised NIF / email / phone; the merge of B into A keeps every ticket, receivable, invoice and note (table
 * of before/after worked by hand), refuses a merge into itself (422, nothing written) and sends a late till
 * document naming B onto A; segments' counts worked by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec, one } from '../../src/persistence/sql';
import { post as postPoints, sqlOf } from '../../src/loyalty/ledger';
import { expectBalancesAreSums } from '../support/loyalty';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const uid = (kind: number, n: number) => `01900000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const A = uid(0xc1, 1);
const B = uid(0xc1, 2);
const C = uid(0xc1, 3);
const TILL_NEW = uid(0xc1, 4);
const doc = (n: number, payload: Record<string, unknown>): UpwardDocument => ({ id: uid(0xd0, n), kind: 'crm.customer', createdAt: '2026-11-30T10:00:00+01:00', payload });

describe.each(engines)('CRM core on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let t1: TerminalClient;
  let token: string;
  const send = (d: UpwardDocument[]) => t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: d }) as Promise<UpwardAck>;
  const count = async (sql: string, p: unknown[] = []) => Number((await one<{ n: unknown }>(h.ds.manager, sql, p))?.n ?? 0);
  let seq = 0;
  const ticket = async (customerId: string, date: string, cents: number) => {
    seq++;
    const id = uid(0xe0, seq);
    await exec(
      h.ds.manager,
      `INSERT INTO sale_ticket (id, terminal_id, store_id, seq, kind, series, number, fiscal_number, issued_at, business_date, customer_id, total_cents, tax_cents, discount_cents, document, received_at, chain_ok)
       VALUES (?, ?, ?, ?, ?, 'T01', ?, ?, ?, ?, ?, ?, 0, 0, '{}', ?, ?)`,
      [id, F.t1.id, F.storeM1.id, 1000 + seq, cents < 0 ? 'return' : 'sale', seq, `T01/${seq}`, `${date}T10:00:00+01:00`, date, customerId, cents, `${date}T10:00:00Z`, true],
    );
    return id;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    token = await h.login(F.hq);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
  });
  afterAll(async () => {
    t1?.close();
    await h?.teardown();
  });

  it('applies a till customer once, with the till id, and publishes it on the feed', async () => {
    const d = doc(1, { customerId: TILL_NEW, op: 'create', name: '  Lucía   Gómez ', nif: '12345678-z', phone: '+34 600 11 22 33', email: 'Lucia@Example.com', loyaltyCard: 'lc-0001' });
    const first = await send([d]);
    const again = await send([d]);
    expect(first.results[0]!.status).toBe('applied');
    expect(again.results[0]).toEqual(first.results[0]);
    const row = await one<Record<string, unknown>>(h.ds.manager, `SELECT name, nif, phone, email, loyalty_card, origin_store_id FROM customer WHERE id = ?`, [TILL_NEW]);
    expect(row).toEqual({ name: 'Lucía Gómez', nif: '12345678Z', phone: '600112233', email: 'lucia@example.com', loyalty_card: 'LC0001', origin_store_id: F.storeM1.id });
    expect(await count(`SELECT COUNT(*) AS n FROM change_log WHERE entity = 'customer' AND entity_id = ?`, [TILL_NEW])).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'customer' AND entity_id = ?`, [TILL_NEW])).toBe(1);
  });

  it('refuses an invalid NIF from a till or at HQ with a clear message, nothing written', async () => {
    const bad = uid(0xc1, 9);
    const ack = await send([doc(2, { customerId: bad, op: 'create', name: 'Mal', nif: '12345678A' })]);
    expect(ack.results[0]!.status).toBe('rejected');
    expect(ack.results[0]!.message).toMatch(/NIF/);
    const r = await h.api('POST', '/api/crm/customers', { token, body: { id: bad, name: 'Mal', nif: '12345678A' } });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('nif');
    expect(await count(`SELECT COUNT(*) AS n FROM customer WHERE id = ?`, [bad])).toBe(0);
  });

  it('lists duplicate pairs by normalised NIF, email and phone', async () => {
    for (const [id, body] of [
      [A, { name: 'Ana Ruiz', nif: '11111111H', email: 'ana@x.es', phone: '600 000 001' }],
      [B, { name: 'Ana Ruiz Pérez', email: 'ANA@x.es ', phone: '+34600000001' }],
      [C, { name: 'Carlos Sanz', phone: '600000009' }],
    ] as const) {
      expect((await h.api('POST', '/api/crm/customers', { token, body: { id, ...body } })).status).toBe(201);
    }
    const r = await h.api('GET', '/api/crm/duplicates', { token });
    expect(r.status).toBe(200);
    const pairs = (r.body.pairs as Array<{ a: { id: string }; b: { id: string }; reasons: string[] }>).map((p) => [p.a.id, p.b.id, [...p.reasons].sort()]);
    expect(pairs).toEqual([[A, B, ['email', 'phone']]]);
  });

  it('merges B into A keeping every ticket, receivable, invoice and note; into itself is 422 with nothing written', async () => {
    const tA = await ticket(A, '2026-11-20', 5000);
    const tB = await ticket(B, '2026-06-01', 3000);
    const tB2 = await ticket(B, '2026-11-29', -1000);
    await exec(h.ds.manager, `INSERT INTO receivable (id, customer_id, store_id, ticket_id, amount_cents, due_date, status, paid_cents) VALUES (?, ?, ?, ?, 3000, '2026-12-30', 'open', 0)`, [uid(0xf0, 1), B, F.storeM1.id, tB]);
    await exec(h.ds.manager, `INSERT INTO invoice (id, company_id, invoice_type, source, status, recipient_customer_id, created_at, updated_at) VALUES (?, ?, 'F1', 'manual', 'draft', ?, '2026-11-30T09:00:00Z', '2026-11-30T09:00:00Z')`, [uid(0xf0, 2), F.ruiz.id, B]);
    expect((await h.api('POST', `/api/crm/customers/${B}/notes`, { token, body: { body: 'Prefiere factura / wants an invoice' } })).status).toBe(201);
    // Points: A earned 30 at Ruiz; B earned 120 at Ruiz and 45 at Levante, spent 20 → 145. After the merge A holds 175.
    const points = sqlOf(h.ds.manager);
    const earn = (customerId: string, n: number, companyId: string, id: number, kind: 'earn' | 'redeem' = 'earn') =>
      postPoints(points, { id: uid(0xf1, id), customerId, kind, points: kind === 'earn' ? n : -n, companyId, day: '2026-10-01', at: '2026-10-01T10:00:00Z' });
    await earn(A, 30, F.ruiz.id, 1);
    await earn(B, 120, F.ruiz.id, 2);
    await earn(B, 45, F.levante.id, 3);
    await earn(B, 20, F.ruiz.id, 4, 'redeem');

    const audits = await count(`SELECT COUNT(*) AS n FROM audit_log`);
    const self = await h.api('POST', '/api/crm/merges', { token, body: { intoId: A, mergedId: A } });
    expect(self.status).toBe(422);
    expect(self.body.code ?? self.body.type).toMatch(/MERGE_INTO_ITSELF/);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log`)).toBe(audits);

    const r = await h.api('POST', '/api/crm/merges', { token, body: { intoId: A, mergedId: B } });
    expect(r.status).toBe(200);
    expect(r.body.moved).toEqual({ sale_ticket: 2, receivable: 1, invoice: 1, customer_note: 1 });
    const balance = async (id: string) => Number((await one<{ points: unknown }>(h.ds.manager, `SELECT points FROM loyalty_balance WHERE customer_id = ?`, [id]))?.points ?? 0);
    expect([await balance(A), await balance(B)]).toEqual([175, 0]);
    // The points keep the company they were earned at (the settlement between franchisees depends on it).
    const byCompany = await all<{ company_id: string; s: unknown }>(h.ds.manager, `SELECT company_id, SUM(points) AS s FROM loyalty_posting WHERE customer_id = ? GROUP BY company_id ORDER BY company_id`, [A]);
    expect(Object.fromEntries(byCompany.map((x) => [x.company_id, Number(x.s)]))).toEqual({ [F.ruiz.id]: 130, [F.levante.id]: 45 });
    await expectBalancesAreSums(h);
    // Before: A 1 ticket (50.00), B 2 (30.00, −10.00). After: A 3 tickets, 70.00; B none.
    const byCustomer = await all<{ customer_id: string; n: unknown; s: unknown }>(h.ds.manager, `SELECT customer_id, COUNT(*) AS n, SUM(total_cents) AS s FROM sale_ticket WHERE id IN (?, ?, ?) GROUP BY customer_id`, [tA, tB, tB2]);
    expect(byCustomer.map((x) => [x.customer_id, Number(x.n), Number(x.s)])).toEqual([[A, 3, 7000]]);
    expect(await count(`SELECT COUNT(*) AS n FROM receivable WHERE customer_id = ? AND amount_cents = 3000`, [A])).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM invoice WHERE recipient_customer_id = ?`, [A])).toBe(1);
    const page = await h.api('GET', `/api/crm/customers/${A}`, { token });
    expect(page.body.notes.map((n: { body: string }) => n.body)).toEqual(['Prefiere factura / wants an invoice']);
    expect(page.body.purchases).toHaveLength(2);
    expect(page.body.returns).toHaveLength(1);
    expect(page.body.mergedFrom.map((x: { id: string }) => x.id)).toEqual([B]);
    expect(page.body.sections.map((s: { module: string }) => s.module)).toEqual(['loyalty', 'privacy']);
    // B leaves the tills, is out of the list and the duplicates; merging it again is 409.
    expect(await one(h.ds.manager, `SELECT op FROM change_log WHERE entity = 'customer' AND entity_id = ? ORDER BY version DESC LIMIT 1`, [B])).toEqual({ op: 'delete' });
    const list = await h.api('GET', '/api/crm/customers?q=ana', { token });
    expect(list.body.customers.map((c: { id: string }) => c.id)).toEqual([A]);
    expect((await h.api('GET', '/api/crm/duplicates', { token })).body.pairs).toEqual([]);
    expect((await h.api('POST', '/api/crm/merges', { token, body: { intoId: C, mergedId: B } })).status).toBe(409);
    // A till that still knew B edits it: the edit lands on A.
    const late = await send([doc(3, { customerId: B, op: 'update', name: 'Ana Ruiz Pérez', email: 'ana.nueva@x.es' })]);
    expect(late.results[0]!.status).toBe('applied');
    expect(await one(h.ds.manager, `SELECT name, email FROM customer WHERE id = ?`, [A])).toEqual({ name: 'Ana Ruiz Pérez', email: 'ana.nueva@x.es' });
  });

  it('counts segments by rules as worked by hand (today 2026-11-30) and exports them', async () => {
    // Tickets: A 2026-11-20 +50.00, 2026-06-01 +30.00, 2026-11-29 −10.00 (all A after the merge); C 2025-10-01 +90.00 (outside 365 days).
    await ticket(C, '2025-10-01', 9000);
    const live = await count(`SELECT COUNT(*) AS n FROM customer WHERE merged_into_id IS NULL`);
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ minSpendCents: 7000 }, 1], // A: 70.00
      [{ minSpendCents: 7001 }, 0],
      [{ boughtWithinDays: 1 }, 0], // today only
      [{ boughtWithinDays: 2 }, 1], // 2026-11-29
      [{ periodDays: 800, minSpendCents: 9000 }, 1], // C: 90.00 in 800 days
      [{ storeId: F.storeM2.id }, 0],
      [{ notBoughtForDays: 30 }, live - 1], // everyone but A
    ];
    for (const [rules, n] of cases) {
      const r = await h.api('POST', '/api/crm/segments/preview', { token, body: rules });
      expect([rules, r.body.count]).toEqual([rules, n]);
    }
    const seg = uid(0x5e, 1);
    expect((await h.api('PUT', `/api/crm/segments/${seg}`, { token, body: { name: 'Buenos / Good', rules: { minSpendCents: 7000 } } })).status).toBe(200);
    expect((await h.api('GET', '/api/crm/segments', { token })).body.segments.map((s: { memberCount: number }) => s.memberCount)).toEqual([1]);
    const last = await one<{ payload: string }>(h.ds.manager, `SELECT payload FROM change_log WHERE entity = 'customer' AND entity_id = ? ORDER BY version DESC LIMIT 1`, [A]);
    expect(JSON.parse(last!.payload).segmentIds).toEqual([seg]);
    const csv = await h.api('GET', `/api/crm/segments/${seg}/export`, { token });
    expect(String(csv.body).split('\n').filter(Boolean)).toHaveLength(2);
  });
});
