/**
 * The organisation module over HTTP on SQLite and PostgreSQL: field validation (NIF/CIF, IBAN, postal code,
 * time zone, opening hours — values worked out by hand), franchise contracts that may not overlap, deletes
 * refused while in use, scope per role, audit rows written in the same transaction, terminals added/retired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeContractOn } from '../../src/organisation/use-cases';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { ADDRESS, companyBody, contractBody, HOURS, storeBody } from '../support/organisation-bodies';

describe.each(engines)('organisation on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let m1: string;
  let n = 100;
  const count = async (table: string) => Number((await h.ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const audits = async (action: string) => (await h.ds.query(`SELECT * FROM audit_log WHERE action = '${action}' ORDER BY at`)) as Array<Record<string, string | null>>;

  beforeAll(async () => {
    h = await startHarness(engine);
    [hq, ruiz, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerM1)]);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  // Each case: one field changed on a valid body → 400 naming that field, or 201.
  const companyCases: Array<[string, Record<string, unknown>, string | null]> = [
    ['CIF B76543214 (7,5,3,1 doubled → 5+1+6+2, + 6+4+2 = 26 → 4)', { nif: 'B76543214' }, null],
    ['CIF B76543215: wrong check digit', { nif: 'B76543215' }, 'nif'],
    ['CIF A58818501 (sum 29 → 1)', { nif: 'a-5881850-1' }, null],
    ['CIF Q2826000H: letter-only control (sum 22 → 8 → H)', { nif: 'Q2826000H' }, null],
    ['CIF Q28260008: P/Q/R/S/N/W take a letter', { nif: 'Q28260008' }, 'nif'],
    ['DNI 12345678Z (12345678 mod 23 = 14 → Z)', { nif: '12345678Z' }, null],
    ['DNI 12345678A: wrong letter', { nif: '12345678A' }, 'nif'],
    ['NIE X1234567L (1234567 mod 23 = 19 → L)', { nif: 'X1234567L' }, null],
    ['NIF of four digits', { nif: '1234' }, 'nif'],
    ['IBAN ES76 2077 0024 0031 0257 5766 (spaces allowed)', { iban: 'es76 2077 0024 0031 0257 5766' }, null],
    ['IBAN DE89370400440532013000', { iban: 'DE89370400440532013000' }, null],
    ['IBAN with a wrong check digit', { iban: 'ES9121000418450200051333' }, 'iban'],
    ['IBAN too short', { iban: 'ES91' }, 'iban'],
    ['postal code 53000 (no province 53)', { address: { ...ADDRESS, postalCode: '53000' } }, 'address.postalCode'],
    ['postal code 00123 (no province 00)', { address: { ...ADDRESS, postalCode: '00123' } }, 'address.postalCode'],
    ['postal code of four digits', { address: { ...ADDRESS, postalCode: '2801' } }, 'address.postalCode'],
    ['postal code 52006 (Melilla)', { address: { ...ADDRESS, postalCode: '52006', city: 'Melilla', province: 'Melilla' } }, null],
    ['foreign postal code outside Spain', { address: { ...ADDRESS, postalCode: '75001', country: 'fr' } }, null],
    ['contact e-mail', { contacts: [{ name: 'X', role: 'Y', email: 'no-at-sign', phone: '600123456' }] }, 'contacts.0.email'],
    ['contact phone', { contacts: [{ name: 'X', role: 'Y', email: 'x@y.es', phone: 'call me' }] }, 'contacts.0.phone'],
    ['legal name missing', { legalName: '  ' }, 'legalName'],
  ];
  it.each(companyCases)('company: %s', async (_what, over, badField) => {
    const before = await count('company');
    const r = await h.api('POST', '/api/companies', { token: hq, body: companyBody(n++, over) });
    if (badField === null) {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(await count('company')).toBe(before + 1);
    } else {
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([badField]);
      expect(await count('company')).toBe(before);
    }
  });

  const storeCases: Array<[string, Record<string, unknown>, string | null]> = [
    ['Atlantic/Canary time zone', { timezone: 'Atlantic/Canary' }, null],
    ['misspelt time zone', { timezone: 'Europe/Madird' }, 'timezone'],
    ['abbreviation instead of a zone', { timezone: 'CET' }, 'timezone'],
    ['open all day 00:00–24:00', { openingHours: { ...HOURS, sun: [{ from: '00:00', to: '24:00' }] } }, null],
    ['overlapping intervals 09:00–14:00 and 13:30–20:00', { openingHours: { ...HOURS, fri: [{ from: '09:00', to: '14:00' }, { from: '13:30', to: '20:00' }] } }, 'openingHours.fri.1.from'],
    ['closing before opening', { openingHours: { ...HOURS, sat: [{ from: '14:00', to: '09:00' }] } }, 'openingHours.sat.0.to'],
    ['past midnight 24:30', { openingHours: { ...HOURS, sat: [{ from: '20:00', to: '24:30' }] } }, 'openingHours.sat.0.to'],
    ['touching intervals 09:00–14:00, 14:00–20:00', { openingHours: { ...HOURS, tue: [{ from: '14:00', to: '20:00' }, { from: '09:00', to: '14:00' }] } }, null],
    ['sales area 0 m²', { salesAreaM2: 0 }, 'salesAreaM2'],
  ];
  it.each(storeCases)('store: %s', async (_what, over, badField) => {
    const before = await count('store');
    const r = await h.api('POST', '/api/stores', { token: hq, body: storeBody(n++, F.ruiz.id, over) });
    if (badField === null) {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(await count('store')).toBe(before + 1);
    } else {
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([badField]);
      expect(await count('store')).toBe(before);
    }
  });

  it('creates and edits a company with its contacts; the audit log has both rows with before → after', async () => {
    const created = await h.api('POST', '/api/companies', { token: hq, body: companyBody(900) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ nif: companyBody(900).nif, contacts: [{ name: 'Ana Pérez', email: 'ana900@example.es' }], storeCount: 0 });
    const id = created.body.id as string;
    const edited = await h.api('PUT', `/api/companies/${id}`, {
      token: hq,
      body: companyBody(900, { legalName: 'Renombrada S.L.', contacts: [{ name: 'Luis', role: 'Contable', email: 'luis@example.es', phone: '910000000' }, { name: 'Eva', role: 'Gerente', email: 'eva@example.es', phone: '910000001' }] }),
    });
    expect(edited.status).toBe(200);
    expect((await h.api('GET', `/api/companies/${id}`, { token: hq })).body).toMatchObject({ legalName: 'Renombrada S.L.', contacts: [{ name: 'Luis' }, { name: 'Eva' }] });
    const [row] = (await audits('company.update')).filter((a) => a.entity_id === id);
    expect(row).toMatchObject({ actor_email: F.hq.email, company_id: id });
    expect(JSON.parse(row!.before_json!).legalName).toBe(companyBody(900).legalName);
    expect(JSON.parse(row!.after_json!).legalName).toBe('Renombrada S.L.');
    expect((await audits('company.create')).some((a) => a.entity_id === id)).toBe(true);
    // A second company with the same NIF: refused on the field, nothing written.
    const before = await count('audit_log');
    const dup = await h.api('POST', '/api/companies', { token: hq, body: companyBody(900) });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe('nif');
    expect(await count('audit_log')).toBe(before);
  });

  it('lists companies with paging, sorting, a filter and a CSV export', async () => {
    const r = await h.api('GET', '/api/companies?pageSize=2&sort=legalName&dir=desc&kind=franchisee', { token: hq });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
    expect(r.body.hasMore).toBe(true);
    const names = r.body.items.map((c: { legalName: string }) => c.legalName);
    expect([...names].sort().reverse()).toEqual(names);
    const q = await h.api('GET', '/api/companies?q=levante', { token: hq });
    expect(q.body.items.map((c: { nif: string }) => c.nif)).toEqual([F.levante.nif]);
    const csv = await fetch(`${h.url}/api/companies?format=csv&q=ruiz`, { headers: { authorization: `Bearer ${hq}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('NIF;');
    expect(text).toContain(F.ruiz.nif);
    expect(text).not.toContain(F.levante.nif);
  });

  it('exports the stores a filter shows as XLSX', async () => {
    const res = await fetch(`${h.url}/api/stores?format=xlsx&companyId=${F.levante.id}`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const codes = book.worksheets[0]!.getColumn(1).values.slice(2);
    expect(codes).toContain(F.storeV1.code);
    expect(codes).not.toContain(F.storeM1.code);
  });

  it('keeps a franchisee manager to their own company and stores, read-only', async () => {
    const list = await h.api('GET', '/api/companies', { token: ruiz });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([F.ruiz.id]);
    expect((await h.api('GET', `/api/companies/${F.levante.id}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/stores/${F.storeV1.id}`, { token: ruiz })).status).toBe(403);
    const stores = await h.api('GET', '/api/stores?pageSize=200', { token: ruiz });
    expect(new Set(stores.body.items.map((s: { companyId: string }) => s.companyId))).toEqual(new Set([F.ruiz.id]));
    const before = await count('company');
    expect((await h.api('POST', '/api/companies', { token: ruiz, body: companyBody(901) })).status).toBe(403);
    expect((await h.api('PUT', `/api/companies/${F.ruiz.id}`, { token: ruiz, body: companyBody(901) })).status).toBe(403);
    expect(await count('company')).toBe(before);
    // A store manager sees their one store.
    const own = await h.api('GET', '/api/stores', { token: m1 });
    expect(own.body.items.map((s: { id: string }) => s.id)).toEqual([F.storeM1.id]);
  });

  it('refuses to delete a store with terminals or a company with stores, saying why; deletes unused ones', async () => {
    const store = await h.api('DELETE', `/api/stores/${F.storeM1.id}`, { token: hq });
    expect(store.status).toBe(409);
    expect(store.body.detail).toMatch(/2 terminales/);
    const company = await h.api('DELETE', `/api/companies/${F.ruiz.id}`, { token: hq });
    expect(company.status).toBe(409);
    expect(company.body.detail).toMatch(/tiendas/);
    expect(await count('store')).toBeGreaterThan(0);
    // A store with sales but whose tills were retired: refused for its sales.
    const fresh = await h.api('POST', '/api/stores', { token: hq, body: storeBody(950, F.levante.id) });
    const added = await h.api('POST', '/api/terminals', { token: hq, body: { storeId: fresh.body.id, name: 'Caja 1' } });
    expect((await h.api('DELETE', `/api/stores/${fresh.body.id}`, { token: hq })).body.detail).toMatch(/1 terminales/);
    // Unused: gone, with its audit row.
    const spare = await h.api('POST', '/api/stores', { token: hq, body: storeBody(951, F.levante.id) });
    expect((await h.api('DELETE', `/api/stores/${spare.body.id}`, { token: hq })).status).toBe(204);
    expect((await h.api('GET', `/api/stores/${spare.body.id}`, { token: hq })).status).toBe(404);
    expect((await audits('store.delete')).map((a) => a.entity_id)).toContain(spare.body.id);
    // Archiving is the way out for a store in use.
    const archived = await h.api('POST', `/api/stores/${fresh.body.id}/archive`, { token: hq, body: { archived: true } });
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await h.api('POST', '/api/terminals', { token: hq, body: { storeId: fresh.body.id, name: 'Caja 2' } })).status).toBe(409);
    expect(added.status).toBe(201);
  });

  it('keeps franchise contracts from overlapping and answers the one in force on a date', async () => {
    const c = await h.api('POST', '/api/companies', { token: hq, body: companyBody(960) });
    const id = c.body.id as string;
    const first = await h.api('POST', `/api/companies/${id}/contracts`, { token: hq, body: contractBody('2026-01-01', '2026-12-31') });
    expect(first.status).toBe(201);
    const before = await count('franchise_contract');
    for (const [from, to] of [['2026-06-01', null], ['2025-01-01', '2026-01-01'], ['2026-12-31', '2027-12-31'], ['2025-01-01', null]] as const) {
      const r = await h.api('POST', `/api/companies/${id}/contracts`, { token: hq, body: contractBody(from, to) });
      expect(r.status, `${from}–${to}`).toBe(409);
      expect(r.body.code).toBe('CONTRACT_OVERLAP');
    }
    expect(await count('franchise_contract')).toBe(before);
    const second = await h.api('POST', `/api/companies/${id}/contracts`, { token: hq, body: contractBody('2027-01-01', null, { royaltyBp: 500 }) });
    expect(second.status).toBe(201);
    expect((await h.api('PUT', `/api/contracts/${first.body.id}`, { token: hq, body: contractBody('2026-01-01', '2027-01-01') })).status).toBe(409);
    expect((await h.api('POST', `/api/companies/${id}/contracts`, { token: hq, body: contractBody('2028-01-01', '2027-01-01') })).body.errors[0].path).toBe('endsOn');
    expect((await h.api('POST', `/api/companies/${F.franchisor.id}/contracts`, { token: hq, body: contractBody('2030-01-01', null) })).status).toBe(422);
    expect((await activeContractOn(h.ds, id, '2026-07-01'))?.royaltyBp).toBe(450);
    expect((await activeContractOn(h.ds, id, '2031-07-01'))?.royaltyBp).toBe(500);
    expect(await activeContractOn(h.ds, id, '2025-12-31')).toBeNull();
    const history = await h.api('GET', `/api/companies/${id}/contracts`, { token: hq });
    expect(history.body.map((k: { startsOn: string }) => k.startsOn)).toEqual(['2027-01-01', '2026-01-01']);
    // Franchisees read their contracts, do not write them.
    expect((await h.api('GET', `/api/companies/${F.ruiz.id}/contracts`, { token: ruiz })).status).toBe(200);
    expect((await h.api('GET', `/api/companies/${F.levante.id}/contracts`, { token: ruiz })).status).toBe(403);
    expect((await h.api('POST', `/api/companies/${F.ruiz.id}/contracts`, { token: ruiz, body: contractBody('2040-01-01', null) })).status).toBe(403);
    expect((await audits('contract.create')).filter((a) => a.company_id === id)).toHaveLength(2);
  });

  it('central warehouses belong to the franchisor', async () => {
    const body = { code: 'ALM-C', name: 'Almacén central', companyId: F.ruiz.id, address: ADDRESS };
    const wrong = await h.api('POST', '/api/warehouses', { token: hq, body });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe('companyId');
    const ok = await h.api('POST', '/api/warehouses', { token: hq, body: { ...body, companyId: F.franchisor.id } });
    expect(ok.status).toBe(201);
    expect((await h.api('GET', '/api/warehouses', { token: ruiz })).body.items.map((w: { code: string }) => w.code)).toEqual(['ALM-C']);
    expect((await h.api('POST', '/api/warehouses', { token: ruiz, body: { ...body, code: 'X' } })).status).toBe(403);
  });

  it('adds a till with the next free code and a pairing code that pairs it; retiring revokes it for good', async () => {
    const added = await h.api('POST', '/api/terminals', { token: ruiz, body: { storeId: F.storeM1.id, name: 'Caja nueva' } });
    expect(added.status).toBe(201);
    expect(added.body.terminal).toMatchObject({ code: '03', installation: 'M001-03', name: 'Caja nueva' }); // 01 and 02 exist
    const id = added.body.terminal.id as string;
    const paired = await h.api('POST', '/api/pairing', { body: { code: added.body.code, appVersion: 'test' } });
    expect(paired.status).toBe(201);
    expect(paired.body.identity).toMatchObject({ terminalCode: '03', storeCode: 'M001' });
    expect((await h.api('POST', '/api/terminals', { token: ruiz, body: { storeId: F.storeV1.id, name: 'Ajena' } })).status).toBe(403);
    // Held back tickets keep it from retiring: only this till can send the seqs they wait for.
    await h.ds.query(`INSERT INTO ingest_hold (terminal_id, seq, payload, received_at) VALUES ('${id}', 5, '{}', '2026-11-30T10:00:00.000Z')`);
    const held = await h.api('POST', `/api/terminals/${id}/retire`, { token: ruiz });
    expect(held.status).toBe(409);
    expect(held.body.code).toBe('TERMINAL_HAS_HELD_TICKETS');
    await h.ds.query(`DELETE FROM ingest_hold WHERE terminal_id = '${id}'`);
    const retired = await h.api('POST', `/api/terminals/${id}/retire`, { token: ruiz });
    expect(retired.status).toBe(200);
    const [row] = await h.ds.query(`SELECT token_hash, revoked_at, retired_at FROM terminal WHERE id = '${id}'`);
    expect(row).toMatchObject({ token_hash: null, revoked_at: retired.body.retiredAt, retired_at: retired.body.retiredAt });
    expect((await h.api('POST', `/api/terminals/${id}/retire`, { token: ruiz })).status).toBe(409);
    expect((await h.api('POST', `/api/terminals/${id}/pairing-code`, { token: hq })).status).toBe(409);
    expect((await audits('terminal.retire')).map((a) => a.entity_id)).toEqual([id]);
    // The next till takes the next code: a retired till keeps its own (its invoice series).
    expect((await h.api('POST', '/api/terminals', { token: hq, body: { storeId: F.storeM1.id, name: 'Otra' } })).body.terminal.code).toBe('04');
  });
});
