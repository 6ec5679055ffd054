/**
 * Invoice PDF bench (issue 12, must-be-true 6): one invoice PDF ≤ 100 ms — key `invoice_pdf_ms`.
 *
 * A manual invoice of 20 lines (IVA 21/10/4 %, a discount on every third line, recargo, IRPF 15 %, two due
 * dates) posted through the invoicing core into a fresh SQLite file database; then `invoicePdfBuffer` — what
 * the invoice page's download and `storeInvoicePdf` run: load the invoice with its lines, taxes, dues and
 * Veri*Factu record, make the QR, lay out the A4 page with pdfkit — timed 5 times to warm up, then 30 times;
 * the figure is the median. `storeInvoicePdf` (render + the files area + pdf_file_id) is timed once beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { exec } from '@tpv/backoffice/persistence/sql';
import { insertDraftInvoice, postInvoice, type DraftInvoiceLine } from '@tpv/backoffice/invoicing/posting';
import { invoicePdfBuffer, storeInvoicePdf } from '@tpv/backoffice/invoicing/pdf';
import { createFiles } from '@tpv/backoffice/platform/files/service';
import { localFileStore } from '@tpv/backoffice/platform/files/store';
import { percentile, round, type Figures } from './types';

const LINES = 20;
const RUNS = 30;
const WARMUP = 5;
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const ISSUER = '00000000-0000-7000-8e10-000000000001';
const RECIPIENT = '00000000-0000-7000-8e10-000000000002';

export async function invoicePdfFigures(machine: () => string): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-invoice-pdf-'));
  const ds = await openBackofficeDatabase({ file: path.join(dir, 'invoices.sqlite') });
  try {
    await exec(ds.manager, `INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (?, 'franchisor', 'B12345674', 'Franquicia Bench S.L.', NULL, 'Calle Mayor 1, 28013 Madrid'), (?, 'franchisee', 'B87654323', 'Franquiciado Bench S.L.', NULL, 'Avenida del Puerto 10, 46021 València')`, [ISSUER, RECIPIENT]);
    const by = { kind: 'user' as const, user: { id: '00000000-0000-7000-8e70-000000000001', email: 'bench@tpv.bench', name: 'Bench', role: 'hq_admin' as const, companyId: null, storeId: null, companyIds: [] } };
    const rates = [2100, 1000, 400] as const;
    const re = { 2100: 520, 1000: 140, 400: 50 } as const;
    const lines: DraftInvoiceLine[] = Array.from({ length: LINES }, (_, i) => ({
      description: `Servicio ${i + 1}: mantenimiento y asistencia técnica del local`,
      quantityMilli: 1000 + (i % 4) * 500,
      unitPriceCents: 1_250 + i * 377,
      discountBp: i % 3 === 0 ? 500 : 0,
      ivaRateBp: rates[i % 3]!,
      reRateBp: re[rates[i % 3]!],
    }));
    const id = await writeTransaction(ds, async (m) => {
      const d = await insertDraftInvoice(m, clock, by, {
        companyId: ISSUER, invoiceType: 'F1', source: 'manual', recipient: { companyId: RECIPIENT, nif: 'B87654323', name: 'Franquiciado Bench S.L.', address: 'Avenida del Puerto 10, 46021 València' },
        reRegime: true, irpfBp: 1500, paymentDays: [30, 60], paymentMethod: 'transfer', lines,
      });
      await postInvoice(m, clock, by, d.id);
      return d.id;
    });
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const pdf = await invoicePdfBuffer(ds.manager, id);
      const t = performance.now() - t0;
      if (i >= WARMUP) ms.push(t);
      bytes = pdf.length;
      // BENCH_INVOICE_PDF_OUT=/tmp/x.pdf keeps the rendered invoice to look at.
      if (i === 0 && process.env.BENCH_INVOICE_PDF_OUT) writeFileSync(process.env.BENCH_INVOICE_PDF_OUT, pdf);
    }
    const files = createFiles(ds, clock, localFileStore(path.join(dir, 'files')));
    const t0 = performance.now();
    await storeInvoicePdf(ds.manager, files, id);
    const stored = performance.now() - t0;
    const p = (q: number) => round(percentile(ms, q), 1);
    return {
      invoice_pdf_ms: {
        value: p(50),
        unit: 'ms',
        conditions:
          `invoicePdfBuffer of one posted invoice of ${LINES} lines (IVA 21/10/4 %, recargo, IRPF 15 %, 2 due dates, QR tributario) from SQLite (WAL, file): load + QR + pdfkit A4, ` +
          `${Math.round(bytes / 1024)} KiB; median of ${RUNS} after ${WARMUP} warm-up (p95 ${p(95)}, max ${p(100)}); storeInvoicePdf (render + files area + pdf_file_id) once ${round(stored, 1)} ms; target ≤ 100 ms; ${machine()}`,
      },
    };
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
