/**
 * Exports for a gestoría (issue 14): one company's journal for a date range, or its chart of accounts, as the
 * file A3 (SUENLACE.DAT), ContaPlus (XDiario.dbf / XSubCta.dbf) or a spreadsheet (CSV / XLSX) imports.
 * `accounting.read`, the company in the caller's scope (403 outside it, 404 unknown); a range of more than
 * MAX_EXPORT_LINES journal lines is refused (413: ask for a shorter one) rather than held in memory.
 */
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { A3_FILE_NAME, a3ChartFile, a3JournalFile } from '@tpv/shared/accounting/exports/a3';
import { XDIARIO_FILE_NAME, XSUBCTA_FILE_NAME, xdiarioFile, xsubctaFile } from '@tpv/shared/accounting/exports/contaplus';
import { chartCsv, journalCsv } from '@tpv/shared/accounting/exports/plain';
import * as W from '@tpv/shared/wire/http/accounting-exports';
import { CompanyParams } from '@tpv/shared/wire/http/accounting';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { one } from '../../persistence/sql';
import { companyInScope } from '../core/routes';
import { journalLineCount, loadChart, loadJournal, MAX_EXPORT_LINES } from './load';
import { writeChartXlsx, writeJournalXlsx } from './xlsx';

const TAGS = ['accounting'];
const MEDIA = { a3: 'application/octet-stream', contaplus: 'application/x-dbase', csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const PRODUCES = ['application/octet-stream', 'application/x-dbase', 'text/csv', MEDIA.xlsx];

function sendFile(res: Response, format: W.ExportFormat, filename: string, body: Uint8Array | string): void {
  res.setHeader('Content-Type', MEDIA[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

function startXlsx(res: Response, filename: string): Response {
  res.setHeader('Content-Type', MEDIA.xlsx);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  return res;
}

/** A name for the download: the company's NIF (what a gestoría files by) and the range. */
async function fileStem(ds: DataSource, companyId: string): Promise<string> {
  const c = await one<{ nif: string | null }>(ds.manager, `SELECT nif FROM company WHERE id = ?`, [companyId]);
  return (c?.nif ?? companyId).replace(/[^A-Za-z0-9_-]+/g, '_');
}

export function accountingExportRoutes(ds: DataSource, clock: Clock): ApiRouter {
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/exports/journal', tags: TAGS, access: 'accounting.read',
      summary: "A company's journal for a date range as a file a gestoría imports: A3 SUENLACE.DAT (sub-account records, then the entries' lines), ContaPlus XDiario.dbf, or CSV / XLSX (one row per line and a totals row)",
      params: CompanyParams, query: W.JournalExportQuery, produces: PRODUCES,
      errors: { 404: 'no such company', 413: 'the range holds too many journal lines: export a shorter one' },
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const n = await journalLineCount(ds.manager, params.companyId, query.from, query.to);
        if (n > MAX_EXPORT_LINES) throw new HttpProblem(problem(413, 'EXPORT_TOO_LARGE', 'Export too large', { detail: `el periodo tiene ${n} apuntes (máximo ${MAX_EXPORT_LINES}): exporte un periodo más corto / the range holds ${n} journal lines (at most ${MAX_EXPORT_LINES}): export a shorter one` }));
        const entries = await loadJournal(ds.manager, params.companyId, query.from, query.to);
        const stem = `diario_${await fileStem(ds, params.companyId)}_${query.from}_${query.to}`;
        switch (query.format) {
          case 'a3': {
            const accounts = await loadChart(ds.manager, params.companyId, true);
            sendFile(res, 'a3', A3_FILE_NAME, a3JournalFile(entries, accounts, { companyCode: query.a3Company, date: query.from }));
            return undefined;
          }
          case 'contaplus':
            sendFile(res, 'contaplus', XDIARIO_FILE_NAME, xdiarioFile(entries, today()));
            return undefined;
          case 'csv':
            sendFile(res, 'csv', `${stem}.csv`, journalCsv(entries));
            return undefined;
          case 'xlsx':
            await writeJournalXlsx(startXlsx(res, `${stem}.xlsx`), entries);
            return undefined;
        }
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/exports/chart', tags: TAGS, access: 'accounting.read',
      summary: "A company's chart of accounts as a file: A3 sub-account records (SUENLACE.DAT), ContaPlus XSubCta.dbf (sub-accounts), or CSV / XLSX (every account: code, name, nature, counterparty NIF)",
      params: CompanyParams, query: W.ChartExportQuery, produces: PRODUCES,
      errors: { 404: 'no such company' },
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const subaccountsOnly = query.format === 'a3' || query.format === 'contaplus';
        const accounts = await loadChart(ds.manager, params.companyId, subaccountsOnly);
        const stem = `plan_cuentas_${await fileStem(ds, params.companyId)}`;
        switch (query.format) {
          case 'a3':
            sendFile(res, 'a3', A3_FILE_NAME, a3ChartFile(accounts, { companyCode: query.a3Company, date: today() }));
            return undefined;
          case 'contaplus':
            sendFile(res, 'contaplus', XSUBCTA_FILE_NAME, xsubctaFile(accounts, today()));
            return undefined;
          case 'csv':
            sendFile(res, 'csv', `${stem}.csv`, chartCsv(accounts));
            return undefined;
          case 'xlsx':
            await writeChartXlsx(startXlsx(res, `${stem}.xlsx`), accounts);
            return undefined;
        }
      },
    }),
  ]);
}
