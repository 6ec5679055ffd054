/**
 * SEPA direct-debit mandates (EPC SDD Core and B2B rulebooks): what a valid mandate holds, and which sequence
 * type its next collection carries — the first collection of a recurrent mandate is FRST, the following ones
 * RCUR, the last one may be FNAL (after which the mandate is spent); a one-off mandate collects once, OOFF.
 * A mandate with no collection for 36 months has lapsed (rulebook 4.7.1 / 4.8.1) and needs a new signature.
 * Dates are ISO `YYYY-MM-DD`; "today" is a parameter so the rules stay pure.
 */
import { ok, type Result } from '@tpv/shared/result';
import { checkBic, checkIban, identifierProblem, isIsoDate, toSepaText } from './charset';
import { validateCreditorId } from './creditor-id';
import { problemsOf, refuse, type SepaError, type SepaProblem } from './errors';

export const SEPA_SCHEMES = ['CORE', 'B2B'] as const;
export type SepaScheme = (typeof SEPA_SCHEMES)[number];
export const SEQUENCE_TYPES = ['FRST', 'RCUR', 'OOFF', 'FNAL'] as const;
export type SequenceType = (typeof SEQUENCE_TYPES)[number];
/** Recurrent: FRST, RCUR…, maybe FNAL. One-off: a single OOFF. */
export type MandateRecurrence = 'recurrent' | 'one-off';

/** Months without a collection after which a mandate lapses. */
export const MANDATE_LAPSE_MONTHS = 36;

/** A mandate as typed in a form or read from a row (unvalidated). */
export interface MandateInput {
  /** AT-01, the unique mandate reference: ≤ 35 characters of the SEPA set. */
  reference: string;
  /** AT-25, date of signature. */
  signedOn: string;
  scheme: string;
  recurrence: MandateRecurrence;
  debtorName: string;
  debtorIban: string;
  debtorBic?: string | null;
  /** AT-02 of the creditor the debtor signed for. */
  creditorId: string;
}

/** A validated mandate: IBAN/BIC/creditor id in their electronic forms, the name in the SEPA set. */
export interface Mandate {
  reference: string;
  signedOn: string;
  scheme: SepaScheme;
  recurrence: MandateRecurrence;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  creditorId: string;
}

/** Every problem of a mandate, or the mandate normalised. `today` is the date the mandate is recorded. */
export function validateMandate(input: MandateInput, today: string): Result<Mandate, SepaError> {
  const problems: SepaProblem[] = [];
  const ref = identifierProblem(input.reference, 'reference', { es: 'Referencia del mandato', en: 'mandate reference' });
  if (ref) problems.push(ref);
  if (!isIsoDate(input.signedOn)) {
    problems.push({ code: 'SEPA_INVALID_DATE', path: 'signedOn', message: `Fecha de firma no válida / invalid signature date: '${input.signedOn}'` });
  } else if (input.signedOn > today) {
    problems.push({ code: 'SEPA_SIGNATURE_IN_FUTURE', path: 'signedOn', message: `La fecha de firma ${input.signedOn} es futura / the signature date ${input.signedOn} is in the future` });
  }
  if (!(SEPA_SCHEMES as readonly string[]).includes(input.scheme)) {
    problems.push({ code: 'SEPA_INVALID_SCHEME', path: 'scheme', message: `Esquema no válido (CORE o B2B) / invalid scheme (CORE or B2B): '${input.scheme}'` });
  }
  if (input.recurrence !== 'recurrent' && input.recurrence !== 'one-off') {
    problems.push({ code: 'SEPA_INVALID_SEQUENCE', path: 'recurrence', message: `Tipo de mandato no válido / invalid mandate type: '${String(input.recurrence)}'` });
  }
  const name = toSepaText(input.debtorName, 70);
  if (name === '') problems.push({ code: 'SEPA_INVALID_TEXT', path: 'debtorName', message: 'Falta el nombre del deudor / debtor name missing' });
  const iban = checkIban(input.debtorIban, 'debtorIban');
  if ('problem' in iban) problems.push(iban.problem);
  const bic = checkBic(input.debtorBic, 'debtorBic');
  if ('problem' in bic) problems.push(bic.problem);
  const cid = validateCreditorId(input.creditorId);
  if (!cid.ok) problems.push({ code: 'SEPA_INVALID_CREDITOR_ID', path: 'creditorId', message: cid.error.message });
  if (problems.length > 0 || !('iban' in iban) || !('bic' in bic) || !cid.ok) return refuse(problems);
  return ok({
    reference: input.reference,
    signedOn: input.signedOn,
    scheme: input.scheme as SepaScheme,
    recurrence: input.recurrence,
    debtorName: name,
    debtorIban: iban.iban,
    debtorBic: bic.bic,
    creditorId: cid.value.id,
  });
}

/** What has been collected under a mandate so far (collections rejected before settlement do not count). */
export interface MandateUsage {
  collections: number;
  lastCollectionOn: string | null;
  /** A FNAL (or the OOFF of a one-off mandate) was collected: the mandate is spent. */
  closed: boolean;
}

export const UNUSED: MandateUsage = { collections: 0, lastCollectionOn: null, closed: false };

/** `date` plus n calendar months (day clamped to the month's end: 31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The sequence type of the next collection of a mandate on `collectionDate`, or why there cannot be one:
 * a spent mandate, a one-off mandate already used, a lapsed mandate, a collection dated before the signature.
 * `final` asks for FNAL (a recurrent mandate's last collection; the first one is still FRST).
 */
export function nextSequenceType(
  mandate: Pick<Mandate, 'reference' | 'recurrence' | 'signedOn'>,
  usage: MandateUsage,
  collectionDate: string,
  options: { final?: boolean } = {},
): Result<SequenceType, SepaError> {
  const path = 'sequence';
  const ref = mandate.reference;
  if (!isIsoDate(collectionDate)) {
    return refuse([{ code: 'SEPA_INVALID_DATE', path: 'collectionDate', message: `Fecha de cobro no válida / invalid collection date: '${collectionDate}'` }]);
  }
  if (collectionDate < mandate.signedOn) {
    return refuse([{ code: 'SEPA_INVALID_DATE', path: 'collectionDate', message: `Cobro del ${collectionDate} anterior a la firma del mandato ${ref} / collection on ${collectionDate} before mandate ${ref} was signed` }]);
  }
  if (usage.closed || (mandate.recurrence === 'one-off' && usage.collections > 0)) {
    return refuse([{ code: 'SEPA_MANDATE_USED', path, message: `El mandato ${ref} ya se ha usado por última vez / mandate ${ref} has already had its last collection` }]);
  }
  const since = usage.lastCollectionOn ?? mandate.signedOn;
  if (addMonths(since, MANDATE_LAPSE_MONTHS) < collectionDate) {
    return refuse([{ code: 'SEPA_MANDATE_EXPIRED', path, message: `El mandato ${ref} caducó: ${MANDATE_LAPSE_MONTHS} meses sin cobros desde ${since} / mandate ${ref} lapsed: ${MANDATE_LAPSE_MONTHS} months without collections since ${since}` }]);
  }
  if (mandate.recurrence === 'one-off') return ok('OOFF');
  if (usage.collections === 0) return ok('FRST');
  return ok(options.final ? 'FNAL' : 'RCUR');
}

/** The usage after a collection of the given sequence type on a date (what the caller stores). */
export function afterCollection(usage: MandateUsage, sequence: SequenceType, date: string): MandateUsage {
  return { collections: usage.collections + 1, lastCollectionOn: date, closed: sequence === 'FNAL' || sequence === 'OOFF' };
}

/**
 * A change to a mandate since its last collection (the AmdmntInd / AmdmntInfDtls of the next collection).
 * `debtorAgentChanged` is the move of the debtor to another bank, written as OrgnlDbtrAgt 'SMNDA' (EPC).
 */
export interface MandateAmendment {
  originalReference?: string | null;
  originalCreditorId?: string | null;
  originalCreditorName?: string | null;
  originalDebtorIban?: string | null;
  debtorAgentChanged?: boolean;
}

/** One due item to be collected under a mandate, as a remittance is being put together. */
export interface PlannedCollection {
  mandate: Pick<Mandate, 'reference' | 'recurrence' | 'signedOn'>;
  collectionDate: string;
  final?: boolean;
}

/**
 * The sequence type of every collection of a remittance, taking several items of one mandate in date order
 * (input order on the same date): an unused recurrent mandate's first item is FRST and the next ones RCUR.
 * `usageOf` holds what each mandate (by reference) collected before; the answer gives the usage after.
 */
export function planSequenceTypes(
  collections: readonly PlannedCollection[],
  usageOf: ReadonlyMap<string, MandateUsage>,
): Result<{ sequences: SequenceType[]; usage: Map<string, MandateUsage> }, SepaError> {
  const order = collections.map((c, i) => ({ c, i })).sort((a, b) => (a.c.collectionDate < b.c.collectionDate ? -1 : a.c.collectionDate > b.c.collectionDate ? 1 : a.i - b.i));
  const usage = new Map(usageOf);
  const sequences: SequenceType[] = new Array<SequenceType>(collections.length);
  const problems: { i: number; problem: SepaProblem }[] = [];
  for (const { c, i } of order) {
    const before = usage.get(c.mandate.reference) ?? UNUSED;
    const next = nextSequenceType(c.mandate, before, c.collectionDate, { final: c.final });
    if (!next.ok) {
      for (const problem of problemsOf(next.error)) problems.push({ i, problem: { ...problem, path: `items.${i}.${problem.path}` } });
      continue;
    }
    sequences[i] = next.value;
    usage.set(c.mandate.reference, afterCollection(before, next.value, c.collectionDate));
  }
  if (problems.length > 0) return refuse(problems.sort((a, b) => a.i - b.i).map((p) => p.problem));
  return ok({ sequences, usage });
}
