/**
 * Product blocks and recalls (issue 17): what HQ's block says, what the change feed carries to the tills
 * (`product_block`, one change per block: network-wide, or one per store it concerns), and the till's rule.
 *
 * A block names a product and, optionally, one lot (GS1 AI 10) or a best-before / expiry range (AI 15 / 17).
 * The till decides from what the scan carries (`parseGs1` below):
 * - a product block refuses every unit, however it is rung up (scan, quick key, search, a parked ticket);
 * - a lot block refuses a scan carrying that lot, and ALSO any sale that carries no lot at all (an EAN-13
 *   scan, a quick key, a search): the cashier cannot show that the unit is not of the recalled lot, so the
 *   till errs on the side of food safety and asks for the unit to be set aside (or its GS1 label scanned);
 * - a best-before block likewise refuses a date inside the range, and any sale without a date.
 * A scan whose lot / date is outside the block sells normally.
 */
import { z } from 'zod';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');

export const BLOCK_SCOPES = ['product', 'lot', 'best_before'] as const;
export type BlockScope = (typeof BLOCK_SCOPES)[number];

/** The feed's record of one block (id = the block's id). */
export const ProductBlockDataSchema = z.strictObject({
  id: z.string().min(1).max(64),
  productId: z.string().min(1).max(64),
  productName: z.string().max(200),
  scope: z.enum(BLOCK_SCOPES),
  lot: z.string().min(1).max(20).nullable(),
  bestBeforeFrom: Day.nullable(),
  bestBeforeTo: Day.nullable(),
  reason: z.string().min(1).max(500),
  /** The day from which units sold count as affected (the block's page). */
  referenceDate: Day,
  /** Number shown to the cashier and on the block page (`BQ-2026-000003`). */
  number: z.string().max(32),
});
export type ProductBlockData = z.infer<typeof ProductBlockDataSchema>;

/** What a scan told about the unit: nothing (quick key, search, EAN-13), or a GS1 lot / dates. */
export interface UnitTraits {
  lot?: string | undefined;
  /** AI 15 best before, else AI 17 expiry, as YYYY-MM-DD. */
  bestBefore?: string | undefined;
}

const normLot = (s: string) => s.trim().toUpperCase();

/** Whether the block refuses this unit (see the header for units that carry no lot or date). */
export function blockApplies(b: Pick<ProductBlockData, 'scope' | 'lot' | 'bestBeforeFrom' | 'bestBeforeTo'>, unit: UnitTraits = {}): boolean {
  if (b.scope === 'product') return true;
  if (b.scope === 'lot') return unit.lot === undefined || normLot(unit.lot) === normLot(b.lot ?? '');
  if (unit.bestBefore === undefined) return true;
  return (b.bestBeforeFrom === null || unit.bestBefore >= b.bestBeforeFrom) && (b.bestBeforeTo === null || unit.bestBefore <= b.bestBeforeTo);
}

/** The cashier's message (Spanish, English beside it). */
export function blockMessage(b: Pick<ProductBlockData, 'scope' | 'lot' | 'bestBeforeFrom' | 'bestBeforeTo' | 'reason' | 'number'>, productName: string, unit: UnitTraits = {}): string {
  const what =
    b.scope === 'product' ? '' :
    b.scope === 'lot' ? ` (lote · lot ${b.lot})` :
    ` (consumo preferente · best before ${b.bestBeforeFrom ?? '…'} – ${b.bestBeforeTo ?? '…'})`;
  const noTrace = b.scope !== 'product' && (b.scope === 'lot' ? unit.lot === undefined : unit.bestBefore === undefined);
  const hint = noTrace
    ? ' Sin lote/fecha en el código: retire la unidad o escanee su etiqueta GS1 · No lot/date in the code: set the unit aside or scan its GS1 label.'
    : ' Retire la unidad de la venta · Set the unit aside.';
  return `Venta bloqueada por la central · Sale blocked by HQ: ${productName}${what} — ${b.reason} [${b.number}].${hint}`;
}

/** Checks a block's range as HQ receives it: a lot for a lot block, at least one bound (from ≤ to) for a range. */
export function blockRangeProblem(b: { scope: BlockScope; lot?: string | null | undefined; bestBeforeFrom?: string | null | undefined; bestBeforeTo?: string | null | undefined }): { path: string; message: string } | null {
  if (b.scope === 'lot') {
    if (!b.lot || b.lot.trim() === '') return { path: 'lot', message: 'un bloqueo por lote necesita el lote / a lot block needs the lot' };
    if (!/^[\x21-\x7e]{1,20}$/.test(b.lot.trim())) return { path: 'lot', message: 'lote GS1: 1–20 caracteres imprimibles / a GS1 lot is 1–20 printable characters' };
  }
  if (b.scope === 'best_before') {
    if (!b.bestBeforeFrom && !b.bestBeforeTo) return { path: 'bestBeforeFrom', message: 'indique desde y/o hasta / give a from and/or to date' };
    if (b.bestBeforeFrom && b.bestBeforeTo && b.bestBeforeFrom > b.bestBeforeTo) return { path: 'bestBeforeTo', message: 'el rango está vacío: hasta < desde / empty range: to is before from' };
  }
  if (b.scope !== 'lot' && b.lot) return { path: 'lot', message: 'sólo un bloqueo por lote lleva lote / only a lot block names a lot' };
  if (b.scope !== 'best_before' && (b.bestBeforeFrom || b.bestBeforeTo)) return { path: 'bestBeforeFrom', message: 'sólo un bloqueo por fecha lleva fechas / only a best-before block has dates' };
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// GS1 element strings (GS1-128 / DataMatrix): AI 01 GTIN, 10 lot, 15 best before, 17 expiry
// ---------------------------------------------------------------------------------------------------------

export interface Gs1Unit extends UnitTraits {
  /** AI 01: the GTIN-14. */
  gtin: string;
}

const GS = '\x1d';
/** Fixed-length AIs we step over (length of the data after the AI). */
const FIXED: Record<string, number> = { '00': 18, '01': 14, '02': 14, '11': 6, '12': 6, '13': 6, '15': 6, '16': 6, '17': 6 };

/** YYMMDD → YYYY-MM-DD (DD 00 = the month's last day; years 2000–2099). */
export function gs1Date(yymmdd: string): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const y = 2000 + Number(yymmdd.slice(0, 2));
  const mo = Number(yymmdd.slice(2, 4));
  let d = Number(yymmdd.slice(4, 6));
  if (mo < 1 || mo > 12) return null;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d === 0) d = last;
  if (d > last) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Reads a GS1 element string: in the human-readable form `(01)08412345678905(17)261231(10)L42`, or as a
 * scanner sends GS1-128 (`]C1` prefix, or starting `01` with FNC1 as the GS character). Null when the text
 * is not a GS1 element string with an AI 01 (plain EAN/UPC/Code 128 go to `parseScan`).
 */
export function parseGs1(text: string): Gs1Unit | null {
  const raw = text.replace(/[\r\n]+$/, '').trim();
  const fields = new Map<string, string>();
  if (raw.startsWith('(')) {
    const re = /\((\d{2,4})\)([^(]*)/g;
    let m: RegExpExecArray | null;
    let consumed = 0;
    while ((m = re.exec(raw)) !== null) {
      fields.set(m[1]!, m[2]!);
      consumed += m[0].length;
    }
    if (consumed !== raw.length) return null;
  } else {
    let s: string;
    if (raw.startsWith(']C1') || raw.startsWith(']d2') || raw.startsWith(']Q3')) s = raw.slice(3);
    else if (raw.startsWith('01') && raw.includes(GS)) s = raw;
    else return null;
    while (s.length > 0) {
      if (s.startsWith(GS)) {
        s = s.slice(1);
        continue;
      }
      const ai2 = s.slice(0, 2);
      const fixed = FIXED[ai2];
      if (fixed !== undefined) {
        fields.set(ai2, s.slice(2, 2 + fixed));
        s = s.slice(2 + fixed);
      } else if (ai2 === '10' || ai2 === '21') {
        const end = s.indexOf(GS, 2);
        fields.set(ai2, end < 0 ? s.slice(2) : s.slice(2, end));
        s = end < 0 ? '' : s.slice(end + 1);
      } else {
        // An AI we do not read: variable length up to the next GS.
        const end = s.indexOf(GS);
        s = end < 0 ? '' : s.slice(end + 1);
      }
    }
  }
  const gtin = fields.get('01');
  if (!gtin || !/^\d{14}$/.test(gtin)) return null;
  const out: Gs1Unit = { gtin };
  const lot = fields.get('10');
  if (lot !== undefined && lot.length > 0) out.lot = lot;
  const bb = fields.get('15') ?? fields.get('17');
  const day = bb !== undefined ? gs1Date(bb) : null;
  if (day) out.bestBefore = day;
  return out;
}
