/**
 * Amounts of an invoice issued from the back office (full invoices, fees, wholesale, credit notes) and of a
 * supplier invoice received. Unlike a till ticket (prices tax included, tax split out of the gross), these
 * are priced WITHOUT tax, as Spanish B2B invoices are:
 *
 *   line base      = roundHalfUp(quantityMilli × unitPriceCents × (10000 − discountBp) / 10⁷)
 *   per tax group  (IVA rate, recargo rate, exemption cause): base = Σ line bases,
 *                   ivaCuota = roundHalfUp(base × ivaRate / 10000), reCuota = roundHalfUp(base × reRate / 10000)
 *   IRPF withheld  = roundHalfUp(Σ base × irpfBp / 10000)   (on the whole base, as art. 101 LIRPF applies it)
 *   total          = Σ base + Σ ivaCuota + Σ reCuota − irpf
 *
 * The tax is worked out once per group from the summed bases (art. 78 LIVA is on the base), never per line.
 * Credit notes are the same arithmetic with negative quantities; halfUp is symmetric, so a whole credit note
 * is exactly the negation of its invoice.
 */
import { divRoundBig, mulDiv, type BasisPoints, type Cents } from '../money';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { isExemptionCause, isIvaRate, type ExemptionCause, type IvaRate } from '../tax';

export interface InvoiceLineInput {
  /** Thousandths of a unit (1 unit = 1000; 1.250 kg = 1250). Negative on credit notes. */
  readonly quantityMilli: number;
  /** Net unit price (without tax), cents. */
  readonly unitPriceCents: Cents;
  /** Line discount in basis points (0–10000). */
  readonly discountBp?: BasisPoints;
  readonly ivaRateBp: number;
  /** Recargo de equivalencia rate; 0 unless the recipient is in the regime. */
  readonly reRateBp?: BasisPoints;
  /** Only with IVA rate 0. */
  readonly exemption?: ExemptionCause;
}

export interface InvoiceTaxRow {
  readonly ivaRateBp: IvaRate;
  readonly reRateBp: BasisPoints;
  readonly exemption?: ExemptionCause;
  readonly baseCents: Cents;
  readonly ivaCents: Cents;
  readonly reCents: Cents;
}

export interface InvoiceAmounts {
  /** Base of each line, in input order. */
  readonly lineBases: readonly Cents[];
  /** Sorted by IVA rate descending; exempt rows after the non-exempt 0 % row. */
  readonly taxes: readonly InvoiceTaxRow[];
  readonly baseCents: Cents;
  readonly ivaCents: Cents;
  readonly reCents: Cents;
  readonly irpfCents: Cents;
  /** base + IVA + recargo − IRPF: what the recipient pays. */
  readonly totalCents: Cents;
  /** IVA + recargo (Veri*Factu CuotaTotal). */
  readonly taxCents: Cents;
  /** base + IVA + recargo (Veri*Factu ImporteTotal: the IRPF withholding is not deducted there). */
  readonly grossCents: Cents;
}

export type InvoiceAmountErrorCode =
  | 'INVOICE_NO_LINES'
  | 'INVOICE_QUANTITY_INVALID'
  | 'INVOICE_PRICE_INVALID'
  | 'INVOICE_DISCOUNT_INVALID'
  | 'INVOICE_TAX_RATE_INVALID'
  | 'INVOICE_RECARGO_INVALID'
  | 'INVOICE_EXEMPTION_INVALID'
  | 'INVOICE_IRPF_INVALID';
export type InvoiceAmountError = DomainError<InvoiceAmountErrorCode> & { readonly details?: { readonly field?: string; readonly index?: number } };

/** IRPF withholding rates in use (15 % professionals, 7 % new professionals, 19 % rents); any 0–4700 bp is accepted. */
export const COMMON_IRPF_RATES_BP = [0, 700, 1500, 1900] as const;
export const MAX_INVOICE_LINES = 2000;

function lineError(code: InvoiceAmountErrorCode, message: string, index: number, field: string): InvoiceAmountError {
  return domainError(code, message, { index, field }) as InvoiceAmountError;
}

/** The base of one line (net, after its discount). */
export function lineBase(line: Pick<InvoiceLineInput, 'quantityMilli' | 'unitPriceCents' | 'discountBp'>): Cents {
  // One rounding over the exact product (BigInt: quantity × price can pass 2⁵³), not one per factor.
  const disc = BigInt(10_000 - (line.discountBp ?? 0));
  return Number(divRoundBig(BigInt(line.quantityMilli) * BigInt(line.unitPriceCents) * disc, 10_000_000n, 'halfUp'));
}

const EXEMPT_ORDER: Record<string, number> = { '': 0, E1: 1, E2: 2, E3: 3, E4: 4, E5: 5, E6: 6 };

/** Works out an invoice's lines, tax groups and totals; a refused line names its index and field. */
export function invoiceAmounts(lines: readonly InvoiceLineInput[], irpfBp = 0): Result<InvoiceAmounts, InvoiceAmountError> {
  if (lines.length === 0) return err(domainError('INVOICE_NO_LINES', 'an invoice needs at least one line') as InvoiceAmountError);
  if (lines.length > MAX_INVOICE_LINES) {
    return err(domainError('INVOICE_NO_LINES', `an invoice has at most ${MAX_INVOICE_LINES} lines`) as InvoiceAmountError);
  }
  if (!Number.isSafeInteger(irpfBp) || irpfBp < 0 || irpfBp > 4700) {
    return err(domainError('INVOICE_IRPF_INVALID', 'IRPF withholding must be 0–47 %', { field: 'irpfBp' }) as InvoiceAmountError);
  }
  const groups = new Map<string, { ivaRateBp: IvaRate; reRateBp: number; exemption?: ExemptionCause; base: number }>();
  const lineBases: Cents[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!Number.isSafeInteger(l.quantityMilli) || l.quantityMilli === 0 || Math.abs(l.quantityMilli) > 1e9) {
      return err(lineError('INVOICE_QUANTITY_INVALID', 'quantity must be a non-zero number with at most 3 decimals', i, 'quantity'));
    }
    if (!Number.isSafeInteger(l.unitPriceCents) || l.unitPriceCents < 0 || l.unitPriceCents > 1e9) {
      return err(lineError('INVOICE_PRICE_INVALID', 'unit price must be whole cents, not negative', i, 'unitPrice'));
    }
    const disc = l.discountBp ?? 0;
    if (!Number.isSafeInteger(disc) || disc < 0 || disc > 10_000) {
      return err(lineError('INVOICE_DISCOUNT_INVALID', 'discount must be 0–100 %', i, 'discount'));
    }
    if (!isIvaRate(l.ivaRateBp)) return err(lineError('INVOICE_TAX_RATE_INVALID', 'IVA rate must be 21, 10, 4 or 0 %', i, 'ivaRate'));
    const re = l.reRateBp ?? 0;
    if (re !== 0 && (l.ivaRateBp === 0 || !Number.isSafeInteger(re) || re < 0 || re > 1000)) {
      return err(lineError('INVOICE_RECARGO_INVALID', 'recargo applies only to a taxed line, 0–10 %', i, 'reRate'));
    }
    if (l.exemption !== undefined && (!isExemptionCause(l.exemption) || l.ivaRateBp !== 0)) {
      return err(lineError('INVOICE_EXEMPTION_INVALID', 'an exemption cause (E1–E6) goes only with IVA 0 %', i, 'exemption'));
    }
    const base = lineBase(l);
    lineBases.push(base);
    const key = `${l.ivaRateBp}|${re}|${l.exemption ?? ''}`;
    const g = groups.get(key);
    if (g) g.base += base;
    else groups.set(key, { ivaRateBp: l.ivaRateBp, reRateBp: re, ...(l.exemption ? { exemption: l.exemption } : {}), base });
  }
  const taxes: InvoiceTaxRow[] = [...groups.values()]
    .map((g) => ({
      ivaRateBp: g.ivaRateBp,
      reRateBp: g.reRateBp,
      ...(g.exemption ? { exemption: g.exemption } : {}),
      baseCents: g.base,
      ivaCents: mulDiv(g.base, g.ivaRateBp, 10_000, 'halfUp'),
      reCents: mulDiv(g.base, g.reRateBp, 10_000, 'halfUp'),
    }))
    .sort((a, b) => b.ivaRateBp - a.ivaRateBp || b.reRateBp - a.reRateBp || EXEMPT_ORDER[a.exemption ?? '']! - EXEMPT_ORDER[b.exemption ?? '']!);
  let baseCents = 0;
  let ivaCents = 0;
  let reCents = 0;
  for (const t of taxes) {
    baseCents += t.baseCents;
    ivaCents += t.ivaCents;
    reCents += t.reCents;
  }
  const irpfCents = mulDiv(baseCents, irpfBp, 10_000, 'halfUp');
  const grossCents = baseCents + ivaCents + reCents;
  return ok({ lineBases, taxes, baseCents, ivaCents, reCents, irpfCents, taxCents: ivaCents + reCents, grossCents, totalCents: grossCents - irpfCents });
}
