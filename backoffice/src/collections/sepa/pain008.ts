/**
 * A SEPA direct-debit remittance (remesa) as ISO 20022 `pain.008.001.02`, the version Spanish banks take
 * under the AEB "Cuaderno 19.14 XML" guide: one group header with the message totals, one payment
 * information block (PmtInf) per scheme + sequence type + requested collection date — the rulebook makes
 * those three per-block fields — each with its own count and control sum, then one DrctDbtTxInf per item
 * with its end-to-end id, mandate (reference, signature date, amendment) and remittance text. Built with
 * xmlbuilder2 (names, namespace and escaping are the library's). Bad input is refused as a whole, listing
 * every problem; nothing is written half.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { centsToDecimalString, type Cents } from '@tpv/shared/money';
import { ok, type Result } from '@tpv/shared/result';
import { companyProblems, groupItems, headerProblems, itemProblems, MAX_GROUPS, NOT_PROVIDED, paymentInfoId, type PaymentInfoSummary, type SepaCompany, type SepaDocument } from './batch';
import { checkBic, checkIban, identifierProblem, isIsoDate, toSepaText } from './charset';
import { validateCreditorId } from './creditor-id';
import { refuse, type SepaError, type SepaProblem } from './errors';
import { SEPA_SCHEMES, SEQUENCE_TYPES, type MandateAmendment, type SepaScheme, type SequenceType } from './mandate';

export const NS_PAIN008 = 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02';

export interface DirectDebitItem {
  endToEndId: string;
  amountCents: Cents;
  debtorName: string;
  debtorIban: string;
  debtorBic?: string | null;
  mandateReference: string;
  mandateSignedOn: string;
  scheme: SepaScheme;
  /** From `nextSequenceType` of the mandate. */
  sequence: SequenceType;
  collectionDate: string;
  remittanceInfo: string;
  amendment?: MandateAmendment | null;
}

export interface DirectDebitRemittance {
  /** MsgId: unique per creditor, ≤ 35 characters of the SEPA set. */
  messageId: string;
  /** CreDtTm as xs:dateTime, e.g. 2026-11-30T10:15:00Z. */
  createdAt: string;
  creditor: SepaCompany;
  items: readonly DirectDebitItem[];
  /** BtchBookg: one booking per PmtInf on the creditor's account (default true). */
  batchBooking?: boolean;
}

const sumOf = (items: readonly { amountCents: Cents }[]): Cents => items.reduce((s, i) => s + i.amountCents, 0);

/** Text children in schema order, skipping absent ones. */
function leaf(parent: XMLBuilder, name: string, text: string): XMLBuilder {
  return parent.ele(name).txt(text);
}

function agent(parent: XMLBuilder, name: string, bic: string | null): void {
  const fin = parent.ele(name).ele('FinInstnId');
  if (bic) leaf(fin, 'BIC', bic);
  else leaf(fin.ele('Othr'), 'Id', NOT_PROVIDED);
}

function account(parent: XMLBuilder, name: string, iban: string): void {
  leaf(parent.ele(name).ele('Id'), 'IBAN', iban);
}

/** CdtrSchmeId / OrgnlCdtrSchmeId: the creditor id as a private id of scheme 'SEPA' (EPC implementation guide). */
function schemeId(parent: XMLBuilder, name: string, creditorId: string, creditorName?: string | null): void {
  const party = parent.ele(name);
  if (creditorName) leaf(party, 'Nm', toSepaText(creditorName, 70));
  const othr = party.ele('Id').ele('PrvtId').ele('Othr');
  leaf(othr, 'Id', creditorId);
  leaf(othr.ele('SchmeNm'), 'Prtry', 'SEPA');
}

/** Validated and normalised item, as written. */
interface DebitRow extends DirectDebitItem {
  debtorIban: string;
  debtorBic: string | null;
  debtorName: string;
  remittanceInfo: string;
  amendment: MandateAmendment | null;
}

function amendmentProblems(a: MandateAmendment, path: string): { problems: SepaProblem[]; value: MandateAmendment } {
  const problems: SepaProblem[] = [];
  const value: MandateAmendment = { ...a };
  if (a.originalReference != null) {
    const p = identifierProblem(a.originalReference, `${path}.originalReference`, { es: 'Referencia original del mandato', en: 'original mandate reference' });
    if (p) problems.push(p);
  }
  if (a.originalCreditorId != null) {
    const c = validateCreditorId(a.originalCreditorId);
    if (c.ok) value.originalCreditorId = c.value.id;
    else problems.push({ code: 'SEPA_INVALID_CREDITOR_ID', path: `${path}.originalCreditorId`, message: c.error.message });
  }
  if (a.originalDebtorIban != null) {
    const i = checkIban(a.originalDebtorIban, `${path}.originalDebtorIban`);
    if ('problem' in i) problems.push(i.problem);
    else value.originalDebtorIban = i.iban;
  }
  const any = a.originalReference != null || a.originalCreditorId != null || a.originalCreditorName != null || a.originalDebtorIban != null || a.debtorAgentChanged === true;
  if (!any) problems.push({ code: 'SEPA_INVALID_REFERENCE', path, message: 'Modificación del mandato sin datos originales / mandate amendment without original details' });
  return { problems, value };
}

/** Builds the pain.008.001.02 document, or refuses the remittance listing every problem. */
export function buildPain008(remittance: DirectDebitRemittance): Result<SepaDocument, SepaError> {
  const problems = headerProblems(remittance.messageId, remittance.createdAt, remittance.items.length);
  const creditor = companyProblems(remittance.creditor, 'creditor', true);
  problems.push(...creditor.problems);
  const createdOn = remittance.createdAt.slice(0, 10);
  const seen = new Set<string>();
  const rows: DebitRow[] = [];
  remittance.items.forEach((item, i) => {
    const path = `items.${i}`;
    problems.push(...itemProblems(item, path, seen));
    const iban = checkIban(item.debtorIban, `${path}.debtorIban`);
    if ('problem' in iban) problems.push(iban.problem);
    const bic = checkBic(item.debtorBic, `${path}.debtorBic`);
    if ('problem' in bic) problems.push(bic.problem);
    const name = toSepaText(item.debtorName, 70);
    if (name === '') problems.push({ code: 'SEPA_INVALID_TEXT', path: `${path}.debtorName`, message: 'Falta el nombre del deudor / debtor name missing' });
    const ref = identifierProblem(item.mandateReference, `${path}.mandateReference`, { es: 'Referencia del mandato', en: 'mandate reference' });
    if (ref) problems.push(ref);
    if (!isIsoDate(item.mandateSignedOn)) {
      problems.push({ code: 'SEPA_INVALID_DATE', path: `${path}.mandateSignedOn`, message: `Fecha de firma no válida / invalid signature date: '${item.mandateSignedOn}'` });
    } else if (item.mandateSignedOn > createdOn) {
      problems.push({ code: 'SEPA_SIGNATURE_IN_FUTURE', path: `${path}.mandateSignedOn`, message: `Mandato firmado después de crear la remesa / mandate signed after the file was created: ${item.mandateSignedOn}` });
    }
    if (!(SEPA_SCHEMES as readonly string[]).includes(item.scheme)) {
      problems.push({ code: 'SEPA_INVALID_SCHEME', path: `${path}.scheme`, message: `Esquema no válido (CORE o B2B) / invalid scheme (CORE or B2B): '${String(item.scheme)}'` });
    }
    if (!(SEQUENCE_TYPES as readonly string[]).includes(item.sequence)) {
      problems.push({ code: 'SEPA_INVALID_SEQUENCE', path: `${path}.sequence`, message: `Tipo de secuencia no válido / invalid sequence type: '${String(item.sequence)}'` });
    }
    if (!isIsoDate(item.collectionDate)) {
      problems.push({ code: 'SEPA_INVALID_DATE', path: `${path}.collectionDate`, message: `Fecha de cobro no válida / invalid collection date: '${item.collectionDate}'` });
    } else if (item.collectionDate < createdOn) {
      problems.push({ code: 'SEPA_INVALID_DATE', path: `${path}.collectionDate`, message: `Fecha de cobro ${item.collectionDate} anterior a la creación del fichero / collection date ${item.collectionDate} before the file's creation` });
    }
    let amendment: MandateAmendment | null = null;
    if (item.amendment) {
      const a = amendmentProblems(item.amendment, `${path}.amendment`);
      problems.push(...a.problems);
      amendment = a.value;
    }
    rows.push({
      ...item,
      debtorIban: 'iban' in iban ? iban.iban : '',
      debtorBic: 'bic' in bic ? bic.bic : null,
      debtorName: name,
      remittanceInfo: toSepaText(item.remittanceInfo),
      amendment,
    });
  });
  // Date first (ISO sorts), then scheme and sequence in their declared order.
  const groups = groupItems(rows, (r) => `${r.collectionDate}|${SEPA_SCHEMES.indexOf(r.scheme)}|${SEQUENCE_TYPES.indexOf(r.sequence)}`);
  if (groups.length > MAX_GROUPS) problems.push({ code: 'SEPA_TOO_MANY_GROUPS', path: 'items', message: `Más de ${MAX_GROUPS} bloques de pago / more than ${MAX_GROUPS} payment blocks` });
  if (problems.length > 0) return refuse(problems);

  const total = sumOf(rows);
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS_PAIN008, 'Document');
  const root = doc.ele('CstmrDrctDbtInitn');
  const hdr = root.ele('GrpHdr');
  leaf(hdr, 'MsgId', remittance.messageId);
  leaf(hdr, 'CreDtTm', remittance.createdAt);
  leaf(hdr, 'NbOfTxs', String(rows.length));
  leaf(hdr, 'CtrlSum', centsToDecimalString(total));
  const initg = hdr.ele('InitgPty');
  leaf(initg, 'Nm', toSepaText(remittance.creditor.name, 70));
  leaf(initg.ele('Id').ele('OrgId').ele('Othr'), 'Id', creditor.creditorId);

  const paymentInfos: PaymentInfoSummary[] = groups.map((group, g) => {
    const first = group[0]!;
    const id = paymentInfoId(remittance.messageId, g + 1);
    const sum = sumOf(group);
    const pmt = root.ele('PmtInf');
    leaf(pmt, 'PmtInfId', id);
    leaf(pmt, 'PmtMtd', 'DD');
    leaf(pmt, 'BtchBookg', String(remittance.batchBooking ?? true));
    leaf(pmt, 'NbOfTxs', String(group.length));
    leaf(pmt, 'CtrlSum', centsToDecimalString(sum));
    const tp = pmt.ele('PmtTpInf');
    leaf(tp.ele('SvcLvl'), 'Cd', 'SEPA');
    leaf(tp.ele('LclInstrm'), 'Cd', first.scheme);
    leaf(tp, 'SeqTp', first.sequence);
    leaf(pmt, 'ReqdColltnDt', first.collectionDate);
    leaf(pmt.ele('Cdtr'), 'Nm', toSepaText(remittance.creditor.name, 70));
    account(pmt, 'CdtrAcct', creditor.iban);
    agent(pmt, 'CdtrAgt', creditor.bic);
    leaf(pmt, 'ChrgBr', 'SLEV');
    schemeId(pmt, 'CdtrSchmeId', creditor.creditorId);
    for (const row of group) writeDebit(pmt, row);
    return { id, scheme: first.scheme, sequence: first.sequence, date: first.collectionDate, numberOfTransactions: group.length, controlSumCents: sum, endToEndIds: group.map((r) => r.endToEndId) };
  });
  return ok({ xml: doc.end({ prettyPrint: true }), messageId: remittance.messageId, numberOfTransactions: rows.length, controlSumCents: total, paymentInfos });
}

function writeDebit(pmt: XMLBuilder, row: DebitRow): void {
  const tx = pmt.ele('DrctDbtTxInf');
  leaf(tx.ele('PmtId'), 'EndToEndId', row.endToEndId);
  tx.ele('InstdAmt', { Ccy: 'EUR' }).txt(centsToDecimalString(row.amountCents));
  const mandate = tx.ele('DrctDbtTx').ele('MndtRltdInf');
  leaf(mandate, 'MndtId', row.mandateReference);
  leaf(mandate, 'DtOfSgntr', row.mandateSignedOn);
  const a = row.amendment;
  leaf(mandate, 'AmdmntInd', String(a !== null));
  if (a) {
    const details = mandate.ele('AmdmntInfDtls');
    if (a.originalReference != null) leaf(details, 'OrgnlMndtId', a.originalReference);
    if (a.originalCreditorId != null || a.originalCreditorName != null) {
      if (a.originalCreditorId != null) schemeId(details, 'OrgnlCdtrSchmeId', a.originalCreditorId, a.originalCreditorName);
      else leaf(details.ele('OrgnlCdtrSchmeId'), 'Nm', toSepaText(a.originalCreditorName ?? '', 70));
    }
    if (a.originalDebtorIban != null) account(details, 'OrgnlDbtrAcct', a.originalDebtorIban);
    if (a.debtorAgentChanged) leaf(details.ele('OrgnlDbtrAgt').ele('FinInstnId').ele('Othr'), 'Id', 'SMNDA');
  }
  agent(tx, 'DbtrAgt', row.debtorBic);
  leaf(tx.ele('Dbtr'), 'Nm', row.debtorName);
  account(tx, 'DbtrAcct', row.debtorIban);
  leaf(tx.ele('RmtInf'), 'Ustrd', row.remittanceInfo);
}
