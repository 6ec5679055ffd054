/**
 * HTTP bodies and answers of the organisation module (companies, stores, warehouses, terminals, franchise
 * contracts): the back office parses requests with them and the admin UI validates its forms with the same
 * schemas. Pure (zod + the NIF rules); the IBAN check digits are verified by the back office (ibantools).
 */
import { z } from 'zod';
import { validateNif } from '../../nif';

const text = (max: number) => z.string().trim().min(1, 'Obligatorio / Required').max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

/** Spanish postal code: five digits whose first two name a province (01–52). */
export function isSpanishPostalCode(code: string): boolean {
  if (!/^\d{5}$/.test(code)) return false;
  const province = Number(code.slice(0, 2));
  return province >= 1 && province <= 52;
}

/** An IANA time zone the runtime knows (Intl throws a RangeError on any other name). */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) && zone !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const Nif = z
  .string()
  .max(20)
  .transform((typed, ctx) => {
    const r = validateNif(typed);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.error.message });
      return z.NEVER;
    }
    return r.value.nif;
  });

/** Upper-case, no spaces; the check digits are verified by the back office with ibantools. */
export const IbanText = z
  .string()
  .max(42)
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .refine((s) => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s), 'IBAN mal formado / malformed IBAN');

export const Address = z
  .object({
    street: text(200),
    postalCode: z.string().trim().max(10),
    city: text(100),
    province: text(100),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'Código de país ISO de 2 letras / 2-letter ISO country code')
      .default('ES'),
  })
  .superRefine((a, ctx) => {
    if (a.country === 'ES' && !isSpanishPostalCode(a.postalCode)) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Código postal: 5 cifras (01000–52999) / Spanish postal code: 5 digits' });
    } else if (a.postalCode.length === 0) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Obligatorio / Required' });
  });
export type Address = z.output<typeof Address>;

export const Contact = z.object({
  name: text(120),
  role: text(80),
  email: z.string().trim().toLowerCase().pipe(z.email('Correo no válido / invalid e-mail')),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ]{7,18}$/, 'Teléfono no válido / invalid phone number'),
});
export type Contact = z.output<typeof Contact>;

export const CompanyKind = z.enum(['franchisor', 'franchisee']);

export const CompanyInput = z.object({
  kind: CompanyKind,
  legalName: text(200),
  tradeName: optionalText(200),
  nif: Nif,
  address: Address,
  iban: IbanText,
  contacts: z.array(Contact).max(20).default([]),
});
export type CompanyInput = z.output<typeof CompanyInput>;

export const Company = z.object({
  id: z.string(),
  kind: CompanyKind,
  legalName: z.string(),
  tradeName: z.string().nullable(),
  nif: z.string(),
  address: Address.nullable(),
  iban: z.string().nullable(),
  contacts: z.array(Contact.extend({ id: z.string() })),
  archivedAt: z.string().nullable(),
  storeCount: z.int(),
});
export type Company = z.output<typeof Company>;

// ─── opening hours ───

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Hora HH:MM entre 00:00 y 24:00 / time HH:MM from 00:00 to 24:00');
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const Interval = z.object({ from: HHMM, to: HHMM });
export type Interval = z.output<typeof Interval>;

/** Per weekday, the intervals the store is open (none: closed); each `from` < `to`, no two overlapping. */
export const OpeningHours = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Interval).max(6).default([])])) as Record<Weekday, z.ZodDefault<z.ZodArray<typeof Interval>>>)
  .superRefine((hours, ctx) => {
    for (const day of WEEKDAYS) {
      const list = hours[day];
      list.forEach((iv, i) => {
        if (minutesOf(iv.from) >= minutesOf(iv.to)) ctx.addIssue({ code: 'custom', path: [day, i, 'to'], message: 'El cierre debe ser posterior a la apertura / closing must be after opening' });
      });
      const sorted = list.map((iv, i) => ({ ...iv, i })).sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
      for (let k = 1; k < sorted.length; k++) {
        if (minutesOf(sorted[k]!.from) < minutesOf(sorted[k - 1]!.to)) {
          ctx.addIssue({ code: 'custom', path: [day, sorted[k]!.i, 'from'], message: 'Se solapa con otro tramo / overlaps another interval' });
        }
      }
    }
  });
export type OpeningHours = z.output<typeof OpeningHours>;

export const StoreCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/, 'Código: letras, cifras y guiones (máx. 16) / code: letters, digits, dashes (max 16)');

export const TimeZone = z.string().trim().refine(isIanaTimeZone, 'Zona horaria IANA desconocida / unknown IANA time zone');

export const StoreInput = z.object({
  code: StoreCode,
  name: text(200),
  companyId: z.guid(),
  address: Address,
  timezone: TimeZone.default('Europe/Madrid'),
  openingHours: OpeningHours,
  salesAreaM2: z.int().min(1).max(100_000).nullable().default(null),
});
export type StoreInput = z.output<typeof StoreInput>;

export const Store = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  address: Address.nullable(),
  timezone: z.string(),
  openingHours: OpeningHours.nullable(),
  salesAreaM2: z.int().nullable(),
  archivedAt: z.string().nullable(),
  terminalCount: z.int(),
});
export type Store = z.output<typeof Store>;

export const WarehouseInput = z.object({
  code: StoreCode,
  name: text(200),
  companyId: z.guid(),
  address: Address,
});
export type WarehouseInput = z.output<typeof WarehouseInput>;

export const Warehouse = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  address: Address.nullable(),
  archivedAt: z.string().nullable(),
});
export type Warehouse = z.output<typeof Warehouse>;

export const Archive = z.object({ archived: z.boolean() });

// ─── terminals ───

export const TerminalInput = z.object({ storeId: z.guid(), name: text(100) });
export type TerminalInput = z.output<typeof TerminalInput>;

export const TerminalAdded = z.object({
  terminal: z.object({ id: z.string(), storeId: z.string(), code: z.string(), name: z.string(), installation: z.string() }),
  /** One-time pairing code to type into the till (XXXX-XXXX-XXXX). */
  code: z.string(),
  expiresAt: z.string(),
});

export const TerminalRetired = z.object({ id: z.string(), retiredAt: z.string() });

// ─── franchise contracts ───

const IsoDate = z.iso.date('Fecha AAAA-MM-DD / date YYYY-MM-DD');
const Bp = z.int().min(0).max(10_000);

export const PAYMENT_METHODS = ['transfer', 'direct_debit'] as const;

export const ContractInput = z
  .object({
    startsOn: IsoDate,
    endsOn: IsoDate.nullable().default(null),
    /** Royalty on net sales, basis points (450 = 4.50 %). */
    royaltyBp: Bp,
    /** Marketing fee on net sales, basis points. */
    marketingFeeBp: Bp,
    paymentDays: z.int().min(0).max(180),
    paymentMethod: z.enum(PAYMENT_METHODS),
    notes: optionalText(500),
  })
  .superRefine((c, ctx) => {
    if (c.endsOn !== null && c.endsOn < c.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'El fin no puede ser anterior al inicio / end before start' });
  });
export type ContractInput = z.output<typeof ContractInput>;

export const Contract = z.object({
  id: z.string(),
  companyId: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  royaltyBp: z.int(),
  marketingFeeBp: z.int(),
  paymentDays: z.int(),
  paymentMethod: z.enum(PAYMENT_METHODS),
  notes: z.string().nullable(),
  createdAt: z.string(),
});
export type Contract = z.output<typeof Contract>;
