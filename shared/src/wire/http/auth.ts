/**
 * Wire schemas of the back office's sign-in, users, sessions, two-factor and audit routes: the server parses
 * with them and the admin UI validates its forms with the same ones (one set of rules, one set of messages).
 */
import { z } from 'zod';
import type { Messages } from '../../i18n';

export const ROLE_VALUES = ['hq_admin', 'hq_operations', 'hq_accountant', 'franchisee_manager', 'store_manager', 'auditor'] as const;
export const RoleSchema = z.enum(ROLE_VALUES);

// ── Password rules ───────────────────────────────────────────────────────────────────────────────────────

export const MIN_PASSWORD_LENGTH = 12;
export type PasswordRule = 'length' | 'variety' | 'email' | 'common';

/** One message per rule, Spanish and English (the API sends both, joined, as the field's message). */
export const PASSWORD_MESSAGES: Messages<PasswordRule> = {
  es: {
    length: `La contraseña debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres`,
    variety: 'La contraseña no puede ser solo letras o solo números: mezcle letras con números o símbolos',
    email: 'La contraseña no puede contener su dirección de correo',
    common: 'Esa contraseña es demasiado común',
  },
  en: {
    length: `Password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
    variety: 'Password cannot be only letters or only digits: mix letters with digits or symbols',
    email: 'Password cannot contain your e-mail address',
    common: 'That password is too common',
  },
};

/** Lower-cased; a password equal to one of these (or to one of them plus digits) is refused. */
const COMMON = [
  'password', 'contraseña', 'contrasena', 'qwertyuiop', 'qwerty', 'letmein', 'welcome', 'bienvenido', 'iloveyou', 'admin',
  'administrator', 'administrador', 'abc123', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'dragon', 'monkey', 'football', 'futbol',
  'barcelona', 'realmadrid', 'sunshine', 'princess', 'superman', 'trustno1', 'changeme', 'secret', 'master', '123456789012',
  '1234567890', 'qwerty123', 'password1', 'password123', 'contraseña123', 'asdfghjkl', 'zxcvbnm', '1q2w3e4r5t6y', 'q1w2e3r4t5y6',
];
const COMMON_SET = new Set(COMMON);

/** Which rules a password breaks (empty: acceptable). `email` is the account's, when known. */
export function passwordProblems(password: string, email?: string | null): PasswordRule[] {
  const out: PasswordRule[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) out.push('length');
  const classes = [/[a-zà-ÿ]/i, /\d/, /[^a-zà-ÿ\d]/i].filter((r) => r.test(password)).length;
  // Only letters (whatever their case) or only digits: one class.
  if (classes < 2) out.push('variety');
  const local = email?.split('@')[0]?.trim().toLowerCase();
  if (local && local.length >= 3 && password.toLowerCase().includes(local)) out.push('email');
  const bare = password.toLowerCase().replace(/[\d!.@#$%^&*_-]+$/, '');
  if (COMMON_SET.has(password.toLowerCase()) || COMMON_SET.has(bare)) out.push('common');
  return out;
}

export const passwordMessage = (rule: PasswordRule) => `${PASSWORD_MESSAGES.es[rule]} / ${PASSWORD_MESSAGES.en[rule]}`;

/** Adds the password rules to an object schema whose `password` field (name given) belongs to `email`. */
export function checkPassword(password: string, email: string | null | undefined, ctx: z.RefinementCtx, field = 'password'): void {
  for (const rule of passwordProblems(password, email)) ctx.addIssue({ code: 'custom', path: [field], message: passwordMessage(rule) });
}

const Password = z.string().max(256);

// ── Sign-in ──────────────────────────────────────────────────────────────────────────────────────────────

export const LoginBody = z.strictObject({ email: z.string().min(3).max(254), password: z.string().min(1).max(256) });

export const SessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  companyId: z.string().nullable(),
  storeId: z.string().nullable(),
  companyIds: z.array(z.string()),
});

export const LoginSession = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: SessionUser,
  /** The session may only enrol a second factor (TPV_REQUIRE_TOTP_HQ and none yet). */
  totpEnrolmentRequired: z.boolean().optional(),
});
export const LoginChallenge = z.object({ totpRequired: z.literal(true), challenge: z.string() });
export const LoginResponse = z.union([LoginSession, LoginChallenge]);

export const TotpCode = z.string().trim().regex(/^\d{6}$/, 'Código de 6 dígitos / 6-digit code');
export const TotpLoginBody = z.strictObject({ challenge: z.string().min(16).max(256), code: TotpCode });

export const MeResponse = SessionUser.extend({
  permissions: z.array(z.string()),
  modules: z.array(z.string()),
  totpEnabled: z.boolean(),
  totpEnrolmentRequired: z.boolean(),
});

// ── Users ────────────────────────────────────────────────────────────────────────────────────────────────

const Email = z.string().trim().toLowerCase().email('Correo no válido / Invalid e-mail').max(254);
const Name = z.string().trim().min(1, 'Obligatorio / Required').max(200);
const Id = z.string().min(1).max(36);

export const UserRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  companyIds: z.array(z.string()),
  storeId: z.string().nullable(),
  active: z.boolean(),
  invitationPending: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: z.string().nullable(),
});
export type UserRow = z.output<typeof UserRow>;

/** Who a user is and where they work; the server checks the combination against the caller's scope. */
const Assignment = {
  role: RoleSchema,
  /** Franchisee managers: their companies (one or more). Others: ignored (a store manager's is their store's). */
  companyIds: z.array(Id).max(50).default([]),
  /** Store managers: their store. */
  storeId: Id.nullable().default(null),
};

function checkAssignment(v: { role: string; companyIds: string[]; storeId: string | null }, ctx: z.RefinementCtx) {
  if (v.role === 'franchisee_manager' && v.companyIds.length === 0)
    ctx.addIssue({ code: 'custom', path: ['companyIds'], message: 'Elija al menos una empresa / Choose at least one company' });
  if (v.role === 'store_manager' && !v.storeId) ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'Elija la tienda / Choose the store' });
}

export const CreateUserBody = z.strictObject({ email: Email, name: Name, ...Assignment }).superRefine(checkAssignment);
export type CreateUserBody = z.output<typeof CreateUserBody>;
export const UpdateUserBody = z.strictObject({ name: Name, ...Assignment }).superRefine(checkAssignment);
export type UpdateUserBody = z.output<typeof UpdateUserBody>;

/** A one-time link (invitation or reset), shown once: there is no mail server. */
export const OneTimeToken = z.object({ token: z.string(), expiresAt: z.string(), path: z.string() });
export const CreateUserResponse = z.object({ user: UserRow, invitation: OneTimeToken });

export const AcceptTokenBody = z.strictObject({ token: z.string().min(16).max(256), password: Password });
export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password });

export const SessionRow = z.object({
  id: z.string(),
  userId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type SessionRow = z.output<typeof SessionRow>;

// ── Two-factor ───────────────────────────────────────────────────────────────────────────────────────────

export const TotpEnrolment = z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() });
export const TotpCodeBody = z.strictObject({ code: TotpCode });

// ── Audit ────────────────────────────────────────────────────────────────────────────────────────────────

export const AuditRow = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  companyId: z.string().nullable(),
  storeId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditRow = z.output<typeof AuditRow>;
