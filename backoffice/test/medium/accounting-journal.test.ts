/**
 * The journal part over HTTP on both engines: the chart with the year's balances (figures by hand), sub-accounts
 * (created, refused outside the chart or when taken, renamed, blocked — a blocked account takes no posting),
 * manual entries (unbalanced → 422 with the difference and nothing written, a locked month → 409, attachments
 * uploaded and downloadable in the company's scope), the journal's filters and paging, reversals (once), a
 * delete always refused, recurring entries (posted when due once per date, paused, deleted, run by the job and
 * by HQ) and the scope of every route. A property: after random manual entries and reversals, each account's
 * balance in the chart equals the sum of its lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all, one } from '../../src/persistence/sql';
import { RECURRING_JOB } from '../../src/accounting/journal/recurring';
import { enqueueDueRecurringAtStart } from '../../src/accounting/journal/jobs';
import type { ModuleContext } from '../../src/modules/types';

// 30 Nov 2026, 09:00 UTC: "today" for the recurring entries.
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const R = F.ruiz.id;
const L = F.levante.id;
const UNKNOWN = '00000000-0000-7000-8fff-000000000001';
const line = (account: string, debitCents: number, creditCents: number, storeId: string | null = null) => ({ account, debitCents, creditCents, storeId });

describe.each(engines)('accounting journal on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  const count = async (table: string) => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))!.n);
  const entries = (c: string, q = '', token = hq) => h.api('GET', `/api/accounting/companies/${c}/entries${q}`, { token });
  const post = (c: string, body: unknown, token = hq) => h.api('POST', `/api/accounting/companies/${c}/entries`, { token, body });
  const chart = async (c: string, year = 2026) => {
    const r = await h.api('GET', `/api/accounting/companies/${c}/chart?year=${year}`, { token: hq });
    expect(r.status).toBe(200);
    return new Map<string, Record<string, unknown>>(r.body.accounts.map((a: Record<string, unknown>) => [a.code, a]));
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante)]);
  });
  afterAll(async () => h?.teardown());

  it('answers the chart (PGC headings and sub-accounts) in the caller’s scope only', async () => {
    const r = await h.api('GET', `/api/accounting/companies/${R}/chart`, { token: ruiz });
    expect(r.status).toBe(200);
    expect(r.body.year).toBe(2026);
    const a572 = r.body.accounts.find((a: { code: string }) => a.code === '572');
    expect(a572).toMatchObject({ nature: 'asset', postable: false, blocked: false, balanceCents: 0, counterparty: null });
    expect((await h.api('GET', `/api/accounting/companies/${R}/chart`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/accounting/companies/${UNKNOWN}/chart`, { token: hq })).status).toBe(404);
  });

  it('opens a sub-account under the PGC, refuses one outside it or taken, renames and blocks it', async () => {
    const before = await count('acc_account');
    const cases: Array<[unknown, number, string | null]> = [
      [{ code: '62900001', name: 'Material de oficina' }, 201, null],
      [{ code: '62900001', name: 'Otra' }, 409, 'ACCOUNT_TAKEN'],
      [{ code: '99900001', name: 'Fuera del plan' }, 422, 'ACCOUNT_NOT_IN_CHART'], // group 9 is not in the PGC PYMES
      [{ code: '6290001', name: 'Siete dígitos' }, 400, null],
      [{ code: '62900002', name: '' }, 400, null],
    ];
    for (const [body, status, code] of cases) {
      const r = await h.api('POST', `/api/accounting/companies/${R}/accounts`, { token: hq, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      if (code) expect(r.body.code).toBe(code);
    }
    expect(await count('acc_account')).toBe(before + 1);
    expect((await h.api('POST', `/api/accounting/companies/${R}/accounts`, { token: ruiz, body: { code: '62900003', name: 'x' } })).status).toBe(403);

    const renamed = await h.api('PATCH', `/api/accounting/companies/${R}/accounts/62900001`, { token: hq, body: { name: 'Material de oficina y papelería' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ code: '62900001', name: 'Material de oficina y papelería', nature: 'expense', postable: true, blocked: false });
    expect((await h.api('PATCH', `/api/accounting/companies/${R}/accounts/629`, { token: hq, body: { blocked: true } })).body.code).toBe('ACCOUNT_NOT_SUBACCOUNT');
    expect((await h.api('PATCH', `/api/accounting/companies/${R}/accounts/62900077`, { token: hq, body: { blocked: true } })).status).toBe(404);

    // Blocked: a posting on it is refused, naming the account; unblocked, it posts.
    expect((await h.api('PATCH', `/api/accounting/companies/${R}/accounts/62900001`, { token: hq, body: { blocked: true } })).body.blocked).toBe(true);
    const refused = await post(R, { date: '2026-11-03', description: 'Folios', lines: [line('62900001', 1500, 0), line('57000000', 0, 1500)] });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_BLOCKED', detail: expect.stringContaining('62900001') });
    expect((await h.api('PATCH', `/api/accounting/companies/${R}/accounts/62900001`, { token: hq, body: { blocked: false } })).body.blocked).toBe(false);
    expect((await post(R, { date: '2026-11-03', description: 'Folios', lines: [line('62900001', 1500, 0), line('57000000', 0, 1500)] })).status).toBe(201);
  });

  it('refuses an unbalanced manual entry with the difference, writing nothing', async () => {
    const [e, l, b] = [await count('acc_entry'), await count('acc_line'), await count('acc_balance')];
    // Debit 120,00 against credits 100,00 + 19,99 = 119,99: off by 0,01 on the debit side.
    const r = await post(R, { date: '2026-11-10', description: 'Descuadrado', lines: [line('62100000', 12_000, 0), line('57200000', 0, 10_000), line('47200000', 0, 1_999)] });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'ENTRY_UNBALANCED', debitCents: 12_000, creditCents: 11_999, differenceCents: 1, detail: expect.stringContaining('0.01') });
    const one_ = await post(R, { date: '2026-11-10', description: 'Una línea', lines: [line('62100000', 100, 0)] });
    expect(one_.status).toBe(400);
    const both = await post(R, { date: '2026-11-10', description: 'Debe y haber', lines: [line('62100000', 100, 100), line('57200000', 0, 0)] });
    expect(both.status).toBe(422);
    expect(both.body.code).toBe('ENTRY_LINE_INVALID');
    const heading = await post(R, { date: '2026-11-10', description: 'A un grupo', lines: [line('572', 100, 0), line('57000000', 0, 100)] });
    expect(heading.status).toBe(400);
    const foreignStore = await post(R, { date: '2026-11-10', description: 'Tienda ajena', lines: [line('62100000', 100, 0, F.storeV1.id), line('57000000', 0, 100)] });
    expect(foreignStore.body).toMatchObject({ code: 'STORE_NOT_OF_COMPANY' });
    expect([await count('acc_entry'), await count('acc_line'), await count('acc_balance')]).toEqual([e, l, b]);
    // A franchisee manager reads the books but does not write them.
    expect((await post(R, { date: '2026-11-10', description: 'x', lines: [line('62100000', 100, 0), line('57000000', 0, 100)] }, ruiz)).status).toBe(403);
  });

  it('posts a manual entry with an attachment, shows it with its lines, refuses a locked month', async () => {
    const up = await fetch(`${h.url}/api/accounting/companies/${R}/attachments?name=${encodeURIComponent('factura alquiler.pdf')}`, {
      method: 'POST', headers: { authorization: `Bearer ${hq}`, 'content-type': 'application/pdf' }, body: '%PDF-1.4 alquiler',
    });
    expect(up.status).toBe(201);
    const file = (await up.json()) as { id: string; name: string; sizeBytes: number };
    expect(file).toMatchObject({ name: 'factura alquiler.pdf', sizeBytes: 17 });
    // Rent of Madrid 1: 800,00 + IVA 21 % 168,00 = 968,00 paid from the bank.
    const r = await post(R, {
      date: '2026-11-12', description: 'Alquiler noviembre Madrid 1', attachments: [file.id],
      lines: [line('62100000', 80_000, 0, F.storeM1.id), line('47200000', 16_800, 0), line('57200000', 0, 96_800)],
    });
    expect(r.status).toBe(201);
    expect(r.body.entry).toMatchObject({ kind: 'manual', entryDate: '2026-11-12', totalCents: 96_800, sourceType: null, reversedById: null });
    const d = await h.api('GET', `/api/accounting/companies/${R}/entries/${r.body.entry.id}`, { token: ruiz });
    expect(d.status).toBe(200);
    expect(d.body.lines.map((x: Record<string, unknown>) => [x.account, x.debitCents, x.creditCents, x.storeName])).toEqual([
      ['62100000', 80_000, 0, 'Madrid 1'],
      ['47200000', 16_800, 0, null],
      ['57200000', 0, 96_800, null],
    ]);
    expect(d.body.lines[0].accountName).toBeTruthy();
    expect(d.body.attachments).toEqual([{ id: file.id, name: 'factura alquiler.pdf', mediaType: 'application/pdf', sizeBytes: 17 }]);
    // Downloadable in the company's scope (the owner is the company), not by another franchisee.
    const dl = await fetch(`${h.url}/api/files/${file.id}`, { headers: { authorization: `Bearer ${ruiz}` } });
    expect([dl.status, await dl.text()]).toEqual([200, '%PDF-1.4 alquiler']);
    expect((await fetch(`${h.url}/api/files/${file.id}`, { headers: { authorization: `Bearer ${levante}` } })).status).toBe(403);
    expect((await h.api('GET', `/api/accounting/companies/${R}/entries/${r.body.entry.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/accounting/companies/${L}/entries/${r.body.entry.id}`, { token: hq })).status).toBe(404);
    // Another company's attachment is refused.
    const other = await post(L, { date: '2026-11-12', description: 'x', attachments: [file.id], lines: [line('62100000', 100, 0), line('57000000', 0, 100)] });
    expect(other.body).toMatchObject({ code: 'ATTACHMENT_UNKNOWN' });

    expect((await h.api('POST', `/api/accounting/companies/${R}/periods/2026-10/lock`, { token: hq })).status).toBe(200);
    const before = await count('acc_entry');
    const locked = await post(R, { date: '2026-10-20', description: 'Tarde', lines: [line('62100000', 100, 0), line('57000000', 0, 100)] });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe('PERIOD_LOCKED');
    expect(await count('acc_entry')).toBe(before);
  });

  it('lists the journal newest first with filters and paging', async () => {
    const all_ = await entries(R, '?pageSize=200', ruiz);
    expect(all_.status).toBe(200);
    const dates = all_.body.items.map((e: { entryDate: string }) => e.entryDate);
    expect(dates).toEqual([...dates].sort().reverse());
    const n = all_.body.total as number;
    expect(n).toBeGreaterThanOrEqual(2);
    const page = await entries(R, '?pageSize=1&page=2');
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: n, hasMore: n > 2 });
    expect(page.body.items[0].id).toBe(all_.body.items[1].id);
    expect((await entries(R, '?account=621')).body.items.map((e: { description: string }) => e.description)).toEqual(['Alquiler noviembre Madrid 1']);
    expect((await entries(R, '?account=62900001')).body.items.map((e: { description: string }) => e.description)).toEqual(['Folios']);
    expect((await entries(R, '?q=ALQUILER')).body.total).toBe(1);
    expect((await entries(R, '?kind=manual&period=2026-11')).body.total).toBe(2);
    expect((await entries(R, '?from=2026-11-04&to=2026-11-30')).body.total).toBe(1);
    expect((await entries(R, '?period=2026-10')).body.total).toBe(0);
    expect((await entries(R, '?sourceType=invoice')).body.total).toBe(0);
    expect((await entries(R, '?period=2026-13')).status).toBe(400);
    expect((await entries(R, '', levante)).status).toBe(403);
  });

  it('sums the year per account and heading in the chart (by hand)', async () => {
    const c = await chart(R);
    // Folios 15,00 (cash) and rent 800,00 + IVA 168,00 (bank 968,00) in November.
    const bal = (code: string) => [c.get(code)?.debitCents, c.get(code)?.creditCents, c.get(code)?.balanceCents];
    expect(bal('62900001')).toEqual([1500, 0, 1500]);
    expect(bal('62100000')).toEqual([80_000, 0, 80_000]);
    expect(bal('62')).toEqual([81_500, 0, 81_500]); // 621 + 629
    expect(bal('6')).toEqual([81_500, 0, 81_500]);
    expect(bal('57')).toEqual([0, 98_300, -98_300]); // 570 15,00 + 572 968,00
    expect(bal('472')).toEqual([16_800, 0, 16_800]);
    // Another year holds nothing.
    expect((await chart(R, 2025)).get('62')?.balanceCents).toBe(0);
  });

  it('reverses an entry once with its mirror; a reversal is not reversed; a locked month refuses it', async () => {
    const e = (await post(R, { date: '2026-11-15', description: 'Error de cuenta', lines: [line('62500000', 4_000, 0), line('57200000', 0, 4_000)] })).body.entry;
    expect((await h.api('POST', `/api/accounting/companies/${R}/entries/${e.id}/reverse`, { token: hq, body: { date: '2026-10-31', reason: 'x' } })).body.code).toBe('PERIOD_LOCKED');
    expect((await h.api('POST', `/api/accounting/companies/${R}/entries/${e.id}/reverse`, { token: ruiz, body: { date: '2026-11-16', reason: 'x' } })).status).toBe(403);
    const r = await h.api('POST', `/api/accounting/companies/${R}/entries/${e.id}/reverse`, { token: hq, body: { date: '2026-11-16', reason: 'Cuenta equivocada' } });
    expect(r.status).toBe(201);
    expect(r.body.entry).toMatchObject({ kind: 'reversal', entryDate: '2026-11-16', reversesId: e.id, totalCents: 4_000, description: expect.stringContaining('Cuenta equivocada') });
    const d = (await h.api('GET', `/api/accounting/companies/${R}/entries/${r.body.entry.id}`, { token: hq })).body;
    expect(d.lines.map((x: Record<string, unknown>) => [x.account, x.debitCents, x.creditCents])).toEqual([
      ['62500000', 0, 4_000],
      ['57200000', 4_000, 0],
    ]);
    expect(d.reverses).toMatchObject({ id: e.id, number: e.number });
    const orig = (await h.api('GET', `/api/accounting/companies/${R}/entries/${e.id}`, { token: hq })).body;
    expect(orig.reversedBy).toMatchObject({ id: r.body.entry.id });
    const twice = await h.api('POST', `/api/accounting/companies/${R}/entries/${e.id}/reverse`, { token: hq, body: { date: '2026-11-17', reason: 'otra vez' } });
    expect([twice.status, twice.body.code]).toEqual([409, 'ENTRY_ALREADY_REVERSED']);
    const ofReversal = await h.api('POST', `/api/accounting/companies/${R}/entries/${r.body.entry.id}/reverse`, { token: hq, body: { date: '2026-11-17', reason: 'x' } });
    expect([ofReversal.status, ofReversal.body.code]).toEqual([409, 'ENTRY_IS_REVERSAL']);
    expect((await chart(R)).get('62500000')?.balanceCents).toBe(0);
  });

  it('never deletes a posted entry', async () => {
    const e = (await entries(R, '?pageSize=1')).body.items[0];
    const [n, l] = [await count('acc_entry'), await count('acc_line')];
    const r = await h.api('DELETE', `/api/accounting/companies/${R}/entries/${e.id}`, { token: hq });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'ENTRY_POSTED', detail: expect.stringContaining('reverse it') });
    expect((await h.api('DELETE', `/api/accounting/companies/${R}/entries/${UNKNOWN}`, { token: hq })).status).toBe(404);
    expect((await h.api('DELETE', `/api/accounting/companies/${R}/entries/${e.id}`, { token: ruiz })).status).toBe(403);
    expect([await count('acc_entry'), await count('acc_line')]).toEqual([n, l]);
  });

  it('posts recurring entries when due, once per date; paused or deleted, nothing more', async () => {
    // Day 5 from 10 Sep to 31 Dec: occurrences 5 Oct, 5 Nov (due by 30 Nov), 5 Dec (not yet).
    const body = { description: 'Alquiler local', dayOfMonth: 5, startDate: '2026-09-10', endDate: '2026-12-31', lines: [line('62100000', 50_000, 0), line('57200000', 0, 50_000)] };
    expect((await h.api('POST', `/api/accounting/companies/${L}/recurring`, { token: hq, body: { ...body, dayOfMonth: 29 } })).status).toBe(400);
    const unbalanced = await h.api('POST', `/api/accounting/companies/${L}/recurring`, { token: hq, body: { ...body, lines: [line('62100000', 50_000, 0), line('57200000', 0, 40_000)] } });
    expect(unbalanced.body).toMatchObject({ code: 'ENTRY_UNBALANCED', differenceCents: 10_000 });
    expect((await h.api('POST', `/api/accounting/companies/${L}/recurring`, { token: levante, body })).status).toBe(403);
    const t = await h.api('POST', `/api/accounting/companies/${L}/recurring`, { token: hq, body });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ nextDate: '2026-10-05', endDate: '2026-12-31', active: true, dayOfMonth: 5 });
    expect((await h.api('GET', `/api/accounting/companies/${L}/recurring`, { token: levante })).body.items.map((x: { id: string }) => x.id)).toEqual([t.body.id]);
    expect((await h.api('GET', `/api/accounting/companies/${L}/recurring`, { token: ruiz })).status).toBe(403);

    // October locked: its occurrence goes into 1 Nov (a job cannot re-date it), November's on the 5th.
    await h.api('POST', `/api/accounting/companies/${L}/periods/2026-10/lock`, { token: hq });
    expect((await h.api('POST', `/api/accounting/recurring/run?companyId=${L}`, { token: levante })).status).toBe(403);
    const run = await h.api('POST', `/api/accounting/recurring/run?companyId=${L}`, { token: hq });
    expect(run.body).toEqual({ asOf: '2026-11-30', posted: 2, failed: [] });
    const posted = (await entries(L, '?kind=recurring')).body.items.map((e: Record<string, unknown>) => [e.entryDate, e.documentDate, e.totalCents]);
    expect(posted).toEqual([
      ['2026-11-05', '2026-11-05', 50_000],
      ['2026-11-01', '2026-10-05', 50_000],
    ]);
    // Again (the button, the job): nothing more.
    expect((await h.api('POST', '/api/accounting/recurring/run', { token: hq })).body.posted).toBe(0);
    const job = await h.server.jobs.enqueue({ kind: RECURRING_JOB, params: {}, owner: { companyId: null, storeId: null, createdBy: null } });
    expect((await h.server.jobs.settled(job.id)).status).toBe('succeeded');
    expect((await entries(L, '?kind=recurring')).body.total).toBe(2);
    const after = (await h.api('GET', `/api/accounting/companies/${L}/recurring`, { token: hq })).body.items[0];
    expect(after).toMatchObject({ nextDate: '2026-12-05', active: true });

    const paused = await h.api('PATCH', `/api/accounting/companies/${L}/recurring/${t.body.id}`, { token: hq, body: { active: false } });
    expect(paused.body.active).toBe(false);
    expect((await h.api('PATCH', `/api/accounting/companies/${R}/recurring/${t.body.id}`, { token: hq, body: { active: true } })).status).toBe(404);
    expect((await h.api('DELETE', `/api/accounting/companies/${L}/recurring/${t.body.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('DELETE', `/api/accounting/companies/${L}/recurring/${t.body.id}`, { token: hq })).status).toBe(204);
    expect((await h.api('GET', `/api/accounting/companies/${L}/recurring`, { token: hq })).body.items).toEqual([]);
    expect((await entries(L, '?kind=recurring')).body.total).toBe(2); // the entries stay: they are the books
  });

  it('enqueues the recurring job at start only when a template is due, and the job posts it', async () => {
    const ctx = { ds: h.ds, clock, jobs: h.server.jobs, log: () => {} } as unknown as ModuleContext;
    const jobs = async () => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM job WHERE kind = ?`, [RECURRING_JOB]))!.n);
    const before = await jobs();
    enqueueDueRecurringAtStart(ctx);
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobs()).toBe(before); // nothing due: nothing enqueued
    // Day 1 from 1 Nov: 1 Nov is due on 30 Nov.
    const t = await h.api('POST', `/api/accounting/companies/${R}/recurring`, { token: hq, body: { description: 'Cuota software', dayOfMonth: 1, startDate: '2026-11-01', lines: [line('62900001', 2_900, 0), line('57200000', 0, 2_900)] } });
    expect(t.body.nextDate).toBe('2026-11-01');
    enqueueDueRecurringAtStart(ctx);
    await expect.poll(jobs, { timeout: 5_000 }).toBe(before + 1);
    const ids = await all<{ id: string }>(h.ds.manager, `SELECT id FROM job WHERE kind = ?`, [RECURRING_JOB]);
    for (const j of ids) expect((await h.server.jobs.settled(j.id)).status).toBe('succeeded');
    expect((await entries(R, '?kind=recurring')).body.items.map((e: Record<string, unknown>) => [e.entryDate, e.totalCents])).toEqual([['2026-11-01', 2_900]]);
    expect((await h.api('GET', `/api/accounting/companies/${R}/recurring`, { token: hq })).body.items[0]).toMatchObject({ nextDate: '2026-12-01', active: true });
  });

  it('refuses an empty attachment or one sent as JSON', async () => {
    const send = (body: string, type: string) => fetch(`${h.url}/api/accounting/companies/${R}/attachments?name=x.txt`, { method: 'POST', headers: { authorization: `Bearer ${hq}`, 'content-type': type }, body });
    const before = await count('stored_file');
    expect((await send('', 'text/plain')).status).toBe(400);
    expect((await send('{}', 'application/json')).status).toBe(415);
    expect((await fetch(`${h.url}/api/accounting/companies/${R}/attachments?name=x.txt`, { method: 'POST', headers: { authorization: `Bearer ${ruiz}`, 'content-type': 'text/plain' }, body: 'x' })).status).toBe(403);
    expect(await count('stored_file')).toBe(before);
  });

  it('keeps every account’s balance equal to the sum of its lines (random entries and reversals)', async () => {
    // A seeded generator: the same entries each run.
    let seed = 20261130;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const accounts = ['57000000', '57200000', '62100000', '62900001', '47200000', '70000000', '43000009'];
    const posted: string[] = [];
    for (let i = 0; i < 25; i++) {
      const n = 2 + rnd(3);
      const ls = Array.from({ length: n - 1 }, () => line(accounts[rnd(accounts.length)]!, 1 + rnd(50_000), 0, rnd(2) ? F.storeM1.id : null));
      const total = ls.reduce((s, l) => s + l.debitCents, 0);
      ls.push(line(accounts[rnd(accounts.length)]!, 0, total));
      const r = await post(R, { date: `2026-${rnd(2) ? '11' : '12'}-${String(1 + rnd(28)).padStart(2, '0')}`, description: `Aleatorio ${i}`, lines: ls });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      posted.push(r.body.entry.id);
      if (rnd(4) === 0) expect((await h.api('POST', `/api/accounting/companies/${R}/entries/${posted[rnd(posted.length)]}/reverse`, { token: hq, body: { date: '2026-12-20', reason: 'r' } })).status).toBeGreaterThanOrEqual(201);
    }
    const c = await chart(R);
    const sums = await all<{ account: string; d: unknown; c: unknown }>(h.ds.manager, `SELECT account, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line WHERE company_id = ? AND entry_date LIKE '2026-%' GROUP BY account`, [R]);
    for (const s of sums) expect([s.account, c.get(s.account)?.debitCents, c.get(s.account)?.creditCents]).toEqual([s.account, Number(s.d), Number(s.c)]);
    // The trial balance of the year sums to zero: the groups' balances add up to nothing.
    expect(['1', '2', '3', '4', '5', '6', '7'].reduce((s, g) => s + Number(c.get(g)?.balanceCents ?? 0), 0)).toBe(0);
  });
});
