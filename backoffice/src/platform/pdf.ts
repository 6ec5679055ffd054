/** PDFs made on the server (pdfkit, A4): a document whose bytes are collected as it is written. */
import { pdfKit } from './heavy-libs';

export function a4Pdf(info: { Title: string; Author: string }) {
  const doc = new (pdfKit())({ size: 'A4', margin: 48, info });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  /** Resolves with the whole file once `doc.end()` is called. */
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  return { doc, bytes, left, width: doc.page.width - left - doc.page.margins.right };
}
