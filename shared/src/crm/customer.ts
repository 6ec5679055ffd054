/**
 * One customer base (issue 15): the rules the till and HQ share for a customer's contact data. A customer
 * created or edited at a till travels up as the document `crm.customer` (shared/src/wire/upward.ts); HQ checks
 * it again with the same rules. Phones, emails and NIFs are kept normalised so search and duplicate
 * detection compare like with like.
 */
import { z } from 'zod';
import { normalizeNif, validateNif } from '../nif';
import { domainError, err, ok, type DomainError, type Result } from '../result';

/** Digits only; a Spanish number loses its +34 / 0034 prefix (so 600 11 22 33 and +34 600112233 match). */
export function normalizePhone(text: string): string {
  let d = text.replace(/\D/g, '');
  if (d.length === 13 && d.startsWith('0034')) d = d.slice(4);
  else if (d.length === 11 && d.startsWith('34')) d = d.slice(2);
  return d;
}

export const normalizeEmail = (text: string): string => text.trim().toLowerCase();

/** Letters and digits, uppercase (a card's barcode as scanned or typed). */
export const normalizeCard = (text: string): string => text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/**
 * A name as the till's ordered-prefix index keeps it: lowercase, accents and punctuation folded, single spaces
 * ("José Ángel  Pérez-Núñez" → "jose angel perez nunez"), so typing the start of a name finds it by range.
 */
export const foldName = (text: string): string =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** What is asked of a customer at a till or at HQ (everything but the name optional). */
export const CustomerInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  nif: z.string().max(20).nullable().optional(),
  phone: z.string().max(30).nullable().optional(),
  email: z.string().max(254).nullable().optional(),
  loyaltyCard: z.string().max(40).nullable().optional(),
  /** Consents given when the customer was registered (the privacy module owns them at HQ). */
  consents: z.array(z.strictObject({ purpose: z.enum(['marketing', 'loyalty', 'e-receipt']), granted: z.boolean() })).max(10).optional(),
});
export type CustomerInput = z.infer<typeof CustomerInputSchema>;

/** The upward document `crm.customer`: a customer created (or edited) at a till, with the id the till gave it. */
export const TillCustomerSchema = CustomerInputSchema.extend({
  customerId: z.string().min(1).max(36),
  /** `create` (a new customer) or `update` (an edit of one the till knows). */
  op: z.enum(['create', 'update']),
  staffId: z.string().min(1).max(64).optional(),
});
export type TillCustomer = z.infer<typeof TillCustomerSchema>;

export interface CleanCustomer {
  name: string;
  nif: string | null;
  phone: string | null;
  email: string | null;
  loyaltyCard: string | null;
}

export type CustomerFieldError = DomainError<'CUSTOMER_INVALID'>;

const blank = (s: string | null | undefined) => s === undefined || s === null || s.trim() === '';

/** Normalises and checks a customer's fields; the error names every field at fault (`errors[]`). */
export function cleanCustomer(input: CustomerInput): Result<CleanCustomer, CustomerFieldError> {
  const errors: Array<{ path: string; message: string }> = [];
  let nif: string | null = null;
  if (!blank(input.nif)) {
    const v = validateNif(input.nif!);
    if (v.ok) nif = v.value.nif;
    else errors.push({ path: 'nif', message: `NIF no válido / invalid NIF: ${v.error.message}` });
  }
  let phone: string | null = null;
  if (!blank(input.phone)) {
    phone = normalizePhone(input.phone!);
    if (phone.length < 6 || phone.length > 15) errors.push({ path: 'phone', message: 'teléfono no válido / invalid phone (6–15 digits)' });
  }
  let email: string | null = null;
  if (!blank(input.email)) {
    email = normalizeEmail(input.email!);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push({ path: 'email', message: 'email no válido / invalid email' });
  }
  let loyaltyCard: string | null = null;
  if (!blank(input.loyaltyCard)) {
    loyaltyCard = normalizeCard(input.loyaltyCard!);
    if (loyaltyCard.length < 4) errors.push({ path: 'loyaltyCard', message: 'tarjeta no válida / invalid card number' });
  }
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name === '') errors.push({ path: 'name', message: 'falta el nombre / name required' });
  if (errors.length > 0) return err(domainError('CUSTOMER_INVALID', errors.map((e) => e.message).join('; '), { errors }));
  return ok({ name, nif, phone, email, loyaltyCard });
}

/** The keys two customer records are compared on for duplicates (null: not known). */
export function duplicateKeys(c: { nif: string | null; email: string | null; phone: string | null }): { nif: string | null; email: string | null; phone: string | null } {
  return {
    nif: c.nif ? normalizeNif(c.nif) : null,
    email: c.email ? normalizeEmail(c.email) : null,
    phone: c.phone ? normalizePhone(c.phone) || null : null,
  };
}
