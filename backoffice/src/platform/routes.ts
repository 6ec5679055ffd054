/**
 * The platform's own routes: `GET /health`, the OpenAPI document of every declared route
 * (`GET /api/openapi.json`) and the page that reads it (`GET /api/docs`, Swagger UI served from
 * swagger-ui-dist as static files with our own initializer, so it runs under the default CSP: no inline
 * script, no third-party origin; the online validator badge is off).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { healthReport } from '@tpv/runtime';
import type { Clock } from '@tpv/shared/clock';
import { HealthSchema } from '@tpv/shared/wire/http/health';
import { ProblemDetailsSchema } from '@tpv/shared/wire/http/problem';
import { describeEngine } from '../persistence/data-source';
import { apiRouter, defineRoute, openApiDocument, type ApiRouter, type RouteDef } from './api';
import { pingDatabase } from './repository';

export const DOCS_PATH = '/api/docs';
export const OPENAPI_PATH = '/api/openapi.json';
const ASSETS = `${DOCS_PATH}/assets`;
/** The only files of swagger-ui-dist served (its index.html and initializer point at the petstore). */
const SWAGGER_FILES = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js', '/favicon-32x32.png', '/favicon-16x16.png']);

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TPV back office API</title>
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="${ASSETS}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// An external file, not an inline script: helmet's CSP allows scripts from 'self' only.
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    // Tags start folded: with every module's ~160 operations expanded at once, Swagger UI stops rendering
    // after the second tag (Chromium, no error logged); a reader opens the module they want.
    docExpansion: 'none',
    validatorUrl: null,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
`;

// Anything else under the assets path falls through to the /api 404 problem.
const onlySwaggerFiles: RequestHandler = (req, _res, next) => (SWAGGER_FILES.has(req.path) ? next() : next('router'));

/** What each module's routes are for (the document's tags are module ids). */
const TAGS: Record<string, string> = {
  platform: 'Health, this document and the docs page',
  auth: 'Sign-in, sessions and the signed-in user',
  users: 'Users, roles, sessions and two-factor sign-in',
  audit: 'The audit log of back-office writes',
  organisation: 'Companies, stores, warehouses and franchise contracts',
  terminals: 'Tills: pairing, revoking and replacing them',
  catalog: 'Products, categories, prices, customers, notices and staff',
  tickets: 'Ticket search, ticket pages and PDF copies',
  jobs: 'Long-running jobs and their files',
  import: 'Catalog import from CSV and XLSX',
  reports: 'Terminals’ sync state and sales per store and day',
  stock: 'Stock per store and product, and its movements',
  review: 'The ingest review queue (HQ decides on refused tickets and batches)',
  facturae: 'Facturae 3.2.2 XML of invoices signed XAdES, each company’s signing certificate, recipients’ DIR3 centres',
};

const DESCRIPTION = `Every route of the enabled back-office modules. Sign in with POST /api/auth/login and send the
session token as \`Authorization: Bearer <token>\`. Errors are RFC 9457 problem details
(\`application/problem+json\`) with field-level \`errors[]\`; each answer carries an \`X-Request-Id\` header.`;

export interface PlatformDeps {
  ds: DataSource;
  clock: Clock;
  version: string;
  /** Every route declared by the enabled modules (read when the document is first asked for). */
  routeDefs: () => readonly RouteDef[];
}

export function platformRoutes(deps: PlatformDeps): Router[] {
  let document: object | undefined;
  const api: ApiRouter = apiRouter(deps.ds, deps.clock, [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness, version and database (503 "degraded" when the database does not answer)',
      tags: ['platform'],
      access: 'public',
      response: HealthSchema,
      handler: async ({ res }) => {
        const r = await healthReport({ service: 'backoffice', version: deps.version, database: () => describeEngine(deps.ds), ping: () => pingDatabase(deps.ds) });
        res.status(r.status).json(r.body);
      },
    }),
    defineRoute({
      method: 'get',
      path: OPENAPI_PATH,
      summary: 'This OpenAPI 3.1 document (every route of the enabled modules)',
      tags: ['platform'],
      access: 'public',
      response: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }).meta({ id: 'OpenApiDocument' }),
      handler: () => (document ??= openApiDocument(deps.routeDefs(), { title: 'TPV back office API', version: deps.version, description: DESCRIPTION }, ProblemDetailsSchema, TAGS)),
    }),
    defineRoute({
      method: 'get',
      path: DOCS_PATH,
      summary: 'API reference page (Swagger UI reading /api/openapi.json)',
      tags: ['platform'],
      access: 'public',
      produces: ['text/html'],
      handler: ({ res }) => void res.type('html').send(PAGE),
    }),
  ]);
  // Middleware, not routes: static files are not API operations.
  const assets = Router();
  assets.use(`${DOCS_PATH}/init.js`, (_req, res) => void res.type('application/javascript').send(INIT));
  assets.use(ASSETS, onlySwaggerFiles, express.static(swaggerDir, { index: false, maxAge: '1d' }));
  return [api, assets];
}
