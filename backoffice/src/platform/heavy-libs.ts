/**
 * Heavy libraries loaded on first use instead of when the back office starts. exceljs (about 1 s to import on
 * these machines), pdfkit (0.6 s) and xadesjs (1.2 s) are needed only by exports, PDFs and Facturae signatures,
 * yet every back-office process — and every test file that builds the server — paid for them at start-up.
 * exceljs and pdfkit are CommonJS packages: a synchronous require on first use keeps their callers unchanged.
 */
import { createRequire } from 'node:module';

type ExcelJs = typeof import('exceljs');
type PdfKit = typeof import('pdfkit');
type Xades = typeof import('xadesjs');

const require = createRequire(import.meta.url);
let excel: ExcelJs | undefined;
let pdf: PdfKit | undefined;
let xades: Promise<Xades> | undefined;

/** exceljs, required the first time a workbook is read or written. */
export const excelJs = (): ExcelJs => (excel ??= require('exceljs') as ExcelJs);

/** pdfkit's PDFDocument class, required the first time a PDF is drawn. */
export const pdfKit = (): PdfKit => (pdf ??= require('pdfkit') as PdfKit);

/** xadesjs, imported the first time a Facturae is signed or verified, `setup` run once on it (its crypto engine and DOM). */
export function loadXades(setup: (x: Xades) => void): Promise<Xades> {
  return (xades ??= import('xadesjs').then((x) => (setup(x), x)));
}
