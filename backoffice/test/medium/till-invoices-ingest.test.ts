/**
 * Full invoices made at the till reach HQ through the ticket ingest (real socket.io, SQLite file and
 * PostgreSQL): an F1 (recipient with NIF and address, over the simplified limit) is a sale like any other; an
 * F3 replacing an F2 is stored in the till's chain (sale_ticket kind 'invoice', zero amounts in the columns,
 * no lines, stock or cash), `ticket_substitution` records the replaced ticket, and a second F3 for the same
 * ticket — from another till — is rejected for good while its record still chains. The whole chain, as
 * ingested, verifies with the shared `verifyChain`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness } from '../support/harness';

const count = async (ds: DataSource, table: string, where = '1 = 1') =>
  Number(((await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number | string }>)[0]!.n);

/** A terminal's chain as HQ holds it: the documents' records in chain order. */
async function ingestedChain(ds: DataSource, terminalId: string): Promise<FiscalRecord[]> {
  const rows = (await ds.query(
    `SELECT t.document FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id WHERE f.terminal_id = '${terminalId}' ORDER BY f.chain_position`,
  )) as Array<{ document: string }>;
  return rows.map((r) => (JSON.parse(r.document) as TicketDocument).fiscal);
}

const NORTE = { nif: 'B44556678', name: 'Construcciones Norte S.L.', address: { street: 'Calle Mayor 12', postalCode: '28013', city: 'Madrid' } };

describe.each(engines)('till invoices (F1/F3) through the ingest on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('ingests an F1 and an F3 in the chain, records the substitution, and refuses a second F3 for the ticket from another till', async () => {
    const t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    const t2 = await connectTerminal(h.url, F.t2.id, await h.pair(F.t2.id));
    try {
      const f1 = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 5);
      const p0 = F.products[0]!; // 0.95 € at 21 %
      const simplified = f1.sale({ lines: [{ product: p0, units: 2 }, { product: F.products[2]!, units: 1 }] });
      // 3,632 × 0.95 = 3,450.40 € — over the 3,000 € F2 limit, so an F1.
      const full = f1.sale({ lines: [{ product: p0, units: 3632 }], payment: 'card', invoice: NORTE });
      const f3 = f1.substitute(simplified, { ...NORTE, id: F.customer.id });
      expect([simplified.fiscal.invoiceType, full.fiscal.invoiceType, full.totals.total, f3.fiscal.invoiceType]).toEqual(['F2', 'F1', 345040, 'F3']);
      const stockBefore = await count(h.ds, 'stock_movement');

      expect(await t1.send([simplified, full, f3])).toEqual({ terminalId: F.t1.id, ackedSeq: 3 });
      const rows = (await h.ds.query(`SELECT seq, kind, total_cents, tax_cents, customer_id, chain_ok FROM sale_ticket WHERE terminal_id = '${F.t1.id}' ORDER BY seq`)) as Array<Record<string, unknown>>;
      expect(rows.map((r) => [Number(r.seq), r.kind, Number(r.total_cents), Number(r.tax_cents), r.customer_id, Boolean(r.chain_ok)])).toEqual([
        [1, 'sale', simplified.totals.total, simplified.totals.taxTotal, null, true],
        [2, 'sale', 345040, full.totals.taxTotal, null, true],
        // The F3 counts nothing again: its amounts are the replaced ticket's, in its document.
        [3, 'invoice', 0, 0, F.customer.id, true],
      ]);
      const stored = (await h.ds.query(`SELECT document FROM sale_ticket WHERE id = '${full.id}'`)) as Array<{ document: string }>;
      expect((JSON.parse(stored[0]!.document) as TicketDocument).customer).toEqual({ nif: NORTE.nif, name: NORTE.name, reRegime: false, address: NORTE.address });
      // Stock and cash moved for the two sales only.
      expect(await count(h.ds, 'stock_movement')).toBe(stockBefore + 3);
      expect(await count(h.ds, 'sale_line', `ticket_id = '${f3.id}'`)).toBe(0);
      const totals = (await h.ds.query(`SELECT totals FROM cash_session_summary WHERE terminal_id = '${F.t1.id}'`)) as Array<{ totals: string }>;
      expect(JSON.parse(totals[0]!.totals)).toMatchObject({ tickets: 2, salesCount: 2, salesCents: simplified.totals.total + 345040 });
      const subs = (await h.ds.query(`SELECT ticket_id, invoice_ticket_id, invoice_id, fiscal_number, issue_date FROM ticket_substitution`)) as Array<Record<string, unknown>>;
      expect(subs).toEqual([{ ticket_id: simplified.id, invoice_ticket_id: f3.id, invoice_id: null, fiscal_number: f3.fiscalNumber, issue_date: simplified.fiscal.issueDate }]);
      // The till's chain as ingested: F2, F1, F3, every link verified at ingest and again here.
      const chain = await ingestedChain(h.ds, F.t1.id);
      expect(chain.map((r) => r.invoiceType)).toEqual(['F2', 'F1', 'F3']);
      expect(chain[2]!.substituted).toEqual([{ invoiceNumber: simplified.fiscalNumber, issueDate: simplified.fiscal.issueDate }]);
      expect(verifyChain(chain)).toMatchObject({ ok: true, value: { verified: 3 } });
      expect(await count(h.ds, 'fiscal_record', `terminal_id = '${F.t1.id}' AND verified = ${engine.name === 'postgres' ? 'true' : '1'}`)).toBe(3);

      // Another till of the store replaces the same ticket (it could not know): rejected for good, its record still chains.
      const f2 = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 6);
      const other = f2.sale({ lines: [{ product: p0, units: 1 }] });
      const second = f2.substitute(simplified, NORTE);
      const after = f2.sale({ lines: [{ product: p0, units: 1 }] });
      const ack = await t2.send([other, second, after]);
      expect(ack.ackedSeq).toBe(3);
      expect(ack.rejected).toEqual([{ seq: 2, reason: expect.stringMatching(/^TICKET_ALREADY_SUBSTITUTED: .*already replaced by the invoice M00101-26T\/000003/) }]);
      expect(await count(h.ds, 'ticket_substitution')).toBe(1);
      expect(await count(h.ds, 'sale_ticket', `id = '${second.id}'`)).toBe(0);
      expect(await count(h.ds, 'ingest_review', `code = 'TICKET_ALREADY_SUBSTITUTED' AND seq = 2`)).toBe(1);
      expect(await count(h.ds, 'fiscal_record', `terminal_id = '${F.t2.id}' AND verified = ${engine.name === 'postgres' ? 'true' : '1'}`)).toBe(3);
    } finally {
      t1.close();
      t2.close();
    }
  });

  it('rejects an F1 whose recipient NIF is invalid or whose address is missing, and an F3 that moves money', async () => {
    const t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    try {
      const f = factoryFor(F.t3, F.storeV1, F.levante.nif, 7);
      const p0 = F.products[0]!;
      const good = f.sale({ lines: [{ product: p0, units: 1 }], invoice: NORTE });
      // The NIF and address are not part of the huella: the record still chains, the document is refused.
      const badNif = f.sale({ lines: [{ product: p0, units: 1 }], invoice: { ...NORTE, nif: 'B44556671' } });
      const { address: _a, ...noAddressCustomer } = good.customer!;
      const noAddress = { ...f.sale({ lines: [{ product: p0, units: 1 }], invoice: NORTE }), customer: noAddressCustomer };
      const simplified = f.sale({ lines: [{ product: p0, units: 1 }] });
      const paidF3 = { ...f.substitute(simplified, NORTE), payments: [{ method: 'cash', amount: 95 }] };
      const ack = await t3.send([good, badNif, noAddress, simplified, paidF3]);
      expect(ack.ackedSeq).toBe(5);
      expect(ack.rejected?.map((r) => [r.seq, r.reason.split(':')[0]])).toEqual([
        [2, 'TICKET_MALFORMED'],
        [3, 'TICKET_MALFORMED'],
        [5, 'TICKET_MALFORMED'],
      ]);
      expect(ack.rejected?.map((r) => r.reason)).toEqual([
        expect.stringContaining("customer.nif: a full invoice (F1) needs the recipient's valid NIF"),
        expect.stringContaining("customer.address: a full invoice (F1) needs the recipient's address"),
        expect.stringContaining('payments: an F3 moves no money'),
      ]);
      expect(await count(h.ds, 'ticket_substitution', `ticket_id = '${simplified.id}'`)).toBe(0);
      expect(await count(h.ds, 'fiscal_record', `terminal_id = '${F.t3.id}' AND verified = ${engine.name === 'postgres' ? 'true' : '1'}`)).toBe(5);
    } finally {
      t3.close();
    }
  });
});
