/**
 * One declaration per HTTP route: method, path, who may call it, the zod schemas of its parts and its handler.
 * `apiRouter` turns declarations into an express router that parses every part (400 problem+json naming each
 * bad field, nothing called), authenticates and checks the permission (401/403) before the handler runs;
 * `openApiDocument` turns the same declarations into the OpenAPI 3.1 document, so the docs cannot drift from
 * what the server accepts.
 */
import { Router, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { createDocument } from 'zod-openapi';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { bearerOf, forbidden, unauthorized } from '../auth/http';
import { authenticate, type AuthUser } from '../auth/service';
import { can, type Permission } from './permissions';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** `public`: anyone; `user`: any signed-in user (the use case checks scope); a permission: users granted it. */
export type Access = 'public' | 'user' | Permission;

export interface RouteInput<P, Q, B, U> {
  params: P;
  query: Q;
  body: B;
  user: U;
  /** This request's id (logs, X-Request-Id, problem bodies): pass it to recordAudit. */
  requestId: string | undefined;
  req: Request;
  res: Response;
}

export interface RouteDef<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined, A extends Access = Access> {
  method: HttpMethod;
  /** Express syntax (`/api/companies/:id`); the OpenAPI path is derived (`/api/companies/{id}`). */
  path: string;
  summary: string;
  description?: string;
  /** OpenAPI tag: the module's id. */
  tags: string[];
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** JSON answer's schema (documented; not re-validated at run time). */
  response?: Schema;
  /** Success status: 200 by default; 204 sends no body. */
  status?: 200 | 201 | 202 | 204;
  /** Non-JSON answers (a PDF, a CSV/XLSX export) with their media types. */
  produces?: string[];
  /** Refusals beyond 400/401/403 (documented as problem+json): status → when. */
  errors?: Partial<Record<404 | 409 | 410 | 413 | 422 | 429 | 503, string>>;
  /** Open to a session that may only enrol a second factor (TPV_REQUIRE_TOTP_HQ): sign-out, me, TOTP enrolment. */
  allowEnrolOnly?: boolean;
  handler(input: RouteInput<Out<P>, Out<Q>, Out<B>, A extends 'public' ? AuthUser | null : AuthUser>): Promise<unknown> | unknown;
}

/** Identity, for type inference of the handler's input from the schemas. */
export function defineRoute<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, A extends Access = Access>(
  def: RouteDef<P, Q, B, A>,
): RouteDef<P, Q, B, A> {
  return def;
}

/** An express router that also carries its declarations, for the OpenAPI document and the route catalogue. */
export type ApiRouter = Router & { readonly routeDefs: readonly RouteDef[] };

export function isApiRouter(r: Router): r is ApiRouter {
  return Array.isArray((r as unknown as Partial<ApiRouter>).routeDefs);
}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a module's routes differ in schemas; each was checked by defineRoute
export function apiRouter(ds: DataSource, clock: Clock, defs: ReadonlyArray<RouteDef<any, any, any, any>>): ApiRouter {
  const router = Router();
  for (const def of defs) {
    router[def.method](def.path, async (req, res) => {
      const user = await userFor(ds, clock, req, def.access);
      // The request log line names the user (platform/log.ts), as requireUser does for legacy routes.
      if (user) res.locals.user = user;
      if (user?.enrolOnly && def.access !== 'public' && !def.allowEnrolOnly) throw enrolmentRequired();
      const input: RouteInput<unknown, unknown, unknown, AuthUser | null> = {
        params: def.params ? parseOrProblem(def.params, req.params, 'path') : req.params,
        query: def.query ? parseOrProblem(def.query, req.query ?? {}, 'query') : req.query,
        body: def.body ? parseOrProblem(def.body, req.body ?? {}, 'body') : undefined,
        user,
        requestId: res.locals.requestId as string | undefined,
        req,
        res,
      };
      const out = await def.handler(input as never);
      if (res.headersSent) return;
      const status = def.status ?? 200;
      if (status === 204 || out === undefined) res.status(status === 200 && out === undefined ? 204 : status).end();
      else res.status(status).json(out);
    });
  }
  return Object.assign(router, { routeDefs: defs as readonly RouteDef[] });
}

async function userFor(ds: DataSource, clock: Clock, req: Request, access: Access): Promise<AuthUser | null> {
  const token = bearerOf(req);
  const user = token ? await authenticate(ds, clock, token) : null;
  if (access === 'public') return user;
  if (!user) throw unauthorized();
  if (access !== 'user' && !can(user, access)) throw forbidden(`Your role (${user.role}) may not ${access.replace('.', ': ')}.`);
  return user;
}

/** A session that must enrol a second factor first (TPV_REQUIRE_TOTP_HQ) asked for something else. */
export const enrolmentRequired = () =>
  new HttpProblem(problem(403, 'TOTP_ENROLMENT_REQUIRED', 'Two-factor enrolment required', { detail: 'Enrol a TOTP second factor (My account) before using the back office.' }));

/** `/api/x/:id` → `/api/x/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const PROBLEM_MEDIA = 'application/problem+json';

/** The OpenAPI 3.1 document of every declared route (served at `/api/openapi.json`). */
export function openApiDocument(
  defs: readonly RouteDef[],
  info: { title: string; version: string; description?: string },
  problemSchema: Schema,
  /** Per tag (module id): what its routes are for. */
  tagDescriptions: Readonly<Record<string, string>> = {},
): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of defs) {
    const p = (paths[openApiPath(d.path)] ??= {});
    const status = String(d.status ?? 200);
    const content: Record<string, unknown> = {};
    if (d.response) content['application/json'] = { schema: d.response };
    for (const media of d.produces ?? []) content[media] = { schema: { type: 'string', format: 'binary' } };
    const errors: Record<string, unknown> = { '400': { description: 'Invalid request (field-level errors)', content: { [PROBLEM_MEDIA]: { schema: problemSchema } } } };
    if (d.access !== 'public') {
      errors['401'] = { description: 'Not signed in', content: { [PROBLEM_MEDIA]: { schema: problemSchema } } };
      errors['403'] = { description: 'Not allowed for this role or outside the caller’s scope', content: { [PROBLEM_MEDIA]: { schema: problemSchema } } };
    }
    for (const [code, why] of Object.entries(d.errors ?? {})) errors[code] = { description: why, content: { [PROBLEM_MEDIA]: { schema: problemSchema } } };
    p[d.method] = {
      operationId: operationId(d),
      summary: d.summary,
      ...(d.description ? { description: d.description } : {}),
      tags: d.tags,
      ...(d.access === 'public' ? { security: [] } : {}),
      ...(d.access !== 'public' && d.access !== 'user' ? { 'x-permission': d.access } : {}),
      ...(d.params || d.query ? { requestParams: { ...(d.params ? { path: d.params } : {}), ...(d.query ? { query: d.query } : {}) } } : {}),
      ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: d.body } } } } : {}),
      responses: {
        [status]: { description: status === '204' ? 'Done' : 'OK', ...(Object.keys(content).length ? { content } : {}) },
        ...errors,
      },
    };
  }
  const tags = [...new Set(defs.flatMap((d) => d.tags))].sort().map((name) => ({ name, description: tagDescriptions[name] ?? `Routes of the ${name} module` }));
  return createDocument({
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Session token from POST /api/auth/login' } } },
    security: [{ bearer: [] }],
    paths: paths as never,
  });
}

function operationId(d: RouteDef): string {
  const words = d.path
    .replace(/^\/api\//, '')
    .split('/')
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [d.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/** A 409/422 problem for a refused business rule (the same shape as validation errors, with the field). */
export function refused(status: 404 | 409 | 422, code: string, detail: string, field?: string): HttpProblem {
  return new HttpProblem(problem(status, code, 'Request refused', { detail, ...(field ? { errors: [{ path: field, message: detail }] } : {}) }));
}
