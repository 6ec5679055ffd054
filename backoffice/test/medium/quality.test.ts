/**
 * Quality control over HTTP on both engines (issue 17): the incidents lifecycle (a store reports with a
 * photo, HQ assigns, works, closes with a resolution; comments and history), due dates by severity, the
 * complaint form's number unique per store, a till's report through the documents channel; store audits
 * (template, scores with N/A left out, failing answers → corrective actions, closed with a note), trends per
 * store and per question; the figures (incidents per store and kind, time to close, audit scores, supplier
 * rating). Refusals (closing without resolution, an answer outside its scale, an unknown product, a foreign
 * store) are problem+json and write nothing. Every expected figure is worked out by hand in the comments.
 */
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpwardAck } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, startHarness, type Harness } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';

const uuid = (n: number) => `00000000-0000-7000-8011-${n.toString(16).padStart(12, '0')}`;
const M1_USER = '00000000-0000-7000-8007-000000000004';
/** HQ's quality auditor: an hq_operations user (the `auditor` role is the read-only one: it never writes). */
const AUDITOR = { email: 'auditora@test.demo', password: 'auditora-secret' };
const [p1] = F.products;
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const MIN = 60_000;

describe.each(engines)('quality control on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 9, 5, 9, 0, 0); // 2026-10-05T09:00:00Z
  const clock = { now: () => now };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let auditor = '';
  let templateId = '';
  let questions: Array<{ id: string; text: string }> = [];

  const signIn = async () => void ([hq, ruiz, levante, m1, auditor] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1), h.login(AUDITOR)]));
  /** Moves the clock to another day: sessions last 12 h, so everybody signs in again. */
  const moveTo = async (ms: number) => {
    now = ms;
    await signIn();
  };
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const TABLES = ['incident', 'incident_event', 'incident_comment', 'incident_photo', 'store_audit', 'store_audit_answer', 'corrective_action', 'audit_log'];
  const writes = () => Promise.all(TABLES.map(count));
  const upload = async (token: string, storeId: string) => {
    const r = await fetch(`${h.url}/api/quality/photos?storeId=${storeId}&name=foto.png`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: PNG });
    return { status: r.status, body: (await r.json()) as { id: string; url: string } };
  };
  const expectProblem = (r: { status: number; body: { type?: string; errors?: Array<{ path: string }> } }, status: number, field?: string) => {
    expect(r.status).toBe(status);
    expect(r.body.type).toMatch(/^https:\/\/tpv\.dev\/problems\//);
    if (field) expect(r.body.errors?.map((e) => e.path)).toContain(field);
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    const hash = await argon2.hash(AUDITOR.password, { type: argon2.argon2id });
    await exec(h.ds.manager, `INSERT INTO app_user (id, email, name, password_hash, role, company_id, store_id, active, created_at) VALUES (?, ?, 'Auditora de calidad', ?, 'hq_operations', NULL, NULL, ?, ?)`, [
      uuid(1), AUDITOR.email, hash, true, new Date(now).toISOString(),
    ]);
    await signIn();
  });
  afterAll(async () => h?.teardown());

  it('due dates by severity: critical 24 h, high 3 days, medium 7, low 14 after the report', async () => {
    // Reported 2026-10-05T09:00Z: + 24 h, + 72 h, + 168 h, + 336 h.
    const cases: Array<[string, string]> = [
      ['critical', '2026-10-06T09:00:00.000Z'],
      ['high', '2026-10-08T09:00:00.000Z'],
      ['medium', '2026-10-12T09:00:00.000Z'],
      ['low', '2026-10-19T09:00:00.000Z'],
    ];
    for (const [severity, due] of cases) {
      const r = await h.api('POST', '/api/incidents', { token: hq, body: { kind: 'cleanliness', severity, title: `Prueba ${severity}`, storeId: F.storeV1.id } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ severity, dueAt: due, state: 'open', source: 'hq', storeId: F.storeV1.id });
    }
  });

  it('a store reports damaged goods with a photo; HQ assigns, works and closes it with a resolution; history and comments', async () => {
    const photo = await upload(m1, F.storeM1.id);
    expect(photo.status).toBe(201);
    const made = await h.api('POST', '/api/incidents', {
      token: m1, body: { kind: 'damaged_goods', severity: 'high', title: 'Caja de yogures aplastada', storeId: F.storeM1.id, productId: p1!.id, quantity: 6, photoIds: [photo.body.id] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id as string;
    // Ruiz's first incident of 2026 (M001 and M002 share Ruiz's series).
    expect(made.body).toMatchObject({ number: 'IN-2026-000001', source: 'store', state: 'open', productName: p1!.name, quantity: 6, createdBy: F.managerM1.email });
    expect(made.body.photos).toEqual([{ fileId: photo.body.id, url: `/api/files/${photo.body.id}` }]);
    // The photo downloads for the store and for HQ; Levante may not see the incident.
    expect((await fetch(`${h.url}${photo.body.url}`, { headers: { authorization: `Bearer ${hq}` } })).status).toBe(200);
    expect((await h.api('GET', `/api/incidents/${id}`, { token: levante })).status).toBe(403);

    now += 30 * MIN;
    // HQ's people, M001's manager and Ruiz (the company's franchisee); not Levante.
    const candidates = await h.api('GET', `/api/incidents/${id}/assignees`, { token: hq });
    expect(candidates.body.items.map((u: { email: string }) => u.email).sort()).toEqual([AUDITOR.email, F.hq.email, F.managerM1.email, F.managerRuiz.email].sort());
    const assigned = await h.api('POST', `/api/incidents/${id}/assign`, { token: hq, body: { userId: M1_USER } });
    expect(assigned.body).toMatchObject({ state: 'assigned', assigneeEmail: F.managerM1.email });
    // Levante's manager cannot handle a Ruiz incident.
    expectProblem(await h.api('POST', `/api/incidents/${id}/assign`, { token: hq, body: { userId: '00000000-0000-7000-8007-000000000003' } }), 422, 'userId');

    // Closing without a resolution: 422 naming the field, nothing written.
    const before = await writes();
    expectProblem(await h.api('POST', `/api/incidents/${id}/state`, { token: hq, body: { state: 'closed' } }), 422, 'resolution');
    expectProblem(await h.api('POST', `/api/incidents/${id}/state`, { token: hq, body: { state: 'closed', resolution: '   ' } }), 422, 'resolution');
    expect(await writes()).toEqual(before);

    now += 30 * MIN;
    expect((await h.api('POST', `/api/incidents/${id}/state`, { token: m1, body: { state: 'in_progress' } })).body.state).toBe('in_progress');
    expect((await h.api('POST', `/api/incidents/${id}/comments`, { token: m1, body: { text: 'Pedimos abono al almacén' } })).status).toBe(201);
    now += 60 * MIN;
    const closed = await h.api('POST', `/api/incidents/${id}/state`, { token: hq, body: { state: 'closed', resolution: 'Abonadas 6 unidades; retiradas del lineal' } });
    expect(closed.body).toMatchObject({ state: 'closed', resolution: 'Abonadas 6 unidades; retiradas del lineal', closedAt: '2026-10-05T11:00:00.000Z' });
    expect(closed.body.comments.map((c: { text: string; by: string }) => [c.text, c.by])).toEqual([['Pedimos abono al almacén', F.managerM1.email]]);
    expect(closed.body.history.map((e: { action: string; by: string }) => [e.action, e.by])).toEqual([
      ['opened', F.managerM1.email], ['assigned', F.hq.email], ['in_progress', F.managerM1.email], ['commented', F.managerM1.email], ['closed', F.hq.email],
    ]);
    // Closed is final.
    expectProblem(await h.api('POST', `/api/incidents/${id}/state`, { token: hq, body: { state: 'in_progress' } }), 409, 'state');
    expect((await h.api('GET', '/api/incidents?state=closed', { token: ruiz })).body.items.map((i: { number: string }) => i.number)).toEqual(['IN-2026-000001']);
  });

  it('refuses an unknown product, a foreign store, an unknown photo, a complaint form on another kind: problem+json, nothing written', async () => {
    const before = await writes();
    const body = { kind: 'damaged_goods', severity: 'low', title: 'X', storeId: F.storeM1.id };
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { ...body, productId: uuid(999) } }), 422, 'productId');
    expectProblem(await h.api('POST', '/api/incidents', { token: levante, body }), 403);
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { ...body, storeId: F.storeM2.id } }), 403);
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { ...body, photoIds: [uuid(998)] } }), 422, 'photoIds.0');
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { ...body, complaintFormNumber: 'HR-1' } }), 422, 'complaintFormNumber');
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { ...body, kind: 'fire' } }), 400, 'kind');
    // A store's people cannot file an HQ incident of no store.
    expectProblem(await h.api('POST', '/api/incidents', { token: m1, body: { kind: 'cleanliness', severity: 'low', title: 'X' } }), 422, 'storeId');
    expect(await writes()).toEqual(before);
  });

  it('registers official complaint forms by number, unique per store', async () => {
    const form = (storeId: string, token: string) =>
      h.api('POST', '/api/incidents', { token, body: { kind: 'customer_complaint', severity: 'medium', title: 'Cliente reclama cobro doble', storeId, complaintFormNumber: 'HR-2026-0042' } });
    expect((await form(F.storeM1.id, m1)).body.complaintFormNumber).toBe('HR-2026-0042');
    const before = await writes();
    const again = await form(F.storeM1.id, hq);
    expectProblem(again, 409, 'complaintFormNumber');
    expect(await writes()).toEqual(before);
    // The same number at another store is another form.
    expect((await form(F.storeV1.id, levante)).status).toBe(201);
  });

  it('a cashier’s report comes up from the till through the documents channel, once, with its photo', async () => {
    const token = await h.pair(F.t1.id);
    const t = await connectTerminal(h.url, F.t1.id, token);
    try {
      const doc = { id: uuid(500), kind: 'quality.incident', createdAt: '2026-10-05T13:10:00+02:00', payload: { kind: 'damaged_goods', severity: 'medium', title: 'Botella rota en caja', productId: p1!.id, photo: { mediaType: 'image/png', base64: PNG.toString('base64') } } };
      const send = () => t.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [doc] }) as Promise<UpwardAck>;
      const first = await send();
      expect(first.results[0]).toMatchObject({ status: 'applied', reference: expect.stringMatching(/^IN-2026-\d{6} registrada/) });
      // A resend is answered with the first answer and opens nothing more.
      const n = await count('incident');
      expect((await send()).results[0]).toMatchObject({ status: 'applied', reference: first.results[0]!.reference });
      expect(await count('incident')).toBe(n);
      const listed = await h.api('GET', `/api/incidents?storeId=${F.storeM1.id}&kind=damaged_goods&sort=createdAt&dir=desc`, { token: hq });
      const it0 = listed.body.items[0];
      expect(it0).toMatchObject({ title: 'Botella rota en caja', source: 'till', state: 'open' });
      const d = await h.api('GET', `/api/incidents/${it0.id}`, { token: m1 });
      expect(d.body.createdBy).toBe('Caja M001-01');
      expect(d.body.photos).toHaveLength(1);
      const img = await fetch(`${h.url}${d.body.photos[0].url}`, { headers: { authorization: `Bearer ${m1}` } });
      expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
      // Bad content is rejected for good: an unknown product.
      const bad = await t.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents: [{ ...doc, id: uuid(501), payload: { ...doc.payload, productId: uuid(997) } }] }) as UpwardAck;
      expect(bad.results[0]).toMatchObject({ status: 'rejected' });
    } finally {
      t.close();
    }
  });

  it('audits: template, scores with N/A out of the denominator, failing answers open corrective actions, closed with a note', async () => {
    const tpl = await h.api('POST', '/api/audit-templates', {
      token: hq,
      body: {
        name: 'Visita estándar',
        questions: [
          { section: 'pricing', text: 'Precios visibles y correctos', weight: 3, scale: 'yes_no' },
          { section: 'cleanliness', text: 'Suelo y lineales limpios', weight: 2, scale: 'zero_five' },
          { section: 'food_safety', text: 'Cámaras a temperatura', weight: 5, scale: 'yes_no' },
          { section: 'brand_standards', text: 'Uniformes y cartelería', weight: 1, scale: 'zero_five' },
        ],
      },
    });
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    templateId = tpl.body.id;
    questions = tpl.body.questions;
    // Templates are HQ's; a store's people neither write templates nor audit themselves.
    expect((await h.api('POST', '/api/audit-templates', { token: m1, body: { name: 'X', questions: [{ section: 'pricing', text: 'X', weight: 1, scale: 'yes_no' }] } })).status).toBe(403);
    const q = (i: number) => questions[i]!.id;
    const audit = (id: number, storeId: string, values: Array<number | null>, token = auditor) =>
      h.api('POST', '/api/store-audits', { token, body: { id: uuid(id), storeId, templateId, answers: values.map((value, i) => ({ questionId: q(i), value, ...(i === 2 ? { note: 'Cámara 2 a 9 °C' } : {}) })) } });

    // Out of scale (6 on 0–5, 2 on yes/no), a question missing, a foreign store: refused, nothing written.
    const before = await writes();
    expectProblem(await audit(100, F.storeM1.id, [1, 6, 1, 3]), 422, 'answers.1.value');
    expectProblem(await audit(100, F.storeM1.id, [2, 3, 1, 3]), 422, 'answers.0.value');
    expectProblem(await h.api('POST', '/api/store-audits', { token: auditor, body: { id: uuid(100), storeId: F.storeM1.id, templateId, answers: [{ questionId: q(0), value: 1 }] } }), 422, 'answers');
    expectProblem(await audit(100, F.storeV1.id, [1, 3, 1, 3], ruiz), 403);
    expectProblem(await audit(100, F.storeM1.id, [1, 3, 1, 3], m1), 403);
    expect(await writes()).toEqual(before);

    // A: M001 on 2026-10-05. yes, 4, no, N/A → (3·1/1 + 2·4/5 + 5·0) / (3 + 2 + 5) = 4,6 / 10 = 46,00 (Q4 N/A leaves the denominator).
    //    ×5 in integers: n = 15 + 8 + 0 = 23, d = 50 → 10000·23/50 = 4600. Q3 "no" fails → one action, due 2026-10-12.
    const a = await audit(101, F.storeM1.id, [1, 4, 0, null]);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ number: 'AU-2026-000001', scoreCp: 4600, failed: 1, openActions: 1 });
    expect(a.body.answers.map((x: { value: number | null; failed: boolean }) => [x.value, x.failed])).toEqual([[1, false], [4, false], [0, true], [null, false]]);
    expect(a.body.actions).toEqual([expect.objectContaining({ questionText: 'Cámaras a temperatura', description: 'Cámaras a temperatura — Cámara 2 a 9 °C', dueDate: '2026-10-12', state: 'open', owner: 'Encargado de tienda / store manager' })]);
    // A repeated submit is refused, never scored twice.
    expect((await audit(101, F.storeM1.id, [1, 4, 0, null])).status).toBe(409);

    // B: M001 on 2026-11-10. yes, 2, yes, 5 → (3 + 2·2/5 + 5 + 1·5/5) / 11 = 9,8 / 11 = 89,0909… → 89,09.
    //    n = 15 + 4 + 25 + 5 = 49, d = 55 → 490000/55 = 8909,09 → 8909. Q2 = 2 fails (below half of 5).
    await moveTo(Date.UTC(2026, 10, 10, 10, 0, 0));
    expect((await audit(102, F.storeM1.id, [1, 2, 1, 5])).body).toMatchObject({ scoreCp: 8909, failed: 1 });
    // C: V001 on 2026-11-12. no, 3, yes, 0 → (0 + 2·3/5 + 5 + 0) / 11 = 6,2 / 11 = 56,3636… → 56,36. Q1 and Q4 fail.
    //    n = 0 + 6 + 25 + 0 = 31 → 310000/55 = 5636,36 → 5636.
    await moveTo(Date.UTC(2026, 10, 12, 10, 0, 0));
    const c = await audit(103, F.storeV1.id, [0, 3, 1, 0]);
    expect(c.body).toMatchObject({ number: 'AU-2026-000001', scoreCp: 5636, failed: 2, openActions: 2 });

    // The store closes A's corrective action with a note; without a note it is refused; twice is 409; Levante may not.
    const actionId = a.body.actions[0].id as string;
    expectProblem(await h.api('POST', `/api/corrective-actions/${actionId}/close`, { token: m1, body: { note: '' } }), 400, 'note');
    expect((await h.api('POST', `/api/corrective-actions/${actionId}/close`, { token: levante, body: { note: 'x' } })).status).toBe(403);
    const done = await h.api('POST', `/api/corrective-actions/${actionId}/close`, { token: m1, body: { note: 'Termostato cambiado; 3 °C a las 12:00' } });
    expect(done.body).toMatchObject({ state: 'closed', closeNote: 'Termostato cambiado; 3 °C a las 12:00', closedBy: F.managerM1.email });
    expect((await h.api('POST', `/api/corrective-actions/${actionId}/close`, { token: m1, body: { note: 'otra vez' } })).status).toBe(409);
    // Open actions of Ruiz's stores: B's only.
    expect((await h.api('GET', '/api/corrective-actions?state=open', { token: ruiz })).body.items.map((x: { questionText: string }) => x.questionText)).toEqual(['Suelo y lineales limpios']);
  });

  it('trends per store over time and per question per month, worked by hand', async () => {
    const t = (await h.api('GET', `/api/quality/audit-trends?templateId=${templateId}`, { token: hq })).body;
    expect(t.stores.map((s: { storeName: string; points: Array<{ scoreCp: number }> }) => [s.storeName, s.points.map((p) => p.scoreCp)])).toEqual([
      ['Madrid 1', [4600, 8909]],
      ['València 1', [5636]],
    ]);
    // Per question, mean of value/max in hundredths over answers not N/A (A in October; B and C in November):
    //   Q1 yes/no:  Oct 1 → 10000;           Nov 1, 0 → 5000 (1 failed)
    //   Q2 0–5:     Oct 4/5 → 8000;          Nov (2 + 3)/10 → 5000 (1 failed: the 2)
    //   Q3 yes/no:  Oct 0 → 0 (1 failed);    Nov 1, 1 → 10000
    //   Q4 0–5:     Oct N/A → no point;      Nov (5 + 0)/10 → 5000 (1 failed)
    const byText = Object.fromEntries(t.questions.map((x: { text: string; points: Array<{ month: string; answers: number; meanCp: number; failed: number }> }) => [x.text, x.points.map((p) => [p.month, p.answers, p.meanCp, p.failed])]));
    expect(byText).toEqual({
      'Precios visibles y correctos': [['2026-10', 1, 10000, 0], ['2026-11', 2, 5000, 1]],
      'Suelo y lineales limpios': [['2026-10', 1, 8000, 0], ['2026-11', 2, 5000, 1]],
      'Cámaras a temperatura': [['2026-10', 1, 0, 1], ['2026-11', 2, 10000, 0]],
      'Uniformes y cartelería': [['2026-11', 2, 5000, 1]],
    });
    // Ruiz sees Madrid 1 only.
    const r = (await h.api('GET', '/api/quality/audit-trends', { token: ruiz })).body;
    expect(r.stores.map((s: { storeName: string }) => s.storeName)).toEqual(['Madrid 1']);
  });

  it('figures: incidents per store and kind, mean/median time to close, audit score per store and month, supplier rating', async () => {
    const m = h.ds.manager;
    // Time to close, December only: four incidents reported two hours apart on 1 December, closed after 30, 45, 90 and 240 minutes.
    //   mean = (30 + 45 + 90 + 240) / 4 = 405 / 4 = 101,25 → 101; median = (45 + 90) / 2 = 67,5 → 68 (half up).
    await moveTo(Date.UTC(2026, 11, 1, 8, 0, 0));
    for (const [i, minutes] of [30, 45, 90, 240].entries()) {
      now = Date.UTC(2026, 11, 1, 8 + 2 * i, 0, 0);
      const r = await h.api('POST', '/api/incidents', { token: hq, body: { kind: 'equipment_failure', severity: 'critical', title: `Báscula ${i}`, storeId: F.storeM2.id } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      now += minutes * MIN;
      const c = await h.api('POST', `/api/incidents/${r.body.id}/state`, { token: hq, body: { state: 'closed', resolution: 'Reparada' } });
      expect(c.body.state, JSON.stringify(c.body)).toBe('closed');
    }
    const dec = (await h.api('GET', '/api/quality/figures?from=2026-12-01&to=2026-12-31', { token: hq })).body;
    expect(dec.timeToClose).toEqual({ closed: 4, meanMinutes: 101, medianMinutes: 68 });
    expect(dec.incidents).toEqual([{ storeId: F.storeM2.id, storeName: 'Madrid 2', kind: 'equipment_failure', count: 4, open: 0 }]);

    // October: V001 four cleanliness (test 1, all open) and one complaint; M001 a damaged (closed), a complaint, the till's damaged (open).
    const oct = (await h.api('GET', '/api/quality/figures?from=2026-10-01&to=2026-10-31', { token: hq })).body;
    expect(oct.incidents.map((r: { storeName: string; kind: string; count: number; open: number }) => [r.storeName, r.kind, r.count, r.open])).toEqual([
      ['Madrid 1', 'customer_complaint', 1, 1],
      ['Madrid 1', 'damaged_goods', 2, 1],
      ['València 1', 'cleanliness', 4, 4],
      ['València 1', 'customer_complaint', 1, 1],
    ]);
    // Closed in October: the damaged goods, 2 h after its report → 120 min.
    expect(oct.timeToClose).toEqual({ closed: 1, meanMinutes: 120, medianMinutes: 120 });
    // Audit scores per store and month (one audit each): M001 Oct 4600, Nov 8909; V001 Nov 5636.
    const all_ = (await h.api('GET', '/api/quality/figures', { token: hq })).body;
    expect(all_.auditScores.map((r: { storeName: string; month: string; audits: number; meanCp: number }) => [r.storeName, r.month, r.audits, r.meanCp])).toEqual([
      ['Madrid 1', '2026-10', 1, 4600], ['Madrid 1', '2026-11', 1, 8909], ['València 1', '2026-11', 1, 5636],
    ]);
    // Ruiz: their stores only, no supplier ratings (franchise-wide figures).
    const rz = (await h.api('GET', '/api/quality/figures', { token: ruiz })).body;
    expect(new Set(rz.incidents.map((r: { storeName: string }) => r.storeName))).toEqual(new Set(['Madrid 1', 'Madrid 2']));
    expect(rz.suppliers).toEqual([]);

    // Supplier rating, January 2027: 100 × (2R − 2L − 2D − T) / 2R, half up.
    //   Lácteos: 4 receipts, 1 late, 1 discrepancy, 1 return → 100 × (8 − 2 − 2 − 1) / 8 = 37,5 → 38.
    //   Panadería: 2 receipts, on time, nothing else → 100.
    //   Conservas: 1 receipt, late, 1 discrepancy, 2 returns → 100 × (2 − 2 − 2 − 2) / 2 < 0 → 0.
    const at = '2027-01-02T08:00:00.000Z';
    const WH = uuid(600);
    await exec(m, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'ALM-Q', ?, 'Almacén', NULL)`, [WH, F.franchisor.id]);
    const suppliers = [['Lácteos del Norte', 'A12345674', uuid(601)], ['Panadería Sol', 'B12345674', uuid(602)], ['Conservas Mar', 'B87654321', uuid(603)]] as const;
    for (const [name, nif, id] of suppliers) await exec(m, `INSERT INTO supplier (id, name, nif, created_at) VALUES (?, ?, ?, ?)`, [id, name, nif, at]);
    let n = 700;
    const receipt = async (supplierId: string, expected: string, posted: string) => {
      const order = uuid(n++);
      await exec(m, `INSERT INTO purchase_order (id, company_id, supplier_id, location_id, status, number, expected_date, tolerance_bp, created_at, updated_at) VALUES (?, ?, ?, ?, 'received', ?, ?, 0, ?, ?)`, [
        order, F.franchisor.id, supplierId, WH, `PC-2027-${n}`, expected, at, at,
      ]);
      await exec(m, `INSERT INTO goods_receipt (id, company_id, order_id, location_id, number, posted_at) VALUES (?, ?, ?, ?, ?, ?)`, [uuid(n++), F.franchisor.id, order, WH, `EM-2027-${n}`, posted]);
    };
    const ret = async (supplierId: string) =>
      exec(m, `INSERT INTO supplier_return (id, number, company_id, warehouse_id, supplier_id, status, reason, expected_credit_cents, posted_at) VALUES (?, ?, ?, ?, ?, 'posted', 'Defectuoso', 0, ?)`, [
        uuid(n++), `DP-2027-${n}`, F.franchisor.id, WH, supplierId, '2027-01-20T10:00:00.000Z',
      ]);
    const [lac, pan, con] = [uuid(601), uuid(602), uuid(603)];
    await receipt(lac, '2027-01-05', '2027-01-05T09:00:00.000Z');
    await receipt(lac, '2027-01-10', '2027-01-09T09:00:00.000Z');
    await receipt(lac, '2027-01-12', '2027-01-13T09:00:00.000Z'); // a day late
    await receipt(lac, '2027-01-20', '2027-01-20T23:00:00.000Z');
    await receipt(pan, '2027-01-07', '2027-01-07T07:00:00.000Z');
    await receipt(pan, '2027-01-14', '2027-01-14T07:00:00.000Z');
    await receipt(con, '2027-01-08', '2027-01-15T07:00:00.000Z'); // late
    await ret(lac);
    await ret(con);
    await ret(con);
    await moveTo(Date.UTC(2027, 0, 15, 12, 0, 0));
    for (const s of [lac, con]) {
      expect((await h.api('POST', '/api/incidents', { token: hq, body: { kind: 'delivery_discrepancy', severity: 'medium', title: 'Faltan cajas', supplierId: s } })).status).toBe(201);
    }
    const jan = (await h.api('GET', '/api/quality/figures?from=2027-01-01&to=2027-01-31', { token: hq })).body;
    expect(jan.suppliers.map((s: { supplierName: string; deliveries: number; late: number; discrepancies: number; returns: number; rating: number | null }) => [s.supplierName, s.deliveries, s.late, s.discrepancies, s.returns, s.rating])).toEqual([
      ['Conservas Mar', 1, 1, 1, 2, 0],
      ['Lácteos del Norte', 4, 1, 1, 1, 38],
      ['Panadería Sol', 2, 0, 0, 0, 100],
    ]);
  });
});
