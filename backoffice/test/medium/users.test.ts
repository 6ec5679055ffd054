/**
 * Users and roles (issue 10) over real HTTP on SQLite and PostgreSQL: invitations and one-time links, the
 * password rules, scope of who sees and manages whom (franchisee managers of several companies included),
 * deactivation ending sessions, own and others' sessions, TOTP two-factor (codes computed with otpauth at
 * the injected clock's time, each used once, throttled), TPV_REQUIRE_TOTP_HQ, and the audit log (entries
 * written with each change, none on a refused request; searchable by franchise-wide roles only).
 */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '@tpv/shared/clock';
import { passwordProblems } from '@tpv/shared/wire/http/auth';
import { createThrottle, DEFAULT_LIMITS } from '../../src/throttle/limits';
import { engines, F, startHarness, type Harness } from '../support/harness';

const GOOD = 'Tres tristes tigres 42';
const codeAt = (secret: string, ms: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

describe('password rules', () => {
  it('refuses short, one-class, e-mail-containing and common passwords; accepts a long mixed one', () => {
    expect(passwordProblems('Abc1!', 'x@y.es')).toContain('length');
    expect(passwordProblems('abcdefghijklmnop', 'x@y.es')).toEqual(['variety']);
    expect(passwordProblems('123456789012345', 'x@y.es')).toEqual(['variety']);
    expect(passwordProblems('maria.lopez-2026', 'maria.lopez@tienda.es')).toEqual(['email']);
    expect(passwordProblems('password123', 'x@y.es')).toEqual(expect.arrayContaining(['length', 'common']));
    expect(passwordProblems('Password123!', 'x@y.es')).toEqual(['common']);
    expect(passwordProblems(GOOD, 'maria@tienda.es')).toEqual([]);
  });
});

describe.each(engines)('users and roles on $name', (engine) => {
  const clock = manualClock(Date.UTC(2026, 10, 30, 9, 0, 10));
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  const auditCount = async () => Number(((await h.ds.query('SELECT COUNT(*) AS n FROM audit_log')) as Array<{ n: unknown }>)[0]!.n);
  const userCount = async () => Number(((await h.ds.query('SELECT COUNT(*) AS n FROM app_user')) as Array<{ n: unknown }>)[0]!.n);
  const invite = async (token: string, body: Record<string, unknown>) => h.api('POST', '/api/users', { token, body });
  const accept = async (inviteToken: string, password = GOOD) => h.api('POST', '/api/auth/invitations/accept', { body: { token: inviteToken, password } });

  beforeAll(async () => {
    h = await startHarness(engine, clock, { throttle: createThrottle({ ...DEFAULT_LIMITS, loginPerAccount: { points: 4, seconds: 900 } }) });
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
  });
  afterAll(async () => h?.teardown());

  it('invites a franchisee manager of two companies: no sign-in until accepted, weak passwords refused per field, the link works once', async () => {
    const r = await invite(hq, { email: 'Dos.Empresas@test.demo', name: 'Dos Empresas', role: 'franchisee_manager', companyIds: [F.ruiz.id, F.levante.id] });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ email: 'dos.empresas@test.demo', role: 'franchisee_manager', invitationPending: true, active: true });
    expect(r.body.user.companyIds.sort()).toEqual([F.ruiz.id, F.levante.id].sort());
    expect(r.body.invitation.path).toContain('/accept-invitation?token=');
    const link = r.body.invitation.token as string;
    // Not yet: nobody knows a password.
    expect((await h.api('POST', '/api/auth/login', { body: { email: 'dos.empresas@test.demo', password: GOOD } })).status).toBe(401);

    const before = await auditCount();
    const messagesOf = (r: { body: { errors: Array<{ path: string; message: string }> } }) => r.body.errors.filter((e) => e.path === 'password').map((e) => e.message).join('\n');
    const short = await accept(link, 'abcdef');
    expect(short.status).toBe(400);
    expect(messagesOf(short)).toMatch(/al menos 12 caracteres.*at least 12 characters/);
    expect(messagesOf(short)).toMatch(/solo letras.*only letters/);
    expect(messagesOf(await accept(link, 'dos.empresas-2026'))).toMatch(/correo.*e-mail/);
    expect(messagesOf(await accept(link, 'Password2026'))).toMatch(/común.*too common/);
    expect(await auditCount()).toBe(before);

    expect((await accept(link)).status).toBe(200);
    expect((await accept(link, GOOD + 'x')).status).toBe(400); // used once
    const t = await h.login({ email: 'dos.empresas@test.demo', password: GOOD });
    const me = await h.api('GET', '/api/auth/me', { token: t });
    expect(me.body.companyIds.sort()).toEqual([F.ruiz.id, F.levante.id].sort());
    // Scope: stores of both companies.
    const terminals = await h.api('GET', '/api/terminals', { token: t });
    const stores = new Set((terminals.body as Array<{ storeId: string }>).map((x) => x.storeId));
    expect(stores.has(F.storeM1.id) && stores.has(F.storeV1.id)).toBe(true);
    // The organisation tree and the company list show both companies, and not the franchisor.
    const tree = await h.api('GET', '/api/organisation', { token: t });
    expect(tree.body.companies.map((c: { id: string }) => c.id).sort()).toEqual([F.ruiz.id, F.levante.id].sort());
    const companies = await h.api('GET', '/api/companies', { token: t });
    expect(companies.body.items.map((c: { id: string }) => c.id).sort()).toEqual([F.ruiz.id, F.levante.id].sort());
    expect((await h.api('GET', `/api/companies/${F.levante.id}`, { token: t })).status).toBe(200);
    const audit = await h.api('GET', `/api/audit?entity=user&entityId=${r.body.user.id}&dir=asc`, { token: hq });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['user.invite', 'user.accept_invitation']);
    expect(JSON.stringify(audit.body.items)).not.toMatch(/argon2/);
  });

  it('scopes who a franchisee manager sees and manages: store managers of their own stores only, never HQ roles', async () => {
    const users0 = await userCount();
    const audit0 = await auditCount();
    expect((await invite(ruiz, { email: 'v1@test.demo', name: 'X', role: 'store_manager', storeId: F.storeV1.id })).status).toBe(403);
    expect((await invite(ruiz, { email: 'hq2@test.demo', name: 'X', role: 'hq_admin' })).status).toBe(403);
    expect((await invite(ruiz, { email: 'fm@test.demo', name: 'X', role: 'franchisee_manager', companyIds: [F.ruiz.id] })).status).toBe(403);
    const bad = await invite(ruiz, { email: 'no-es-correo', name: '', role: 'store_manager' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name', 'storeId']);
    expect(await userCount()).toBe(users0);
    expect(await auditCount()).toBe(audit0);

    const ok = await invite(ruiz, { email: 'm2@test.demo', name: 'Madrid 2', role: 'store_manager', storeId: F.storeM2.id });
    expect(ok.status).toBe(201);
    expect(ok.body.user.companyIds).toEqual([F.ruiz.id]);
    const list = await h.api('GET', '/api/users?sort=email&pageSize=200', { token: ruiz });
    const emails = list.body.items.map((u: { email: string }) => u.email);
    expect(emails).toContain('m2@test.demo');
    expect(emails).toContain(F.managerM1.email);
    expect(emails).not.toContain(F.managerLevante.email);
    expect(emails).not.toContain(F.hq.email);
    // Another franchisee's manager (Levante) may not touch Ruiz's store manager.
    const levante = await h.login(F.managerLevante);
    expect((await h.api('POST', `/api/users/${ok.body.user.id}/deactivate`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', '/api/users', { token: await h.login(F.managerM1) })).status).toBe(403);
    // Paging and export of the same query.
    const page = await h.api('GET', '/api/users?pageSize=2&sort=email', { token: hq });
    expect(page.body).toMatchObject({ page: 1, pageSize: 2, hasMore: true });
    expect(page.body.total).toBeGreaterThan(2);
    const csv = await fetch(`${h.url}/api/users?format=csv&role=store_manager`, { headers: { authorization: `Bearer ${ruiz}` } });
    const text = await csv.text();
    expect(text).toContain('m2@test.demo');
    expect(text).not.toContain(F.managerLevante.email);
  });

  it('deactivation ends the sessions at once and stops sign-in; reactivation restores it; edits are audited before → after', async () => {
    const levante = await h.login(F.managerLevante);
    const id = (await h.api('GET', '/api/auth/me', { token: levante })).body.id as string;
    const d = await h.api('POST', `/api/users/${id}/deactivate`, { token: hq });
    expect(d.status).toBe(200);
    expect(d.body.active).toBe(false);
    expect((await h.api('GET', '/api/auth/me', { token: levante })).status).toBe(401);
    expect((await h.api('POST', '/api/auth/login', { body: F.managerLevante })).status).toBe(401);
    expect((await h.api('POST', `/api/users/${id}/reactivate`, { token: hq })).status).toBe(200);
    await h.login(F.managerLevante);
    const e = await h.api('PUT', `/api/users/${id}`, { token: hq, body: { name: 'Levante SL', role: 'franchisee_manager', companyIds: [F.levante.id] } });
    expect(e.body.name).toBe('Levante SL');
    const audit = await h.api('GET', `/api/audit?entityId=${id}&action=user.update`, { token: hq });
    expect(audit.body.items[0].before.name).toBe('Levante');
    expect(audit.body.items[0].after.name).toBe('Levante SL');
    // HQ may not deactivate themselves (locking the franchise out).
    const hqId = (await h.api('GET', '/api/auth/me', { token: hq })).body.id;
    expect((await h.api('POST', `/api/users/${hqId}/deactivate`, { token: hq })).status).toBe(409);
  });

  it("resets a password with a one-time link (old password and sessions end) and changes one's own with the current one", async () => {
    const m1 = await h.login(F.managerM1);
    const id = (await h.api('GET', '/api/auth/me', { token: m1 })).body.id as string;
    const r = await h.api('POST', `/api/users/${id}/reset-password`, { token: ruiz });
    expect(r.status).toBe(200);
    expect(r.body.path).toContain('/reset-password?token=');
    expect((await h.api('POST', '/api/auth/password-reset/accept', { body: { token: r.body.token, password: 'Nueva clave 2026 !' } })).status).toBe(200);
    expect((await h.api('GET', '/api/auth/me', { token: m1 })).status).toBe(401);
    expect((await h.api('POST', '/api/auth/login', { body: F.managerM1 })).status).toBe(401);
    const a = await h.login({ email: F.managerM1.email, password: 'Nueva clave 2026 !' });
    const b = await h.login({ email: F.managerM1.email, password: 'Nueva clave 2026 !' });

    const wrong = await h.api('POST', '/api/auth/password', { token: a, body: { currentPassword: 'nope', newPassword: GOOD } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('currentPassword');
    const weak = await h.api('POST', '/api/auth/password', { token: a, body: { currentPassword: 'Nueva clave 2026 !', newPassword: 'corta' } });
    expect(weak.body.errors.map((e: { path: string }) => e.path)).toContain('newPassword');
    expect((await h.api('POST', '/api/auth/password', { token: a, body: { currentPassword: 'Nueva clave 2026 !', newPassword: GOOD } })).status).toBe(200);
    expect((await h.api('GET', '/api/auth/me', { token: a })).status).toBe(200); // this session stays
    expect((await h.api('GET', '/api/auth/me', { token: b })).status).toBe(401); // the others end
    await h.login({ email: F.managerM1.email, password: GOOD });
  });

  it("lists and revokes sessions: one's own, and a manager's of a user they manage", async () => {
    const s1 = await h.login(F.managerRuiz);
    const s2 = await h.login(F.managerRuiz);
    const mine = await h.api('GET', '/api/auth/sessions', { token: s1 });
    expect(mine.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(JSON.stringify(mine.body)).not.toMatch(/[0-9a-f]{64}/); // no token hashes
    const other = (await h.api('GET', '/api/auth/sessions', { token: s2 })).body.find((s: { current: boolean }) => s.current).id;
    expect((await h.api('DELETE', `/api/auth/sessions/${other}`, { token: s1 })).status).toBe(204);
    expect((await h.api('GET', '/api/auth/me', { token: s2 })).status).toBe(401);

    const ruizId = (await h.api('GET', '/api/auth/me', { token: s1 })).body.id;
    const theirs = await h.api('GET', `/api/users/${ruizId}/sessions`, { token: hq });
    const target = theirs.body.find((s: { id: string }) => s.id === mine.body.find((x: { current: boolean }) => x.current).id);
    expect((await h.api('DELETE', `/api/users/${ruizId}/sessions/${target.id}`, { token: hq })).status).toBe(204);
    expect((await h.api('GET', '/api/auth/me', { token: s1 })).status).toBe(401);
  });

  it('TOTP: enrol (QR), confirm, sign in in two steps, a code never twice, codes throttled, disable', async () => {
    const id = (await h.api('GET', '/api/auth/me', { token: hq })).body.id as string;
    const e = await h.api('POST', '/api/auth/totp/enrol', { token: hq });
    expect(e.status).toBe(200);
    expect(e.body.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(e.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const secret = e.body.secret as string;
    const stored = ((await h.ds.query(`SELECT totp_secret AS s FROM app_user WHERE id = ${engine.name === 'postgres' ? '$1' : '?'}`, [id])) as Array<{ s: string }>)[0]!.s;
    expect(stored).not.toContain(secret);
    expect((await h.api('POST', '/api/auth/totp/confirm', { token: hq, body: { code: codeAt(secret, clock.now() + 5 * 60_000) } })).status).toBe(400);
    expect((await h.api('POST', '/api/auth/totp/confirm', { token: hq, body: { code: codeAt(secret, clock.now()) } })).status).toBe(200);
    expect((await h.api('GET', `/api/users/${id}`, { token: hq })).body).toMatchObject({ totpEnabled: true });
    expect(JSON.stringify((await h.api('GET', `/api/users/${id}`, { token: hq })).body)).not.toContain(secret);

    clock.advance(30_000);
    const first = await h.api('POST', '/api/auth/login', { body: F.hq });
    expect(first.body).toEqual({ totpRequired: true, challenge: expect.any(String) });
    expect((await h.api('POST', '/api/auth/login/totp', { body: { challenge: first.body.challenge, code: codeAt(secret, clock.now() + 10 * 60_000) } })).status).toBe(401);
    const code = codeAt(secret, clock.now());
    const ok = await h.api('POST', '/api/auth/login/totp', { body: { challenge: first.body.challenge, code } });
    expect(ok.status).toBe(200);
    expect((await h.api('GET', '/api/auth/me', { token: ok.body.token })).body.totpEnabled).toBe(true);
    // The same code again, even with a fresh challenge: refused.
    const again = await h.api('POST', '/api/auth/login', { body: F.hq });
    expect((await h.api('POST', '/api/auth/login/totp', { body: { challenge: again.body.challenge, code } })).status).toBe(401);
    clock.advance(30_000);
    expect((await h.api('POST', '/api/auth/login/totp', { body: { challenge: again.body.challenge, code: codeAt(secret, clock.now()) } })).status).toBe(200);

    // Throttled like passwords (4 failures here): then even the right code is refused.
    clock.advance(30_000);
    const third = await h.api('POST', '/api/auth/login', { body: F.hq });
    const statuses: number[] = [];
    for (let i = 0; i < 5 && statuses.at(-1) !== 429; i++) statuses.push((await h.api('POST', '/api/auth/login/totp', { body: { challenge: third.body.challenge, code: '000000' } })).status);
    // Failures above (a wrong code, a replayed one) already counted toward the 4 allowed.
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((x) => x === 401) && statuses.length <= 3).toBe(true);
    expect((await h.api('POST', '/api/auth/login/totp', { body: { challenge: third.body.challenge, code: codeAt(secret, clock.now()) } })).status).toBe(429);

    clock.advance(30_000);
    expect((await h.api('POST', '/api/auth/totp/disable', { token: hq, body: { code: codeAt(secret, clock.now()) } })).status).toBe(200);
    const actions = (await h.api('GET', `/api/audit?entityId=${id}&action=user.`, { token: hq })).body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.totp_enable', 'user.totp_disable']));
  });

  it('audit log: franchise-wide roles only, filters, export', async () => {
    expect((await h.api('GET', '/api/audit', { token: ruiz })).status).toBe(403);
    const r = await invite(hq, { email: 'auditora@test.demo', name: 'Auditora', role: 'auditor' });
    await accept(r.body.invitation.token);
    const auditor = await h.login({ email: 'auditora@test.demo', password: GOOD });
    const all = await h.api('GET', '/api/audit?pageSize=5', { token: auditor });
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThan(5);
    expect(all.body.items[0].at >= all.body.items[1].at).toBe(true);
    const byActor = await h.api('GET', `/api/audit?actor=ruiz@&pageSize=200`, { token: auditor });
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((a: { actorEmail: string }) => a.actorEmail === F.managerRuiz.email)).toBe(true);
    // `to` as a date includes that day (the clock is at 2026-11-30).
    expect((await h.api('GET', '/api/audit?from=2026-11-30&to=2026-11-30', { token: auditor })).body.total).toBe(all.body.total);
    expect((await h.api('GET', '/api/audit?to=2026-11-29', { token: auditor })).body.total).toBe(0);
    const future = await h.api('GET', `/api/audit?from=2030-01-01`, { token: auditor });
    expect(future.body.total).toBe(0);
    expect((await h.api('GET', '/api/audit?from=ayer', { token: auditor })).body.errors[0].path).toBe('from');
    const csv = await (await fetch(`${h.url}/api/audit?format=csv&entity=user`, { headers: { authorization: `Bearer ${auditor}` } })).text();
    expect(csv).toContain('user.invite');
    // Users: an auditor (like the other HQ roles but the admin) sees only themselves.
    const users = await h.api('GET', '/api/users?pageSize=200', { token: auditor });
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(['auditora@test.demo']);
    expect((await h.api('GET', `/api/users/${r.body.user.id}`, { token: auditor })).status).toBe(200);
    expect((await h.api('GET', `/api/users/${(await h.api('GET', '/api/auth/me', { token: hq })).body.id}`, { token: auditor })).status).toBe(403);
    // The auditor reads, never writes.
    expect((await invite(auditor, { email: 'x@test.demo', name: 'X', role: 'auditor' })).status).toBe(403);
  });
});

describe.each(engines)('TPV_REQUIRE_TOTP_HQ on $name', (engine) => {
  const clock = manualClock(Date.UTC(2026, 10, 30, 9, 0, 10));
  let h: Harness & { teardown: () => Promise<void> };
  beforeAll(async () => void (h = await startHarness(engine, clock, { requireTotpHq: true })));
  afterAll(async () => h?.teardown());

  it('an HQ session may only enrol until it has; a franchisee manager is not asked', async () => {
    const login = await h.api('POST', '/api/auth/login', { body: F.hq });
    expect(login.body.totpEnrolmentRequired).toBe(true);
    const t = login.body.token as string;
    expect((await h.api('GET', '/api/auth/me', { token: t })).body.totpEnrolmentRequired).toBe(true);
    const refused = await h.api('GET', '/api/users', { token: t });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TOTP_ENROLMENT_REQUIRED');
    expect((await h.api('GET', '/api/terminals', { token: t })).status).toBe(403);
    const e = await h.api('POST', '/api/auth/totp/enrol', { token: t });
    expect((await h.api('POST', '/api/auth/totp/confirm', { token: t, body: { code: codeAt(e.body.secret, clock.now()) } })).status).toBe(200);
    expect((await h.api('GET', '/api/users', { token: t })).status).toBe(200);
    clock.advance(30_000);
    expect((await h.api('POST', '/api/auth/totp/disable', { token: t, body: { code: codeAt(e.body.secret, clock.now()) } })).status).toBe(409);
    // A sign-in challenge lasts 5 minutes: a right code after that is refused, the password asked again.
    const ch = await h.api('POST', '/api/auth/login', { body: F.hq });
    clock.advance(6 * 60_000);
    const late = await h.api('POST', '/api/auth/login/totp', { body: { challenge: ch.body.challenge, code: codeAt(e.body.secret, clock.now()) } });
    expect([late.status, late.body.code]).toEqual([401, 'INVALID_CHALLENGE']);
    const ruiz = await h.api('POST', '/api/auth/login', { body: F.managerRuiz });
    expect(ruiz.body.totpEnrolmentRequired).toBeUndefined();
    expect((await h.api('GET', '/api/users', { token: ruiz.body.token })).status).toBe(200);
  });
});
