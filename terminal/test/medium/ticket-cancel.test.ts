/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * "Anular ticket · Cancel ticket" (issue 18): the cashier cancels the whole ticket in progress in one action,
 * with a supervisor's PIN as a line void needs it; the till audits it and queues ONE `sales.void` document
 * (cartEmptied, the lines' amount, the line count) for HQ's cashier figures. An empty cart has nothing to
 * cancel; a cart paid meanwhile cannot be cancelled; refusals write nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TillVoidSchema } from '@tpv/shared/wire/upward';
import { EAN, pid, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { startOpenTill, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-ticket-cancel-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const voidDocs = (db: TestDb['db']) =>
  db.prepare<[], { payload: string }>(`SELECT payload FROM document_outbox WHERE kind = 'sales.void' ORDER BY created_at, rowid`).all().map((r) => JSON.parse(r.payload) as Record<string, unknown>);

describe('cancel the whole ticket at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  beforeAll(async () => {
    // The cashier logged in, the drawer opened with a 50 € float.
    ({ t, s } = await startOpenTill(dir));
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('an empty cart has nothing to cancel', async () => {
    const cart = (await s.call('GET', '/api/cart')).body;
    const before = rowCounts(t.db);
    const r = await s.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: STAFF.supervisor.pin });
    expect([r.status, r.body.code]).toEqual([409, 'CART_EMPTY']);
    expect(r.type).toContain('application/problem+json');
    expect(rowCounts(t.db)).toEqual(before);
    expect(voidDocs(t.db)).toEqual([]);
  });

  it('needs the supervisor as a line void does; refusals and bad input write nothing', async () => {
    await s.call('POST', '/api/cart/scan', { code: EAN.cola });
    await s.call('POST', '/api/cart/scan', { code: EAN.cola });
    await s.call('POST', '/api/cart/scan', { code: EAN.bread });
    await s.call('POST', '/api/cart/scan', { code: EAN.wine });
    const cart = (await s.call('GET', '/api/cart')).body;
    expect(cart.lines).toHaveLength(3);
    const before = rowCounts(t.db);
    const cases: Array<[unknown, number, string]> = [
      [{ cartId: cart.id }, 403, 'SUPERVISOR_REQUIRED'],
      [{ cartId: cart.id, supervisorPin: '0000' }, 403, 'SUPERVISOR_PIN_INVALID'],
      [{ cartId: 'another-cart', supervisorPin: STAFF.supervisor.pin }, 409, 'CART_CLOSED'],
      [{ supervisorPin: STAFF.supervisor.pin }, 400, 'VALIDATION_FAILED'],
      [{ cartId: cart.id, supervisorPin: STAFF.supervisor.pin, lines: 'all' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await s.call('POST', '/api/cart/cancel', body);
      expect({ body, status: r.status, code: r.body?.code }).toEqual({ body, status, code });
      expect(r.type).toContain('application/problem+json');
    }
    expect(rowCounts(t.db)).toEqual(before);
    expect((await s.call('GET', '/api/cart')).body.lines).toHaveLength(3);
    expect(voidDocs(t.db)).toEqual([]);
  });

  it('with the supervisor PIN: an empty new cart, one audit row and ONE sales.void document for the whole ticket', async () => {
    const cart = (await s.call('GET', '/api/cart')).body;
    // Cola 2 × 1,99 = 3,98 + bread 0,85 + wine 12,50 = 17,33 € over 3 lines.
    const r = await s.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: STAFF.supervisor.pin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.lines).toEqual([]);
    expect(r.body.id).not.toBe(cart.id);
    const audit = t.db.prepare<[], { actor_id: string; authorised_by: string; details: string }>(`SELECT actor_id, authorised_by, details FROM audit_log WHERE action = 'ticket_cancel'`).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: STAFF.cashier.id, authorised_by: STAFF.supervisor.id });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ cartId: cart.id, gross: 1_733, lines: [{ productId: pid(2), gross: 398 }, { productId: pid(3), gross: 85 }, { productId: pid(4), gross: 1_250 }] });
    const docs = voidDocs(t.db);
    expect(docs).toEqual([
      { cartId: cart.id, lineCount: 3, cashierId: STAFF.cashier.id, cashierName: STAFF.cashier.name, authorisedBy: STAFF.supervisor.id, cents: 1_733, cartEmptied: true, at: expect.any(String) },
    ]);
    expect(TillVoidSchema.safeParse(docs[0]).success).toBe(true);
    // The same tap again (the old cart): nothing left to cancel, still one document.
    const again = await s.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: STAFF.supervisor.pin });
    expect([again.status, again.body.code]).toEqual([409, 'CART_EMPTY']);
    expect(voidDocs(t.db)).toHaveLength(1);
    // The X report counts the 3 voided lines and their 17,33 €.
    const x = await s.call('GET', '/api/cash/x-report');
    expect(x.body.voids).toEqual({ count: 3, cents: 1_733 });
  });

  it('a cart already paid cannot be cancelled, nor the next customer’s by a late tap', async () => {
    await s.call('POST', '/api/cart/scan', { code: EAN.bread });
    const cart = (await s.call('GET', '/api/cart')).body;
    const sold = await s.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: 85 }] });
    expect(sold.status).toBe(200);
    let before = rowCounts(t.db);
    const paid = await s.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: STAFF.supervisor.pin });
    expect([paid.status, paid.body.code]).toEqual([409, 'CART_EMPTY']);
    expect(rowCounts(t.db)).toEqual(before);
    // The next customer's ticket is open: the paid cart's id still cancels nothing.
    await s.call('POST', '/api/cart/scan', { code: EAN.water });
    before = rowCounts(t.db);
    const late = await s.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: STAFF.supervisor.pin });
    expect([late.status, late.body.code]).toEqual([409, 'CART_CLOSED']);
    expect(late.body.detail).toContain('ya está cobrado');
    expect(rowCounts(t.db)).toEqual(before);
    expect((await s.call('GET', '/api/cart')).body.lines.map((l: any) => l.productId)).toEqual([pid(1)]);
    expect(voidDocs(t.db)).toHaveLength(1);
  });

  it('a supervisor at the till cancels without a PIN, authorised by themselves', async () => {
    await s.login(STAFF.supervisor.pin);
    const cart = (await s.call('GET', '/api/cart')).body;
    const r = await s.call('POST', '/api/cart/cancel', { cartId: cart.id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(voidDocs(t.db).at(-1)).toMatchObject({ cartId: cart.id, lineCount: 1, cashierId: STAFF.supervisor.id, authorisedBy: STAFF.supervisor.id, cents: 45, cartEmptied: true });
  });
});
