/** A supplier's IBAN, checked with ibantools (country format and check digits) and kept in electronic format. */
import * as ibantools from 'ibantools';

export function normaliseIban(iban: string | null | undefined): { ok: true; value: string | null } | { ok: false; message: string } {
  if (!iban || !iban.trim()) return { ok: true, value: null };
  const e = ibantools.electronicFormatIBAN(iban) ?? '';
  return ibantools.isValidIBAN(e) ? { ok: true, value: e } : { ok: false, message: 'IBAN no válido / invalid IBAN' };
}
