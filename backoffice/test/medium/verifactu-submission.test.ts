/**
 * Veri*Factu submission against the local AEAT stand-in (real SOAP, every request checked against the XSD),
 * on both engines: a month of tills + HQ records of two issuers goes out in batches (50 here, ≤ 1,000 always),
 * each issuer waits the TiempoEsperaEnvio the AEAT answered before its next send (a fake clock advanced by the
 * injected waiter: no real sleeps), one record is rejected (kept with its code and description, then fixed and
 * resent as a correction), one send gets no answer (timeout: resent, the AEAT's "duplicate" counts as
 * accepted), one is accepted with errors, a schema-breaking request gets a SOAP fault, and a node that dies mid-send is recovered by the next one — every record ends registered
 * exactly once (must-be-true 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { CUSTOMER_NIF, hqActor, SCHEMA, seedMonth } from '../support/verifactu-fixtures';
import { createSubmission, httpTransport, resendRejected, type SendOutcome } from '../../src/verifactu/submission';
import { startAeatStandIn, type AeatStandIn } from '../../src/verifactu/standin';
import { NS_LR, NS_SF, parseSoapAnswer, SoapFault } from '../../src/verifactu/xml';
import { insertDraftInvoice, postInvoice } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';

describe.each(engines)('Veri*Factu submission on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  let aeat: AeatStandIn;
  // Fake time: starts 1 Dec 2026 09:00 UTC; only the waiter moves it.
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const clock = { now: () => now };
  const waits: number[] = [];
  const waiter = { sleep: async (ms: number) => void (waits.push(ms), (now += ms)) };
  const statusCounts = async () =>
    Object.fromEntries((await all<{ status: string; n: unknown }>(ds.manager, `SELECT status, COUNT(*) AS n FROM verifactu_record GROUP BY status`)).map((r) => [r.status, Number(r.n)]));
  const totalRecords = async () => {
    const t = await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM fiscal_record`);
    const h = await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM hq_fiscal_record`);
    return Number(t[0]!.n) + Number(h[0]!.n);
  };

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    await seedMonth(ds);
    aeat = await startAeatStandIn({ clock, waitSeconds: 60, schema: SCHEMA });
  }, 120_000);
  afterAll(async () => {
    await aeat?.close();
    await teardown?.();
  });

  let rejectedNumber = '';

  it('sends everything in batches, honours the waiting time, keeps a rejection and survives a timeout', async () => {
    const total = await totalRecords();
    const [victim] = await all<{ fiscal_number: string }>(ds.manager, `SELECT fiscal_number FROM sale_ticket WHERE terminal_id = ? ORDER BY seq LIMIT 1 OFFSET 7`, [F.t2.id]);
    rejectedNumber = victim!.fiscal_number;
    aeat.reject(rejectedNumber);
    // One of Ruiz's HQ invoices is accepted with errors (registered, with a warning to look at).
    const [warned] = await all<{ number: string }>(ds.manager, `SELECT number FROM invoice WHERE company_id = ? AND status = 'posted' ORDER BY number LIMIT 1`, [F.ruiz.id]);
    aeat.acceptWithErrors(warned!.number);
    const submission = createSubmission({ ds, clock, waiter, transport: httpTransport(aeat.url, 30_000), batchSize: 50, retryDelayMs: 30_000 });
    const sends: SendOutcome[] = [];
    const run = await submission.runUntilIdle({
      onSend: (o) => {
        sends.push(o);
        // The AEAT gets the 2nd request and registers it, but its answer never comes back.
        if (sends.length === 1) aeat.stallNext(1, 'drop');
        // (the stalled batch holds no rejected record: its records all end "duplicate" on the resend)
      },
    });
    expect(run.sends).toBe(sends.length);
    const unanswered = sends.filter((s) => s.state === 'sent' && !s.answered);
    expect(unanswered).toHaveLength(1);
    expect(sends.every((s) => s.state === 'sent' && s.records <= 50)).toBe(true);

    // Every record queued once; all accepted but the one rejected, which keeps the AEAT's code and description.
    expect(await statusCounts()).toEqual({ accepted: total - 2, accepted_with_errors: 1, rejected: 1 });
    const [warn] = await all<{ invoice_number: string; error_code: string }>(ds.manager, `SELECT invoice_number, error_code FROM verifactu_record WHERE status = 'accepted_with_errors'`);
    expect(warn).toEqual({ invoice_number: warned!.number, error_code: '2000' });
    const [rej] = await all<{ invoice_number: string; error_code: string; error_description: string }>(ds.manager, `SELECT invoice_number, error_code, error_description FROM verifactu_record WHERE status = 'rejected'`);
    expect(rej).toEqual({ invoice_number: rejectedNumber, error_code: '1100', error_description: expect.stringContaining('NIF del destinatario') });
    // The stand-in holds every record but the rejected one, each once; the stalled batch's resend was answered "duplicate".
    expect(aeat.registered.size).toBe(total - 1);
    expect([...aeat.registered.values()].every((r) => r.count === 1)).toBe(true);
    const dup = await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM verifactu_record WHERE error_description LIKE 'ya registrado%'`);
    expect(Number(dup[0]!.n)).toBe(aeat.requests[1]!.records);

    // Waiting time: per issuer, each send starts ≥ 60 s after the previous answer (30 s after an unanswered one).
    const byIssuer = new Map<string, number[]>();
    for (const r of aeat.requests) byIssuer.set(r.issuerNif, [...(byIssuer.get(r.issuerNif) ?? []), r.at]);
    expect([...byIssuer.keys()].sort()).toEqual([F.levante.nif, F.ruiz.nif].sort());
    for (const [nif, times] of byIssuer) {
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `${nif} send ${i}`).toBeGreaterThanOrEqual(30_000);
    }
    const ruizRequests = aeat.requests.filter((r) => r.issuerNif === F.ruiz.nif);
    const gaps = ruizRequests.slice(1).map((r, i) => r.at - ruizRequests[i]!.at);
    expect(gaps.filter((g) => g >= 60_000).length).toBeGreaterThanOrEqual(gaps.length - 1);
    expect(waits.length).toBeGreaterThan(0);
    // Batches: per issuer, at most 50 records (and never more than the AEAT's 1,000).
    expect(aeat.requests.every((r) => r.records <= 50)).toBe(true);
  }, 120_000);

  it('a rejected record, fixed, is resent as a correction and registered once', async () => {
    const [rej] = await all<{ id: string }>(ds.manager, `SELECT id FROM verifactu_record WHERE status = 'rejected'`);
    aeat.accept(rejectedNumber);
    expect(await writeTransaction(ds, (m) => resendRejected(m, clock, rej!.id))).toMatchObject({ id: rej!.id });
    // Not rejected any more: a second resend is refused.
    expect(await writeTransaction(ds, (m) => resendRejected(m, clock, rej!.id))).toBeNull();
    const submission = createSubmission({ ds, clock, waiter, transport: httpTransport(aeat.url, 30_000) });
    await submission.runUntilIdle();
    const total = await totalRecords();
    expect(await statusCounts()).toEqual({ accepted: total - 1, accepted_with_errors: 1 });
    expect(aeat.registered.size).toBe(total);
  }, 60_000);

  it('the stand-in refuses a request that breaks the schema with a SOAP fault, as the AEAT does', async () => {
    const soap = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sum="${NS_LR}" xmlns:sf="${NS_SF}"><soapenv:Body><sum:RegFactuSistemaFacturacion><sum:Cabecera><sf:ObligadoEmision><sf:NombreRazon>Ruiz</sf:NombreRazon><sf:NIF>${F.ruiz.nif}</sf:NIF></sf:ObligadoEmision></sum:Cabecera></sum:RegFactuSistemaFacturacion></soapenv:Body></soapenv:Envelope>`;
    const before = aeat.requests.length;
    const res = await fetch(aeat.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: soap });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(() => parseSoapAnswer(body)).toThrow(SoapFault);
    expect(body).toContain('4102');
    expect(aeat.requests.length).toBe(before);
  });

  it('a node that dies mid-send leaves a batch the next node resends; still once each', async () => {
    const at = { now: () => now };
    await writeTransaction(ds, async (m) =>
      postInvoice(m, at, hqActor, (await insertDraftInvoice(m, at, hqActor, { companyId: F.ruiz.id, invoiceType: 'F1', source: 'manual', recipient: { nif: CUSTOMER_NIF, name: F.customer.name }, lines: [{ description: 'Asesoría', quantityMilli: 1000, unitPriceCents: 10_000, ivaRateBp: 2100 }] })).id),
    );
    now += 3_600_000;
    // Node A: the request reaches the AEAT, then the node dies before reading the answer (never settles).
    const real = httpTransport(aeat.url, 30_000);
    const nodeA = createSubmission({ ds, clock, waiter, transport: (soap) => real(soap).then(() => new Promise<string>(() => {})) });
    const requestsBefore = aeat.requests.length;
    nodeA.runUntilIdle().catch(() => {}); // never settles: the node "died" waiting
    await expect.poll(() => aeat.requests.length, { timeout: 20_000 }).toBe(requestsBefore + 1);
    expect((await statusCounts()).sending).toBe(1);
    const total = await totalRecords();
    expect(aeat.registered.size).toBe(total);
    // Node B starts later: the stale batch's record goes back to pending and is resent; the AEAT answers duplicate.
    now += 11 * 60_000;
    const nodeB = createSubmission({ ds, clock, waiter, transport: httpTransport(aeat.url, 30_000) });
    await nodeB.runUntilIdle();
    expect(await statusCounts()).toEqual({ accepted: total - 1, accepted_with_errors: 1 });
    expect(aeat.registered.size).toBe(total);
    const batches = await all<{ status: string; n: unknown }>(ds.manager, `SELECT status, COUNT(*) AS n FROM verifactu_batch GROUP BY status`);
    expect(Object.fromEntries(batches.map((b) => [b.status, Number(b.n)]))).toMatchObject({ timeout: 2 });
  }, 60_000);
});
