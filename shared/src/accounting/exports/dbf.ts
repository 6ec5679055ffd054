/**
 * dBase III tables (.dbf), as ContaPlus imports XDiario / XSubCta: written and read in memory.
 *
 * Why our own: the npm writers either need a file path (dbffile writes through fs, async, in the backoffice
 * only) or are unmaintained (dbf, 2015); the format is small — a 32-byte header, 32 bytes per field, records
 * of fixed width, 0x1A at the end — and a byte-level unit test pins it.
 *
 * Header: 0x03 (dBase III, no memo), last update YY MM DD (YY = year − 1900), record count (uint32 LE), header
 * length (uint16 LE: 32 + 32 × fields + 1), record length (uint16 LE: 1 + field widths), 0 × 17, language driver
 * 0x03 (Windows ANSI, cp1252) at byte 29, 0 × 2. Field: name (11 bytes, NUL-padded), type (C/N/D/L), 4
 * reserved, width, decimals, 14 reserved. Then 0x0D; every record starts with ' ' (not deleted); C left-aligned
 * space-padded, N right-aligned with its decimals, D yyyymmdd, L 'T'/'F'; the file ends with 0x1A.
 */
import { compactDate, concatBytes, cp1252Text, decodeCp1252, encodeCp1252, isoDate } from './encoding';

export interface DbfField {
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  width: number;
  decimals?: number;
}
/** N: a number, or a whole number of cents when `decimals` is 2 and the value is a bigint-free `{ cents }`. */
export type DbfValue = string | number | boolean | { cents: number } | null;
export type DbfRow = Record<string, DbfValue>;

const LDID_CP1252 = 0x03;

/** N with 2 decimals from cents, exact (no floating point): 12345 → '123.45' right-aligned. */
function numberText(f: DbfField, v: DbfValue): string {
  const dec = f.decimals ?? 0;
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'object') {
    if (dec !== 2) throw new Error(`DBF: ${f.name} holds cents but has ${dec} decimals`);
    const a = Math.abs(v.cents);
    s = `${v.cents < 0 ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  } else if (typeof v === 'number') s = dec === 0 ? String(Math.round(v)) : v.toFixed(dec);
  else throw new Error(`DBF: ${f.name} is numeric`);
  if (s.length > f.width) throw new Error(`DBF: ${f.name} value ${s} is wider than ${f.width}`);
  return s.padStart(f.width, ' ');
}

function fieldText(f: DbfField, v: DbfValue): string {
  switch (f.type) {
    case 'C':
      return cp1252Text(v === null ? '' : String(v)).slice(0, f.width).padEnd(f.width, ' ');
    case 'N':
      return numberText(f, v);
    case 'D':
      return v ? compactDate(String(v)) : ' '.repeat(8);
    case 'L':
      return v === null ? '?' : v ? 'T' : 'F';
  }
}

export function writeDbf(fields: readonly DbfField[], rows: readonly DbfRow[], updated: string): Uint8Array {
  for (const f of fields) {
    if (!/^[A-Z0-9_]{1,10}$/.test(f.name)) throw new Error(`DBF: bad field name ${f.name}`);
    if (f.type === 'D' && f.width !== 8) throw new Error(`DBF: date field ${f.name} must be 8 wide`);
    if (f.type === 'L' && f.width !== 1) throw new Error(`DBF: logical field ${f.name} must be 1 wide`);
  }
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((n, f) => n + f.width, 0);
  const head = new Uint8Array(headerLength);
  const view = new DataView(head.buffer);
  const [y, m, d] = updated.split('-').map(Number) as [number, number, number];
  head[0] = 0x03;
  head[1] = y - 1900;
  head[2] = m;
  head[3] = d;
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  head[29] = LDID_CP1252;
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    for (let k = 0; k < f.name.length; k++) head[at + k] = f.name.charCodeAt(k);
    head[at + 11] = f.type.charCodeAt(0);
    head[at + 16] = f.width;
    head[at + 17] = f.decimals ?? 0;
  });
  head[headerLength - 1] = 0x0d;
  // Most columns repeat a few values (zeros, blanks, the same date): each field keeps the texts it made.
  const caches = fields.map(() => new Map<string | number | boolean | null, string>());
  const text = (f: DbfField, i: number, v: DbfValue): string => {
    const key = v !== null && typeof v === 'object' ? `c${v.cents}` : v;
    let t = caches[i]!.get(key);
    if (t === undefined) {
      t = fieldText(f, v);
      if (caches[i]!.size < 10_000) caches[i]!.set(key, t);
    }
    return t;
  };
  const body = rows.map((r) => {
    let line = ' ';
    for (let i = 0; i < fields.length; i++) line += text(fields[i]!, i, r[fields[i]!.name] ?? null);
    return encodeCp1252(line);
  });
  return concatBytes([head, ...body, Uint8Array.of(0x1a)]);
}

export interface DbfTable {
  updated: string;
  fields: DbfField[];
  /** C trimmed on the right, N as numbers (null when blank), D as yyyy-mm-dd (null when blank), L as booleans. */
  rows: Array<Record<string, string | number | boolean | null>>;
}

export function readDbf(bytes: Uint8Array): DbfTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x03) throw new Error('DBF: not a dBase III table');
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const fields: DbfField[] = [];
  for (let at = 32; bytes[at] !== 0x0d; at += 32) {
    const raw = bytes.subarray(at, at + 11);
    const end = raw.indexOf(0);
    fields.push({ name: decodeCp1252(raw.subarray(0, end < 0 ? 11 : end)), type: String.fromCharCode(bytes[at + 11]!) as DbfField['type'], width: bytes[at + 16]!, decimals: bytes[at + 17]! });
  }
  if (1 + fields.reduce((n, f) => n + f.width, 0) !== recordLength) throw new Error('DBF: record length does not match the fields');
  if (bytes.length !== headerLength + count * recordLength + 1 || bytes[bytes.length - 1] !== 0x1a) throw new Error('DBF: size or end marker wrong');
  const rows: DbfTable['rows'] = [];
  for (let i = 0; i < count; i++) {
    const rec = decodeCp1252(bytes.subarray(headerLength + i * recordLength, headerLength + (i + 1) * recordLength));
    if (rec[0] === '*') continue;
    const row: DbfTable['rows'][number] = {};
    let at = 1;
    for (const f of fields) {
      const s = rec.slice(at, at + f.width);
      at += f.width;
      row[f.name] = f.type === 'C' ? s.trimEnd() : f.type === 'N' ? (s.trim() === '' ? null : Number(s)) : f.type === 'D' ? (s.trim() === '' ? null : isoDate(s)) : s === 'T' ? true : s === 'F' ? false : null;
    }
    rows.push(row);
  }
  const yy = bytes[1]! + 1900;
  return { updated: `${yy}-${String(bytes[2]).padStart(2, '0')}-${String(bytes[3]).padStart(2, '0')}`, fields, rows };
}
