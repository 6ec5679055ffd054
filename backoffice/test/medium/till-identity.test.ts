/**
 * Till identity at HQ (issue #9, points 1 and 2), on SQLite and PostgreSQL over real HTTP and socket.io:
 * pairing refuses a till without the terminal's history; the gateway uses what the till says about itself
 * (a conflict shows in the terminal list); "replace this till" makes a new installation and retires the
 * old one; a device token survives HQ's database being put back to an older copy; the feed epoch tells a
 * till that its catalogue version is no longer HQ's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { manualClock } from '@tpv/shared/clock';
import { connectTerminal, engines, F, factoryFor, refusedConnection, startHarness, type Harness } from '../support/harness';

type Hello = { ackedSeq: number; catalogVersion: number; catalogReset?: boolean };

/** A socket with the full hello a till sends (lastSeq, catalogEpoch); resolves with hello:ack. */
async function hello(url: string, auth: Record<string, unknown>): Promise<Hello> {
  const socket = connect(`${url}/terminal`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise<Hello>((resolve, reject) => {
      socket.once('hello:ack', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}

describe.each(engines)('till identity on $name', (engine) => {
  const clock = manualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let t1Token: string;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    levante = await h.login(F.managerLevante);
    // HQ holds seqs 1..5 of terminal 01.
    t1Token = await h.pair(F.t1.id);
    const term = await connectTerminal(h.url, F.t1.id, t1Token);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 41);
    expect((await term.send(Array.from({ length: 5 }, () => f.sale({ lines: [{ product: F.products[0]!, units: 1 }] })))).ackedSeq).toBe(5);
    term.close();
  });
  afterAll(async () => h?.teardown());

  const status = async (id: string) => ((await h.api('GET', '/api/terminals', { token: hq })).body as Array<Record<string, unknown>>).find((t) => t.id === id)!;

  it('refuses to pair a till whose database lacks the history HQ holds (409), and the code stays usable', async () => {
    const code = (await h.api('POST', `/api/terminals/${F.t1.id}/pairing-code`, { token: hq })).body.code as string;
    const wiped = await h.api('POST', '/api/pairing', { body: { code, appVersion: '1.0.0', lastSeq: 0 } });
    expect(wiped.status).toBe(409);
    expect(wiped.body).toMatchObject({ code: 'TERMINAL_HISTORY_CONFLICT', type: 'https://tpv.dev/problems/terminal-history-conflict' });
    expect(wiped.body.detail).toMatch(/already holds 5 tickets of terminal 01; this till wrote 0/);
    // The till itself (its history reaches 5) pairs with the same code and is told what HQ holds.
    const own = await h.api('POST', '/api/pairing', { body: { code, appVersion: '1.0.0', lastSeq: 7 } });
    expect(own.status).toBe(201);
    expect(own.body.ackedSeq).toBe(5);
    t1Token = own.body.token as string;
  });

  it('records a till that says it wrote less than HQ holds as a conflict in the terminal list, and clears it', async () => {
    const base = { terminalId: F.t1.id, token: t1Token, lastAckedSeq: 0, catalogVersion: 0 };
    expect((await hello(h.url, { ...base, lastSeq: 2 })).ackedSeq).toBe(5);
    const s = await status(F.t1.id);
    expect(s.conflict).toMatchObject({ message: expect.stringMatching(/HQ holds seq 5, the till wrote 2/) });
    await hello(h.url, { ...base, lastSeq: 5, lastAckedSeq: 5 });
    expect((await status(F.t1.id)).conflict).toBeNull();
  });

  it('replaces a till: a new installation with its own code, series and chain; the old one retired and refused', async () => {
    expect((await h.api('POST', `/api/terminals/${F.t1.id}/replace`, { token: levante })).status).toBe(403);
    expect((await h.api('POST', `/api/terminals/${F.t1.id}/replace`)).status).toBe(401);
    const r = await h.api('POST', `/api/terminals/${F.t1.id}/replace`, { token: ruiz });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ replaced: { id: F.t1.id, code: '01' }, terminal: { code: '03', installation: 'M001-03' } });
    expect(r.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await refusedConnection(h.url, F.t1.id, t1Token)).toBe('unauthorized');
    expect((await h.api('POST', `/api/terminals/${F.t1.id}/replace`, { token: hq })).body.code).toBe('TERMINAL_REPLACED');
    // The new till (a fresh database) pairs with the code: seq 0 at HQ, its own identity.
    const paired = await h.api('POST', '/api/pairing', { body: { code: r.body.code, appVersion: '1.0.0', lastSeq: 0 } });
    expect(paired.status).toBe(201);
    expect(paired.body).toMatchObject({ ackedSeq: 0, identity: { terminalCode: '03', installation: 'M001-03', storeId: F.storeM1.id } });
    const newId = r.body.terminal.id as string;
    const term = await connectTerminal(h.url, newId, paired.body.token);
    const f = factoryFor({ id: newId, code: '03', installation: 'M001-03' }, F.storeM1, F.ruiz.nif, 42);
    expect((await term.send([f.sale({ lines: [{ product: F.products[1]!, units: 2 }] })])).ackedSeq).toBe(1);
    term.close();
    expect(await status(F.t1.id)).toMatchObject({ replacedById: newId, revoked: true, lastAckedSeq: 5 });
    expect(await status(newId)).toMatchObject({ replacesId: F.t1.id, lastAckedSeq: 1, code: '03' });
    const series = (await h.ds.query(`SELECT DISTINCT terminal_id, series FROM sale_ticket ORDER BY series`)) as Array<{ terminal_id: string; series: string }>;
    expect(series.map((s) => s.series)).toEqual([expect.stringMatching(/^M00101-/), expect.stringMatching(/^M00103-/)]);
  });

  it('accepts a device token it signed after its database lost the pairing (restored), but not an older or a revoked one', async () => {
    const first = await h.pair(F.t2.id);
    clock.advance(60_000);
    const second = await h.pair(F.t2.id);
    expect(await refusedConnection(h.url, F.t2.id, first)).toBe('unauthorized');
    // Put back to a copy from before the second pairing: the first token's hash and generation.
    const gen = (await h.ds.query(`SELECT token_generation FROM terminal WHERE id = '${F.t2.id}'`)) as Array<{ token_generation: number }>;
    await h.ds.query(`UPDATE terminal SET token_hash = NULL, token_generation = ${Number(gen[0]!.token_generation) - 1} WHERE id = '${F.t2.id}'`);
    const term = await connectTerminal(h.url, F.t2.id, second);
    const f = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 43);
    expect((await term.send([f.sale({ lines: [{ product: F.products[2]!, units: 1 }] })])).ackedSeq).toBe(1);
    term.close();
    expect(await refusedConnection(h.url, F.t2.id, first)).toBe('unauthorized');
    expect((await h.api('POST', `/api/terminals/${F.t2.id}/revoke`, { token: hq })).status).toBe(200);
    expect(await refusedConnection(h.url, F.t2.id, second)).toBe('unauthorized');
  });

  it('tells a till to pull the catalogue from scratch when its version is not in this database\'s feed', async () => {
    const token = await h.pair(F.t3.id);
    const put = await h.api('PUT', `/api/products/${F.products[3]!.id}`, {
      token: hq,
      body: { sku: 'SKU4', name: 'Cambiado', taxRateBp: F.products[3]!.taxRateBp, weighed: F.products[3]!.weighed, priceCents: 999 },
    });
    expect(put.status).toBeLessThan(300);
    const base = { terminalId: F.t3.id, token, lastAckedSeq: 0, lastSeq: 0 };
    const first = await hello(h.url, { ...base, catalogVersion: 0 });
    expect(first.catalogReset).toBeUndefined();
    const socket = await connectTerminal(h.url, F.t3.id, token);
    const page = (await socket.socket.timeout(5000).emitWithAck('catalog:pull', { sinceVersion: 0 })) as { toVersion: number; epoch: string };
    socket.close();
    expect(page.epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect((await hello(h.url, { ...base, catalogVersion: page.toVersion, catalogEpoch: page.epoch })).catalogReset).toBeUndefined();
    expect((await hello(h.url, { ...base, catalogVersion: page.toVersion, catalogEpoch: 'another-epoch' })).catalogReset).toBe(true);
    expect((await hello(h.url, { ...base, catalogVersion: page.toVersion + 50 })).catalogReset).toBe(true);
  });
});
