/**
 * TOTP second factor (RFC 6238, 30 s, 6 digits, SHA-1 — what every authenticator app reads from a QR).
 * The secret is kept encrypted (AES-256-GCM under a key in `server_secret`) and shown only while enrolling;
 * codes are checked against the injected clock, ±1 step, and the step used is returned so that the caller
 * can refuse the same code twice.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { serverSecret } from '../persistence/server-secret';

const KEY_NAME = 'totp-key';
export const TOTP_PERIOD = 30;
export const TOTP_ISSUER = 'TPV Back office';

const keyOf = (ds: DataSource) => serverSecret(ds, KEY_NAME);

export async function sealSecret(ds: DataSource, base32: string): Promise<string> {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', await keyOf(ds), iv);
  const body = Buffer.concat([c.update(base32, 'utf8'), c.final()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${c.getAuthTag().toString('base64url')}`;
}

export async function openSecret(ds: DataSource, sealed: string): Promise<string> {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !body || !tag) throw new Error('unknown TOTP secret format');
  const d = createDecipheriv('aes-256-gcm', await keyOf(ds), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}

export function totpFor(base32: string, label = 'user'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, secret: OTPAuth.Secret.fromBase32(base32) });
}

export async function newEnrolment(email: string): Promise<{ secret: string; uri: string; qrDataUrl: string }> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const uri = totpFor(secret, email).toString();
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

/** The time step a code is valid for at `nowMs` (±1 step), or null. */
export function stepOf(base32: string, code: string, nowMs: number): number | null {
  const delta = totpFor(base32).validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? null : Math.floor(nowMs / 1000 / TOTP_PERIOD) + delta;
}

/** The step of a code for the user's stored (sealed) secret, or null. */
export async function verifyTotp(ds: DataSource, user: { totpSecret: string | null }, code: string, nowMs: number): Promise<number | null> {
  if (!user.totpSecret) return null;
  return stepOf(await openSecret(ds, user.totpSecret), code, nowMs);
}
