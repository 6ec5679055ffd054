/**
 * F3 at HQ (`POST /api/tickets/:id/invoice`) on SQLite and PostgreSQL: a till's simplified ticket, ingested,
 * is replaced by a full invoice of its company whose bases and cuotas are the ticket's to the cent (fixed
 * taxes), posted in the company's series with an alta in its HQ chain (verified); bad recipients (422) and a
 * second invoice for the ticket — made at HQ or at a till — (409) are refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain } from '@tpv/shared/fiscal/record';
import { hqChain } from '../../src/invoicing/posting';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';

const count = async (ds: DataSource, table: string, where = '1 = 1') =>
  Number(((await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number | string }>)[0]!.n);
const written = async (ds: DataSource) => ({
  invoice: await count(ds, 'invoice'),
  invoice_tax: await count(ds, 'invoice_tax'),
  invoice_substitution: await count(ds, 'invoice_substitution'),
  ticket_substitution: await count(ds, 'ticket_substitution'),
  hq_fiscal_record: await count(ds, 'hq_fiscal_record'),
  audit_log: await count(ds, 'audit_log'),
});

const NORTE = { nif: 'B44556678', name: 'Construcciones Norte S.L.', address: { street: 'Calle Mayor 12', postalCode: '28013', city: 'Madrid' } };

describe.each(engines)('F3 at HQ for a till ticket on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let term: TerminalClient;
  let token: string;
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 9);
  const p0 = F.products[0]!; // 0.95 € at 21 %
  beforeAll(async () => {
    h = await startHarness(engine);
    term = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    token = await h.login(F.hq);
  });
  afterAll(async () => {
    term?.close();
    await h?.teardown();
  });

  it('replaces a ticket with an F3 whose amounts are the ticket’s to the cent, once', async () => {
    // One 0.95 € article at 21 %: the ticket's base is round(95 / 1.21) = round(78.51) = 79, IVA 95 − 79 = 16.
    // Re-pricing 79 net at 21 % would give IVA round(16.59) = 17 and a total of 96: the fixed taxes keep 79 + 16.
    // Second line 3 × 1.69 € (product 3, 4 %): gross 507, base round(507 / 1.04) = round(487.5) = 488, IVA 19.
    const ticket = f.sale({ lines: [{ product: p0, units: 1 }, { product: F.products[2]!, units: 3 }] });
    expect(ticket.taxBreakdown.map((r) => [r.rate, r.gross, r.base, r.ivaCuota])).toEqual([[2100, 95, 79, 16], [400, 3 * F.products[2]!.priceCents, 488, 19]]);
    expect((await term.send([ticket])).ackedSeq).toBe(1);
    const before = await written(h.ds);

    // Refusals first: nothing written.
    const badNif = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token, body: { recipient: { ...NORTE, nif: 'B44556671' } } });
    expect([badNif.status, badNif.body.errors?.[0]?.path]).toEqual([422, 'recipient.nif']);
    const noAddress = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token, body: { recipient: { nif: NORTE.nif, name: NORTE.name } } });
    expect(noAddress.status).toBe(400);
    const unknown = await h.api('POST', `/api/tickets/00000000-0000-7000-8000-0000000000ff/invoice`, { token, body: { recipient: NORTE } });
    expect(unknown.status).toBe(404);
    const levante = await h.login(F.managerLevante);
    const otherCompany = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token: levante, body: { recipient: NORTE } });
    expect(otherCompany.status).toBe(404);
    expect(await written(h.ds)).toEqual(before);

    const r = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token, body: { recipient: NORTE } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ totalCents: ticket.totals.total, ticket: { id: ticket.id, fiscalNumber: ticket.fiscalNumber } });
    const inv = (await h.ds.query(`SELECT invoice_type, source, source_key, status, recipient_nif, base_cents, iva_cents, re_cents, total_cents FROM invoice WHERE id = '${r.body.invoiceId}'`)) as Array<Record<string, unknown>>;
    expect(inv.map((x) => [x.invoice_type, x.source, x.source_key, x.status, x.recipient_nif, Number(x.base_cents), Number(x.iva_cents), Number(x.total_cents)])).toEqual([
      ['F3', 'ticket', `ticket:${ticket.id}`, 'posted', NORTE.nif, 79 + 488, 16 + 19, ticket.totals.total],
    ]);
    const taxes = (await h.ds.query(`SELECT iva_rate_bp, base_cents, iva_cents FROM invoice_tax WHERE invoice_id = '${r.body.invoiceId}' ORDER BY idx`)) as Array<Record<string, unknown>>;
    expect(taxes.map((x) => [Number(x.iva_rate_bp), Number(x.base_cents), Number(x.iva_cents)])).toEqual([[2100, 79, 16], [400, 488, 19]]);
    const sub = (await h.ds.query(`SELECT ticket_id, invoice_number, issue_date FROM invoice_substitution WHERE invoice_id = '${r.body.invoiceId}'`)) as Array<Record<string, unknown>>;
    expect(sub).toEqual([{ ticket_id: ticket.id, invoice_number: ticket.fiscalNumber, issue_date: ticket.fiscal.issueDate }]);
    // The company's HQ chain: the F3 alta names the ticket it replaces and verifies.
    const chain = await hqChain(h.ds.manager, F.ruiz.id);
    expect(chain.at(-1)!.record).toMatchObject({ invoiceType: 'F3', grandTotal: (ticket.totals.total / 100).toFixed(2), substituted: [{ invoiceNumber: ticket.fiscalNumber, issueDate: ticket.fiscal.issueDate }] });
    expect(verifyChain(chain.map((c) => c.record)).ok).toBe(true);
    expect(await count(h.ds, 'audit_log', `action = 'ticket.invoice' AND entity_id = '${ticket.id}'`)).toBe(1);

    // A second invoice for the same ticket: 409, nothing written.
    const after = await written(h.ds);
    const again = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token, body: { recipient: NORTE } });
    expect([again.status, again.body.code]).toEqual([409, 'TICKET_ALREADY_SUBSTITUTED']);
    expect(await written(h.ds)).toEqual(after);

    // The till, not knowing, replaces it too: the ingest rejects that F3 for good (its record still chains).
    const tillF3 = f.substitute(ticket, NORTE);
    const ack = await term.send([tillF3]);
    expect(ack.ackedSeq).toBe(2);
    expect(ack.rejected?.[0]?.reason).toMatch(/^TICKET_ALREADY_SUBSTITUTED/);
    expect(await count(h.ds, 'ticket_substitution')).toBe(1);
  });

  it('refuses an HQ F3 for a ticket a till replaced first, and for anything but a simplified ticket', async () => {
    const ticket = f.sale({ lines: [{ product: p0, units: 2 }] });
    const tillF3 = f.substitute(ticket, NORTE);
    const full = f.sale({ lines: [{ product: p0, units: 1 }], invoice: NORTE });
    expect((await term.send([ticket, tillF3, full])).ackedSeq).toBe(5);
    const before = await written(h.ds);
    const replaced = await h.api('POST', `/api/tickets/${ticket.id}/invoice`, { token, body: { recipient: NORTE } });
    expect([replaced.status, replaced.body.code]).toEqual([409, 'TICKET_ALREADY_SUBSTITUTED']);
    const ofF1 = await h.api('POST', `/api/tickets/${full.id}/invoice`, { token, body: { recipient: NORTE } });
    expect([ofF1.status, ofF1.body.code]).toEqual([409, 'NOT_A_SIMPLIFIED_TICKET']);
    const ofF3 = await h.api('POST', `/api/tickets/${tillF3.id}/invoice`, { token, body: { recipient: NORTE } });
    expect([ofF3.status, ofF3.body.code]).toEqual([409, 'NOT_A_SIMPLIFIED_TICKET']);
    expect(await written(h.ds)).toEqual(before);
    expect(engine.name).toMatch(/sqlite|postgres/);
  });
});
