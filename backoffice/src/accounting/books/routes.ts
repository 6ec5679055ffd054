/**
 * HTTP routes of a company's books and statements (read-only, `accounting.read`): parse → scope → read → JSON
 * or a file (`format=csv|xlsx`, the statements also `pdf`). Every route checks the caller sees the company.
 */
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/accounting';
import * as B from '@tpv/shared/wire/http/accounting-books';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS } from '../../platform/list';
import { companyInScope } from '../core/routes';
import { balanceSheetStatement, journal, ledger, profitAndLossStatement, trialBalance } from './books';
import { journalTable, ledgerTable, statementPdf, statementTable, tableCsv, tableXlsx, trialBalanceTable, type Table } from './export';

const TAGS = ['accounting'];
const ERRORS = { 404: 'no such company' } as const;
const PDF = 'application/pdf';

async function sendTable(res: Response, format: 'csv' | 'xlsx', t: Table): Promise<void> {
  const safe = t.name.replace(/[^A-Za-z0-9._-]+/g, '_');
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : EXPORT_MEDIA[1]!);
  res.setHeader('Content-Disposition', `attachment; filename="${safe}.${format}"`);
  res.end(format === 'csv' ? tableCsv(t) : await tableXlsx(t));
}

export function accountingBooksRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/journal', tags: TAGS, access: 'accounting.read',
      summary: 'The journal (libro diario): the entries dated in a range in number order with their lines, paged; a store keeps the entries with a line of it',
      params: W.CompanyParams, query: B.JournalQuery, response: B.JournalSchema, produces: EXPORT_MEDIA, errors: ERRORS,
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        if (query.format === 'json') return journal(ds.manager, params.companyId, query);
        const j = await journal(ds.manager, params.companyId, { ...query, page: 1, pageSize: MAX_EXPORT_ROWS });
        await sendTable(res, query.format, journalTable(j));
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/ledger', tags: TAGS, access: 'accounting.read',
      summary: 'The general ledger (libro mayor) of an account or of every account under a prefix: opening balance, lines with the running balance, closing balance',
      params: W.CompanyParams, query: B.LedgerQuery, response: B.LedgerSchema, produces: EXPORT_MEDIA, errors: ERRORS,
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        if (query.format === 'json') return ledger(ds.manager, params.companyId, query);
        const l = await ledger(ds.manager, params.companyId, { ...query, page: 1, pageSize: MAX_EXPORT_ROWS });
        await sendTable(res, query.format, ledgerTable(l));
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/trial-balance', tags: TAGS, access: 'accounting.read',
      summary: 'The trial balance (sumas y saldos) of a range of months by account level (3, 4 digits or sub-account): opening, debits, credits, closing, and the same months a year earlier',
      params: W.CompanyParams, query: B.TrialBalanceQuery, response: B.TrialBalanceSchema, produces: EXPORT_MEDIA, errors: ERRORS,
      async handler({ params, query, user, res }) {
        await companyInScope(ds, user, params.companyId);
        const t = await trialBalance(ds.manager, params.companyId, query);
        if (query.format === 'json') return t;
        await sendTable(res, query.format, trialBalanceTable(t));
        return undefined;
      },
    }),
    ...(['profit-and-loss', 'balance-sheet'] as const).map((which) =>
      defineRoute({
        method: 'get', path: `/api/accounting/companies/:companyId/${which}`, tags: TAGS, access: 'accounting.read',
        summary:
          which === 'profit-and-loss'
            ? 'The profit and loss account (PGC PYMES abbreviated) of a range of months, beside the same months a year earlier'
            : 'The balance sheet (Balance PYMES) at the end of the month `to`, beside a year earlier; the year’s result in equity',
        params: W.CompanyParams, query: B.StatementQuery, response: B.StatementSchema, produces: [...EXPORT_MEDIA, PDF], errors: ERRORS,
        async handler({ params, query, user, res }) {
          await companyInScope(ds, user, params.companyId);
          const s = await (which === 'profit-and-loss' ? profitAndLossStatement : balanceSheetStatement)(ds.manager, params.companyId, query);
          if (query.format === 'json') return s;
          if (query.format === 'pdf') {
            const t = statementTable(s);
            res.setHeader('Content-Type', PDF);
            res.setHeader('Content-Disposition', `attachment; filename="${t.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf"`);
            res.end(await statementPdf(s));
            return undefined;
          }
          await sendTable(res, query.format, statementTable(s));
          return undefined;
        },
      }),
    ),
  ]);
}
