/**
 * Sign-in (password, then a TOTP code for users who enrolled one), the signed-in user's own account
 * (password, sessions, second factor) and user administration. Thin: parse (platform/api.ts) → use case → map.
 */
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem, validationProblem } from '@tpv/shared/problem';
import * as W from '@tpv/shared/wire/http/auth';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { listQuery, pageSchema, sendExport, MAX_EXPORT_ROWS, EXPORT_MEDIA } from '../platform/list';
import { permissionsOf } from '../platform/permissions';
import { addressKey, throttled, type Throttle } from '../throttle/limits';
import { bearerOf } from './http';
import { challengeOwner, login, loginWithTotp, logout } from './service';
import { sha256Hex } from './tokens';
import * as users from './users';

/** What `/api/auth/me` tells the admin UI about this deployment, and its sign-in policy. */
export interface Deployment {
  modules: readonly string[];
  permissionModules: readonly string[];
  /** TPV_REQUIRE_TOTP_HQ=1: HQ roles must enrol a second factor before anything else. */
  requireTotpHq?: boolean;
}

const IdParams = z.object({ id: z.string().min(1).max(36) });
const SessionParams = z.object({ id: z.string().min(1).max(36) });
const UserSessionParams = z.object({ id: z.string().min(1).max(36), sessionId: z.string().min(1).max(36) });
const UserListQuery = listQuery(['email', 'name', 'role', 'createdAt'], {
  role: W.RoleSchema.optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  companyId: z.string().max(36).optional(),
});
const Ok = z.object({ ok: z.literal(true) });

const clientOf = (req: Request) => ({ userAgent: req.header('user-agent') ?? null, ip: req.ip ?? null });
const loginFailed = (code: string, detail: string) => new HttpProblem(problem(401, code, 'Login failed', { detail }));

export function authRoutes(ds: DataSource, clock: Clock, throttle: Throttle, deployment: Deployment): ApiRouter {
  const requireTotpHq = deployment.requireTotpHq ?? false;
  const tags = ['auth'];
  const userTags = ['users'];
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post', path: '/api/auth/login', summary: 'Sign in with e-mail and password', tags, access: 'public', body: W.LoginBody, response: W.LoginResponse,
      description: 'Users who enrolled a TOTP second factor get `{ totpRequired, challenge }` instead of a session: send it with a code to /api/auth/login/totp.',
      async handler({ body, req }) {
        // Failures counted per account and per address before argon2 runs; a success gives its attempt back.
        const slots = [
          { limiter: throttle.loginPerAccount, key: body.email.trim().toLowerCase() },
          { limiter: throttle.loginPerAddress, key: addressKey(req.ip) },
        ];
        const r = await throttled(slots, 'logins', () => login(ds, clock, body.email, body.password, { ...clientOf(req), requireTotpHq }), (x) => x.ok);
        if (!r.ok) throw loginFailed(r.error.code, r.error.message);
        return r.value;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/login/totp', summary: 'Second sign-in step: a TOTP code', tags, access: 'public', body: W.TotpLoginBody, response: W.LoginSession,
      async handler({ body, req }) {
        // Codes are counted like passwords: per account (the challenge names it) and per address.
        const owner = await challengeOwner(ds, clock, body.challenge);
        const slots = [
          ...(owner ? [{ limiter: throttle.loginPerAccount, key: `totp:${owner}` }] : []),
          { limiter: throttle.loginPerAddress, key: addressKey(req.ip) },
        ];
        const r = await throttled(slots, 'codes', () => loginWithTotp(ds, clock, body.challenge, body.code, { ...clientOf(req), requireTotpHq }), (x) => x.ok);
        if (!r.ok) throw loginFailed(r.error.code, r.error.message);
        return r.value;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/invitations/accept', summary: 'Accept an invitation: set the password', tags, access: 'public', body: W.AcceptTokenBody,
      response: z.object({ email: z.string() }),
      handler: ({ body }) => users.acceptOneTimeToken(ds, clock, body.token, body.password, ['invite']),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/password-reset/accept', summary: 'Set a new password with a reset link', tags, access: 'public', body: W.AcceptTokenBody,
      response: z.object({ email: z.string() }),
      handler: ({ body }) => users.acceptOneTimeToken(ds, clock, body.token, body.password, ['reset', 'invite']),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/logout', summary: 'Sign out (ends this session)', tags, access: 'user', status: 204, allowEnrolOnly: true,
      async handler({ req }) {
        await logout(ds, bearerOf(req)!);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/auth/me', summary: 'The signed-in user, permissions and enabled modules', tags, access: 'user', response: W.MeResponse, allowEnrolOnly: true,
      handler: ({ user }) => {
        const { enrolOnly, totpEnabled, sessionId: _s, ...rest } = user;
        // The UI's menu mirrors these; the server checks them again on every route.
        return { ...rest, permissions: permissionsOf(user.role, deployment.permissionModules), modules: deployment.modules, totpEnabled: Boolean(totpEnabled), totpEnrolmentRequired: Boolean(enrolOnly) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/password', summary: 'Change my password (needs the current one)', tags, access: 'user', body: W.ChangePasswordBody, response: Ok,
      async handler({ body, user, req }) {
        const slots = [{ limiter: throttle.loginPerAccount, key: `password:${user.id}` }];
        const done = await throttled(slots, 'password checks', () => users.changeOwnPassword(ds, clock, user, sha256Hex(bearerOf(req)!), body.currentPassword, body.newPassword), (x) => x);
        if (!done) throw new HttpProblem(validationProblem([{ path: ['currentPassword'], message: 'La contraseña actual no es correcta / The current password is wrong' }]));
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/auth/sessions', summary: 'My open sessions', tags, access: 'user', response: z.array(W.SessionRow),
      handler: ({ user }) => users.sessionsFor(ds, clock, user, user.id),
    }),
    defineRoute({
      method: 'delete', path: '/api/auth/sessions/:id', summary: 'End one of my sessions', tags, access: 'user', params: SessionParams, status: 204,
      handler: ({ user, params }) => users.revokeSession(ds, clock, user, user.id, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/totp/enrol', summary: 'Start TOTP enrolment: a new secret, its otpauth:// URI and QR (shown once)', tags, access: 'user', response: W.TotpEnrolment, allowEnrolOnly: true,
      handler: ({ user }) => users.enrolTotp(ds, clock, user),
    }),
    defineRoute({
      method: 'post', path: '/api/auth/totp/confirm', summary: 'Confirm TOTP enrolment with a code', tags, access: 'user', body: W.TotpCodeBody, response: Ok, allowEnrolOnly: true,
      async handler({ user, body }) {
        const slots = [{ limiter: throttle.loginPerAccount, key: `totp-user:${user.id}` }];
        const ok = await throttled(slots, 'codes', () => users.confirmTotp(ds, clock, user, body.code), (x) => x);
        if (!ok) throw badCode();
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/totp/disable', summary: 'Turn TOTP sign-in off (needs a current code)', tags, access: 'user', body: W.TotpCodeBody, response: Ok,
      async handler({ user, body }) {
        const slots = [{ limiter: throttle.loginPerAccount, key: `totp-user:${user.id}` }];
        const ok = await throttled(slots, 'codes', () => users.disableTotp(ds, clock, user, body.code, requireTotpHq), (x) => x);
        if (!ok) throw badCode();
        return { ok: true as const };
      },
    }),

    // ── Users ──
    defineRoute({
      method: 'get', path: '/api/users', summary: 'Users in my scope (paged, sorted, filtered; CSV/XLSX export)', tags: userTags, access: 'users.read',
      query: UserListQuery, response: pageSchema(W.UserRow), produces: EXPORT_MEDIA,
      async handler({ user, query, res }) {
        if (query.format === 'json') return users.listUsers(ds, user, query);
        const all = await users.listUsers(ds, user, { ...query, page: 1, pageSize: MAX_EXPORT_ROWS });
        await sendExport(res, query.format, 'users', [
          { header: 'email', value: (u: W.UserRow) => u.email },
          { header: 'name', value: (u) => u.name },
          { header: 'role', value: (u) => u.role },
          { header: 'companies', value: (u) => u.companyIds.join('|') },
          { header: 'store', value: (u) => u.storeId },
          { header: 'active', value: (u) => u.active },
          { header: 'totp', value: (u) => u.totpEnabled },
          { header: 'created_at', value: (u) => u.createdAt },
        ], all.items);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/users', summary: 'Invite a user: returns a one-time invitation link (shown once)', tags: userTags, access: 'users.write',
      body: W.CreateUserBody, response: W.CreateUserResponse, status: 201,
      handler: ({ user, body }) => users.createUser(ds, clock, user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/users/:id', summary: 'One user', tags: userTags, access: 'users.read', params: IdParams, response: W.UserRow,
      handler: ({ user, params }) => users.getUser(ds, user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/users/:id', summary: 'Edit a user (name, role, companies/store)', tags: userTags, access: 'users.write', params: IdParams, body: W.UpdateUserBody, response: W.UserRow,
      handler: ({ user, params, body }) => users.updateUser(ds, clock, user, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/users/:id/reset-password', summary: 'Issue a one-time password reset link (shown once)', tags: userTags, access: 'users.write', params: IdParams, response: W.OneTimeToken,
      handler: ({ user, params }) => users.issuePasswordReset(ds, clock, user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/users/:id/deactivate', summary: 'Deactivate a user (ends their sessions at once)', tags: userTags, access: 'users.write', params: IdParams, response: W.UserRow,
      handler: ({ user, params }) => users.setActive(ds, clock, user, params.id, false),
    }),
    defineRoute({
      method: 'post', path: '/api/users/:id/reactivate', summary: 'Reactivate a user', tags: userTags, access: 'users.write', params: IdParams, response: W.UserRow,
      handler: ({ user, params }) => users.setActive(ds, clock, user, params.id, true),
    }),
    defineRoute({
      method: 'get', path: '/api/users/:id/sessions', summary: "A user's open sessions", tags: userTags, access: 'users.write', params: IdParams, response: z.array(W.SessionRow),
      handler: ({ user, params }) => users.sessionsFor(ds, clock, user, params.id),
    }),
    defineRoute({
      method: 'delete', path: '/api/users/:id/sessions/:sessionId', summary: "End one of a user's sessions", tags: userTags, access: 'users.write', params: UserSessionParams, status: 204,
      handler: ({ user, params }) => users.revokeSession(ds, clock, user, params.id, params.sessionId),
    }),
  ]);
}

const badCode = () => new HttpProblem(validationProblem([{ path: ['code'], message: 'Código incorrecto o caducado / Wrong or expired code' }]));
