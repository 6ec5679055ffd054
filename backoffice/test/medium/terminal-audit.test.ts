/**
 * Terminal writes are audited (issue 10 "Audit log"): a pairing code issued, a till paired, a token revoked,
 * a till replaced — each one audit_log row in the write's transaction, naming who, the terminal, its store and
 * company, before → after and the request id; never the pairing code or the token. A refused write leaves none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';

type AuditRow = { actor_email: string | null; action: string; entity_id: string; company_id: string | null; store_id: string | null; before_json: string | null; after_json: string | null; request_id: string | null };

describe.each(engines)('terminal audit on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  const audit = async () => (await h.ds.query('SELECT actor_email, action, entity_id, company_id, store_id, before_json, after_json, request_id FROM audit_log ORDER BY at, id')) as AuditRow[];
  const call = async (method: string, path: string, requestId: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(h.url + path, {
      method,
      headers: { 'x-request-id': requestId, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
      ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('records code, pairing, revoke and replacement with actor, scope, before → after and request id', async () => {
    const code = await call('POST', `/api/terminals/${F.t2.id}/pairing-code`, 'audit-code-1', { token: hq });
    expect(code.status).toBe(201);
    const paired = await call('POST', '/api/pairing', 'audit-pair-1', { body: { code: code.body.code, appVersion: '9.9.9' } });
    expect(paired.status).toBe(201);
    expect((await call('POST', `/api/terminals/${F.t2.id}/revoke`, 'audit-revoke-1', { token: hq })).status).toBe(200);
    const replaced = await call('POST', `/api/terminals/${F.t2.id}/replace`, 'audit-replace-1', { token: hq });
    expect(replaced.status).toBe(201);
    const newId = (replaced.body.terminal as { id: string }).id;

    const rows = await audit();
    // Rows of one millisecond have no defined order: compare as a set, then look each one up.
    const key = (r: AuditRow) => `${r.action} ${r.actor_email} ${r.request_id} ${r.entity_id}`;
    expect(rows.map(key).sort()).toEqual(
      [
        `terminal.pairing_code ${F.hq.email} audit-code-1 ${F.t2.id}`,
        `terminal.pair null audit-pair-1 ${F.t2.id}`,
        `terminal.revoke ${F.hq.email} audit-revoke-1 ${F.t2.id}`,
        `terminal.replace ${F.hq.email} audit-replace-1 ${F.t2.id}`,
        `terminal.pairing_code ${F.hq.email} audit-replace-1 ${newId}`, // the new terminal's code, same request
      ].sort(),
    );
    const row = (action: string, requestId: string) => rows.find((r) => r.action === action && r.request_id === requestId)!;
    for (const r of rows) expect(r).toMatchObject({ store_id: F.storeM1.id, company_id: F.ruiz.id });
    expect(JSON.parse(row('terminal.pair', 'audit-pair-1').after_json!)).toMatchObject({ paired: true, appVersion: '9.9.9' });
    expect(JSON.parse(row('terminal.revoke', 'audit-revoke-1').before_json!)).toMatchObject({ paired: true, revokedAt: null });
    expect(JSON.parse(row('terminal.revoke', 'audit-revoke-1').after_json!)).toMatchObject({ paired: false });
    expect(JSON.parse(row('terminal.replace', 'audit-replace-1').after_json!)).toMatchObject({ replacedById: newId, replacement: { id: newId } });
    // Secrets never reach the log: not the codes, not the device token.
    const all = JSON.stringify(rows);
    expect(all).not.toContain(String(code.body.code));
    expect(all).not.toContain(String(replaced.body.code));
    expect(all).not.toContain(String(paired.body.token));
  });

  it('records nothing for a refused write (another company’s terminal)', async () => {
    const before = (await audit()).length;
    const levante = await h.login(F.managerLevante);
    expect((await call('POST', `/api/terminals/${F.t1.id}/revoke`, 'audit-refused-1', { token: levante })).status).toBe(403);
    expect((await call('POST', `/api/terminals/${F.t1.id}/pairing-code`, 'audit-refused-2', { token: levante })).status).toBe(403);
    expect(await audit()).toHaveLength(before);
  });
});
