/**
 * Structured request logs and request ids (issue 10 "Logs"): each answer carries an X-Request-Id (a sane
 * incoming one is kept), problem+json bodies name it, and one JSON log line per API request says method,
 * path, status, milliseconds, the request id and the user when signed in — never the Authorization header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { logConfigFromEnv } from '../../src/platform/log';
import { engines, F, startHarness, type Harness } from '../support/harness';

type Line = { level: number; msg: string; requestId?: string; method?: string; path?: string; status?: number; ms?: number; userId?: string; [k: string]: unknown };

describe.each(engines)('request logs on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const raw: string[] = [];
  const lines = () => raw.map((l) => JSON.parse(l) as Line);
  const lineOf = async (requestId: string) => {
    await expect.poll(() => lines().some((l) => l.requestId === requestId && l.status !== undefined)).toBe(true);
    return lines().find((l) => l.requestId === requestId && l.status !== undefined)!;
  };

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (s: string) => void raw.push(s) });
    h = await startHarness(engine, undefined, { logger });
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('keeps a sane incoming X-Request-Id, echoes it and logs the request under it', async () => {
    const res = await fetch(`${h.url}/health`, { headers: { 'x-request-id': 'lb-7f3a.42:1' } });
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.42:1');
    const line = await lineOf('lb-7f3a.42:1');
    expect(line).toMatchObject({ level: 30, method: 'GET', path: '/health', status: 200, msg: expect.stringMatching(/^GET \/health 200 \d+ms$/) });
    expect(line.ms).toBeTypeOf('number');
  });

  it('replaces an insane id (longer than the audit column, spaces, JSON) with a generated one', async () => {
    const longest = 'k'.repeat(64);
    expect((await fetch(`${h.url}/health`, { headers: { 'x-request-id': longest } })).headers.get('x-request-id')).toBe(longest);
    for (const bad of ['x'.repeat(65), 'a b', '{"level":60}']) {
      const res = await fetch(`${h.url}/health`, { headers: { 'x-request-id': bad } });
      const id = res.headers.get('x-request-id')!;
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await lineOf(id);
    }
    expect(raw.join('\n')).not.toContain('{\\"level\\":60}');
  });

  it('names the request id in problem+json bodies and logs refusals at warn', async () => {
    const res = await fetch(`${h.url}/api/review`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { requestId?: string; code: string };
    expect(body.code).toBe('UNAUTHENTICATED');
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    expect(await lineOf(body.requestId!)).toMatchObject({ level: 40, method: 'GET', path: '/api/review', status: 401 });
    const missing = await fetch(`${h.url}/api/nothing-here?x=1`);
    const p = (await missing.json()) as { requestId?: string };
    expect(p.requestId).toBe(missing.headers.get('x-request-id'));
    expect(await lineOf(p.requestId!)).toMatchObject({ path: '/api/nothing-here', status: 404 });
  });

  it('names the signed-in user, and never logs the bearer token or the password', async () => {
    const token = await h.login(F.hq);
    const res = await fetch(`${h.url}/api/terminals`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'terminals-list-1' } });
    expect(res.status).toBe(200);
    const line = await lineOf('terminals-list-1');
    const [user] = (await h.ds.query(`SELECT id FROM app_user WHERE email = '${F.hq.email}'`)) as Array<{ id: string }>;
    expect(line).toMatchObject({ status: 200, path: '/api/terminals', userId: user!.id });
    expect(raw.join('\n')).not.toContain(token);
    expect(raw.join('\n')).not.toContain(F.hq.password);
  });
});

describe('log configuration', () => {
  it('is silent under vitest unless TPV_LOG_LEVEL says otherwise; pretty with TPV_LOG_PRETTY=1 or TPV_LOG_FORMAT=pretty', () => {
    expect(logConfigFromEnv({ VITEST: 'true' })).toEqual({ level: 'silent', pretty: false });
    expect(logConfigFromEnv({})).toEqual({ level: 'info', pretty: false });
    expect(logConfigFromEnv({ VITEST: 'true', TPV_LOG_LEVEL: 'debug', TPV_LOG_PRETTY: '1' })).toEqual({ level: 'debug', pretty: true });
    expect(logConfigFromEnv({ TPV_LOG_FORMAT: 'pretty' }).pretty).toBe(true);
    expect(() => logConfigFromEnv({ TPV_LOG_LEVEL: 'loud' })).toThrow(/TPV_LOG_LEVEL/);
  });
});
