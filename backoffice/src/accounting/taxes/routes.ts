/**
 * HTTP routes of a company's taxes (accounting.read; the company must be in the caller's scope): the VAT books
 * with the tills' daily summaries, the 303 figures with their reconciliation, the 347 statement. JSON, or a
 * CSV/XLSX download of the same rows with `format=csv|xlsx`.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { VatBookRow } from '@tpv/shared/accounting/vat-return';
import * as W from '@tpv/shared/wire/http/accounting-taxes';
import { CompanyParams } from '@tpv/shared/wire/http/accounting';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { EXPORT_MEDIA, sendExport, type ExportColumn } from '../../platform/list';
import { companyInScope } from '../core/routes';
import { annualOf, vatBook, vatReturnOf } from './service';

const TAGS = ['accounting'];
const eur = (c: number) => (c / 100).toFixed(2);
const pct = (bp: number) => (bp / 100).toFixed(2);

const BOOK_COLUMNS: ExportColumn<VatBookRow & { counted: boolean }>[] = [
  { header: 'Periodo', value: (r) => r.period },
  { header: 'Fecha', value: (r) => r.date },
  { header: 'Tipo de Factura', value: (r) => r.invoiceType },
  { header: 'Número', value: (r) => r.number },
  { header: 'NIF', value: (r) => r.counterpartyNif },
  { header: 'Nombre', value: (r) => r.counterpartyName },
  { header: 'Causa Exención', value: (r) => r.exemption },
  { header: 'Base Imponible', value: (r) => eur(r.baseCents) },
  { header: 'Tipo de IVA', value: (r) => pct(r.ivaRateBp) },
  { header: 'Cuota IVA', value: (r) => eur(r.ivaCents) },
  { header: 'Tipo de Recargo eq.', value: (r) => pct(r.reRateBp) },
  { header: 'Cuota Recargo eq.', value: (r) => eur(r.reCents) },
  { header: 'Retención IRPF', value: (r) => (r.irpfCents ? eur(r.irpfCents) : '') },
  { header: 'Total', value: (r) => eur(r.rowTotalCents) },
  { header: 'Nº tiques', value: (r) => r.ticketCount ?? '' },
  { header: 'Estado', value: (r) => (r.status === 'cancelled' ? 'Anulada' : r.invoiceType === 'F3' ? 'Sustituye tiques (en el resumen diario)' : 'Registrada') },
];

interface Line {
  a: string;
  b: string;
  c: string;
  d: string;
  e: string;
  f: string;
}
const lineColumns = (h: [string, string, string, string, string, string]): ExportColumn<Line>[] =>
  (['a', 'b', 'c', 'd', 'e', 'f'] as const).map((k, i) => ({ header: h[i]!, value: (l: Line) => l[k] }));

export function accountingTaxesRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/vat-books', summary: 'A VAT book of a company for a month, quarter or year: invoices issued (with the tills’ daily ticket summaries) or received, one row per document and rate', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, query: W.VatBooksQuery, response: W.VatBookSchema, produces: EXPORT_MEDIA, errors: { 404: 'no such company' },
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const b = await vatBook(ds.manager, params.companyId, query.book, query.period);
        if (query.format === 'json') return b;
        await sendExport(res, query.format, `libro-iva-${query.book === 'issued' ? 'expedidas' : 'recibidas'}-${query.period}`, BOOK_COLUMNS, b.rows);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/vat-return', summary: 'The modelo 303 figures of a quarter (or month) from the VAT books, each box with its rows, and the reconciliation of the output/input VAT per rate with the journal (477, 4771, 472)', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, query: W.VatReturnQuery, response: W.VatReturnSchema, produces: EXPORT_MEDIA, errors: { 404: 'no such company' },
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const r = await vatReturnOf(ds.manager, params.companyId, query.period);
        if (query.format === 'json') return r;
        const lines: Line[] = [
          ...r.boxes.map((b) => ({ a: '303', b: b.box, c: b.es, d: b.kind === 'rate' ? pct(b.value) : eur(b.value), e: '', f: '' })),
          ...r.reconciliation.map((l) => ({ a: l.kind, b: `${l.account} (${pct(l.rateBp)} %)`, c: l.explained.map((e) => `${e.reason}${e.detail ? ` ${e.detail}` : ''}: ${eur(e.cents)}`).join('; '), d: eur(l.bookCents), e: eur(l.journalCents), f: eur(l.differenceCents) })),
        ];
        await sendExport(res, query.format, `modelo-303-${query.period}`, lineColumns(['Sección', 'Casilla / Cuenta', 'Concepto', 'Importe (libros)', 'Diario', 'Diferencia']), lines);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/annual-counterparties', summary: 'The modelo 347 of a year: counterparties (NIF) whose operations exceed 3.005,06 € incl. IVA, key A purchases / key B sales, by quarter', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, query: W.AnnualQuery, response: W.AnnualSchema, produces: EXPORT_MEDIA, errors: { 404: 'no such company' },
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const a = await annualOf(ds.manager, params.companyId, query.year);
        if (query.format === 'json') return a;
        const cols: ExportColumn<(typeof a.declared)[number]>[] = [
          { header: 'NIF', value: (c) => c.nif },
          { header: 'Nombre', value: (c) => c.name },
          { header: 'Clave', value: (c) => c.key },
          { header: 'Importe anual', value: (c) => eur(c.totalCents) },
          ...[0, 1, 2, 3].map((q) => ({ header: `${q + 1}T`, value: (c: (typeof a.declared)[number]) => eur(c.quarters[q]!) })),
        ];
        await sendExport(res, query.format, `modelo-347-${query.year}`, cols, a.declared);
        return undefined;
      },
    }),
  ]);
}
