/**
 * Barcodes at the till: GS1 check digits (EAN-13, EAN-8, UPC-A, GTIN-14), classification of scanned text,
 * and GS1 in-store variable-measure codes (EAN-13 prefixes 20–29) with optional price/weight check digit
 * (GS1 General Specifications §7.9.3, weighting factors 2-, 3, 5+, 5-).
 *
 * Normalisation for catalog lookup: a UPC-A (12 digits) is normalised to its EAN-13 form with a leading 0
 * (`036000241457` → `0036000241457`), so a product is found whether the scanner sends 12 or 13 digits.
 * EAN-8 stays 8 digits and GTIN-14 stays 14 (they are distinct GTINs); CODE128 text is kept as scanned.
 */
import { domainError, err, ok, type DomainError, type Result } from './result';

export type Symbology = 'EAN13' | 'EAN8' | 'UPCA' | 'GTIN14' | 'CODE128';

export interface ClassifiedBarcode {
  symbology: Symbology;
  /** Lookup key: EAN-13 digits for EAN13 and UPCA (UPC-A gets a leading 0), digits for EAN8/GTIN14, text for CODE128. */
  normalized: string;
}

export type BarcodeErrorCode = 'BARCODE_EMPTY' | 'BARCODE_MALFORMED' | 'BARCODE_CHECK_DIGIT';
export type BarcodeError = DomainError<BarcodeErrorCode>;

const DIGITS_RE = /^\d+$/;
const GTIN_LENGTH: Partial<Record<Symbology, number>> = { EAN13: 13, EAN8: 8, UPCA: 12, GTIN14: 14 };

/**
 * GS1 mod-10 check digit of the data digits (everything but the check digit): weights 3,1,3,1… from the
 * rightmost data digit. Works for GTIN-8/12/13/14 and SSCC. Throws on non-digits (a bug).
 */
export function gs1CheckDigit(data: string): number {
  if (!DIGITS_RE.test(data)) throw new RangeError(`gs1CheckDigit: digits only: ${JSON.stringify(data)}`);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const digit = data.charCodeAt(data.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an all-digit string whose last digit is its GS1 check digit. */
export function hasValidGs1CheckDigit(code: string): boolean {
  return code.length >= 2 && DIGITS_RE.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

export const isValidEan13 = (code: string): boolean => code.length === 13 && hasValidGs1CheckDigit(code);
export const isValidEan8 = (code: string): boolean => code.length === 8 && hasValidGs1CheckDigit(code);
export const isValidUpcA = (code: string): boolean => code.length === 12 && hasValidGs1CheckDigit(code);

/** EAN-13 from its first 12 digits (seed data, in-store codes). Throws RangeError on anything else (a bug). */
export function makeEan13(first12: string): string {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`makeEan13: 12 digits expected: ${JSON.stringify(first12)}`);
  return first12 + String(gs1CheckDigit(first12));
}

/** EAN-8 from its first 7 digits. */
export function makeEan8(first7: string): string {
  if (!/^\d{7}$/.test(first7)) throw new RangeError(`makeEan8: 7 digits expected: ${JSON.stringify(first7)}`);
  return first7 + String(gs1CheckDigit(first7));
}

/** AIM symbology identifiers some scanners prefix (]E0 EAN-13/UPC-A, ]E4 EAN-8, ]C0/]C1 Code 128/GS1-128). */
const AIM_PREFIXES: ReadonlyArray<[string, Symbology | 'EAN']> = [
  [']E0', 'EAN'],
  [']E4', 'EAN8'],
  [']C0', 'CODE128'],
  [']C1', 'CODE128'],
];

export interface ClassifyOptions {
  /** Symbology reported by the scanner, when the driver knows it. */
  symbology?: Symbology;
}

const malformed = (message: string, text: string): BarcodeError => domainError('BARCODE_MALFORMED', message, { text });

/**
 * Classifies scanned text. Surrounding whitespace (scanner CR/LF suffix) is removed. Without a hint (or AIM
 * prefix): all digits of length 8/12/13/14 → EAN8/UPCA/EAN13/GTIN14 with the check digit verified; any other
 * all-digit text → BARCODE_MALFORMED (a bad length for a numeric symbology); text with non-digits is CODE128
 * when it is printable ASCII, else BARCODE_MALFORMED. With hint CODE128, digits of any length are accepted.
 */
export function classifyBarcode(text: string, options: ClassifyOptions = {}): Result<ClassifiedBarcode, BarcodeError> {
  let body = text.trim();
  let hint: Symbology | 'EAN' | undefined = options.symbology;
  for (const [prefix, symbology] of AIM_PREFIXES) {
    if (body.startsWith(prefix)) {
      body = body.slice(prefix.length);
      hint = symbology;
      break;
    }
  }
  if (body === '') return err(domainError('BARCODE_EMPTY', 'the scanned barcode is empty'));

  if (hint === 'CODE128') {
    if (!/^[\x20-\x7e]+$/.test(body)) return err(malformed('Code 128 text must be printable ASCII', text));
    return ok({ symbology: 'CODE128', normalized: body });
  }

  if (!DIGITS_RE.test(body)) {
    if (hint !== undefined) return err(malformed(`${hint === 'EAN' ? 'EAN' : hint} barcodes contain digits only`, text));
    if (!/^[\x20-\x7e]+$/.test(body)) return err(malformed('barcode text must be printable ASCII', text));
    return ok({ symbology: 'CODE128', normalized: body });
  }

  let symbology: Symbology;
  if (hint === 'EAN') {
    // ]E0 carries EAN-13 (UPC-A arrives as 13 digits with a leading 0); also accept a bare 12-digit UPC-A.
    if (body.length === 13) symbology = 'EAN13';
    else if (body.length === 12) symbology = 'UPCA';
    else return err(malformed(`EAN-13 needs 13 digits, got ${body.length}`, text));
  } else if (hint !== undefined) {
    symbology = hint;
    if (body.length !== GTIN_LENGTH[symbology]) {
      return err(malformed(`${symbology} needs ${GTIN_LENGTH[symbology]} digits, got ${body.length}`, text));
    }
  } else {
    const byLength: Record<number, Symbology> = { 8: 'EAN8', 12: 'UPCA', 13: 'EAN13', 14: 'GTIN14' };
    const guess = byLength[body.length];
    if (guess === undefined) return err(malformed(`no numeric symbology has ${body.length} digits (8, 12, 13 or 14)`, text));
    symbology = guess;
  }

  if (!hasValidGs1CheckDigit(body)) {
    const expected = gs1CheckDigit(body.slice(0, -1));
    return err(
      domainError('BARCODE_CHECK_DIGIT', `check digit should be ${expected}`, { text, symbology, expected, actual: Number(body[body.length - 1]) }),
    );
  }
  return ok({ symbology, normalized: symbology === 'UPCA' ? `0${body}` : body });
}

// ---------------------------------------------------------------------------------------------------------
// Price/weight check digit (GS1 General Specifications §7.9.3)
// ---------------------------------------------------------------------------------------------------------

/** Weighting factor 2-: units digit of 2d minus its tens digit (mod 10). */
const W2MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
/** Weighting factor 3: units digit of 3d. */
const W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
/** Weighting factor 5+: units digit of 5d plus its tens digit. */
const W5PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
/** Weighting factor 5-: units digit of 5d minus its tens digit (mod 10). */
const W5MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function weightedSum(value: string, weights: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i]![value.charCodeAt(i) - 48]!;
  return sum;
}

/**
 * Check digit of a 4- or 5-digit price/weight field.
 * 4 digits: weights 2-, 2-, 3, 5-; check = units digit of (sum × 3).
 * 5 digits: weights 5+, 2-, 5-, 5+, 2-; r = (10 − sum mod 10) mod 10; check = the digit whose 5- product is r.
 * Throws RangeError on anything but 4 or 5 digits (a bug).
 */
export function priceCheckDigit(value: string): number {
  if (/^\d{4}$/.test(value)) return (weightedSum(value, [W2MINUS, W2MINUS, W3, W5MINUS]) * 3) % 10;
  if (/^\d{5}$/.test(value)) {
    const r = (10 - (weightedSum(value, [W5PLUS, W2MINUS, W5MINUS, W5PLUS, W2MINUS]) % 10)) % 10;
    return W5MINUS.indexOf(r);
  }
  throw new RangeError(`priceCheckDigit: 4 or 5 digits expected: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Variable-measure (in-store) EAN-13: prefix + item + [price check digit] + value + EAN check digit
// ---------------------------------------------------------------------------------------------------------

export interface VariableMeasureTemplate {
  /** 1–3 digits starting with '2' (GS1 in-store range 20–29), e.g. '21'. */
  prefix: string;
  /** weight: value is grams; price: value is cents (tax included). */
  kind: 'weight' | 'price';
  itemDigits: number;
  valueDigits: number;
  /** A GS1 price/weight check digit precedes the value (value must then be 4 or 5 digits). */
  valueCheckDigit: boolean;
}

export type ScanResult =
  | { kind: 'plain'; code: string; symbology: Symbology }
  | { kind: 'weight'; itemCode: string; grams: number; prefix: string; barcode: string }
  | { kind: 'price'; itemCode: string; cents: number; prefix: string; barcode: string };

export type TemplateErrorCode = 'BARCODE_TEMPLATE_INVALID';

/** Checks that the template's parts add up to an EAN-13: prefix + item + check? + value = 12 digits. */
export function validateTemplate(t: VariableMeasureTemplate): Result<VariableMeasureTemplate, DomainError<TemplateErrorCode>> {
  const bad = (message: string) => err(domainError('BARCODE_TEMPLATE_INVALID', message, { template: t }));
  if (!/^2\d{0,2}$/.test(t.prefix)) return bad('prefix must be 1-3 digits starting with 2');
  if (t.kind !== 'weight' && t.kind !== 'price') return bad('kind must be weight or price');
  if (!Number.isInteger(t.itemDigits) || t.itemDigits < 1) return bad('itemDigits must be a positive integer');
  if (!Number.isInteger(t.valueDigits) || t.valueDigits < 1) return bad('valueDigits must be a positive integer');
  if (t.valueCheckDigit && t.valueDigits !== 4 && t.valueDigits !== 5) return bad('a price check digit needs a 4- or 5-digit value');
  if (t.prefix.length + t.itemDigits + (t.valueCheckDigit ? 1 : 0) + t.valueDigits !== 12) {
    return bad('prefix + item + check + value digits must total 12 (plus the EAN-13 check digit)');
  }
  return ok(t);
}

/**
 * Decodes scanned text: an EAN-13 matching a template's prefix (longest prefix wins) is a variable-measure
 * code; anything else that classifies is `plain` with the normalised lookup code. A wrong price check digit
 * is BARCODE_CHECK_DIGIT. Templates are assumed valid (see validateTemplate).
 */
export function parseScan(
  text: string,
  templates: readonly VariableMeasureTemplate[],
  options: ClassifyOptions = {},
): Result<ScanResult, BarcodeError> {
  const classified = classifyBarcode(text, options);
  if (!classified.ok) return classified;
  const { symbology, normalized } = classified.value;
  if (symbology === 'EAN13') {
    let template: VariableMeasureTemplate | undefined;
    for (const t of templates) {
      if (normalized.startsWith(t.prefix) && (template === undefined || t.prefix.length > template.prefix.length)) template = t;
    }
    if (template !== undefined) {
      let pos = template.prefix.length;
      const itemCode = normalized.slice(pos, (pos += template.itemDigits));
      const check = template.valueCheckDigit ? normalized.slice(pos, (pos += 1)) : undefined;
      const value = normalized.slice(pos, pos + template.valueDigits);
      if (check !== undefined) {
        const expected = priceCheckDigit(value);
        if (expected !== Number(check)) {
          return err(
            domainError('BARCODE_CHECK_DIGIT', `price/weight check digit should be ${expected}`, {
              text,
              symbology,
              expected,
              actual: Number(check),
              field: 'value',
            }),
          );
        }
      }
      const amount = Number(value);
      return ok(
        template.kind === 'weight'
          ? { kind: 'weight', itemCode, grams: amount, prefix: template.prefix, barcode: normalized }
          : { kind: 'price', itemCode, cents: amount, prefix: template.prefix, barcode: normalized },
      );
    }
  }
  return ok({ kind: 'plain', code: normalized, symbology });
}

/**
 * Builds the EAN-13 for a weighed / priced item (scale labels, in-store codes). `itemCode` is left-padded
 * with zeros to the template width. Errors: BARCODE_TEMPLATE_INVALID, BARCODE_MALFORMED when the item code
 * or value does not fit (value is grams or cents: a non-negative integer).
 */
export function makeVariableMeasureBarcode(
  template: VariableMeasureTemplate,
  itemCode: string,
  value: number,
): Result<string, DomainError<TemplateErrorCode | 'BARCODE_MALFORMED'>> {
  const valid = validateTemplate(template);
  if (!valid.ok) return valid;
  if (!/^\d+$/.test(itemCode) || itemCode.length > template.itemDigits) {
    return err(domainError('BARCODE_MALFORMED', `item code must be at most ${template.itemDigits} digits`, { itemCode }));
  }
  if (!Number.isSafeInteger(value) || value < 0 || value >= 10 ** template.valueDigits) {
    return err(domainError('BARCODE_MALFORMED', `value must be an integer from 0 to ${10 ** template.valueDigits - 1}`, { value }));
  }
  const valueText = String(value).padStart(template.valueDigits, '0');
  const check = template.valueCheckDigit ? String(priceCheckDigit(valueText)) : '';
  return ok(makeEan13(template.prefix + itemCode.padStart(template.itemDigits, '0') + check + valueText));
}
