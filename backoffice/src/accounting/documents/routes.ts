/**
 * HTTP routes of the documents' entries (thin: parse → scope → use case): the entries a document produced,
 * for the document pages (only entries of companies in the caller's scope), and the stock variation of a
 * month — its figures (accounting.read) and its posting (accounting.write, HQ).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/accounting-documents';
import { visibleCompanyIds, type AuthUser } from '../../auth/service';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { constraintViolation } from '../../persistence/constraints';
import { writeTransaction } from '../../persistence/raw';
import { all, inList, num, type Db } from '../../persistence/sql';
import { companyInScope } from '../core/routes';
import { postStockVariation, stockVariationFigures } from './stock-variation';

const TAGS = ['accounting'];

/** The entries of a document in the companies the caller sees, oldest first, with their lines. */
export async function entriesBySource(m: Db, type: string, id: string, companyIds: readonly string[] | null): Promise<W.SourceEntry[]> {
  if (companyIds && companyIds.length === 0) return [];
  const scope = companyIds ? ` AND e.company_id IN (${inList(companyIds.length)})` : '';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT e.id, e.company_id, COALESCE(c.trade_name, c.legal_name) AS company_name, e.year, e.number, e.entry_date, e.document_date, e.kind, e.description, e.total_cents, e.reverses_id, e.reversed_by_id
       FROM acc_entry e JOIN company c ON c.id = e.company_id
      WHERE e.source_type = ? AND e.source_id = ?${scope}
      ORDER BY e.created_at, e.company_id, e.number`,
    [type, id, ...(companyIds ?? [])],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.id));
  const lines = await all<Record<string, unknown>>(
    m,
    `SELECT l.entry_id, l.line_no, l.account, a.name AS account_name, l.debit_cents, l.credit_cents, l.store_id
       FROM acc_line l LEFT JOIN acc_account a ON a.company_id = l.company_id AND a.code = l.account
      WHERE l.entry_id IN (${inList(ids.length)}) ORDER BY l.entry_id, l.line_no`,
    ids,
  );
  return rows.map((r) => ({
    id: String(r.id),
    companyId: String(r.company_id),
    companyName: String(r.company_name),
    year: num(r.year)!,
    number: num(r.number)!,
    entryDate: String(r.entry_date),
    documentDate: String(r.document_date),
    kind: String(r.kind),
    description: String(r.description),
    totalCents: num(r.total_cents)!,
    reversesId: (r.reverses_id as string | null) ?? null,
    reversedById: (r.reversed_by_id as string | null) ?? null,
    lines: lines
      .filter((l) => l.entry_id === r.id)
      .map((l) => ({ lineNo: num(l.line_no)!, account: String(l.account), accountName: (l.account_name as string | null) ?? null, debitCents: num(l.debit_cents)!, creditCents: num(l.credit_cents)!, storeId: (l.store_id as string | null) ?? null })),
  }));
}

export function accountingDocumentRoutes(ds: DataSource, clock: Clock): ApiRouter {
  const actor = (u: AuthUser) => ({ id: u.id, email: u.email });
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/accounting/entries/by-source', summary: "The journal entries a document produced (an invoice between companies of the franchise: both companies'), in the companies the caller sees", tags: TAGS, access: 'accounting.read',
      query: W.BySourceQuery, response: W.BySourceAnswer,
      async handler({ query, user }) {
        return { type: query.type, id: query.id, entries: await entriesBySource(ds.manager, query.type, query.id, visibleCompanyIds(user)) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/stock-variation', summary: "A month's stock variation before posting: the stock valued at the month's end, the stock account's balance, the difference (and the entry if posted)", tags: TAGS, access: 'accounting.read',
      params: W.StockVariationParams, query: W.StockVariationQuery, response: W.StockVariationFigures, errors: { 404: 'no such company' },
      async handler({ params, query, user }) {
        await companyInScope(ds, user, params.companyId);
        return stockVariationFigures(ds.manager, clock, params.companyId, query.period);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/accounting/companies/:companyId/stock-variation', summary: "Posts a month's stock variation on its last day (300 against 610), once per company and month; a zero variation posts nothing", tags: TAGS, access: 'accounting.write',
      params: W.StockVariationParams, body: W.StockVariationBody, response: W.StockVariationFigures,
      errors: { 404: 'no such company', 409: 'the month (or a later one) is posted already, or is locked', 422: 'the month is not over' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        try {
          return await writeTransaction(ds, async (m) => {
            const { figures, entry } = await postStockVariation(m, clock, params.companyId, body.period, user.id);
            await recordAudit(m, clock, {
              actor: actor(user), action: 'accounting.stock_variation.post', entity: 'acc_entry', entityId: entry?.id ?? `${params.companyId}:${body.period}`, companyId: params.companyId,
              after: { period: body.period, stockValueCents: figures.stockValueCents, bookedBeforeCents: figures.stockValueCents - figures.variationCents, entryId: entry?.id ?? null },
            });
            return figures;
          });
        } catch (e) {
          // Two postings at once: the source key let one through.
          if (constraintViolation(e)?.kind === 'unique') throw refused(409, 'STOCK_VARIATION_POSTED', `La variación de existencias de ${body.period} ya está contabilizada / already posted`, 'period');
          throw e;
        }
      },
    }),
  ]);
}
