/**
 * The invoices module at HQ on both engines, over HTTP: a manual invoice with mixed IVA rates, recargo and
 * IRPF worked out by hand (issue 12, must-be-true 5), credit notes partial and whole by difference (I) and by
 * substitution (S), anulación, refusals that name their field and write nothing, a franchisee manager's
 * scope, the list's filters and totals, and the PDF read as a person would: its words (pdftotext) and its QR
 * decoded from the rendered page (pdftoppm → PNG → jsQR) equal to the AEAT URL with the record's amount.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { hqChain } from '../../src/invoicing/posting';
import { all } from '../../src/persistence/sql';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };

/**
 * Recipient in the recargo regime, IRPF 15 %, payment at 30 and 60 days. Worked by hand:
 *   1 Alquiler local        1     × 1.000,00         IVA 21 %  base 1.000,00
 *   2 Material de oficina   3,5   × 12,35 − 10 %     IVA 10 %  base 3,5 × 12,35 × 0,9 = 38,9025 → 38,90
 *   3 Libros técnicos       2     × 19,99            IVA 4 %   base 39,98
 *   4 Formación             1     × 250,00           IVA 21 %  base 250,00
 *   21 %: base 1.250,00  IVA 262,50  RE 5,2 % 65,00
 *   10 %: base    38,90  IVA   3,89  RE 1,4 %  0,5446 → 0,54
 *    4 %: base    39,98  IVA 1,5992 → 1,60     RE 0,5 % 0,1999 → 0,20
 *   base 1.328,88 · IVA 267,99 · RE 65,74 · total factura 1.662,61 · IRPF 15 % of 1.328,88 = 199,332 → 199,33
 *   to pay 1.662,61 − 199,33 = 1.463,28 → due 30-12-2026 731,64 and 29-01-2027 731,64
 * The Veri*Factu ImporteTotal (and the QR's importe) is 1.662,61: the withholding is not deducted there.
 */
const MIXED = {
  recipient: { kind: 'typed', nif: '12345678Z', name: 'Papelería Gómez', address: 'Calle Mayor 3, 28013 Madrid', reRegime: true },
  irpfBp: 1500,
  paymentDays: [30, 60],
  paymentMethod: 'transfer',
  lines: [
    { description: 'Alquiler local', quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100 },
    { description: 'Material de oficina', quantityMilli: 3500, unitPriceCents: 1235, discountBp: 1000, ivaRateBp: 1000 },
    { description: 'Libros técnicos', quantityMilli: 2000, unitPriceCents: 1999, ivaRateBp: 400 },
    { description: 'Formación', quantityMilli: 1000, unitPriceCents: 25_000, ivaRateBp: 2100 },
  ],
};
/** 4 × 150,00 + 1 × 80,00 = 680,00 base, IVA 21 % 142,80, total 822,80. */
const SIMPLE = {
  recipient: { kind: 'company', companyId: F.ruiz.id },
  lines: [
    { description: 'Consultoría', quantityMilli: 4000, unitPriceCents: 15_000, ivaRateBp: 2100 },
    { description: 'Desplazamiento', quantityMilli: 1000, unitPriceCents: 8_000, ivaRateBp: 2100 },
  ],
};

const run = promisify(execFile);

/** The PDF as a person reads it: its text (pdftotext) and the QR found on the page rendered at 150 dpi (pdftoppm → jsQR). */
async function readPdf(bytes: Buffer): Promise<{ text: string; qr: string | undefined }> {
  // Poppler runs asynchronously: a synchronous run would stall the server in this process past its keep-alive.
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-invoice-pdf-'));
  try {
    const file = path.join(dir, 'invoice.pdf');
    writeFileSync(file, bytes);
    const { stdout: text } = await run('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    await run('pdftoppm', ['-png', '-r', '150', '-singlefile', file, path.join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    // The decode above holds the event loop; let the server's late keep-alive timers close idle sockets before
    // the next request goes out, or that request may be written on a socket being closed (ECONNRESET).
    await new Promise((r) => setTimeout(r, 200));
    return { text, qr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(engines)('invoices at HQ on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let mixedId: string;
  const count = async (t: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
  const counts = async () => ({ invoice: await count('invoice'), line: await count('invoice_line'), rec: await count('hq_fiscal_record'), audit: await count('audit_log') });
  const issue = async (body: object, token = hq, companyId = F.franchisor.id) => {
    const d = await h.api('POST', '/api/invoices', { token, body: { companyId, ...body } });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const p = await h.api('POST', `/api/invoices/${d.body.id}/post`, { token, body: {} });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    return p.body;
  };
  const credit = (id: string, body: object, token = hq) => h.api('POST', `/api/invoices/${id}/credit-notes`, { token, body: { type: 'R1', reason: 'Devolución', ...body } });

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante)]);
  });
  afterAll(async () => h?.teardown());

  it('works out a manual invoice with mixed rates, recargo and IRPF, posts it with due dates and a chained alta', async () => {
    const draft = await h.api('POST', '/api/invoices', { token: hq, body: { companyId: F.franchisor.id, ...MIXED } });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', number: null, baseCents: 132_888, ivaCents: 26_799, reCents: 6_574, irpfCents: 19_933, totalCents: 146_328 });
    // Editing the draft (the address) keeps the amounts.
    const edited = await h.api('PUT', `/api/invoices/${draft.body.id}`, { token: hq, body: { companyId: F.franchisor.id, ...MIXED, recipient: { ...MIXED.recipient, address: 'Calle Mayor 5, 28013 Madrid' } } });
    expect(edited.status).toBe(200);
    expect(edited.body.recipient.address).toBe('Calle Mayor 5, 28013 Madrid');
    const posted = await h.api('POST', `/api/invoices/${draft.body.id}/post`, { token: hq, body: {} });
    expect(posted.status).toBe(200);
    const v = posted.body;
    mixedId = v.id;
    expect(v).toMatchObject({ status: 'posted', number: 'FV-2026-000001', issueDate: '2026-11-30', reRegime: true, totalCents: 146_328 });
    expect(v.lines.map((l: { reRateBp: number; baseCents: number }) => [l.reRateBp, l.baseCents])).toEqual([[520, 100_000], [140, 3_890], [50, 3_998], [520, 25_000]]);
    expect(v.taxes).toEqual([
      { ivaRateBp: 2100, reRateBp: 520, exemption: null, baseCents: 125_000, ivaCents: 26_250, reCents: 6_500 },
      { ivaRateBp: 1000, reRateBp: 140, exemption: null, baseCents: 3_890, ivaCents: 389, reCents: 54 },
      { ivaRateBp: 400, reRateBp: 50, exemption: null, baseCents: 3_998, ivaCents: 160, reCents: 20 },
    ]);
    expect(v.dues).toEqual([{ dueDate: '2026-12-30', amountCents: 73_164 }, { dueDate: '2027-01-29', amountCents: 73_164 }]);
    expect(v.records).toHaveLength(1);
    expect(v.qrUrl).toBe(buildFiscalQrUrl({ environment: 'production', nif: F.franchisor.nif, invoiceNumber: 'FV-2026-000001', issueDate: '30-11-2026', totalCents: 166_261 }));
    expect(v.pdfFileId).toEqual(expect.any(String));
    expect(v.remainingCents).toBe(146_328);
  });

  it('renders the invoice PDF: company, recipient, lines, breakdown, IRPF, due dates, and a QR that decodes to the AEAT URL', async () => {
    const res = await fetch(`${h.url}/api/invoices/${mixedId}/pdf`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('factura-FV-2026-000001.pdf');
    const { text, qr } = await readPdf(Buffer.from(await res.arrayBuffer()));
    for (const words of ['Franquicia S.L.', `NIF ${F.franchisor.nif}`, 'Factura', 'FV-2026-000001', '30-11-2026', 'Papelería Gómez', 'NIF 12345678Z', 'Calle Mayor 5',
      'Material de oficina', '38,90 €', 'IVA 21 %', '262,50 €', '65,00 €', '5,2 %', '1,4 %', 'Retención IRPF (15 %)', '-199,33 €', 'TOTAL FACTURA', '1.662,61 €', 'Total a pagar', '1.463,28 €',
      'Vencimientos', '30-12-2026', '29-01-2027', '731,64 €', 'VERI*FACTU', 'QR tributario']) {
      expect(text, words).toContain(words);
    }
    expect(qr).toBe('https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B87654321&numserie=FV-2026-000001&fecha=30-11-2026&importe=1662.61');
    // Stored once in the files area: a second download is the same file.
    const again = await h.api('GET', `/api/invoices/${mixedId}`, { token: hq });
    expect(await count('stored_file')).toBe(1);
    expect(again.body.pdfFileId).toBe((await all<{ id: string }>(h.ds.manager, 'SELECT id FROM stored_file'))[0]!.id);
  });

  it('credits part of it by difference (units of a line and an amount off another), refusing more than remains', async () => {
    // Line 2: 1,5 units → base −(1,5 × 12,35 × 0,9) = −16,6725 → −16,67; line 1: 100,00 off.
    //   21 %: base −100,00 IVA −21,00 RE −5,20 · 10 %: base −16,67 IVA −1,667 → −1,67 RE −0,2334 → −0,23
    //   base −116,67 · IVA −22,67 · RE −5,43 · gross −144,77 · IRPF 15 % of −116,67 = −17,5005 → −17,50 · total −127,27
    const r = await credit(mixedId, { scope: 'partial', lines: [{ lineNo: 2, quantityMilli: 1500 }, { lineNo: 1, baseCents: 10_000 }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ invoiceType: 'R1', number: 'FR-2026-000001', baseCents: -11_667, ivaCents: -2_267, reCents: -543, irpfCents: -1_750, totalCents: -12_727 });
    expect(r.body.rectifies).toMatchObject({ invoiceId: mixedId, number: 'FV-2026-000001', method: 'I' });
    const orig = (await h.api('GET', `/api/invoices/${mixedId}`, { token: hq })).body;
    expect(orig.remainingCents).toBe(146_328 - 12_727);
    expect(orig.creditNotes).toEqual([expect.objectContaining({ number: 'FR-2026-000001', method: 'I', totalCents: -12_727 })]);

    const before = await counts();
    // 3,5 − 1,5 = 2 units left on line 2.
    const tooMany = await credit(mixedId, { scope: 'partial', lines: [{ lineNo: 2, quantityMilli: 2500 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: 'lines.0.quantityMilli' })]);
    // 1.000,00 − 100,00 = 900,00 of base left on line 1.
    expect((await credit(mixedId, { scope: 'partial', lines: [{ lineNo: 1, baseCents: 90_001 }] })).body.errors).toEqual([expect.objectContaining({ path: 'lines.0.baseCents' })]);
    expect((await credit(mixedId, { scope: 'partial', lines: [{ lineNo: 9, quantityMilli: 1000 }] })).body.errors).toEqual([expect.objectContaining({ path: 'lines.0.lineNo' })]);
    // A whole credit now is above what remains (the core's check over all credit notes by difference).
    const whole = await credit(mixedId, { scope: 'whole' });
    expect(whole.status).toBe(409);
    expect(whole.body).toMatchObject({ code: 'CREDIT_ABOVE_REMAINING', errors: [expect.objectContaining({ path: 'lines' })] });
    // The other method on the same invoice is refused.
    const mixed = await credit(mixedId, { scope: 'partial', method: 'S', lines: [{ lineNo: 3, quantityMilli: 1000 }] });
    expect(mixed.status).toBe(409);
    expect(mixed.body.errors).toEqual([expect.objectContaining({ path: 'method' })]);
    // Editing, deleting or re-posting a posted invoice: refused; posting again answers it unchanged.
    const edit = await h.api('PUT', `/api/invoices/${mixedId}`, { token: hq, body: { companyId: F.franchisor.id, ...MIXED } });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'INVOICE_POSTED', errors: [expect.objectContaining({ path: 'status' })] });
    expect((await h.api('DELETE', `/api/invoices/${mixedId}`, { token: hq })).status).toBe(409);
    expect((await h.api('POST', `/api/invoices/${mixedId}/post`, { token: hq, body: {} })).body.number).toBe('FV-2026-000001');
    expect(await counts()).toEqual(before);
  });

  it('credits a whole invoice by difference; then it cannot be cancelled', async () => {
    const inv = await issue(SIMPLE);
    const r = await credit(inv.id, { scope: 'whole', type: 'R4', reason: 'Servicio no prestado' });
    expect(r.status).toBe(201);
    // The exact negation: −680,00 base, −142,80 IVA, −822,80.
    expect(r.body).toMatchObject({ invoiceType: 'R4', baseCents: -68_000, ivaCents: -14_280, totalCents: -82_280 });
    expect((await h.api('GET', `/api/invoices/${inv.id}`, { token: hq })).body.remainingCents).toBe(0);
    const more = await credit(inv.id, { scope: 'partial', lines: [{ lineNo: 2, quantityMilli: 1000 }] });
    expect(more.status).toBe(422);
    expect(more.body.errors).toEqual([expect.objectContaining({ path: 'lines.0.quantityMilli' })]);
    const cancel = await h.api('POST', `/api/invoices/${inv.id}/cancel`, { token: hq, body: { reason: 'Error' } });
    expect(cancel.status).toBe(409);
    expect(cancel.body.errors).toEqual([expect.objectContaining({ path: 'status' })]);
  });

  it('rectifies by substitution: a partial S restates the invoice lower, a whole S restates it at zero; an English credit note PDF', async () => {
    const inv = await issue(SIMPLE);
    // Line 1 from 4 to 3 units: 3 × 150,00 + 80,00 = 530,00 base, IVA 111,30, total 641,30 (the corrected invoice).
    const s1 = await credit(inv.id, { scope: 'partial', method: 'S', type: 'R1', reason: 'Una sesión menos', lines: [{ lineNo: 1, quantityMilli: 1000 }], language: 'en' });
    expect(s1.status, JSON.stringify(s1.body)).toBe(201);
    expect(s1.body).toMatchObject({ baseCents: 53_000, ivaCents: 11_130, totalCents: 64_130, rectifies: { method: 'S' } });
    expect(s1.body.lines.map((l: { quantityMilli: number; sourceRef: string }) => [l.quantityMilli, l.sourceRef])).toEqual([[3000, 'line:1'], [1000, 'line:2']]);
    const rec = (await all<{ record: string }>(h.ds.manager, `SELECT record FROM hq_fiscal_record WHERE invoice_id = ?`, [s1.body.id])).map((x) => JSON.parse(x.record) as FiscalRecord)[0]!;
    expect(rec).toMatchObject({ invoiceType: 'R1', rectificationMethod: 'S', grandTotal: '641.30', taxTotal: '111.30', rectified: { invoiceNumber: inv.number } });
    expect((await h.api('GET', `/api/invoices/${inv.id}`, { token: hq })).body.remainingCents).toBe(64_130);

    const pdf = await fetch(`${h.url}/api/invoices/${s1.body.id}/pdf`, { headers: { authorization: `Bearer ${hq}` } });
    const { text, qr } = await readPdf(Buffer.from(await pdf.arrayBuffer()));
    for (const words of ['Credit note (R1)', 'Rectifies invoice', inv.number, 'by substitution (S)', 'Amounts of the replaced invoice', '€822.80', 'INVOICE TOTAL', '€641.30', 'Ruiz S.L.', 'VERI*FACTU']) {
      expect(text, words).toContain(words);
    }
    expect(qr).toBe(buildFiscalQrUrl({ environment: 'production', nif: F.franchisor.nif, invoiceNumber: s1.body.number, issueDate: '30-11-2026', totalCents: 64_130 }));

    // More than what the restated line holds (3 units) is refused.
    expect((await credit(inv.id, { scope: 'partial', method: 'S', lines: [{ lineNo: 1, quantityMilli: 4000 }] })).body.errors).toEqual([expect.objectContaining({ path: 'lines.0.quantityMilli' })]);
    const s2 = await credit(inv.id, { scope: 'whole', method: 'S', type: 'R4', reason: 'Operación cancelada' });
    expect(s2.status).toBe(201);
    expect(s2.body).toMatchObject({ baseCents: 0, ivaCents: 0, totalCents: 0 });
    const again = await credit(inv.id, { scope: 'whole', method: 'S' });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ path: 'lines' })]);
  });

  it('cancels an invoice issued in error (anulación in the chain); a cancelled invoice is not credited', async () => {
    const inv = await issue(SIMPLE);
    const bad = await h.api('POST', `/api/invoices/${inv.id}/cancel`, { token: hq, body: { reason: '' } });
    expect(bad.status).toBe(400);
    const c = await h.api('POST', `/api/invoices/${inv.id}/cancel`, { token: hq, body: { reason: 'Emitida por error' } });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'cancelled', cancelReason: 'Emitida por error' });
    expect(c.body.records.map((r: { kind: string }) => r.kind)).toEqual(['alta', 'anulacion']);
    const r = await credit(inv.id, { scope: 'whole' });
    expect(r.status).toBe(409);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'status' })]);
    const chain = await hqChain(h.ds.manager, F.franchisor.id);
    expect(chain.at(-1)!.record.kind).toBe('anulacion');
    expect(verifyChain(chain.map((x) => x.record)).ok).toBe(true);
  });

  it('refuses bad input naming the field and writing nothing', async () => {
    const before = await counts();
    const cases: Array<[object, string]> = [
      [{ ...MIXED, recipient: { kind: 'typed', nif: 'B12345670', name: 'X' } }, 'recipient.nif'],
      [{ ...MIXED, recipient: { kind: 'customer', customerId: '00000000-0000-7000-8fff-000000000001' } }, 'recipient.customerId'],
      [{ ...MIXED, lines: [{ ...MIXED.lines[0], ivaRateBp: 1500 }] }, 'lines.0.ivaRateBp'],
      [{ ...MIXED, lines: [] }, 'lines'],
      [{ ...MIXED, irpfBp: 5000 }, 'irpfBp'],
    ];
    for (const [body, field] of cases) {
      const r = await h.api('POST', '/api/invoices', { token: hq, body: { companyId: F.franchisor.id, ...body } });
      expect(r.status, field).toBeGreaterThanOrEqual(400);
      expect(r.status, field).toBeLessThan(500);
      expect(JSON.stringify(r.body.errors), field).toContain(`"${field}`);
    }
    expect(await counts()).toEqual(before);
  });

  it('scopes a franchisee manager to their companies: list, page, issue', async () => {
    const before = await counts();
    const other = await h.api('POST', '/api/invoices', { token: ruiz, body: { companyId: F.franchisor.id, ...SIMPLE } });
    expect(other.status).toBe(404);
    expect(other.body.errors).toEqual([expect.objectContaining({ path: 'companyId' })]);
    const toLevante = await h.api('POST', '/api/invoices', { token: ruiz, body: { companyId: F.ruiz.id, ...SIMPLE, recipient: { kind: 'company', companyId: F.levante.id } } });
    expect(toLevante.body.errors).toEqual([expect.objectContaining({ path: 'recipient.companyId' })]);
    expect(await counts()).toEqual(before);
    expect((await h.api('GET', `/api/invoices/${mixedId}`, { token: ruiz })).status).toBe(404);
    expect((await credit(mixedId, { scope: 'whole' }, ruiz)).status).toBe(404);
    expect((await h.api('POST', `/api/invoices/${mixedId}/cancel`, { token: ruiz, body: { reason: 'x' } })).status).toBe(404);
    expect((await fetch(`${h.url}/api/invoices/${mixedId}/pdf`, { headers: { authorization: `Bearer ${ruiz}` } })).status).toBe(404);

    // Ruiz invoices a rent to a typed recipient: its own series (FV-2026-000001 of Ruiz S.L.) and chain.
    const own = await issue({ recipient: { kind: 'typed', nif: '00000000T', name: 'Arrendataria Sur' }, irpfBp: 1900, lines: [{ description: 'Alquiler nave', quantityMilli: 1000, unitPriceCents: 50_000, ivaRateBp: 2100 }] }, ruiz, F.ruiz.id);
    // 500,00 + IVA 105,00 − IRPF 19 % 95,00 = 510,00
    expect(own).toMatchObject({ number: 'FV-2026-000001', companyId: F.ruiz.id, totalCents: 51_000 });
    const list = await h.api('GET', '/api/invoices', { token: ruiz });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([own.id]);
    expect(list.body.totals).toMatchObject({ count: 1, totalCents: 51_000 });
    expect((await h.api('GET', '/api/invoices', { token: levante })).body.total).toBe(0);
    expect((await h.api('GET', `/api/invoices/${own.id}`, { token: levante })).status).toBe(404);
  });

  it('lists with filters (company, recipient, type, status, period, number) and totals over every match', async () => {
    const q = async (qs: string) => (await h.api('GET', `/api/invoices?${qs}`, { token: hq })).body;
    const all1 = await q(`companyId=${F.franchisor.id}&pageSize=2`);
    expect(all1.items).toHaveLength(2);
    expect(all1.hasMore).toBe(true);
    const posted = await q(`companyId=${F.franchisor.id}&invoiceType=F1`);
    expect(posted.items.map((i: { number: string }) => i.number).sort()).toEqual(['FV-2026-000001', 'FV-2026-000002', 'FV-2026-000003', 'FV-2026-000004']);
    // 1.463,28 + 3 × 822,80 = 3.931,68 (the cancelled one included: it is still listed, shown as cancelled).
    expect(posted.totals).toMatchObject({ count: 4, totalCents: 146_328 + 3 * 82_280 });
    expect((await q('status=cancelled')).items.map((i: { status: string }) => i.status)).toEqual(['cancelled']);
    expect((await q('recipient=gómez')).items.map((i: { number: string }) => i.number).sort()).toEqual(['FR-2026-000001', 'FV-2026-000001']); // the invoice and its credit note
    expect((await q('recipient=12345678&invoiceType=F1')).total).toBe(1);
    expect((await q('number=FR-2026')).items.every((i: { invoiceType: string }) => i.invoiceType.startsWith('R'))).toBe(true);
    expect((await q('from=2026-12-01')).total).toBe(0);
    expect((await q('from=2026-11-30&to=2026-11-30')).total).toBe((await q('status=posted')).total + (await q('status=cancelled')).total);
    expect((await h.api('GET', '/api/invoices?status=nope', { token: hq })).status).toBe(400);
    const csv = await fetch(`${h.url}/api/invoices?format=csv&number=FV-2026-000001&companyId=${F.franchisor.id}`, { headers: { authorization: `Bearer ${hq}` } });
    expect((await csv.text()).replace(/^\uFEFF/, '').trim().split('\n')[1]).toContain('FV-2026-000001;F1;posted;2026-11-30;Franquicia S.L.;Papelería Gómez;12345678Z');
  });
});
