/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Incidents reported at the till (issue 17): a report with a photo is one `quality.incident` document in the
 * outbox, with the cashier as its author; bad input (an unknown kind, a product not in the catalogue, no
 * title) is a 4xx problem and writes nothing; the screen's list shows the report with its delivery state.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTerminalDb, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-quality-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('incidents reported at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file);
    await s.login(STAFF.cashier.pin);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('queues a report with its photo as one outbox document; bad input writes nothing', async () => {
    const docs = () => t.db.prepare(`SELECT COUNT(*) AS n FROM document_outbox`).get();
    const before = [rowCounts(t.db), docs()];
    const ok = { kind: 'damaged_goods', severity: 'high', title: 'Botella rota' };
    for (const [body, status] of [
      [{ ...ok, kind: 'fire' }, 400],
      [{ ...ok, title: '  ' }, 400],
      [{ ...ok, photo: { mediaType: 'image/gif', base64: PNG } }, 400],
      [{ ...ok, productId: '00000000-0000-7000-8005-0000000000ff' }, 404],
    ] as const) expect((await s.call('POST', '/api/quality/incidents', body)).status, JSON.stringify(body)).toBe(status);
    expect([rowCounts(t.db), docs()]).toEqual(before);
    const r = await s.call('POST', '/api/quality/incidents', { ...ok, description: 'En la caja 1', photo: { mediaType: 'image/png', base64: PNG } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'damaged_goods', title: 'Botella rota', hasPhoto: true, status: 'pending', reference: null });
    const row = t.db.prepare(`SELECT kind, payload FROM document_outbox WHERE id = ?`).get(r.body.id) as { kind: string; payload: string };
    expect(row.kind).toBe('quality.incident');
    const payload = JSON.parse(row.payload);
    expect(payload).toMatchObject({ severity: 'high', photo: { mediaType: 'image/png', base64: PNG } });
    expect(payload.staffId).toBeTruthy();
    expect((await s.call('GET', '/api/quality/incidents')).body.items.map((x: any) => [x.title, x.status])).toEqual([['Botella rota', 'pending']]);
  });
});
