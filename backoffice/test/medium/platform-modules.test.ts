/**
 * The platform seen from outside: a module switched off in the deployment has no routes and no menu entry,
 * /api/auth/me tells the UI the user's permissions, and a route declared with defineRoute checks input and
 * permission before its handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { z } from 'zod';
import { errorHandler } from '@tpv/runtime/problem';
import { apiRouter, defineRoute, openApiDocument } from '../../src/platform/api';
import { engines, F, startHarness, type Harness } from '../support/harness';

describe.each(engines)('platform on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  beforeAll(async () => {
    h = await startHarness(engine, undefined, { modulesOff: ['stock'] });
  });
  afterAll(() => h.teardown());

  it('answers a switched-off module’s routes with 404 and leaves it out of the user’s modules', async () => {
    const hq = await h.login(F.hq);
    const stock = await h.api('GET', `/api/stores/${F.storeM1.id}/stock`, { token: hq });
    expect(stock.status).toBe(404);
    const me = await h.api('GET', '/api/auth/me', { token: hq });
    expect(me.body.modules).not.toContain('stock');
    expect(me.body.modules).toContain('review');
    expect(me.body.permissions).not.toContain('stock.read');
  });

  it('tells HQ admin and a franchisee manager different permissions', async () => {
    const hq = await h.api('GET', '/api/auth/me', { token: await h.login(F.hq) });
    const ruiz = await h.api('GET', '/api/auth/me', { token: await h.login(F.managerRuiz) });
    expect(hq.body).toMatchObject({ role: 'hq_admin', email: F.hq.email });
    expect(hq.body.permissions).toEqual(expect.arrayContaining(['review.read', 'review.write', 'catalog.write']));
    expect(ruiz.body.role).toBe('franchisee_manager');
    expect(ruiz.body.permissions).toContain('catalog.read');
    expect(ruiz.body.permissions).not.toContain('review.read');
    expect(ruiz.body.permissions).not.toContain('catalog.write');
  });

  it('runs a declared route only with a valid body and a granted permission', async () => {
    const calls: unknown[] = [];
    const defs = [
      defineRoute({
        method: 'post',
        path: '/api/probe/:id',
        summary: 'probe',
        tags: ['probe'],
        access: 'catalog.write',
        params: z.object({ id: z.uuid() }),
        body: z.strictObject({ name: z.string().min(1), qty: z.int().positive() }),
        status: 201,
        handler: ({ params, body, user }) => (calls.push({ params, body, user: user.email }), { ok: true }),
      }),
    ];
    const app = express().use(express.json()).use(apiRouter(h.ds, { now: () => Date.now() }, defs)).use(errorHandler(() => {}));
    const server = app.listen(0);
    const port = await new Promise<number>((r) => server.once('listening', () => r((server.address() as { port: number }).port)));
    const post = async (token: string | undefined, id: string, body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/probe/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
    };
    try {
      const id = '0190f2a4-0000-7000-8000-000000000001';
      expect((await post(undefined, id, { name: 'x', qty: 1 })).status).toBe(401);
      const franchisee = await post(await h.login(F.managerRuiz), id, { name: 'x', qty: 1 });
      expect(franchisee.status).toBe(403);
      const hq = await h.login(F.hq);
      const bad = await post(hq, 'not-a-uuid', { name: '', qty: -1, extra: true });
      expect(bad.status).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['id']);
      const badBody = await post(hq, id, { name: '', qty: -1, extra: true });
      expect(badBody.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['', 'name', 'qty']);
      expect(calls).toHaveLength(0);
      const good = await post(hq, id, { name: 'caja', qty: 2 });
      expect(good).toMatchObject({ status: 201, body: { ok: true } });
      expect(calls).toEqual([{ params: { id }, body: { name: 'caja', qty: 2 }, user: F.hq.email }]);

      const doc = openApiDocument(defs, { title: 't', version: '1' }, z.object({ code: z.string() })) as { paths: Record<string, Record<string, { 'x-permission': string; responses: object; parameters: Array<{ name: string; in: string }> }>> };
      const op = doc.paths['/api/probe/{id}']!.post!;
      expect(op['x-permission']).toBe('catalog.write');
      expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '401', '403']);
      expect(op.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
