/** Catalog import test helpers: files in the import-row contract's shape, uploads, waiting for jobs. */
import ExcelJS from 'exceljs';
import type { Harness } from './harness';
import type { BackofficeServer } from '../../src/server';

export const HEADER = ['sku', 'name', 'name_en', 'category', 'tax_rate', 'exemption', 'weighed', 'price', 'cost', 'barcodes', 'active'];

/** A CSV with `;` (Spanish spreadsheets) from rows of cells. */
export const csvOf = (rows: ReadonlyArray<ReadonlyArray<string | number>>, header: readonly string[] = HEADER, sep = ';') =>
  [header, ...rows].map((r) => r.map((c) => (String(c).includes(sep) || String(c).includes('"') ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(sep)).join('\r\n') + '\r\n';

export async function xlsxOf(rows: ReadonlyArray<ReadonlyArray<string | number>>, header: readonly string[] = HEADER): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Productos');
  sheet.addRow([...header]);
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** EAN-13 with its check digit, from 12 digits. */
export function ean13(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return twelve + ((10 - (sum % 10)) % 10);
}

export async function upload(h: Harness, token: string, body: string | Uint8Array, name = 'productos.csv', type = 'text/csv'): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answer
  const res = await fetch(`${h.url}/api/catalog/imports?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: await res.json() };
}

export async function settled(server: BackofficeServer, jobId: string) {
  return server.jobs.settled(jobId);
}
