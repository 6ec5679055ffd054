/**
 * Veri*Factu over HTTP on both engines: the month's export as a job whose file downloads and validates
 * against the XSD; "send now" (HQ only) against the AEAT stand-in; the status per company and month, the
 * rejected record with its error, its resend (audited) and acceptance after the AEAT's waiting time; bad
 * input refused as problem+json naming the field, scope enforced (a franchisee sees only its companies).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { MONTH, SCHEMA, seedMonth, xsdErrors } from '../support/verifactu-fixtures';
import { startAeatStandIn, type AeatStandIn } from '../../src/verifactu/standin';
import { all } from '../../src/persistence/sql';

describe.each(engines)('Veri*Factu HTTP on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let aeat: AeatStandIn;
  let hq: string;
  let ruiz: string;
  let now = Date.UTC(2026, 11, 2, 9, 0, 0);
  const clock = { now: () => now };
  const jobDone = async (jobId: string, token: string) => {
    let body: { status: string; result: unknown; resultFileId: string | null; error?: string } = { status: '', result: null, resultFileId: null };
    await vi.waitFor(async () => {
      body = (await h.api('GET', `/api/jobs/${jobId}`, { token })).body;
      expect(['succeeded', 'failed']).toContain(body.status);
    }, { timeout: 30_000, interval: 100 });
    return body;
  };

  beforeAll(async () => {
    aeat = await startAeatStandIn({ clock, waitSeconds: 60, schema: SCHEMA });
    process.env.TPV_VERIFACTU_URL = aeat.url;
    h = await startHarness(engine, clock);
    await seedMonth(h.ds);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
  }, 120_000);
  afterAll(async () => {
    await h?.teardown();
    await aeat?.close();
    delete process.env.TPV_VERIFACTU_URL;
  });

  it('exports a month as a job; the file downloads and validates', async () => {
    const r = await h.api('POST', '/api/verifactu/exports', { token: ruiz, body: { companyId: F.ruiz.id, month: MONTH } });
    expect(r.status).toBe(202);
    const job = await jobDone(r.body.jobId, ruiz);
    expect(job.status).toBe('succeeded');
    const file = await h.api('GET', `/api/files/${job.resultFileId}`, { token: ruiz });
    expect(file.status).toBe(200);
    expect(xsdErrors(file.body)).toBe('');
    expect(file.body).toContain(`<sf:NumeroInstalacion>HQ-${F.ruiz.nif}</sf:NumeroInstalacion>`);
    // Levante's manager cannot read Ruiz's export, nor export Ruiz.
    const levante = await h.login(F.managerLevante);
    expect((await h.api('GET', `/api/files/${job.resultFileId}`, { token: levante })).status).toBe(403);
    expect((await h.api('POST', '/api/verifactu/exports', { token: levante, body: { companyId: F.ruiz.id, month: MONTH } })).status).toBe(404);
  }, 60_000);

  it('refuses bad input naming the field, starting no job', async () => {
    const jobs = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM job`))[0]!.n);
    const before = await jobs();
    const bad = await h.api('POST', '/api/verifactu/exports', { token: hq, body: { companyId: F.ruiz.id, month: '2026-13' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('month');
    const status = await h.api('GET', '/api/verifactu/status?month=noviembre', { token: hq });
    expect(status.status).toBe(400);
    expect((await h.api('POST', '/api/verifactu/exports', { token: hq, body: { companyId: '00000000-0000-7000-8999-000000000000', month: MONTH } })).status).toBe(404);
    // Sending is HQ's: a franchisee manager is refused.
    expect((await h.api('POST', '/api/verifactu/send', { token: ruiz, body: { companyId: F.ruiz.id } })).status).toBe(403);
    expect(await jobs()).toBe(before);
  });

  it('sends now, shows the status and the rejected record, resends it after the fix', async () => {
    const [victim] = await all<{ number: string }>(h.ds.manager, `SELECT number FROM invoice WHERE company_id = ? AND status = 'posted' ORDER BY number LIMIT 1`, [F.ruiz.id]);
    aeat.reject(victim!.number, '1104', 'Valor del campo NumSerieFactura incorrecto.');
    const sent = await h.api('POST', '/api/verifactu/send', { token: hq, body: { companyId: F.ruiz.id } });
    expect(sent.status).toBe(202);
    const job = await jobDone(sent.body.jobId, hq);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ sends: 1, nextSendAt: null });

    const st = await h.api('GET', `/api/verifactu/status?month=${MONTH}`, { token: ruiz });
    expect(st.status).toBe(200);
    // A franchisee sees its own company only.
    expect(st.body.map((c: { companyId: string }) => c.companyId)).toEqual([F.ruiz.id]);
    const total = Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM verifactu_record WHERE company_id = ?`, [F.ruiz.id]))[0]!.n);
    expect(st.body[0]).toMatchObject({ nif: F.ruiz.nif, notQueued: 0, pending: 0, accepted: total - 1, rejected: 1 });

    const rej = await h.api('GET', `/api/verifactu/records?companyId=${F.ruiz.id}&month=${MONTH}&status=rejected`, { token: ruiz });
    expect(rej.body).toEqual([expect.objectContaining({ invoiceNumber: victim!.number, source: 'hq', errorCode: '1104', errorDescription: 'Valor del campo NumSerieFactura incorrecto.' })]);

    aeat.accept(victim!.number);
    const again = await h.api('POST', `/api/verifactu/records/${rej.body[0].id}/resend`, { token: ruiz });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('pending');
    expect((await h.api('POST', `/api/verifactu/records/${rej.body[0].id}/resend`, { token: ruiz })).status).toBe(409);
    const audit = await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'verifactu.resend' AND entity_id = ?`, [rej.body[0].id]);
    expect(Number(audit[0]!.n)).toBe(1);

    // Within the AEAT's 60 s nothing leaves; after it, the correction is accepted.
    const early = await jobDone((await h.api('POST', '/api/verifactu/send', { token: hq, body: { companyId: F.ruiz.id } })).body.jobId, hq);
    expect(early.result).toMatchObject({ sends: 0, nextSendAt: expect.any(String) });
    now += 61_000;
    const late = await jobDone((await h.api('POST', '/api/verifactu/send', { token: hq, body: { companyId: F.ruiz.id } })).body.jobId, hq);
    expect(late.result).toMatchObject({ sends: 1 });
    const final = await h.api('GET', `/api/verifactu/status?month=${MONTH}&companyId=${F.ruiz.id}`, { token: hq });
    expect(final.body[0]).toMatchObject({ accepted: total, rejected: 0, pending: 0 });
    expect(aeat.registered.size).toBe(total);
  }, 90_000);
});
