/** Valid request bodies of the organisation module, numbered so that NIFs and codes never clash. */
import { companyNifControl } from '@tpv/shared/nif';

/** A valid company NIF (B + 7 digits + check digit) for n. */
export const cif = (n: number) => {
  const digits = String(7_000_000 + n).padStart(7, '0');
  return `B${digits}${companyNifControl(digits)}`;
};

export const ADDRESS = { street: 'Calle Mayor 1', postalCode: '28013', city: 'Madrid', province: 'Madrid', country: 'ES' };
/** A valid Spanish IBAN (the usual documentation example). */
export const IBAN = 'ES9121000418450200051332';

export const companyBody = (n: number, over: Record<string, unknown> = {}) => ({
  kind: 'franchisee',
  legalName: `Franquiciada ${n} S.L.`,
  tradeName: `Tienda ${n}`,
  nif: cif(n),
  address: ADDRESS,
  iban: IBAN,
  contacts: [{ name: 'Ana Pérez', role: 'Gerente', email: `ana${n}@example.es`, phone: '+34 600 123 456' }],
  ...over,
});

export const HOURS = {
  mon: [{ from: '09:00', to: '14:00' }, { from: '17:00', to: '21:00' }],
  tue: [{ from: '09:00', to: '21:00' }],
  wed: [{ from: '09:00', to: '21:00' }],
  thu: [{ from: '09:00', to: '21:00' }],
  fri: [{ from: '09:00', to: '21:00' }],
  sat: [{ from: '10:00', to: '14:00' }],
  sun: [],
};

export const storeBody = (n: number, companyId: string, over: Record<string, unknown> = {}) => ({
  code: `T${String(n).padStart(3, '0')}`,
  name: `Tienda ${n}`,
  companyId,
  address: ADDRESS,
  timezone: 'Europe/Madrid',
  openingHours: HOURS,
  salesAreaM2: 120,
  ...over,
});

export const contractBody = (startsOn: string, endsOn: string | null, over: Record<string, unknown> = {}) => ({
  startsOn, endsOn, royaltyBp: 450, marketingFeeBp: 150, paymentDays: 30, paymentMethod: 'direct_debit', ...over,
});
