/**
 * The common HTTP edge of both services: security headers (helmet) on every answer — JSON, problem+json,
 * static UI — and `Retry-After` on a 429 problem that says how long to wait.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { createHttpService, type HttpService } from '../../src/http-service';

describe('createHttpService edge', () => {
  let service: HttpService;
  let url: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-rt-'));

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>ui</title>');
    const r = Router();
    r.get('/api/ok', (_req, res) => res.json({ ok: true }));
    r.post('/api/slow-down', () => {
      throw new HttpProblem(problem(429, 'TOO_MANY_ATTEMPTS', 'Too many attempts', { retryAfterSeconds: 42 }));
    });
    service = createHttpService({ name: 'test', routes: [r], uiDist: dir, log: () => {} });
    url = `http://127.0.0.1:${await service.listen(0)}`;
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const securityHeaders = (res: Response) => ({
    csp: res.headers.get('content-security-policy'),
    nosniff: res.headers.get('x-content-type-options'),
    frame: res.headers.get('x-frame-options'),
    referrer: res.headers.get('referrer-policy'),
    corp: res.headers.get('cross-origin-resource-policy'),
  });

  it.each([
    ['a JSON answer', 'GET', '/api/ok', 200],
    ['a problem+json 404', 'GET', '/api/nothing-here', 404],
    ['a 429 problem', 'POST', '/api/slow-down', 429],
    ['the UI', 'GET', '/', 200],
    ['an SPA route', 'GET', '/some/screen', 200],
  ])('sends security headers on %s', async (_what, method, pathname, status) => {
    const res = await fetch(url + pathname, { method });
    expect(res.status).toBe(status);
    const h = securityHeaders(res);
    expect(h.nosniff).toBe('nosniff');
    expect(h.frame).toBe('SAMEORIGIN');
    expect(h.referrer).toBe('no-referrer');
    expect(h.corp).toBe('same-origin');
    expect(h.csp).toContain("default-src 'self'");
    expect(h.csp).toContain("frame-ancestors 'self'");
    // Tills and the back office are served over plain HTTP on the store LAN: never force https sub-requests.
    expect(h.csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers a 429 problem with Retry-After in seconds', async () => {
    const res = await fetch(`${url}/api/slow-down`, { method: 'POST' });
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('42');
    expect(await res.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 42 });
  });
});

describe('request ids at the edge', () => {
  const boom = () => {
    const r = Router();
    r.get('/api/boom', () => {
      throw new Error('database on fire');
    });
    return r;
  };
  const started: HttpService[] = [];
  const start = async (opts: Partial<Parameters<typeof createHttpService>[0]>) => {
    const s = createHttpService({ name: 'test', routes: [boom()], ...opts });
    started.push(s);
    return `http://127.0.0.1:${await s.listen(0)}`;
  };
  afterAll(async () => {
    for (const s of started) await s.close();
  });

  it('logs a 5xx with the request id that the problem body and header carry (no request logger)', async () => {
    const logged: Array<{ msg: string; err: unknown; requestId?: string | undefined }> = [];
    const base = await start({ log: (msg, err, ctx) => logged.push({ msg, err, requestId: ctx?.requestId }) });
    const res = await fetch(`${base}/api/boom`, { headers: { 'x-request-id': 'req-500' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-500');
    const body = (await res.json()) as { code: string; requestId: string; detail: string };
    expect(body).toMatchObject({ code: 'INTERNAL', requestId: 'req-500' });
    expect(body.detail).not.toContain('fire'); // the cause stays in the log
    expect(logged).toEqual([{ msg: 'unhandled error', err: expect.objectContaining({ message: 'database on fire' }), requestId: 'req-500' }]);
  });

  it('hands a 5xx to the request logger (res.err) instead of logging it twice', async () => {
    const logged: unknown[] = [];
    const seen: Array<{ id: unknown; err: unknown; status: number }> = [];
    const base = await start({
      log: (msg) => logged.push(msg),
      requestLogger: (_req, res, next) => {
        res.on('finish', () => seen.push({ id: res.locals.requestId, err: (res as unknown as { err?: unknown }).err, status: res.statusCode }));
        next();
      },
    });
    const res = await fetch(`${base}/api/boom`);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ id, status: 500, err: expect.objectContaining({ message: 'database on fire' }) });
    expect(logged).toEqual([]);
  });
});
