/**
 * Dunning and credit control on both engines, over HTTP. Three receivables on 2026-11-30:
 *  - A: the franchisor's invoice F2026-001 to Ruiz S.L., 1.210,00 € due 2026-05-31 → 183 days → level 3
 *    (formal demand, claims interest). Interest worked by hand, actual/365, half-up per half-year:
 *      2026-06-01..06-30: 30 days × 10,15 % → 121000 × 1015 × 30 / 3 650 000 = 1009,44 → 10,09 €
 *      2026-07-01..11-30: 153 days × 10,15 % → 121000 × 1015 × 153 / 3 650 000 = 5148,14 → 51,48 €
 *    interest 61,57 €, + 40,00 € compensation (art. 8) → claimed 1.210,00 + 61,57 + 40,00 = 1.311,57 €.
 *  - B: Ruiz's on-account ticket T-1 to the customer Bar El Rincón, 300,00 € due 2026-10-20 → 41 days →
 *    level 2 (second notice, blocks): the customer is blocked and the change feed says so to every till.
 *  - C: the same customer, 50,00 € due 2026-11-25 → 5 days → no letter yet.
 * A second run the same day sends nothing again; a manager's release unblocks and the feed says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness } from '../support/harness';
import { appendItemPosting, openItem } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, one } from '../../src/persistence/sql';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const tmp = mkdtempSync(path.join(tmpdir(), 'tpv-dunning-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(tmp, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe.each(engines)('dunning and credit control on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  const ids: Record<string, string> = {};

  const count = async (table: string) => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))!.n);
  const lastCustomerChange = async () => {
    const r = await one<{ payload: unknown }>(h.ds.manager, `SELECT payload FROM change_log WHERE entity = 'customer' AND entity_id = ? ORDER BY version DESC`, [F.customer.id]);
    return r ? (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) : null;
  };
  const file = async (fileId: string) => {
    const res = await fetch(`${h.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante)]);
    await writeTransaction(h.ds, async (m) => {
      const base = { side: 'receivable' as const, sourceIdx: 0, storeId: null, issueDate: '2026-05-01' };
      ids.A = await openItem(m, clock, { ...base, companyId: F.franchisor.id, kind: 'invoice_due', sourceId: '00000000-0000-7000-8f00-000000000001', documentRef: 'F2026-001', counterparty: { kind: 'company', id: F.ruiz.id, name: 'Ruiz S.L.' }, dueDate: '2026-05-31', amountCents: 121_000 }, null, 'test');
      ids.B = await openItem(m, clock, { ...base, companyId: F.ruiz.id, kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8f00-000000000002', documentRef: 'T-1', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: F.storeM1.id, dueDate: '2026-10-20', amountCents: 30_000 }, null, 'test');
      ids.C = await openItem(m, clock, { ...base, companyId: F.ruiz.id, kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8f00-000000000003', documentRef: 'T-2', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: F.storeM1.id, dueDate: '2026-11-25', amountCents: 5_000 }, null, 'test');
    });
  });
  afterAll(async () => h?.teardown());

  it('levels: the defaults until the company sets its own; bad levels refused with the field, nothing written', async () => {
    const d = await h.api('GET', `/api/collections/dunning-levels?companyId=${F.franchisor.id}`, { token: hq });
    expect(d.status).toBe(200);
    expect(d.body.isDefault).toBe(true);
    expect(d.body.levels.map((l: { minDaysPastDue: number; blocks: boolean; claimsInterest: boolean }) => [l.minDaysPastDue, l.blocks, l.claimsInterest])).toEqual([[7, false, false], [30, true, false], [60, true, true]]);
    const bad = d.body.levels.map((l: Record<string, unknown>) => ({ ...l, minDaysPastDue: 30 }));
    const r = await h.api('PUT', '/api/collections/dunning-levels', { token: hq, body: { companyId: F.franchisor.id, levels: bad } });
    expect([r.status, r.body.code, r.body.errors?.[0]?.path]).toEqual([422, 'DUNNING_LEVELS_ORDER', 'levels.1']);
    const empty = await h.api('PUT', '/api/collections/dunning-levels', { token: hq, body: { companyId: F.franchisor.id, levels: [{ ...d.body.levels[0], minDaysPastDue: 0 }] } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.some((e: { path: string }) => e.path.includes('minDaysPastDue'))).toBe(true);
    expect(await count('dunning_level')).toBe(0);
    // Levante's manager may not touch the franchisor's levels.
    expect((await h.api('PUT', '/api/collections/dunning-levels', { token: levante, body: { companyId: F.ruiz.id, levels: d.body.levels } })).status).toBe(403);
    // The franchisor saves its own (same days), then reads them back.
    const put = await h.api('PUT', '/api/collections/dunning-levels', { token: hq, body: { companyId: F.franchisor.id, levels: d.body.levels } });
    expect(put.status).toBe(200);
    expect((await h.api('GET', `/api/collections/dunning-levels?companyId=${F.franchisor.id}`, { token: hq })).body).toMatchObject({ isDefault: false, levels: d.body.levels });
  });

  it('a run writes a formal demand with interest worked by hand, as a PDF', async () => {
    const bad = await h.api('POST', '/api/collections/dunning/run', { token: hq, body: { companyId: F.franchisor.id, asOf: '2026-13-01' } });
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'asOf']);
    expect(await count('dunning_letter')).toBe(0);

    const r = await h.api('POST', '/api/collections/dunning/run', { token: hq, body: { companyId: F.franchisor.id, asOf: '2026-11-30' } });
    expect(r.status).toBe(201);
    expect(r.body.letters).toHaveLength(1);
    const letter = r.body.letters[0];
    expect(letter).toMatchObject({ counterpartyKind: 'company', counterpartyId: F.ruiz.id, level: 3, letterDate: '2026-11-30', principalCents: 121_000, interestCents: 6157, compensationCents: 4000 });
    expect(letter.items).toEqual([{ itemId: ids.A, documentRef: 'F2026-001', dueDate: '2026-05-31', balanceCents: 121_000, daysPastDue: 183, interestCents: 6157, compensationCents: 4000 }]);
    const text = pdfText(await file(letter.fileId), 'demand');
    expect(text).toContain('Franquicia S.L.');
    expect(text).toContain('Requerimiento formal');
    expect(text).toContain('Ruiz S.L.');
    expect(text).toContain('F2026-001');
    expect(text.replace(/\s+/g, ' ')).toContain('Intereses: 61,57');
    expect(text.replace(/\s+/g, ' ')).toContain('Total reclamado: 1.311,57 €');
    // The item remembers its level; a second run the same day sends nothing.
    expect(await one(h.ds.manager, `SELECT dunning_level, last_dunned_on FROM open_item WHERE id = ?`, [ids.A])).toMatchObject({ last_dunned_on: '2026-11-30' });
    const again = await h.api('POST', '/api/collections/dunning/run', { token: hq, body: { companyId: F.franchisor.id, asOf: '2026-11-30' } });
    expect(again.body.letters).toEqual([]);
    expect(await count('dunning_letter')).toBe(1);
    const hist = await h.api('GET', `/api/collections/items/${ids.A}/dunning`, { token: hq });
    expect(hist.body).toMatchObject({ itemId: ids.A, dunningLevel: 3, lastDunnedOn: '2026-11-30', letters: [{ id: letter.id, level: 3 }] });
    // Ruiz's manager reads the franchisor's letters? No: another company's.
    expect((await h.api('GET', `/api/collections/items/${ids.A}/dunning`, { token: ruiz })).status).toBe(403);
  });

  it('a second notice blocks the customer, the change feed tells every till; a release unblocks', async () => {
    const token = await h.pair(F.t1.id);
    const till = await connectTerminal(h.url, F.t1.id, token);
    try {
      const before = (await pullChanges(till, 0)).toVersion;
      expect((await h.api('POST', '/api/collections/dunning/run', { token: levante, body: { companyId: F.ruiz.id, asOf: '2026-11-30' } })).status).toBe(403);
      const r = await h.api('POST', '/api/collections/dunning/run', { token: ruiz, body: { companyId: F.ruiz.id, asOf: '2026-11-30', language: 'en' } });
      expect(r.status).toBe(201);
      expect(r.body.letters.map((l: { level: number; principalCents: number; interestCents: number; items: unknown[] }) => [l.level, l.principalCents, l.interestCents, l.items.length])).toEqual([[2, 30_000, 0, 1]]);
      expect(r.body.blocked).toBe(1);
      const text = pdfText(await file(r.body.letters[0].fileId), 'notice');
      expect(text).toContain('Second notice');
      expect(text).toContain('T-1');
      expect(text).toContain('41 days overdue');
      expect(text).not.toContain('Interest:');

      const cc = await h.api('GET', `/api/collections/credit-control?companyId=${F.ruiz.id}`, { token: ruiz });
      expect(cc.body.items).toEqual([expect.objectContaining({ counterpartyKind: 'customer', counterpartyId: F.customer.id, blocked: true, exposureCents: 35_000, creditLimitCents: null })]);
      expect(cc.body.items[0].reason).toContain('Segundo aviso');
      expect((await h.api('GET', '/api/collections/credit-control', { token: levante })).body.items).toEqual([]);
      expect((await lastCustomerChange())).toMatchObject({ id: F.customer.id, onAccountBlocked: true, creditLimitCents: 100_000 });
      const page = await pullChanges(till, before);
      expect(page.changes.filter((c) => c.entity === 'customer')).toEqual([expect.objectContaining({ id: F.customer.id, op: 'upsert', data: expect.objectContaining({ onAccountBlocked: true }) })]);

      // An HQ edit of the customer keeps the block.
      const edit = await h.api('PUT', `/api/customers/${F.customer.id}`, { token: hq, body: { nif: 'B44556677', name: F.customer.name, email: null, reRegime: false, creditLimitCents: 120_000, active: true } });
      expect(edit.status).toBe(200);
      expect(await lastCustomerChange()).toMatchObject({ onAccountBlocked: true, creditLimitCents: 120_000 });

      // Release: bad dates refused, nothing written; a manager's release unblocks and reaches the feed.
      const badRelease = await h.api('POST', '/api/collections/credit-control/release', { token: ruiz, body: { companyId: F.ruiz.id, counterpartyKind: 'customer', counterpartyId: F.customer.id, releasedOn: '2026-11-30', until: '2026-11-01', note: 'Pagará el lunes' } });
      expect([badRelease.status, badRelease.body.errors?.[0]?.path]).toEqual([422, 'until']);
      expect((await h.api('POST', '/api/collections/credit-control/release', { token: levante, body: { companyId: F.ruiz.id, counterpartyKind: 'customer', counterpartyId: F.customer.id, note: 'x' } })).status).toBe(403);
      const v0 = (await pullChanges(till, 0)).toVersion;
      const rel = await h.api('POST', '/api/collections/credit-control/release', { token: ruiz, body: { companyId: F.ruiz.id, counterpartyKind: 'customer', counterpartyId: F.customer.id, until: '2026-12-15', note: 'Pagará el lunes' } });
      expect(rel.status).toBe(200);
      expect(rel.body).toMatchObject({ blocked: false, releasedOn: '2026-11-30', releasedUntil: '2026-12-15' });
      expect(rel.body.reason).toContain('Segundo aviso'); // what the release overrides
      const after = await pullChanges(till, v0);
      expect(after.changes.filter((c) => c.entity === 'customer')).toEqual([expect.objectContaining({ data: expect.objectContaining({ onAccountBlocked: false }) })]);
      // A run while the release holds keeps it released.
      await h.api('POST', '/api/collections/dunning/run', { token: ruiz, body: { companyId: F.ruiz.id, asOf: '2026-12-01' } });
      expect((await all<{ blocked: unknown }>(h.ds.manager, `SELECT blocked FROM credit_control WHERE counterparty_id = ?`, [F.customer.id])).map((x) => Boolean(Number(x.blocked) || x.blocked === true))).toEqual([false]);
    } finally {
      till.close();
    }
  });

  it('blocked at any company is blocked at every till; paying what blocked it unblocks through the ledger', async () => {
    // Levante's on-account ticket to the same customer, 90 days overdue (the customer is released at Ruiz).
    const itemId = await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.levante.id, side: 'receivable', kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8f00-000000000004', sourceIdx: 0, documentRef: 'T-9', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: F.storeV1.id, issueDate: '2026-08-01', dueDate: '2026-09-01', amountCents: 20_000 }, null, 'test'),
    );
    const r = await h.api('POST', '/api/collections/dunning/run', { token: levante, body: { companyId: F.levante.id, asOf: '2026-11-30' } });
    expect(r.body.letters.map((l: { level: number }) => l.level)).toEqual([3]);
    expect(await lastCustomerChange()).toMatchObject({ onAccountBlocked: true });
    // The customer pays it in full: the posting re-assesses the block; released everywhere → unblocked.
    await writeTransaction(h.ds, (m) => appendItemPosting(m, clock, itemId, { kind: 'collected', amountCents: 20_000, onDate: '2026-11-30', sourceKind: 'test' }, null));
    expect((await h.api('GET', `/api/collections/credit-control?companyId=${F.levante.id}`, { token: levante })).body.items).toEqual([expect.objectContaining({ blocked: false, reason: null, exposureCents: 0 })]);
    expect(await lastCustomerChange()).toMatchObject({ onAccountBlocked: false });
  });

  it('a company’s own credit limit: over it blocks, back to the customer’s limit unblocks; bad limits refused', async () => {
    await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.levante.id, side: 'receivable', kind: 'on_account_ticket', sourceId: '00000000-0000-7000-8f00-000000000005', sourceIdx: 0, documentRef: 'T-10', counterparty: { kind: 'customer', id: F.customer.id, name: F.customer.name }, storeId: F.storeV1.id, issueDate: '2026-11-30', dueDate: '2026-12-31', amountCents: 15_000 }, null, 'test'),
    );
    const body = { companyId: F.levante.id, counterpartyKind: 'customer', counterpartyId: F.customer.id };
    const neg = await h.api('PUT', '/api/collections/credit-control', { token: levante, body: { ...body, creditLimitCents: -1 } });
    expect([neg.status, neg.body.errors?.[0]?.path]).toEqual([400, 'creditLimitCents']);
    const ghost = await h.api('PUT', '/api/collections/credit-control', { token: levante, body: { ...body, counterpartyId: 'nobody', creditLimitCents: 1 } });
    expect([ghost.status, ghost.body.errors?.[0]?.path]).toEqual([422, 'counterpartyId']);
    expect(await count('credit_control')).toBe(3);
    // 150,00 owed (not yet due) over a 100,00 limit: blocked at every till.
    const over = await h.api('PUT', '/api/collections/credit-control', { token: levante, body: { ...body, creditLimitCents: 10_000 } });
    expect(over.body).toMatchObject({ blocked: true, creditLimitCents: 10_000, exposureCents: 15_000 });
    expect(over.body.reason).toContain('límite de crédito');
    expect(await lastCustomerChange()).toMatchObject({ onAccountBlocked: true });
    // Cleared: the customer's own 1.200,00 applies again.
    const back = await h.api('PUT', '/api/collections/credit-control', { token: levante, body: { ...body, creditLimitCents: null } });
    expect(back.body).toMatchObject({ blocked: false, creditLimitCents: null });
    expect(await lastCustomerChange()).toMatchObject({ onAccountBlocked: false });
  });
});
