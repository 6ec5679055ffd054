/**
 * The IVA returns of a company, pure: modelo 303 boxes (quarterly, or monthly for large companies) and the
 * modelo 347 statement of counterparties (annual), both computed from the rows of the VAT books
 * (libros registro de facturas expedidas y recibidas), so every box drills down to the rows it comes from.
 *
 * Sources (researched 2026-12, public copies):
 * - 303 boxes: the AEAT form "Modelo 303 Autoliquidación" (Orden HAC/3625/2003 as amended; layout since 2023)
 *   and iberley.es "Autoliquidación del IVA mediante el modelo 303 para el régimen general" (rev. 04/05/2023):
 *   IVA devengado 150-152 (0 %), 01-03 (4 %), 153-155 (5 %), 04-06 (10 %), 07-09 (21 %), 10-11 adquisiciones
 *   intracomunitarias, 12-13 inversión del sujeto pasivo, 14-15 modificación de bases y cuotas, recargo de
 *   equivalencia 16-18 / 19-21 / 22-24 (one row per rate, ascending: 0,5 % · 1,4 % · 5,2 %), 25-26 modificación
 *   del recargo, 27 total cuota devengada = 152+03+155+06+09+11+13+15+158+18+21+24+26; IVA deducible 28-29
 *   operaciones interiores corrientes, 30-31 bienes de inversión, … 40-41 rectificación de deducciones,
 *   45 total a deducir = 29+31+33+35+37+39+41+42+43+44; 46 resultado régimen general = 27 − 45;
 *   64 suma de resultados; 65 % atribuible a la Administración del Estado (100 in territorio común),
 *   66 atribuible; 67 cuotas a compensar de periodos anteriores; 69 = 66 + 77 − 67 + 68; 71 = 69 − 70.
 * - 347: arts. 31–35 of the RGAT (Real Decreto 1065/2007): operations with one person or entity that in the
 *   year exceed ("hayan superado") 3.005,06 € including IVA, key A purchases / key B sales, broken down by
 *   quarter, imputed to the period in which they are entered in the VAT books; operations subject to IRPF
 *   withholding (reported in 190/180) and intra-Community operations (reported in 349) are left out; negative
 *   amounts are declared when the absolute annual amount exceeds the threshold.
 *
 * Credit notes: invoices we issue of type R1–R4 go to 14-15 (and 25-26 for their recargo), credit notes
 * received to 40-41, NOT netted into the rate rows — the form keeps them apart (art. 80 LIVA modifications)
 * and an accountant checks them one by one. The tills' returns are netted into the day's summary row: that row
 * is one book entry (asiento resumen, AEAT type F4) of the day's simplified invoices, returns included.
 * F3 invoices replace tickets already in a day's summary: listed in the book, counted once (in the summary).
 */

export type BookKind = 'issued' | 'received';
export type RowSource = 'invoice' | 'tickets' | 'supplier_invoice' | 'invoice_received';

/** One row of a VAT book: a document (or a day's ticket summary) at one IVA + recargo rate. */
export interface VatBookRow {
  /** Stable key (drill-down): `invoice:<id>:<n>`, `tickets:<store>:<date>:<iva>:<re>`, `supplier_invoice:<id>:<n>`. */
  key: string;
  book: BookKind;
  source: RowSource;
  /** The document (invoice, supplier invoice) or null for a ticket summary. */
  documentId: string | null;
  /** Issue date (issued), invoice date (received). */
  date: string;
  /** The month the row is booked in (yyyy-mm): issue date for issued, booking period for received. */
  period: string;
  /** Invoice number, register number, or the day's ticket range. */
  number: string;
  /** AEAT invoice type: F1, F3, R1–R4; F4 for a day's ticket summary (asiento resumen). */
  invoiceType: string;
  status: 'posted' | 'cancelled';
  counterpartyNif: string | null;
  counterpartyName: string | null;
  storeId: string | null;
  ivaRateBp: number;
  reRateBp: number;
  exemption: string | null;
  baseCents: number;
  ivaCents: number;
  reCents: number;
  /** On the document's first row only (so a column sum is the book's). */
  irpfCents: number;
  /** Base + IVA + recargo of this row. */
  rowTotalCents: number;
  /** Ticket summaries: how many tickets. */
  ticketCount?: number;
}

/** Counted in the return: posted, and not an F3 (its tickets are already in a day's summary). */
export const isCounted = (r: Pick<VatBookRow, 'status' | 'invoiceType'>): boolean => r.status === 'posted' && r.invoiceType !== 'F3';
/** A credit note: an R type, or a received row with a negative base (a supplier's abono). */
export const isCredit = (r: Pick<VatBookRow, 'invoiceType' | 'baseCents' | 'source'>): boolean =>
  r.invoiceType.startsWith('R') || (r.source === 'supplier_invoice' && r.baseCents < 0);

export type BoxKind = 'base' | 'rate' | 'cuota' | 'total';
export interface BoxDef {
  box: string;
  kind: BoxKind;
  es: string;
  en: string;
}
export interface Box extends BoxDef {
  /** Cents, or basis points for a `rate` box. */
  value: number;
  /** Keys of the book rows it sums (empty for totals and rate boxes). */
  rows: string[];
}

const d = (box: string, kind: BoxKind, es: string, en: string): BoxDef => ({ box, kind, es, en });
/** 50 bp → "0,5" (Spanish) / "0.5". */
const esPct = (bp: number) => String(bp / 100).replace('.', ',');
/** IVA devengado rows of régimen general by IVA rate (bp) → [base, tipo, cuota]. */
export const OUTPUT_RATE_BOXES: ReadonlyMap<number, readonly [string, string, string]> = new Map([
  [0, ['150', '151', '152']],
  [400, ['01', '02', '03']],
  [500, ['153', '154', '155']],
  [1000, ['04', '05', '06']],
  [2100, ['07', '08', '09']],
] as const);
/** Recargo de equivalencia rows by recargo rate (bp) → [base, tipo, cuota]. */
export const RE_RATE_BOXES: ReadonlyMap<number, readonly [string, string, string]> = new Map([
  [50, ['16', '17', '18']],
  [140, ['19', '20', '21']],
  [520, ['22', '23', '24']],
] as const);

export const BOXES: readonly BoxDef[] = [
  ...[...OUTPUT_RATE_BOXES.entries()].flatMap(([bp, [b, t, c]]) => [
    d(b, 'base', `Base imponible al ${esPct(bp)} %`, `Taxable base at ${bp / 100} %`),
    d(t, 'rate', `Tipo ${esPct(bp)} %`, `Rate ${bp / 100} %`),
    d(c, 'cuota', `Cuota al ${esPct(bp)} %`, `Output VAT at ${bp / 100} %`),
  ]),
  d('14', 'base', 'Modificación de bases (rectificativas)', 'Modified bases (credit notes)'),
  d('15', 'cuota', 'Modificación de cuotas (rectificativas)', 'Modified output VAT (credit notes)'),
  ...[...RE_RATE_BOXES.entries()].flatMap(([bp, [b, t, c]]) => [
    d(b, 'base', `Recargo de equivalencia: base al ${esPct(bp)} %`, `Equivalence surcharge: base at ${bp / 100} %`),
    d(t, 'rate', `Recargo de equivalencia: tipo ${esPct(bp)} %`, `Equivalence surcharge: rate ${bp / 100} %`),
    d(c, 'cuota', `Recargo de equivalencia: cuota al ${esPct(bp)} %`, `Equivalence surcharge at ${bp / 100} %`),
  ]),
  d('25', 'base', 'Modificación de bases del recargo de equivalencia', 'Modified surcharge bases'),
  d('26', 'cuota', 'Modificación de cuotas del recargo de equivalencia', 'Modified surcharge'),
  d('27', 'total', 'Total cuota devengada', 'Total output VAT'),
  d('28', 'base', 'IVA deducible en operaciones interiores corrientes: base', 'Deductible VAT, domestic current purchases: base'),
  d('29', 'cuota', 'IVA deducible en operaciones interiores corrientes: cuota', 'Deductible VAT, domestic current purchases'),
  d('40', 'base', 'Rectificación de deducciones: base', 'Corrected deductions: base'),
  d('41', 'cuota', 'Rectificación de deducciones: cuota', 'Corrected deductions'),
  d('45', 'total', 'Total a deducir', 'Total deductible'),
  d('46', 'total', 'Resultado régimen general', 'Result, general regime'),
  d('64', 'total', 'Suma de resultados', 'Sum of results'),
  d('65', 'rate', '% atribuible a la Administración del Estado', '% attributable to the State'),
  d('66', 'total', 'Atribuible a la Administración del Estado', 'Attributable to the State'),
  d('67', 'total', 'Cuotas a compensar de periodos anteriores', 'Credit carried from earlier periods'),
  d('69', 'total', 'Resultado', 'Result'),
  d('71', 'total', 'Resultado de la liquidación', 'Result of the return'),
];

export interface NotBoxed {
  key: string;
  reason: 'exempt' | 'rate_without_box' | 'surcharge_rate_without_box';
}
export interface VatReturnFigures {
  boxes: Box[];
  /** Counted rows (or their recargo) that no box of this layout takes: for the accountant to place by hand. */
  notBoxed: NotBoxed[];
}

/**
 * The 303 boxes from the period's book rows. Only what the books hold is filled: intra-Community, reverse
 * charge, investment goods, imports, prorrata and carried-over credit (67) stay 0 — the accountant adds them.
 */
export function vatReturn(issued: readonly VatBookRow[], received: readonly VatBookRow[], opts: { carriedCreditCents?: number } = {}): VatReturnFigures {
  const acc = new Map<string, { value: number; rows: string[] }>();
  const add = (box: string, cents: number, key: string | null) => {
    const a = acc.get(box) ?? { value: 0, rows: [] };
    a.value += cents;
    if (key !== null && !a.rows.includes(key)) a.rows.push(key);
    acc.set(box, a);
  };
  const notBoxed: NotBoxed[] = [];
  for (const r of issued) {
    if (!isCounted(r)) continue;
    if (r.exemption) {
      notBoxed.push({ key: r.key, reason: 'exempt' });
      continue;
    }
    if (isCredit(r)) {
      add('14', r.baseCents, r.key);
      add('15', r.ivaCents, r.key);
      if (r.reCents !== 0 || r.reRateBp !== 0) {
        add('25', r.baseCents, r.key);
        add('26', r.reCents, r.key);
      }
      continue;
    }
    const b = OUTPUT_RATE_BOXES.get(r.ivaRateBp);
    if (!b) notBoxed.push({ key: r.key, reason: 'rate_without_box' });
    else {
      add(b[0], r.baseCents, r.key);
      add(b[2], r.ivaCents, r.key);
    }
    if (r.reRateBp !== 0) {
      const re = RE_RATE_BOXES.get(r.reRateBp);
      if (!re) notBoxed.push({ key: r.key, reason: 'surcharge_rate_without_box' });
      else {
        add(re[0], r.baseCents, r.key);
        add(re[2], r.reCents, r.key);
      }
    }
  }
  for (const r of received) {
    if (!isCounted(r)) continue;
    // Recargo paid is not deductible (art. 154 LIVA: it is cost); exempt purchases deduct nothing.
    if (r.exemption) continue;
    if (isCredit(r)) {
      add('40', r.baseCents, r.key);
      add('41', r.ivaCents, r.key);
    } else {
      add('28', r.baseCents, r.key);
      add('29', r.ivaCents, r.key);
    }
  }
  const v = (box: string) => acc.get(box)?.value ?? 0;
  const total = (box: string, value: number) => acc.set(box, { value, rows: [] });
  total('27', ['152', '03', '155', '06', '09', '11', '13', '15', '158', '18', '21', '24', '26'].reduce((s, b) => s + v(b), 0));
  total('45', ['29', '31', '33', '35', '37', '39', '41', '42', '43', '44'].reduce((s, b) => s + v(b), 0));
  total('46', v('27') - v('45'));
  total('64', v('46'));
  total('66', v('64')); // 65 = 100 % (territorio común)
  total('67', opts.carriedCreditCents ?? 0);
  total('69', v('66') + v('77') - v('67') + v('68'));
  total('71', v('69') - v('70'));
  const boxes = BOXES.map((def): Box => {
    if (def.kind === 'rate') {
      const bp = def.box === '65' ? 10_000 : rateOfBox(def.box);
      return { ...def, value: bp, rows: [] };
    }
    const a = acc.get(def.box);
    return { ...def, value: a?.value ?? 0, rows: a?.rows ?? [] };
  });
  return { boxes, notBoxed };
}

function rateOfBox(box: string): number {
  for (const [bp, b] of OUTPUT_RATE_BOXES) if (b[1] === box) return bp;
  for (const [bp, b] of RE_RATE_BOXES) if (b[1] === box) return bp;
  return 0;
}

// ── reconciliation with the journal ──

/** Per IVA (or recargo) rate: the book's cuota, the journal's balance of the rate's account, and why they differ. */
export interface ReconLine {
  kind: 'output_vat' | 'output_re' | 'input_vat';
  rateBp: number;
  account: string;
  bookCents: number;
  journalCents: number;
  differenceCents: number;
  explained: Array<{ reason: 'tickets_not_posted' | 'document_not_posted' | 'document_posted_elsewhere'; cents: number; rows: string[]; detail?: string }>;
  /** Difference − Σ explained: manual entries on the account or anything else the books do not show. */
  unexplainedCents: number;
}

/** Per rate, the cuotas the book rows give for the journal's accounts (credit notes netted: the accounts net them). */
export function bookCuotasByRate(issued: readonly VatBookRow[], received: readonly VatBookRow[]): Map<string, { kind: ReconLine['kind']; rateBp: number; cents: number; rows: string[] }> {
  const out = new Map<string, { kind: ReconLine['kind']; rateBp: number; cents: number; rows: string[] }>();
  const add = (kind: ReconLine['kind'], rateBp: number, cents: number, key: string) => {
    const k = `${kind}:${rateBp}`;
    const a = out.get(k) ?? { kind, rateBp, cents: 0, rows: [] };
    a.cents += cents;
    a.rows.push(key);
    out.set(k, a);
  };
  for (const r of issued) {
    if (!isCounted(r)) continue;
    add('output_vat', r.ivaRateBp, r.ivaCents, r.key);
    if (r.reRateBp !== 0 || r.reCents !== 0) add('output_re', r.reRateBp, r.reCents, r.key);
  }
  for (const r of received) if (isCounted(r) && !r.exemption) add('input_vat', r.ivaRateBp, r.ivaCents, r.key);
  return out;
}

// ── modelo 347 ──

/** 3.005,06 €: the 347 takes a counterparty whose year's operations EXCEED it (art. 31 RGAT "hayan superado"). */
export const THRESHOLD_347_CENTS = 300_506;

export interface Op347 {
  /** Counterparty NIF (the 347 declares per NIF and key). */
  nif: string | null;
  name: string;
  key: 'A' | 'B';
  /** The book row's date / month (yyyy-mm-dd or yyyy-mm): gives the quarter. */
  period: string;
  /** Base + IVA + recargo. */
  totalCents: number;
  rowKey: string;
  /** The document had IRPF withheld (reported in the 190/180, not the 347). */
  withheld: boolean;
  /** The counterparty is outside Spain (intra-Community or export: 349 / customs, not the 347). */
  foreign?: boolean;
}
export interface Counterparty347 {
  nif: string;
  name: string;
  key: 'A' | 'B';
  totalCents: number;
  quarters: [number, number, number, number];
  rows: string[];
}
export interface Excluded347 {
  rowKey: string;
  reason: 'no_nif' | 'irpf_withheld' | 'foreign';
}
export interface Statement347 {
  declared: Counterparty347[];
  /** Counterparties at or under the threshold (shown, not declared). */
  under: Counterparty347[];
  excluded: Excluded347[];
}

export function statement347(ops: readonly Op347[]): Statement347 {
  const excluded: Excluded347[] = [];
  const by = new Map<string, Counterparty347>();
  for (const o of ops) {
    if (o.foreign) excluded.push({ rowKey: o.rowKey, reason: 'foreign' });
    else if (o.withheld) excluded.push({ rowKey: o.rowKey, reason: 'irpf_withheld' });
    else if (!o.nif) excluded.push({ rowKey: o.rowKey, reason: 'no_nif' });
    if (o.foreign || o.withheld || !o.nif) continue;
    const nif = o.nif.toUpperCase().replace(/[\s-]/g, '');
    const k = `${o.key}:${nif}`;
    const c = by.get(k) ?? { nif, name: o.name, key: o.key, totalCents: 0, quarters: [0, 0, 0, 0], rows: [] };
    const q = Math.floor((Number(o.period.slice(5, 7)) - 1) / 3);
    c.quarters[q] = (c.quarters[q] ?? 0) + o.totalCents;
    c.totalCents += o.totalCents;
    if (!c.rows.includes(o.rowKey)) c.rows.push(o.rowKey);
    by.set(k, c);
  }
  const all = [...by.values()].sort((a, b) => a.key.localeCompare(b.key) || a.nif.localeCompare(b.nif));
  return {
    declared: all.filter((c) => Math.abs(c.totalCents) > THRESHOLD_347_CENTS),
    under: all.filter((c) => Math.abs(c.totalCents) <= THRESHOLD_347_CENTS),
    excluded,
  };
}

/** The 347 operations of a year's book rows: key B what we issued to an identified recipient, key A what we received. */
export function ops347(issued: readonly VatBookRow[], received: readonly VatBookRow[], foreignIds: ReadonlySet<string> = new Set()): Op347[] {
  const out: Op347[] = [];
  for (const [rows, key] of [[issued, 'B'], [received, 'A']] as const) {
    // IRPF sits on a document's first row: the whole document is withheld.
    const withheld = new Set(rows.filter((r) => r.irpfCents !== 0).map((r) => r.documentId));
    for (const r of rows) {
      // Ticket summaries have no identified counterparty; F3 replace tickets to a customer: those are in (an invoice with a NIF).
      if (r.status !== 'posted' || r.source === 'tickets') continue;
      out.push({
        nif: r.counterpartyNif, name: r.counterpartyName ?? '', key, period: r.period, totalCents: r.rowTotalCents, rowKey: r.key, withheld: withheld.has(r.documentId),
        foreign: r.documentId !== null && foreignIds.has(r.documentId),
      });
    }
  }
  return out;
}

/** A period `yyyy-mm`, `yyyy-nT` or `yyyy` → its first and last month. */
export function periodMonths(period: string): { fromMonth: string; toMonth: string; from: string; to: string } {
  const year = period.slice(0, 4);
  const q = /^\d{4}-([1-4])T$/.exec(period);
  const [m1, m2] = q ? [(Number(q[1]) - 1) * 3 + 1, Number(q[1]) * 3] : period.length === 7 ? [Number(period.slice(5)), Number(period.slice(5))] : [1, 12];
  const mm = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  return { fromMonth: mm(m1), toMonth: mm(m2), from: `${mm(m1)}-01`, to: `${mm(m2)}-31` };
}
