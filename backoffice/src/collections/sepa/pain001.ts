/**
 * Supplier payments by SEPA credit transfer as ISO 20022 `pain.001.001.09` (the AEB "Cuaderno 34.14 XML"
 * message): group header with totals, one PmtInf per requested execution date with its count and control
 * sum, one CdtTrfTxInf per payment (end-to-end id, amount, payee's IBAN and optional BIC, remittance text).
 * Same input rules as the direct debits: every problem listed, nothing written half.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { centsToDecimalString, type Cents } from '@tpv/shared/money';
import { normalizeNif } from '@tpv/shared/nif';
import { ok, type Result } from '@tpv/shared/result';
import { checkBic, checkIban, isIsoDate, toSepaText } from './charset';
import { refuse, type SepaError } from './errors';
import { companyProblems, groupItems, MAX_GROUPS, headerProblems, itemProblems, NOT_PROVIDED, paymentInfoId, type PaymentInfoSummary, type SepaCompany, type SepaDocument } from './batch';

export const NS_PAIN001 = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

export interface CreditTransferItem {
  endToEndId: string;
  amountCents: Cents;
  creditorName: string;
  creditorIban: string;
  creditorBic?: string | null;
  remittanceInfo: string;
  /** Requested execution date (ReqdExctnDt). */
  executionDate: string;
}

export interface CreditTransferBatch {
  messageId: string;
  /** CreDtTm as xs:dateTime. */
  createdAt: string;
  /** The paying company (its creditor id is not used). */
  debtor: SepaCompany;
  items: readonly CreditTransferItem[];
  batchBooking?: boolean;
}

const leaf = (parent: XMLBuilder, name: string, text: string): XMLBuilder => parent.ele(name).txt(text);

function agent(parent: XMLBuilder, name: string, bic: string | null): void {
  const fin = parent.ele(name).ele('FinInstnId');
  if (bic) leaf(fin, 'BICFI', bic);
  else leaf(fin.ele('Othr'), 'Id', NOT_PROVIDED);
}

/** Builds the pain.001.001.09 document, or refuses the batch listing every problem. */
export function buildPain001(batch: CreditTransferBatch): Result<SepaDocument, SepaError> {
  const problems = headerProblems(batch.messageId, batch.createdAt, batch.items.length);
  const debtor = companyProblems(batch.debtor, 'debtor', false);
  problems.push(...debtor.problems);
  const createdOn = batch.createdAt.slice(0, 10);
  const seen = new Set<string>();
  const rows = batch.items.map((item, i) => {
    const path = `items.${i}`;
    problems.push(...itemProblems(item, path, seen));
    const iban = checkIban(item.creditorIban, `${path}.creditorIban`);
    if ('problem' in iban) problems.push(iban.problem);
    const bic = checkBic(item.creditorBic, `${path}.creditorBic`);
    if ('problem' in bic) problems.push(bic.problem);
    const name = toSepaText(item.creditorName, 70);
    if (name === '') problems.push({ code: 'SEPA_INVALID_TEXT', path: `${path}.creditorName`, message: 'Falta el nombre del beneficiario / payee name missing' });
    if (!isIsoDate(item.executionDate)) {
      problems.push({ code: 'SEPA_INVALID_DATE', path: `${path}.executionDate`, message: `Fecha de ejecución no válida / invalid execution date: '${item.executionDate}'` });
    } else if (item.executionDate < createdOn) {
      problems.push({ code: 'SEPA_INVALID_DATE', path: `${path}.executionDate`, message: `Fecha de ejecución ${item.executionDate} anterior a la creación del fichero / execution date ${item.executionDate} before the file's creation` });
    }
    return { ...item, creditorName: name, creditorIban: 'iban' in iban ? iban.iban : '', creditorBic: 'bic' in bic ? bic.bic : null, remittanceInfo: toSepaText(item.remittanceInfo) };
  });
  const groups = groupItems(rows, (r) => r.executionDate);
  if (groups.length > MAX_GROUPS) problems.push({ code: 'SEPA_TOO_MANY_GROUPS', path: 'items', message: 'Más de 999 fechas de ejecución / more than 999 execution dates' });
  if (problems.length > 0) return refuse(problems);

  const total = rows.reduce((s, r) => s + r.amountCents, 0);
  const name = toSepaText(batch.debtor.name, 70);
  const nif = normalizeNif(batch.debtor.nif);
  const party = (parent: XMLBuilder, tag: string): void => {
    const p = parent.ele(tag);
    leaf(p, 'Nm', name);
    if (nif !== '') leaf(p.ele('Id').ele('OrgId').ele('Othr'), 'Id', nif);
  };
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS_PAIN001, 'Document');
  const root = doc.ele('CstmrCdtTrfInitn');
  const hdr = root.ele('GrpHdr');
  leaf(hdr, 'MsgId', batch.messageId);
  leaf(hdr, 'CreDtTm', batch.createdAt);
  leaf(hdr, 'NbOfTxs', String(rows.length));
  leaf(hdr, 'CtrlSum', centsToDecimalString(total));
  party(hdr, 'InitgPty');

  const paymentInfos: PaymentInfoSummary[] = groups.map((group, g) => {
    const id = paymentInfoId(batch.messageId, g + 1);
    const sum = group.reduce((s, r) => s + r.amountCents, 0);
    const date = group[0]!.executionDate;
    const pmt = root.ele('PmtInf');
    leaf(pmt, 'PmtInfId', id);
    leaf(pmt, 'PmtMtd', 'TRF');
    leaf(pmt, 'BtchBookg', String(batch.batchBooking ?? true));
    leaf(pmt, 'NbOfTxs', String(group.length));
    leaf(pmt, 'CtrlSum', centsToDecimalString(sum));
    leaf(pmt.ele('PmtTpInf').ele('SvcLvl'), 'Cd', 'SEPA');
    leaf(pmt.ele('ReqdExctnDt'), 'Dt', date);
    party(pmt, 'Dbtr');
    leaf(pmt.ele('DbtrAcct').ele('Id'), 'IBAN', debtor.iban);
    agent(pmt, 'DbtrAgt', debtor.bic);
    leaf(pmt, 'ChrgBr', 'SLEV');
    for (const row of group) {
      const tx = pmt.ele('CdtTrfTxInf');
      leaf(tx.ele('PmtId'), 'EndToEndId', row.endToEndId);
      tx.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(centsToDecimalString(row.amountCents));
      if (row.creditorBic) agent(tx, 'CdtrAgt', row.creditorBic);
      leaf(tx.ele('Cdtr'), 'Nm', row.creditorName);
      leaf(tx.ele('CdtrAcct').ele('Id'), 'IBAN', row.creditorIban);
      leaf(tx.ele('RmtInf'), 'Ustrd', row.remittanceInfo);
    }
    return { id, date, numberOfTransactions: group.length, controlSumCents: sum, endToEndIds: group.map((r) => r.endToEndId) };
  });
  return ok({ xml: doc.end({ prettyPrint: true }), messageId: batch.messageId, numberOfTransactions: rows.length, controlSumCents: total, paymentInfos });
}
