/**
 * The API document (issue 10, "must be true" 5): `/api/openapi.json` covers EVERY route of a full back
 * office (all modules on), read from the express app at run time, and passes the Redocly linter's
 * `recommended` rules with zero errors; `/api/docs` is the page that reads it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { openApiPath } from '../../src/platform/api';
import * as bo from '../../src/persistence/entities';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { expressRoutes } from '../support/routes';


type Doc = { openapi: string; paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>> };

describe.each(engines)('API document on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let doc: Doc;
  let raw: Response;

  beforeAll(async () => {
    h = await startHarness(engine);
    raw = await fetch(`${h.url}/api/openapi.json`);
    doc = (await raw.clone().json()) as Doc;
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('is served as application/json, OpenAPI 3.1', () => {
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every method + path of the express app', () => {
    const live = expressRoutes(h.server.app);
    expect(live.length).toBeGreaterThan(80); // every module's routes, not an empty walk
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const missing = live.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !documented.has(`${method} ${openApiPath(path)}`);
    });
    expect(missing, 'routes missing from /api/openapi.json (declare them with defineRoute + apiRouter)').toEqual([]);
  });

  it('documents problem+json errors and the success answer of each operation', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses).some((s) => s.startsWith('2')), `${m} ${p} success`).toBe(true);
        expect(op.responses['400'], `${m} ${p} 400`).toBeTruthy();
      }
    }
    expect(JSON.stringify(doc.paths['/api/review/{id}/accept'])).toContain('#/components/schemas/ProblemDetails');
    // Public routes say so (no bearer); refusals beyond 400/401/403 are listed where a route has them.
    expect(Object.keys(doc.paths['/api/pairing']!.post!.responses).sort()).toEqual(['201', '400', '409', '410', '429']);
    expect(Object.keys(doc.paths['/api/review/{id}']!.get!.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
  });

  it('answers what it documents: real answers of the declared routes parse with their response schemas', async () => {
    const hq = await h.login(F.hq);
    const schemaOf = (method: string, path: string) => {
      const def = h.server.routeDefs.find((d) => d.method === method && d.path === path);
      if (!def?.response) throw new Error(`no response schema for ${method} ${path}`);
      return def.response;
    };
    const check = async (method: 'get' | 'post', route: string, url: string, body?: unknown) => {
      const r = await h.api(method.toUpperCase(), url, { token: hq, ...(body !== undefined ? { body } : {}) });
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      const parsed = schemaOf(method, route).safeParse(r.body);
      expect(parsed.success ? [] : parsed.error.issues, `${method} ${route}`).toEqual([]);
      return r.body;
    };
    await h.ds.query(
      `INSERT INTO ingest_review (id, terminal_id, store_id, seq, ticket_id, kind, code, reason, payload, created_at) VALUES ('rv-doc-1', '${F.t1.id}', '${F.storeM1.id}', 3, NULL, 'gap', 'SEQ_GAP', 'docs', NULL, '2026-01-01T00:00:00.000Z')`,
    );
    // One stock row and movement, so the stock answers are not empty lists.
    await h.ds.getRepository(bo.StockLevelEntity).insert({ locationId: F.storeM1.id, companyId: F.ruiz.id, productId: F.products[0]!.id, quantity: 7, updatedAt: '2026-01-01T00:00:00.000Z' });
    await h.ds.getRepository(bo.StockMovementEntity).insert({ id: randomUUID(), locationId: F.storeM1.id, productId: F.products[0]!.id, delta: 7, reason: 'receipt', ticketId: null, lineNo: null, at: '2026-01-01T00:00:00.000Z' });
    await check('get', '/health', '/health');
    await check('get', '/api/terminals', '/api/terminals');
    await check('get', '/api/sales/daily', '/api/sales/daily');
    expect(await check('get', '/api/stores/:storeId/stock', `/api/stores/${F.storeM1.id}/stock`)).toHaveLength(1);
    expect((await check('get', '/api/stores/:storeId/stock/:productId/movements', `/api/stores/${F.storeM1.id}/stock/${F.products[0]!.id}/movements`)).movements).toHaveLength(1);
    expect((await check('get', '/api/review', '/api/review')).total).toBeGreaterThan(0);
    await check('get', '/api/review/:id', '/api/review/rv-doc-1');
    await check('post', '/api/review/:id/accept', '/api/review/rv-doc-1/accept', { note: 'docs' });
    const code = await check('post', '/api/terminals/:id/pairing-code', `/api/terminals/${F.t2.id}/pairing-code`);
    await check('post', '/api/pairing', '/api/pairing', { code: code.code, appVersion: 'docs' });
    await check('post', '/api/terminals/:id/revoke', `/api/terminals/${F.t2.id}/revoke`);
    await check('post', '/api/terminals/:id/replace', `/api/terminals/${F.t2.id}/replace`);
    await check('get', '/api/openapi.json', '/api/openapi.json');
  });

  it('passes the Redocly linter (recommended rules) with zero errors', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
    const line = (p: (typeof problems)[number]) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`;
    const warnings = problems.filter((p) => p.severity === 'warn');
    if (warnings.length) console.info(`openapi lint: ${warnings.length} warning(s)\n${warnings.map(line).join('\n')}`);
    expect(problems.filter((p) => p.severity === 'error').map(line)).toEqual([]);
  });

  it('serves the docs page: HTML loading the Swagger UI bundle and our initializer, which reads /api/openapi.json', async () => {
    const page = await fetch(`${h.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['/api/docs/assets/swagger-ui-bundle.js', '/api/docs/init.js']);
    expect(html).not.toMatch(/<script>(?!<)/); // no inline script: the CSP allows 'self' only
    const bundle = await fetch(h.url + scripts[0]);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const css = await fetch(`${h.url}/api/docs/assets/swagger-ui.css`);
    expect(css.status).toBe(200);
    const init = await fetch(h.url + scripts[1]);
    expect(await init.text()).toContain("url: '/api/openapi.json'");
    // The helmet CSP still applies to the page: scripts from 'self' only.
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    // Only Swagger UI's own files: its petstore index/initializer are not served.
    const other = await fetch(`${h.url}/api/docs/assets/swagger-initializer.js`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe.each(engines)('a module switched off (TPV_MODULES_OFF) on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  beforeAll(async () => {
    h = await startHarness(engine, undefined, { modulesOff: ['stock'] });
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('leaves the document and the app together: its routes are neither documented nor answered', async () => {
    const doc = (await h.api('GET', '/api/openapi.json')).body as Doc;
    // The stock module's routes (`/stock`, `/stock/…`); the books' `stock-variation` belongs to accounting.
    const stockRoute = (p: string) => /\/stock(\/|$)/.test(p);
    expect(Object.keys(doc.paths).filter(stockRoute)).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/api/review');
    expect(expressRoutes(h.server.app).filter(stockRoute)).toEqual([]);
    const token = await h.login(F.hq);
    expect((await h.api('GET', `/api/stores/${F.storeM1.id}/stock`, { token })).status).toBe(404);
  });
});
