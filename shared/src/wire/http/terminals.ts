/** Terminals: pairing codes, pairing a till, revoking and replacing one (HTTP bodies and answers). */
import { z } from 'zod';
import { IdSchema } from '../ticket';

export { PairingResponseSchema } from '../sync-protocol';

export const PAIRING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_SELECTOR_CHARS = 4;
export const PAIRING_CODE_CHARS = 12;

export interface PairingCode {
  /** Canonical form, without dashes. */
  readonly value: string;
  /** The public first group: names the live code (and so the terminal). */
  readonly selector: string;
}

export const PAIRING_CODE_FORMAT = '12 letters and digits, as XXXX-XXXX-XXXX';

/** What a person typed → the code: any case, dashes and spaces ignored, O read as 0 and I/L as 1 (Crockford). */
export function parsePairingCode(typed: string): PairingCode | null {
  const value = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (value.length !== PAIRING_CODE_CHARS || [...value].some((ch) => !PAIRING_ALPHABET.includes(ch))) return null;
  return { value, selector: value.slice(0, PAIRING_SELECTOR_CHARS) };
}

export const TerminalIdParams = z.object({ id: z.string().min(1).max(64) });

export const PairBody = z.strictObject({
  code: z
    .string()
    .max(32)
    .meta({ description: PAIRING_CODE_FORMAT, example: 'ABCD-EFGH-JKMN' })
    .transform((typed, ctx) => parsePairingCode(typed) ?? (ctx.addIssue({ code: 'custom', message: PAIRING_CODE_FORMAT }), z.NEVER)),
  appVersion: z.string().min(1).max(32),
  /** Highest seq the till has written: HQ refuses (409) when it holds more of the terminal. */
  lastSeq: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const PairingCodeSchema = z.object({ code: z.string(), expiresAt: z.string() }).meta({ id: 'PairingCode' });
export type PairingCodeAnswer = z.infer<typeof PairingCodeSchema>;

export const RevokedSchema = z.object({ revokedAt: z.string() });

export const ReplacementSchema = z
  .object({
    replaced: z.object({ id: IdSchema, code: z.string(), replacedAt: z.string() }),
    terminal: z.object({ id: IdSchema, code: z.string(), name: z.string(), installation: z.string() }),
    /** One-time pairing code of the new terminal. */
    code: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Replacement' });
export type Replacement = z.infer<typeof ReplacementSchema>;
