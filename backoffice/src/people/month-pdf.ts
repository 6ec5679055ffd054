/**
 * A worker's monthly working-time record as a PDF (issue 16): per day the shifts (in – out, breaks, worked),
 * the month's totals ordinary / overtime with the weekly rule, every correction beside its original with
 * both approvals, and each record's hash so the printout can be checked against the chain. Spanish with
 * English beside it. Kept to plain text lines: 5,000 of them are made in the monthly run (bench).
 */
import { hhmm } from '@tpv/shared/people/time-clock';
import { pdfKit } from '../platform/heavy-libs';
import type { MonthRecord } from './month-record';

// Formatters made once per zone (5,000 PDFs a run).
const formats = new Map<string, { time: Intl.DateTimeFormat; stamp: Intl.DateTimeFormat }>();
const formatsOf = (tz: string) => {
  let f = formats.get(tz);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat('es-ES', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }),
      stamp: new Intl.DateTimeFormat('es-ES', { timeZone: tz, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }),
    };
    formats.set(tz, f);
  }
  return f;
};
const time = (ms: number | null, tz: string) => (ms === null ? '--:--' : formatsOf(tz).time.format(new Date(ms)));
const stamp = (isoAt: string, tz: string) => formatsOf(tz).stamp.format(new Date(isoAt));

/** Unicode → WinAnsi codes 128–159 for the characters the record prints beyond Latin-1 (PDF Reference, annex D). */
const WIN_ANSI: Record<number, number> = { 0x20ac: 128, 0x2026: 133, 0x2013: 150, 0x2014: 151, 0x2018: 145, 0x2019: 146, 0x201c: 147, 0x201d: 148, 0x2022: 149 };

const EVENT_LABEL: Record<string, string> = {
  clock_in: 'entrada · clock-in', break_start: 'inicio pausa · break start', break_end: 'fin pausa · break end', clock_out: 'salida · clock-out',
};

interface StandardFont {
  id: string;
  name: string;
  ascender: number;
  dictionary?: unknown;
  embedded?: boolean;
  document: unknown;
  ref(): unknown;
}
type FontedDoc = PDFKit.PDFDocument & { _font: StandardFont | null; _fontFamilies: Record<string, StandardFont>; _fontCount: number; _fontSource: unknown; _fontSize: number };
/** Helvetica as pdfkit built it once (its metrics parsed from the AFM data): later documents get a copy bound to them. */
let helvetica: StandardFont | undefined;

/**
 * Helvetica for `doc` without parsing its metrics again. pdfkit builds a standard font per document and every
 * build parses the AFM metrics (widths, kerning pairs: ~0.5 ms and garbage, a fifth of a monthly run's CPU).
 * The parsed metrics are read-only, so each later document gets a copy of the first font object that shares
 * them and carries its own document, id and font dictionary (made on first use, embedded at `end()`).
 */
function useHelvetica(doc: FontedDoc): StandardFont {
  if (!helvetica) {
    doc.font('Helvetica');
    helvetica = doc._font!;
    return helvetica;
  }
  const font = Object.assign(Object.create(Object.getPrototypeOf(helvetica) as object) as StandardFont, helvetica, { document: doc, id: 'F1' });
  // Not yet referenced nor embedded in this document (the first font's flags say it was, in its own).
  delete font.dictionary;
  delete font.embedded;
  doc._fontCount = 1;
  doc._fontFamilies = { Helvetica: font };
  doc._font = font;
  doc._fontSource = 'Helvetica';
  return font;
}

const APPROVED_VIA: Record<string, string> = { self_service: 'autoservicio · self-service', till: 'en la caja · at the till', backoffice: 'back office' };

export function monthRecordPdf(r: MonthRecord, company: { legalName: string; nif: string }): Promise<Buffer> {
  // Uncompressed: a page of text lines is small either way, and deflating 5,000 of them costs more than it saves.
  // `font: null`: no default font built (and parsed) by the constructor; Helvetica comes from useHelvetica.
  const options = { size: 'A4', margin: 48, compress: false, font: null, info: { Title: `Registro de jornada ${r.employee.code} ${r.month}`, Author: company.legalName } };
  const doc = new (pdfKit())(options as unknown as PDFKit.PDFDocumentOptions) as FontedDoc;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve, reject) => doc.on('end', () => resolve(Buffer.concat(chunks))).on('error', reject));
  const left = doc.page.margins.left;
  const tz = r.timeZone;
  const bottom = doc.page.height - doc.page.margins.bottom;
  let y = doc.page.margins.top;
  /**
   * One font (each standard font costs a metrics parse per document) and each line written as a raw text
   * operator at its place: pdfkit's text layout (fragments, widths, wrapping) is what costs in a run of 5,000
   * PDFs. Lines are short enough never to need wrapping. pdfkit's page space is flipped (y down); the text
   * matrix flips it back, as pdfkit does for its own text.
   */
  const font = useHelvetica(doc);
  // A PDF literal string in WinAnsi (the standard font's encoding): ASCII as is, \ ( ) escaped, the rest as octal codes.
  const literal = (text: string) => {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 32 && c < 127) out += c === 40 || c === 41 || c === 92 ? `\\${text[i]}` : text[i];
      else {
        const code = WIN_ANSI[c] ?? (c < 256 ? c : 63);
        out += `\\${code.toString(8).padStart(3, '0')}`;
      }
    }
    return out;
  };
  const line = (text: string, opts: { size?: number; bold?: boolean } = {}) => {
    const size = opts.size ?? (opts.bold ? 9 : 8);
    if (y + size * 1.3 > bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    const pageFonts = (doc.page as unknown as { fonts: Record<string, unknown> }).fonts;
    pageFonts[font.id] ??= font.ref();
    const baseline = doc.page.height - y - (font.ascender / 1000) * size;
    doc.addContent(`q 1 0 0 -1 0 ${doc.page.height} cm BT 1 0 0 1 ${left} ${baseline.toFixed(2)} Tm /${font.id} ${size} Tf (${literal(text)}) Tj ET Q`);
    y += size * 1.35;
  };
  const gap = () => (y += 6);
  // The worker approves their own record: named, with where they approved (the record itself keeps the actor's id).
  const workerApproval = (a: MonthRecord['records'][number]) => `${r.employee.name} (${r.employee.code}), ${APPROVED_VIA[a.source] ?? a.source}`;
  line('Registro de jornada · Working-time record', { size: 14, bold: true });
  line(`${company.legalName} (NIF ${company.nif})`);
  line(`Trabajador · Worker: ${r.employee.name} (${r.employee.code})    Mes · Month: ${r.month}`);
  const contracts = r.contracts.map((c) => `${c.type} ${hhmm(c.weeklyMinutes)} h/semana · week, ${c.startsOn} – ${c.endsOn ?? '…'}`).join('; ');
  line(`Contrato · Contract: ${contracts || 'sin contrato · none'}`);
  gap();
  line('Día · Day        Entrada · In   Salida · Out   Pausas · Breaks   Trabajado · Worked', { bold: true });
  for (const s of r.shifts) {
    const flags = s.flags.length ? `  [${s.flags.map((f) => (f === 'open' ? 'abierta · open' : 'más de 12 h sin salida · over 12 h without clock-out')).join(', ')}]` : '';
    line(`${s.date}     ${time(s.start, tz)}          ${time(s.end, tz)}           ${hhmm(s.breakMinutes)}              ${hhmm(s.workedMinutes)}${flags}`);
  }
  if (r.shifts.length === 0) line('Sin jornadas este mes · No shifts this month');
  gap();
  line('Totales · Totals', { bold: true });
  for (const w of r.totals.weeks.filter((x) => x.workedMinutes > 0)) {
    line(`Semana · Week ${w.weekOf} (${w.days} d): trabajado · worked ${hhmm(w.workedMinutes)}   ordinaria · allowance ${hhmm(w.ordinaryAllowanceMinutes)}   extra · overtime ${hhmm(w.overtimeMinutes)}`);
  }
  line(`Mes · Month: trabajado · worked ${hhmm(r.totals.workedMinutes)}   ordinarias · ordinary ${hhmm(r.totals.ordinaryMinutes)}   extraordinarias · overtime ${hhmm(r.totals.overtimeMinutes)}`, { bold: true });
  line('Horas extra por semana ISO frente a las horas semanales del contrato, prorrateadas por los días del mes.', { size: 7 });
  line('Overtime per ISO week against the contract’s weekly hours, prorated by the days in the month.', { size: 7 });
  if (r.corrections.length) {
    gap();
    line('Correcciones · Corrections (el registro original se conserva · the original record is kept)', { bold: true });
    const byId = new Map(r.records.map((x) => [x.id, x]));
    for (const c of r.corrections) {
      const o = byId.get(c.correction.correctsId ?? '');
      const orig = o ? `${EVENT_LABEL[o.kind] ?? o.kind} ${stamp(o.at, tz)}` : (c.correction.correctsId ?? '');
      line(`Original: ${orig}  ->  ${EVENT_LABEL[c.correction.event ?? ''] ?? c.correction.event} ${stamp(c.correction.at, tz)}`);
      line(`   Motivo · Reason: ${(c.correction.reason ?? '').slice(0, 100)}`);
      line(`   Aprobada por la empresa · Approved by the company: ${c.company ? `${c.company.recordedBy} ${stamp(c.company.recordedAt, tz)}` : 'pendiente · pending'}`);
      if (c.rejected) line(`   Rechazada por el trabajador · Rejected by the worker: ${workerApproval(c.rejected)} ${stamp(c.rejected.recordedAt, tz)}`);
      else line(`   Aprobada por el trabajador · Approved by the worker: ${c.worker ? `${workerApproval(c.worker)} ${stamp(c.worker.recordedAt, tz)}` : 'pendiente · pending'}`);
      line(`   ${c.effective ? 'EN VIGOR · IN EFFECT' : 'SIN EFECTO · NOT IN EFFECT'}`);
    }
  }
  gap();
  // The chain anchors the printout: the month's records are its seqs first..last, the last one's hash given in full.
  const chained = r.records.filter((x) => x.hash);
  for (const k of [...new Set(chained.map((x) => x.chainKey))]) {
    const mine = chained.filter((x) => x.chainKey === k).sort((a, b) => a.seq - b.seq);
    line(`Cadena · Chain ${k}: ${mine.length} registros · records, orden · seq ${mine[0]!.seq}–${mine.at(-1)!.seq}`, { size: 7 });
    line(`   última huella · last hash ${mine.at(-1)!.hash}`, { size: 7 });
  }
  gap();
  line('Firma de la empresa · Company signature: ______________________');
  gap();
  line('Firma del trabajador · Worker signature: ______________________');
  doc.end();
  return bytes;
}
