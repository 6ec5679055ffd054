/**
 * Reads an import file row by row, streaming: CSV (`;` or `,`, detected from the header line; UTF-8 with or
 * without BOM) with csv-parse, XLSX (first worksheet) with exceljs's streaming reader. Yields the cells of
 * each row as text with its row number in the file (what the user sees in their spreadsheet).
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { excelJs } from '../platform/heavy-libs';

export type ImportFormat = 'csv' | 'xlsx';

export interface RawRow {
  row: number;
  cells: string[];
}

/** XLSX files are zip archives (`PK\x03\x04`); anything else is read as CSV. */
export function formatOf(head: Buffer): ImportFormat {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? 'xlsx' : 'csv';
}

export async function sniffFile(path: string): Promise<{ format: ImportFormat; delimiter: string }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    return { format: formatOf(head), delimiter: delimiterOf(head.toString('utf8')) };
  } finally {
    await fh.close();
  }
}

/** The separator of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function delimiterOf(text: string): string {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![1] > 0 ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0] : ';';
}

export async function* csvRows(input: Readable, delimiter: string): AsyncGenerator<RawRow> {
  const parser = input.pipe(parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }));
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { row: rec.info.lines, cells: rec.record };
}

/** A cell of any exceljs type as the text a user typed (numbers without float noise). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if ('result' in o) return cellText(o.result);
    if (o.error) return o.error;
  }
  return String(v);
}

export async function* xlsxRows(input: Readable | string): AsyncGenerator<RawRow> {
  const reader = new (excelJs().stream.xlsx.WorkbookReader)(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      // exceljs rows are 1-based (values[0] is empty).
      const cells = values.slice(1).map(cellText);
      if (cells.every((c) => c.trim() === '')) continue;
      yield { row: row.number, cells };
    }
    return; // the first worksheet only
  }
}
