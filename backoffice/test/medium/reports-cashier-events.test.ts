/**
 * Cashier figures with who authorised them (issue 18), on both engines: whole tickets cancelled at the till
 * ("Anular ticket": ONE `sales.void` document with its line count) next to line voids and cash differences,
 * the cashiers report's supervisor names, the drill-down `GET /api/reports/cashier-events` in each caller's
 * scope and as CSV/XLSX/PDF files, bad input as problem+json, and a real till process whose cancelled ticket reaches the report once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CashierEventsResult, ReportResult } from '@tpv/shared/wire/http/reports';
import type { TillCashClose, TillVoid, UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectPaired, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all } from '../../src/persistence/sql';
import { startRealTill, type RealTill } from '../browser/support/real-till';

const sid = (n: number) => `00000000-0000-7000-8e18-${n.toString(16).padStart(12, '0')}`;
const docId = (n: number) => `01900000-0000-7000-8e18-${n.toString(16).padStart(12, '0')}`;
/** Till staff as HQ keeps them (PUT /api/staff): two supervisors of Madrid 1, one of València 1. */
const ANA = { id: sid(1), code: 'C01', name: 'Ana Cajera', role: 'cashier', pin: '4811', store: F.storeM1.id, company: F.ruiz.id } as const;
const MARTA = { id: sid(2), code: 'S01', name: 'Marta Supervisora', role: 'supervisor', pin: '7302', store: F.storeM1.id, company: F.ruiz.id } as const;
const PABLO = { id: sid(3), code: 'S02', name: 'Pablo Encargado', role: 'supervisor', pin: '6150', store: F.storeM1.id, company: F.ruiz.id } as const;
const VERA = { id: sid(4), code: 'C01', name: 'Vera Cajera', role: 'cashier', pin: '5924', store: F.storeV1.id, company: F.levante.id } as const;
const JORGE = { id: sid(5), code: 'S01', name: 'Jorge Supervisor', role: 'supervisor', pin: '3087', store: F.storeV1.id, company: F.levante.id } as const;
const STAFF = [ANA, MARTA, PABLO, VERA, JORGE];
const BREAD = '00000000-0000-7000-8e18-0000000000b1';
const OIL = '00000000-0000-7000-8e18-0000000000b2';

type Who = { id: string; name: string };
const lineVoid = (n: number, who: Who, by: Who, cents: number, at: string): UpwardDocument => ({
  id: docId(n), kind: 'sales.void', createdAt: at,
  payload: { cartId: `cart-${n}`, lineId: '1', productId: F.products[0]!.id, cashierId: who.id, cashierName: who.name, authorisedBy: by.id, cents, cartEmptied: false, at } satisfies TillVoid,
});
const ticketCancel = (n: number, who: Who, by: Who, lineCount: number, cents: number, at: string): UpwardDocument => ({
  id: docId(n), kind: 'sales.void', createdAt: at,
  payload: { cartId: `cart-${n}`, lineCount, cashierId: who.id, cashierName: who.name, authorisedBy: by.id, cents, cartEmptied: true, at } satisfies TillVoid,
});
const close = (n: number, who: Who, by: Who, expectedCents: number, countedCents: number, closedAt: string): UpwardDocument => ({
  id: docId(n), kind: 'cash.close', createdAt: closedAt,
  payload: { sessionId: `session-${n}`, number: n, openedAt: '2026-11-03T08:00:00+01:00', openedBy: who.id, closedAt, closedBy: who.id, closedByName: who.name, authorisedBy: by.id, expectedCents, countedCents, differenceCents: countedCents - expectedCents } satisfies TillCashClose,
});

/**
 * Madrid 1 (UTC+1 in November), Ana:
 *   3 Nov 10:15 voids a line of 3,50 € (Marta); 12:30 cancels a ticket of 3 lines, 17,33 € (Marta);
 *   19:00 cancels a ticket of 1 line, 4,50 € (Pablo); 21:00 closes 300,00 € expected, 295,00 € counted:
 *   −5,00 € confirmed by Pablo. 4 Nov 09:00 voids a line of 2,00 € (Marta).
 * València 1, Vera: 3 Nov 12:00 cancels a ticket of 2 lines, 8,40 € (Jorge).
 */
const MADRID = [
  lineVoid(1, ANA, MARTA, 350, '2026-11-03T10:15:00+01:00'),
  ticketCancel(2, ANA, MARTA, 3, 1_733, '2026-11-03T12:30:00+01:00'),
  ticketCancel(3, ANA, PABLO, 1, 450, '2026-11-03T19:00:00+01:00'),
  close(4, ANA, PABLO, 30_000, 29_500, '2026-11-03T21:00:00+01:00'),
  lineVoid(5, ANA, MARTA, 200, '2026-11-04T09:00:00+01:00'),
];
const VALENCIA = [ticketCancel(6, VERA, JORGE, 2, 840, '2026-11-03T12:00:00+01:00')];

describe.each(engines)('cancelled tickets and who authorised them, on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let t1: TerminalClient;
  let t3: TerminalClient;
  let till: RealTill | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-cashier-events-'));
  const send = async (t: TerminalClient, terminalId: string, documents: UpwardDocument[]) =>
    (await t.socket.timeout(10_000).emitWithAck('documents', { terminalId, documents })) as UpwardAck;
  const report = async (q: string, token = hq): Promise<ReportResult> => {
    const r = await h.api('GET', `/api/reports/cashiers?${q}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as ReportResult;
  };
  const drill = async (q: string, token = hq): Promise<CashierEventsResult> => {
    const r = await h.api('GET', `/api/reports/cashier-events?${q}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as CashierEventsResult;
  };
  const file = async (q: string, token = hq): Promise<{ type: string; bytes: Buffer }> => {
    const res = await fetch(`${h.url}/api/reports/cashier-events?${q}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, q).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="cashier-events_/);
    return { type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const put = async (pathname: string, body: unknown) => {
    const r = await h.api('PUT', pathname, { token: hq, body });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  };

  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
    for (const s of STAFF) await put(`/api/staff/${s.id}`, { companyId: s.company, storeId: s.store, code: s.code, name: s.name, role: s.role, pin: s.pin });
    t1 = await connectPaired(h, F.t1.id);
    t3 = await connectPaired(h, F.t3.id);
    const a = await send(t1, F.t1.id, MADRID);
    expect(a.results.map((r) => r.status)).toEqual(MADRID.map(() => 'applied'));
    expect(a.results[1]!.reference).toContain('3 líneas');
    expect(a.results[1]!.reference).toContain('17,33 €');
    expect((await send(t3, F.t3.id, VALENCIA)).results.map((r) => r.status)).toEqual(['applied']);
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await till?.stop();
    await h?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the cashiers report: one cancelled ticket per cancel with its amount, apart from line voids, and who authorised', async () => {
    const day = await report('from=2026-11-03&to=2026-11-03');
    const ana = day.rows.find((r) => r.cashier === ANA.name)!;
    expect(ana).toMatchObject({
      voids: 1, voidCents: 350, // the line void only
      cartsVoided: 2, ticketsCancelled: 2, cancelledCents: 2_183, // 17,33 + 4,50
      voidsAuthorisedBy: 'Marta Supervisora ×2, Pablo Encargado ×1',
      cashCloses: 1, cashDifferenceCents: -500, differencesConfirmedBy: 'Pablo Encargado ×1',
    });
    expect(day.rows.find((r) => r.cashier === VERA.name)).toMatchObject({ voids: 0, ticketsCancelled: 1, cancelledCents: 840, voidsAuthorisedBy: 'Jorge Supervisor ×1', differencesConfirmedBy: '' });
    expect(day.totals).toMatchObject({ voids: 1, voidCents: 350, cartsVoided: 3, ticketsCancelled: 3, cancelledCents: 3_023, cashDifferenceCents: -500 });
    expect(day.columns.find((c) => c.key === 'voidsAuthorisedBy')).toMatchObject({ kind: 'text', label: { es: 'Anulaciones autorizadas por', en: 'Voids authorised by' } });
    // Two days: the 4th's line void adds to voids, not to the cancels.
    const two = await report(`from=2026-11-03&to=2026-11-04&cashier=${ANA.id}`);
    expect(two.rows).toHaveLength(1);
    expect(two.rows[0]).toMatchObject({ voids: 2, voidCents: 550, ticketsCancelled: 2, cancelledCents: 2_183, voidsAuthorisedBy: 'Marta Supervisora ×3, Pablo Encargado ×1' });
  });

  it('a cancel sent again counts once; a cancel that names a line is rejected and counts nothing', async () => {
    const again = await send(t1, F.t1.id, [MADRID[1]!]);
    expect(again.results.map((r) => r.status)).toEqual(['applied']);
    const bad = ticketCancel(9, ANA, MARTA, 2, 500, '2026-11-03T13:00:00+01:00');
    (bad.payload as TillVoid).lineId = '1';
    const refused = await send(t1, F.t1.id, [bad]);
    expect(refused.results[0]).toMatchObject({ status: 'rejected' });
    const ana = (await report(`from=2026-11-03&to=2026-11-03&cashier=${ANA.id}`)).rows[0]!;
    expect(ana).toMatchObject({ ticketsCancelled: 2, cancelledCents: 2_183 });
    const n = await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM till_cashier_event WHERE ticket_cancel = 1`);
    expect(Number(n[0]!.n)).toBe(3);
  });

  it('the drill-down lists the cashier’s events with time, store, till, amount and the supervisor’s name', async () => {
    const r = await drill(`from=2026-11-03&to=2026-11-04&cashierId=${ANA.id}`);
    expect(r).toMatchObject({ from: '2026-11-03', to: '2026-11-04', cashierId: ANA.id, truncated: false });
    expect(r.events.map((e) => [e.kind, e.at, e.businessDate, e.store, e.till, e.cents, e.lines, e.supervisor])).toEqual([
      ['void', '2026-11-03T09:15:00.000Z', '2026-11-03', 'M001 Madrid 1', 'Caja 01', 350, 1, MARTA.name],
      ['ticket_cancel', '2026-11-03T11:30:00.000Z', '2026-11-03', 'M001 Madrid 1', 'Caja 01', 1_733, 3, MARTA.name],
      ['ticket_cancel', '2026-11-03T18:00:00.000Z', '2026-11-03', 'M001 Madrid 1', 'Caja 01', 450, 1, PABLO.name],
      ['cash_close', '2026-11-03T20:00:00.000Z', '2026-11-03', 'M001 Madrid 1', 'Caja 01', -500, 0, PABLO.name],
      ['void', '2026-11-04T08:00:00.000Z', '2026-11-04', 'M001 Madrid 1', 'Caja 01', 200, 1, MARTA.name],
    ]);
    expect(r.events[1]).toMatchObject({ storeId: F.storeM1.id, terminalId: F.t1.id, supervisorId: MARTA.id, cartEmptied: true, cashier: ANA.name });
    // One day, and another store's filter: nothing of Madrid.
    expect((await drill(`from=2026-11-04&to=2026-11-04&cashierId=${ANA.id}`)).events.map((e) => e.cents)).toEqual([200]);
    expect((await drill(`from=2026-11-03&to=2026-11-04&cashierId=${ANA.id}&storeId=${F.storeV1.id}`)).events).toEqual([]);
  });

  it('the drill-down as CSV, XLSX and PDF: the screen’s rows, hand-worked totals, the cashier in the header', async () => {
    const q = `from=2026-11-03&to=2026-11-04&cashierId=${ANA.id}&storeId=${F.storeM1.id}`;
    const csv = await file(`${q}&format=csv`);
    expect(csv.type).toContain('text/csv');
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    // Times in Madrid's zone; Σ lines 1 + 3 + 1 + 1 = 6, Σ voided 3,50 + 17,33 + 4,50 + 2,00 = 27,33, the close −5,00.
    expect(lines).toEqual([
      'Hora / Time;Qué / What;Tienda / Store;Caja / Till;Líneas / Lines;Anulado / Voided;Descuadre / Cash difference;Autorizado / confirmado por / Authorised / confirmed by',
      '2026-11-03 10:15;Línea anulada / Line voided;M001 Madrid 1;Caja 01;1;3,50;;Marta Supervisora',
      '2026-11-03 12:30;Ticket anulado / Ticket cancelled;M001 Madrid 1;Caja 01;3;17,33;;Marta Supervisora',
      '2026-11-03 19:00;Ticket anulado / Ticket cancelled;M001 Madrid 1;Caja 01;1;4,50;;Pablo Encargado',
      '2026-11-03 21:00;Cierre de caja (descuadre) / Cash close (difference);M001 Madrid 1;Caja 01;;;-5,00;Pablo Encargado',
      '2026-11-04 09:00;Línea anulada / Line voided;M001 Madrid 1;Caja 01;1;2,00;;Marta Supervisora',
      'Total;;;;6;27,33;-5,00;',
    ]);

    const xlsx = await file(`${q}&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const ws = book.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('Anulaciones y descuadres de Ana Cajera / Voids and cash differences of Ana Cajera');
    expect(String(ws.getRow(2).getCell(1).value)).toContain(`cashier=Ana Cajera (${ANA.id})`);
    const values = (n: number) => Array.from({ length: 8 }, (_, i) => ws.getRow(n).getCell(i + 1).value ?? null);
    expect([4, 5, 6, 7, 8].map((n) => values(n).slice(4, 7))).toEqual([[1, 3.5, null], [3, 17.33, null], [1, 4.5, null], [null, null, -5], [1, 2, null]]);
    expect(values(9).slice(0, 7)).toEqual(['Total', null, null, null, 6, 27.33, -5]);
    expect(ws.getRow(9).font?.bold).toBe(true);
    expect(ws.getColumn(6).numFmt).toContain('€');
    expect(ws.rowCount).toBe(9);

    const pdf = await file(`${q}&format=pdf`);
    expect(pdf.type).toContain('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.bytes, encoding: 'utf8' });
    expect(text).toContain('Anulaciones y descuadres de Ana Cajera');
    expect(text).toContain('2026-11-03 – 2026-11-04');
    expect(text).toContain('store=M001 Madrid 1');
    expect(text).toMatch(/Total\s+6\s+27,33 €\s+-5,00 €/);
  });

  it('scoped like the other reports: a manager of another store sees nothing of this store', async () => {
    const m1 = await h.login(F.managerM1);
    const levante = await h.login(F.managerLevante);
    expect((await drill(`from=2026-11-03&to=2026-11-04&cashierId=${ANA.id}`, m1)).events).toHaveLength(5);
    expect((await drill(`from=2026-11-03&to=2026-11-04&cashierId=${VERA.id}`, m1)).events).toEqual([]);
    expect((await drill(`from=2026-11-03&to=2026-11-04&cashierId=${ANA.id}`, levante)).events).toEqual([]);
    expect((await drill(`from=2026-11-03&to=2026-11-04&cashierId=${VERA.id}`, levante)).events.map((e) => [e.kind, e.cents, e.lines, e.supervisor])).toEqual([['ticket_cancel', 840, 2, JORGE.name]]);
    const other = await h.api('GET', `/api/reports/cashier-events?from=2026-11-03&to=2026-11-04&cashierId=${VERA.id}&storeId=${F.storeV1.id}`, { token: m1 });
    expect(other.status).toBe(403);
    // The files are scoped the same: 403 problem+json for each format, no file.
    for (const format of ['csv', 'xlsx', 'pdf']) {
      const res = await fetch(`${h.url}/api/reports/cashier-events?from=2026-11-03&to=2026-11-04&cashierId=${VERA.id}&storeId=${F.storeV1.id}&format=${format}`, { headers: { authorization: `Bearer ${m1}` } });
      expect(res.status, format).toBe(403);
      expect(res.headers.get('content-type'), format).toContain('application/problem+json');
    }
    // The report of the Madrid 1 manager has no València cashier either.
    expect((await report('from=2026-11-03&to=2026-11-03', m1)).rows.map((r) => r.cashier)).toEqual([ANA.name]);
  });

  it('bad input is problem+json with the field, nothing read', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-11-03&to=2026-11-04', 'cashierId'],
      [`from=2026-11-05&to=2026-11-03&cashierId=${ANA.id}`, 'to'],
      [`from=2026-02-30&to=2026-03-03&cashierId=${ANA.id}`, 'from'],
      [`cashierId=${ANA.id}&storeId=not-a-store`, 'storeId'],
    ];
    for (const [q, field] of cases) {
      const res = await fetch(`${h.url}/api/reports/cashier-events?${q}`, { headers: { authorization: `Bearer ${hq}` } });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors?: Array<{ path?: unknown; pointer?: string; field?: string }> };
      expect(JSON.stringify(body.errors), q).toContain(field);
    }
  });

  it('a real till: a ticket cancelled there reaches the report exactly once, with the supervisor who authorised it', async () => {
    await put(`/api/products/${BREAD}`, { sku: 'CXL-PAN', name: 'Pan de pueblo', taxRateBp: 400, priceCents: 245 });
    await put(`/api/products/${OIL}`, { sku: 'CXL-ACEITE', name: 'Aceite de oliva 1 l', taxRateBp: 1000, priceCents: 899 });
    const code = await h.api('POST', `/api/terminals/${F.t2.id}/pairing-code`, { token: hq });
    expect(code.status, JSON.stringify(code.body)).toBeLessThan(300);
    till = await startRealTill({ dataDir: dir, backofficeUrl: h.url, pairingCode: code.body.code as string });
    await till.until('pairing, catalogue and staff loaded', async () => {
      const s = (await till!.call('GET', '/api/sync/status')).body;
      if (!(s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion)) return undefined;
      return (await till!.call('POST', '/api/auth/login', { pin: ANA.pin })).status === 200 ? true : undefined;
    });
    await till.open(ANA.pin);
    // 2 × bread 2,45 + oil 8,99 = 13,89 € over 2 lines.
    for (const l of [{ productId: BREAD, units: 2 }, { productId: OIL, units: 1 }]) expect((await till.call('POST', '/api/cart/lines', l)).status).toBe(200);
    const cart = (await till.call('GET', '/api/cart')).body;
    const refused = await till.call('POST', '/api/cart/cancel', { cartId: cart.id });
    expect([refused.status, refused.body.code]).toEqual([403, 'SUPERVISOR_REQUIRED']);
    const cancelled = await till.call('POST', '/api/cart/cancel', { cartId: cart.id, supervisorPin: PABLO.pin });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await till.until('the document acknowledged by HQ', async () => {
      const s = (await till!.call('GET', '/api/sync/status')).body;
      return s?.documents?.pending === 0 ? true : undefined;
    });
    // The till's day (Madrid), give or take a day at midnight.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = day(Date.now() - 86_400_000);
    const to = day(Date.now() + 86_400_000);
    const events = (await drill(`from=${from}&to=${to}&cashierId=${ANA.id}&storeId=${F.storeM1.id}`)).events;
    expect(events.map((e) => [e.kind, e.cents, e.lines, e.till, e.supervisor])).toEqual([['ticket_cancel', 1_389, 2, 'Caja 02', PABLO.name]]);
    const row = (await report(`from=${from}&to=${to}&cashier=${ANA.id}`)).rows[0]!;
    expect(row).toMatchObject({ voids: 0, ticketsCancelled: 1, cancelledCents: 1_389, voidsAuthorisedBy: 'Pablo Encargado ×1' });
  }, 180_000);
});
