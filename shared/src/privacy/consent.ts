/**
 * Consents of a customer per purpose (GDPR art. 6.1.a / 7, LOPDGDD art. 6): each given or withdrawn consent is
 * a record (append-only); the current state per purpose is the latest record of that purpose. Pure: the back
 * office derives the state table from it, the till names the purposes in its customer dialog.
 */
export const CONSENT_PURPOSES = ['marketing', 'loyalty', 'e_receipt'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Where a consent was recorded: at a till (the counter), in the back office, by an import, on the web. */
export const CONSENT_SOURCES = ['till', 'backoffice', 'import', 'web'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentRecord {
  purpose: ConsentPurpose;
  granted: boolean;
  /** When the customer gave or withdrew it (ISO). */
  givenAt: string;
  /** Order of recording (ties on givenAt: the later record wins). */
  createdAt: string;
  id: string;
}

/** The current state per purpose: the latest record of each purpose (by givenAt, then createdAt, then id); absent = never asked. */
export function currentConsents(history: readonly ConsentRecord[]): Partial<Record<ConsentPurpose, ConsentRecord>> {
  const out: Partial<Record<ConsentPurpose, ConsentRecord>> = {};
  for (const r of history) {
    const cur = out[r.purpose];
    if (!cur || later(r, cur)) out[r.purpose] = r;
  }
  return out;
}

const later = (a: ConsentRecord, b: ConsentRecord) =>
  a.givenAt !== b.givenAt ? Date.parse(a.givenAt) > Date.parse(b.givenAt) : a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;

/** Labels for screens and the export PDF. */
export const CONSENT_LABELS: Record<ConsentPurpose, { es: string; en: string }> = {
  marketing: { es: 'Comunicaciones comerciales', en: 'Marketing' },
  loyalty: { es: 'Programa de fidelización', en: 'Loyalty programme' },
  e_receipt: { es: 'Ticket electrónico', en: 'E-receipt' },
};
