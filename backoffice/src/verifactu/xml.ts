/**
 * Veri*Factu XML: the `RegFactuSistemaFacturacion` document (SuministroLR.xsd) built from our records with
 * xmlbuilder2 (no string concatenation: names, namespaces and escaping are the library's), the SOAP envelope
 * the AEAT web service takes, its `RespuestaRegFactuSistemaFacturacion` answer (RespuestaSuministro.xsd as the
 * AEAT documents it — the fixtures hold no copy of that schema), and the reading back of all three (the
 * verifier CLI, the AEAT stand-in and the submission service read what was written).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { formatAeatAmount, type FiscalRecord, type InvoiceType } from '@tpv/shared/fiscal/record';

const BASE = 'https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws';
export const NS_LR = `${BASE}/SuministroLR.xsd`;
export const NS_SF = `${BASE}/SuministroInformacion.xsd`;
export const NS_RESP = `${BASE}/RespuestaSuministro.xsd`;
export const NS_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** The AEAT caps a submission (and so one export document) at 1,000 records. */
export const MAX_RECORDS_PER_DOCUMENT = 1000;
/** CodigoErrorRegistro of a record the AEAT already holds (the answer to a resend after a lost answer). */
export const DUPLICATE_CODES: ReadonlySet<string> = new Set(['3000', '3002']);

/** The billing software as SistemaInformatico describes it; the installation is per record. */
export interface SoftwareId {
  producerName: string;
  producerNif: string;
  name: string;
  /** IdSistemaInformatico: two characters. */
  id: string;
  version: string;
}

/** One tax row of the breakdown (Desglose): IVA rate, recargo, exemption cause, in cents. */
export interface VfTaxRow {
  ivaRateBp: number;
  reRateBp: number;
  exemption: string | null;
  baseCents: number;
  ivaCents: number;
  reCents: number;
}

export interface VfRecipient {
  nif: string | null;
  name: string;
  /** ISO alpha-2; ES (default) writes NIF, another country IDOtro. */
  country?: string;
}

/** Everything a registro needs beyond the chained fiscal record itself. */
export interface VfItem {
  record: FiscalRecord;
  issuerName: string;
  /** The record before this one in its chain (RegistroAnterior); null for the first (PrimerRegistro). */
  previous: { invoiceNumber: string; issueDate: string; hash: string } | null;
  taxes: VfTaxRow[];
  recipient: VfRecipient | null;
  description: string;
  /** For a credit note by substitution (TipoRectificativa S): the rectified invoice's base and tax. */
  rectifiedAmounts?: { baseCents: number; taxCents: number; reCents: number } | null;
  /** Resending a record the AEAT rejected, corrected: Subsanacion S + RechazoPrevio X. */
  afterRejection?: boolean;
}

const pct = (bp: number) => formatAeatAmount(bp);
const RECIPIENT_TYPES: ReadonlySet<InvoiceType> = new Set(['F1', 'F3', 'R1', 'R2', 'R3', 'R4']);

function el(parent: XMLBuilder, name: string, text?: string): XMLBuilder {
  const child = parent.ele(NS_SF, `sf:${name}`);
  if (text !== undefined) child.txt(text);
  return child;
}

function idFactura(parent: XMLBuilder, name: string, nif: string, number: string, date: string): void {
  const id = el(parent, name);
  el(id, 'IDEmisorFactura', nif);
  el(id, 'NumSerieFactura', number);
  el(id, 'FechaExpedicionFactura', date);
}

function chaining(parent: XMLBuilder, item: VfItem): void {
  const enc = el(parent, 'Encadenamiento');
  if (item.previous === null) {
    el(enc, 'PrimerRegistro', 'S');
    return;
  }
  const prev = el(enc, 'RegistroAnterior');
  el(prev, 'IDEmisorFactura', item.record.issuerNif);
  el(prev, 'NumSerieFactura', item.previous.invoiceNumber);
  el(prev, 'FechaExpedicionFactura', item.previous.issueDate);
  el(prev, 'Huella', item.previous.hash);
}

function system(parent: XMLBuilder, sw: SoftwareId, installation: string): void {
  const s = el(parent, 'SistemaInformatico');
  el(s, 'NombreRazon', sw.producerName.slice(0, 120));
  el(s, 'NIF', sw.producerNif);
  el(s, 'NombreSistemaInformatico', sw.name.slice(0, 30));
  el(s, 'IdSistemaInformatico', sw.id.slice(0, 2));
  el(s, 'Version', sw.version.slice(0, 50));
  el(s, 'NumeroInstalacion', installation.slice(0, 100));
  el(s, 'TipoUsoPosibleSoloVerifactu', 'S');
  el(s, 'TipoUsoPosibleMultiOT', 'S');
  el(s, 'IndicadorMultiplesOT', 'S');
}

function recipientOf(parent: XMLBuilder, r: VfRecipient): void {
  const d = el(parent, 'IDDestinatario');
  el(d, 'NombreRazon', r.name.slice(0, 120));
  const country = r.country ?? 'ES';
  if (country === 'ES') el(d, 'NIF', r.nif!);
  else {
    const o = el(d, 'IDOtro');
    el(o, 'CodigoPais', country);
    el(o, 'IDType', '02'); // NIF-IVA
    el(o, 'ID', r.nif!.slice(0, 20));
  }
}

function alta(parent: XMLBuilder, item: VfItem, sw: SoftwareId): void {
  const r = item.record;
  const a = parent.ele(NS_SF, 'sf:RegistroAlta');
  el(a, 'IDVersion', '1.0');
  idFactura(a, 'IDFactura', r.issuerNif, r.invoiceNumber, r.issueDate);
  el(a, 'NombreRazonEmisor', item.issuerName.slice(0, 120));
  if (item.afterRejection) {
    el(a, 'Subsanacion', 'S');
    el(a, 'RechazoPrevio', 'X');
  }
  const type = r.invoiceType!;
  el(a, 'TipoFactura', type);
  if (type.startsWith('R')) el(a, 'TipoRectificativa', r.rectificationMethod ?? 'I');
  if (r.rectified) idFactura(el(a, 'FacturasRectificadas'), 'IDFacturaRectificada', r.issuerNif, r.rectified.invoiceNumber, r.rectified.issueDate);
  if (r.substituted?.length) {
    const subs = el(a, 'FacturasSustituidas');
    for (const s of r.substituted) idFactura(subs, 'IDFacturaSustituida', r.issuerNif, s.invoiceNumber, s.issueDate);
  }
  if (type.startsWith('R') && r.rectificationMethod === 'S' && item.rectifiedAmounts) {
    const ir = el(a, 'ImporteRectificacion');
    el(ir, 'BaseRectificada', formatAeatAmount(item.rectifiedAmounts.baseCents));
    el(ir, 'CuotaRectificada', formatAeatAmount(item.rectifiedAmounts.taxCents));
    if (item.rectifiedAmounts.reCents !== 0) el(ir, 'CuotaRecargoRectificado', formatAeatAmount(item.rectifiedAmounts.reCents));
  }
  el(a, 'DescripcionOperacion', (item.description.trim() || 'Venta').slice(0, 500));
  if (RECIPIENT_TYPES.has(type) && item.recipient?.nif) recipientOf(el(a, 'Destinatarios'), item.recipient);
  const desglose = el(a, 'Desglose');
  for (const t of item.taxes) {
    const d = el(desglose, 'DetalleDesglose');
    el(d, 'Impuesto', '01');
    el(d, 'ClaveRegimen', '01');
    if (t.exemption) {
      el(d, 'OperacionExenta', t.exemption);
      el(d, 'BaseImponibleOimporteNoSujeto', formatAeatAmount(t.baseCents));
      continue;
    }
    el(d, 'CalificacionOperacion', 'S1');
    el(d, 'TipoImpositivo', pct(t.ivaRateBp));
    el(d, 'BaseImponibleOimporteNoSujeto', formatAeatAmount(t.baseCents));
    el(d, 'CuotaRepercutida', formatAeatAmount(t.ivaCents));
    if (t.reRateBp > 0) {
      el(d, 'TipoRecargoEquivalencia', pct(t.reRateBp));
      el(d, 'CuotaRecargoEquivalencia', formatAeatAmount(t.reCents));
    }
  }
  el(a, 'CuotaTotal', r.taxTotal!);
  el(a, 'ImporteTotal', r.grandTotal!);
  chaining(a, item);
  system(a, sw, r.installation);
  el(a, 'FechaHoraHusoGenRegistro', r.generatedAt);
  el(a, 'TipoHuella', '01');
  el(a, 'Huella', r.hash);
}

function anulacion(parent: XMLBuilder, item: VfItem, sw: SoftwareId): void {
  const r = item.record;
  const a = parent.ele(NS_SF, 'sf:RegistroAnulacion');
  el(a, 'IDVersion', '1.0');
  const id = el(a, 'IDFactura');
  el(id, 'IDEmisorFacturaAnulada', r.issuerNif);
  el(id, 'NumSerieFacturaAnulada', r.invoiceNumber);
  el(id, 'FechaExpedicionFacturaAnulada', r.issueDate);
  if (item.afterRejection) el(a, 'RechazoPrevio', 'S');
  chaining(a, item);
  system(a, sw, r.installation);
  el(a, 'FechaHoraHusoGenRegistro', r.generatedAt);
  el(a, 'TipoHuella', '01');
  el(a, 'Huella', r.hash);
}

/** Appends `sum:RegFactuSistemaFacturacion` (Cabecera + one RegistroFactura per item) under `parent`. */
function regFactu(parent: XMLBuilder, issuer: { nif: string; name: string }, items: readonly VfItem[], sw: SoftwareId): XMLBuilder {
  if (items.length === 0 || items.length > MAX_RECORDS_PER_DOCUMENT) throw new RangeError(`a Veri*Factu document holds 1 to 1000 records, not ${items.length}`);
  const root = parent.ele(NS_LR, 'sum:RegFactuSistemaFacturacion').att(XMLNS, 'xmlns:sf', NS_SF);
  const cab = root.ele(NS_LR, 'sum:Cabecera');
  const ob = el(cab, 'ObligadoEmision');
  el(ob, 'NombreRazon', issuer.name.slice(0, 120));
  el(ob, 'NIF', issuer.nif);
  for (const item of items) {
    if (item.record.issuerNif !== issuer.nif) throw new Error(`record ${item.record.invoiceNumber} is issued by ${item.record.issuerNif}, not ${issuer.nif}`);
    const reg = root.ele(NS_LR, 'sum:RegistroFactura');
    if (item.record.kind === 'alta') alta(reg, item, sw);
    else anulacion(reg, item, sw);
  }
  return root;
}

/** The `RegFactuSistemaFacturacion` document of one issuer's records (1 to 1,000). */
export function buildRegFactu(issuer: { nif: string; name: string }, items: readonly VfItem[], sw: SoftwareId): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  regFactu(doc, issuer, items, sw);
  return doc.end({ prettyPrint: true });
}

/** The same document in the SOAP 1.1 envelope the AEAT service takes. */
export function buildSoapRequest(issuer: { nif: string; name: string }, items: readonly VfItem[], sw: SoftwareId): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const env = doc.ele(NS_SOAP, 'soapenv:Envelope').att(XMLNS, 'xmlns:sum', NS_LR);
  env.ele(NS_SOAP, 'soapenv:Header');
  regFactu(env.ele(NS_SOAP, 'soapenv:Body'), issuer, items, sw);
  return doc.end();
}

// ---------------------------------------------------------------------------------------------------------
// Reading back (DOM by local name: a reader must not depend on the prefixes a writer chose)

interface DomEl {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  childNodes: ArrayLike<{ nodeType: number }>;
}

function parse(xml: string): DomEl {
  return create(xml).root().node as unknown as DomEl;
}
const kids = (e: DomEl, name?: string): DomEl[] =>
  Array.from(e.childNodes as ArrayLike<DomEl & { nodeType: number }>).filter((c) => c.nodeType === 1 && (name === undefined || c.localName === name));
const kid = (e: DomEl | undefined, name: string): DomEl | undefined => (e ? kids(e, name)[0] : undefined);
const text = (e: DomEl | undefined, ...path: string[]): string | undefined => {
  let cur = e;
  for (const p of path) cur = kid(cur, p);
  return cur?.textContent?.trim();
};
function find(e: DomEl, name: string): DomEl | undefined {
  if (e.localName === name) return e;
  for (const c of kids(e)) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

/** A registro read from a document: the fiscal record as hashed, and the previous record it names. */
export interface ParsedRecord {
  record: FiscalRecord;
  previous: { invoiceNumber: string; issueDate: string; hash: string } | null;
}

/** Records of a `RegFactuSistemaFacturacion` document (bare or in a SOAP envelope), in document order. */
export function parseRegFactu(xml: string): { issuer: { nif: string; name: string }; records: ParsedRecord[] } {
  const root = find(parse(xml), 'RegFactuSistemaFacturacion');
  if (!root) throw new Error('not a RegFactuSistemaFacturacion document');
  const ob = kid(kid(root, 'Cabecera'), 'ObligadoEmision');
  const records: ParsedRecord[] = [];
  for (const reg of kids(root, 'RegistroFactura')) {
    const a = kid(reg, 'RegistroAlta');
    const r = (a ?? kid(reg, 'RegistroAnulacion'))!;
    const prevEl = kid(kid(r, 'Encadenamiento'), 'RegistroAnterior');
    const previous = prevEl
      ? { invoiceNumber: text(prevEl, 'NumSerieFactura') ?? '', issueDate: text(prevEl, 'FechaExpedicionFactura') ?? '', hash: text(prevEl, 'Huella') ?? '' }
      : null;
    const common = {
      installation: text(r, 'SistemaInformatico', 'NumeroInstalacion') ?? '',
      previousHash: previous?.hash ?? '',
      generatedAt: text(r, 'FechaHoraHusoGenRegistro') ?? '',
      hash: text(r, 'Huella') ?? '',
    };
    const alta = a !== undefined;
    const id = kid(r, 'IDFactura');
    const suffix = alta ? '' : 'Anulada';
    const ident = {
      issuerNif: text(id, `IDEmisorFactura${suffix}`) ?? '',
      invoiceNumber: text(id, `NumSerieFactura${suffix}`) ?? '',
      issueDate: text(id, `FechaExpedicionFactura${suffix}`) ?? '',
    };
    const record: FiscalRecord = alta
      ? { kind: 'alta', ...ident, invoiceType: text(a, 'TipoFactura') as InvoiceType, taxTotal: text(a, 'CuotaTotal') ?? '', grandTotal: text(a, 'ImporteTotal') ?? '', ...common }
      : { kind: 'anulacion', ...ident, ...common };
    records.push({ record, previous });
  }
  return { issuer: { nif: text(ob, 'NIF') ?? '', name: text(ob, 'NombreRazon') ?? '' }, records };
}

// ---------------------------------------------------------------------------------------------------------
// The AEAT's answer

export type EstadoRegistro = 'Correcto' | 'AceptadoConErrores' | 'Incorrecto';
export type EstadoEnvio = 'Correcto' | 'ParcialmenteCorrecto' | 'Incorrecto';

export interface AnswerLine {
  issuerNif: string;
  invoiceNumber: string;
  issueDate: string;
  operation: 'Alta' | 'Anulacion';
  status: EstadoRegistro;
  errorCode?: string;
  errorDescription?: string;
  /** Present when the AEAT already held this record (a resend): its registered state. */
  duplicate?: { requestId: string; state: string };
}

export interface Answer {
  csv: string | null;
  waitSeconds: number;
  status: EstadoEnvio;
  lines: AnswerLine[];
}

/** `RespuestaRegFactuSistemaFacturacion` in its SOAP envelope (the stand-in answers with it). */
export function buildSoapAnswer(a: Answer & { presenterNif: string; timestamp: string; issuer: { nif: string; name: string } }): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const env = doc.ele(NS_SOAP, 'env:Envelope');
  env.ele(NS_SOAP, 'env:Header');
  const resp = env.ele(NS_SOAP, 'env:Body').ele(NS_RESP, 'tikR:RespuestaRegFactuSistemaFacturacion').att(XMLNS, 'xmlns:tik', NS_SF);
  const r = (parent: XMLBuilder, name: string, value?: string) => {
    const c = parent.ele(NS_RESP, `tikR:${name}`);
    if (value !== undefined) c.txt(value);
    return c;
  };
  const t = (parent: XMLBuilder, name: string, value?: string) => {
    const c = parent.ele(NS_SF, `tik:${name}`);
    if (value !== undefined) c.txt(value);
    return c;
  };
  if (a.csv) r(resp, 'CSV', a.csv);
  const dp = r(resp, 'DatosPresentacion');
  t(dp, 'NIFPresentador', a.presenterNif);
  t(dp, 'TimestampPresentacion', a.timestamp);
  const ob = t(r(resp, 'Cabecera'), 'ObligadoEmision');
  t(ob, 'NombreRazon', a.issuer.name);
  t(ob, 'NIF', a.issuer.nif);
  r(resp, 'TiempoEsperaEnvio', String(a.waitSeconds));
  r(resp, 'EstadoEnvio', a.status);
  for (const l of a.lines) {
    const line = r(resp, 'RespuestaLinea');
    const id = r(line, 'IDFactura');
    t(id, 'IDEmisorFactura', l.issuerNif);
    t(id, 'NumSerieFactura', l.invoiceNumber);
    t(id, 'FechaExpedicionFactura', l.issueDate);
    t(r(line, 'Operacion'), 'TipoOperacion', l.operation);
    r(line, 'EstadoRegistro', l.status);
    if (l.errorCode) r(line, 'CodigoErrorRegistro', l.errorCode);
    if (l.errorDescription) r(line, 'DescripcionErrorRegistro', l.errorDescription);
    if (l.duplicate) {
      const d = r(line, 'RegistroDuplicado');
      t(d, 'IdPeticionRegistroDuplicado', l.duplicate.requestId);
      t(d, 'EstadoRegistroDuplicado', l.duplicate.state);
    }
  }
  return doc.end();
}

/** A SOAP fault (the whole request refused: malformed, schema-invalid). */
export class SoapFault extends Error {
  constructor(readonly faultCode: string, readonly faultString: string) {
    super(`SOAP fault ${faultCode}: ${faultString}`);
  }
}

export function buildSoapFault(code: string, message: string): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const fault = doc.ele(NS_SOAP, 'env:Envelope').ele(NS_SOAP, 'env:Body').ele(NS_SOAP, 'env:Fault');
  fault.ele('faultcode').txt(code);
  fault.ele('faultstring').txt(message);
  return doc.end();
}

/** Reads the AEAT's answer; a SOAP fault throws `SoapFault`. */
export function parseSoapAnswer(xml: string): Answer {
  const root = parse(xml);
  const fault = find(root, 'Fault');
  if (fault) throw new SoapFault(text(fault, 'faultcode') ?? '', text(fault, 'faultstring') ?? '');
  const resp = find(root, 'RespuestaRegFactuSistemaFacturacion');
  if (!resp) throw new Error('not a RespuestaRegFactuSistemaFacturacion answer');
  const lines: AnswerLine[] = kids(resp, 'RespuestaLinea').map((l) => {
    const id = kid(l, 'IDFactura');
    const dup = kid(l, 'RegistroDuplicado');
    const line: AnswerLine = {
      issuerNif: text(id, 'IDEmisorFactura') ?? '',
      invoiceNumber: text(id, 'NumSerieFactura') ?? '',
      issueDate: text(id, 'FechaExpedicionFactura') ?? '',
      operation: (text(l, 'Operacion', 'TipoOperacion') ?? 'Alta') as AnswerLine['operation'],
      status: (text(l, 'EstadoRegistro') ?? 'Incorrecto') as EstadoRegistro,
    };
    const code = text(l, 'CodigoErrorRegistro');
    const desc = text(l, 'DescripcionErrorRegistro');
    if (code) line.errorCode = code;
    if (desc) line.errorDescription = desc;
    if (dup) line.duplicate = { requestId: text(dup, 'IdPeticionRegistroDuplicado') ?? '', state: text(dup, 'EstadoRegistroDuplicado') ?? '' };
    return line;
  });
  return {
    csv: text(resp, 'CSV') ?? null,
    waitSeconds: Number(text(resp, 'TiempoEsperaEnvio') ?? '60'),
    status: (text(resp, 'EstadoEnvio') ?? 'Incorrecto') as EstadoEnvio,
    lines,
  };
}

/** The key an answer line and a record share: issuer, number, date, operation. */
export const recordKey = (nif: string, number: string, date: string, kind: 'alta' | 'anulacion' | 'Alta' | 'Anulacion') =>
  `${nif}|${number}|${date}|${kind.toLowerCase()}`;
