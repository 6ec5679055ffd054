/**
 * One import row, from the cells of a CSV/XLSX line to a product change, and every way it can be wrong.
 * Pure: the checks against the database (SKU and barcode owners, categories) are in ./plan.ts.
 *
 * The import-row contract (shared with the catalog module): columns `sku; name; name_en; category (path
 * "Frutas > Cítricos"); tax_rate (21, 10, 4, 0); exemption (E1..E6 when 0 %); weighed (0/1, si/no); price
 * (euros "1,25" or "1.25"); cost; barcodes ("|"-separated); active (0/1)`. A column left out of the file
 * keeps what the product has (a new product gets the default); a column present but empty clears it.
 */
import { LIMITS, MAX_PRICE_CENTS } from '@tpv/shared/wire/limits';

export const IMPORT_COLUMNS = ['sku', 'name', 'name_en', 'category', 'tax_rate', 'exemption', 'weighed', 'price', 'cost', 'barcodes', 'active'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['sku', 'name', 'tax_rate', 'price'];

/** Spanish headers a spreadsheet exported from another tool tends to have. */
const ALIASES: Record<string, ImportColumn> = {
  nombre: 'name', nombre_en: 'name_en', nombre_ingles: 'name_en', categoria: 'category', iva: 'tax_rate', tipo_iva: 'tax_rate',
  exencion: 'exemption', peso: 'weighed', a_peso: 'weighed', precio: 'price', pvp: 'price', coste: 'cost', barcode: 'barcodes',
  ean: 'barcodes', codigos: 'barcodes', codigos_de_barras: 'barcodes', activo: 'active',
};

export interface ImportError {
  /** Row number in the file (the header is row 1). */
  row: number;
  column: string;
  /** Stable reason (`tax_rate.unknown`): the admin UI words it in the user's language. */
  code: string;
  /** English message (API, CLI). */
  message: string;
  value?: string;
  /** Values the message names (`{ row: 4 }` in "also on row 4"). */
  params?: Record<string, string | number>;
}

/** A parsed row. `undefined` fields: the column is not in the file (keep the product's value). */
export interface ImportRow {
  row: number;
  sku: string;
  name: string;
  nameEn: string | null | undefined;
  categoryPath: string[] | null | undefined;
  taxRateBp: 2100 | 1000 | 400 | 0;
  exemption: string | null | undefined;
  weighed: boolean | undefined;
  priceCents: number;
  costCents: number | null | undefined;
  barcodes: string[] | undefined;
  active: boolean | undefined;
}

const fold = (s: string) =>
  s.replace(/^\uFEFF/, '').trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\s-]+/g, '_');

/** Column index per known column, and the header errors (unknown, repeated or missing columns). */
export function mapHeader(cells: readonly string[]): { columns: Map<ImportColumn, number>; errors: ImportError[] } {
  const columns = new Map<ImportColumn, number>();
  const errors: ImportError[] = [];
  cells.forEach((raw, i) => {
    const key = fold(raw);
    if (key === '') return;
    const col = (IMPORT_COLUMNS as readonly string[]).includes(key) ? (key as ImportColumn) : ALIASES[key];
    if (!col) errors.push({ row: 1, column: raw.trim(), code: 'header.unknown', message: `unknown column "${raw.trim()}" (expected: ${IMPORT_COLUMNS.join(', ')})` });
    else if (columns.has(col)) errors.push({ row: 1, column: col, code: 'header.repeated', message: `column ${col} appears twice` });
    else columns.set(col, i);
  });
  for (const c of REQUIRED_COLUMNS) if (!columns.has(c)) errors.push({ row: 1, column: c, code: 'header.missing', message: `required column ${c} is missing` });
  return { columns, errors };
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const MONEY = /^(\d{1,7})(?:[.,](\d{1,2}))?$/;
const TAX: Record<string, 2100 | 1000 | 400 | 0> = { '21': 2100, '10': 1000, '4': 400, '0': 0 };
const YES = new Set(['1', 'si', 'sí', 's', 'yes', 'y', 'true', 'verdadero', 'x']);
const NO = new Set(['0', 'no', 'n', 'false', 'falso']);

/** Euros as written in a Spanish or English spreadsheet ("1,25", "1.25", "3") → cents; null if malformed. */
export function parseEuros(text: string): number | null {
  const m = MONEY.exec(text.replace(/\s*€\s*$/, '').trim());
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents <= MAX_PRICE_CENTS ? cents : null;
}

/** "21", "21 %", "21,0", or a spreadsheet percentage cell (0.21) → basis points. */
export function parseTaxRate(text: string): 2100 | 1000 | 400 | 0 | null {
  const t = text.replace(/\s*%\s*$/, '').trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  const pct = n > 0 && n < 1 ? Math.round(n * 100) : n;
  return Number.isInteger(pct) ? (TAX[String(pct)] ?? null) : null;
}

/** GS1 check digit of EAN-8, UPC-A (12), EAN-13 and GTIN-14; other lengths (6–14 digits) are in-house codes. */
export function gtinCheckDigitOk(code: string): boolean {
  if (![8, 12, 13, 14].includes(code.length)) return true;
  let sum = 0;
  for (let i = code.length - 2, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += Number(code[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(code[code.length - 1]);
}

function parseBool(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : null;
}

/**
 * Parses one data row. Returns the row when every cell is fine, and pushes one error per bad cell (a row
 * can have several) to `errors`.
 */
export function parseRow(rowNumber: number, cells: readonly string[], columns: ReadonlyMap<ImportColumn, number>, errors: ImportError[]): ImportRow | null {
  const before = errors.length;
  const has = (c: ImportColumn) => columns.has(c);
  const cell = (c: ImportColumn) => (cells[columns.get(c) ?? -1] ?? '').trim();
  const bad = (column: ImportColumn, code: string, message: string, value = cell(column)) =>
    errors.push({ row: rowNumber, column, code, message, ...(value !== '' ? { value: value.slice(0, 100) } : {}) });

  const sku = cell('sku');
  if (sku === '') bad('sku', 'required', 'SKU is required');
  else if (sku.length > LIMITS.sku || !SKU.test(sku)) bad('sku', 'sku.format', `SKU: letters, digits and . _ - / only, at most ${LIMITS.sku} characters`);

  const name = cell('name');
  if (name === '') bad('name', 'required', 'name is required');
  else if (name.length > LIMITS.productName) bad('name', 'too_long', `name longer than ${LIMITS.productName} characters`);

  let nameEn: string | null | undefined;
  if (has('name_en')) {
    nameEn = cell('name_en') || null;
    if (nameEn !== null && nameEn.length > LIMITS.productName) bad('name_en', 'too_long', `name_en longer than ${LIMITS.productName} characters`);
  }

  let categoryPath: string[] | null | undefined;
  if (has('category')) {
    const text = cell('category');
    categoryPath = text === '' ? null : text.split('>').map((s) => s.trim());
    if (categoryPath?.some((s) => s === '')) bad('category', 'category.empty_level', 'category path has an empty level (write "Frutas > Cítricos")');
    else if (categoryPath?.some((s) => s.length > LIMITS.categoryName)) bad('category', 'too_long', `a category name is longer than ${LIMITS.categoryName} characters`);
    else if (categoryPath && categoryPath.length > 8) bad('category', 'category.too_deep', 'category path deeper than 8 levels');
  }

  const taxText = cell('tax_rate');
  const taxRateBp = parseTaxRate(taxText);
  if (taxRateBp === null) bad('tax_rate', taxText === '' ? 'required' : 'tax_rate.unknown', taxText === '' ? 'tax rate is required' : `unknown tax rate "${taxText}" (21, 10, 4 or 0)`);

  let exemption: string | null | undefined;
  if (has('exemption')) {
    const e = cell('exemption').toUpperCase();
    exemption = e || null;
    if (exemption !== null && !/^E[1-6]$/.test(exemption)) bad('exemption', 'exemption.format', 'exemption: E1 to E6');
    else if (exemption !== null && taxRateBp !== null && taxRateBp !== 0) bad('exemption', 'exemption.not_zero', 'an exemption goes only with tax rate 0');
  }

  let weighed: boolean | undefined;
  if (has('weighed') && cell('weighed') !== '') {
    const b = parseBool(cell('weighed'));
    if (b === null) bad('weighed', 'yes_no', 'weighed: 1/0 or si/no');
    else weighed = b;
  }

  const priceText = cell('price');
  const priceCents = parseEuros(priceText);
  if (priceCents === null) bad('price', priceText === '' ? 'required' : 'money.format', priceText === '' ? 'price is required' : 'price: euros with up to 2 decimals, e.g. 1,25 (at most 999999,99)');

  let costCents: number | null | undefined;
  if (has('cost')) {
    const t = cell('cost');
    costCents = t === '' ? null : parseEuros(t);
    if (t !== '' && costCents === null) bad('cost', 'money.format', 'cost: euros with up to 2 decimals, e.g. 0,80');
  }

  let barcodes: string[] | undefined;
  if (has('barcodes')) {
    barcodes = cell('barcodes').split('|').map((b) => b.trim()).filter((b) => b !== '');
    const seen = new Set<string>();
    for (const b of barcodes) {
      if (!/^\d{6,14}$/.test(b)) bad('barcodes', 'barcode.format', `barcode ${b}: 6 to 14 digits`, b);
      else if (!gtinCheckDigitOk(b)) bad('barcodes', 'barcode.check_digit', `barcode ${b}: wrong check digit`, b);
      else if (seen.has(b)) bad('barcodes', 'barcode.twice_in_row', `barcode ${b} appears twice in the row`, b);
      seen.add(b);
    }
    if (barcodes.length > 20) bad('barcodes', 'barcode.too_many', 'at most 20 barcodes per product');
  }

  let active: boolean | undefined;
  if (has('active') && cell('active') !== '') {
    const b = parseBool(cell('active'));
    if (b === null) bad('active', 'yes_no', 'active: 1/0 or si/no');
    else active = b;
  }

  if (errors.length > before) return null;
  return { row: rowNumber, sku, name, nameEn, categoryPath, taxRateBp: taxRateBp!, exemption, weighed, priceCents: priceCents!, costCents, barcodes, active };
}
