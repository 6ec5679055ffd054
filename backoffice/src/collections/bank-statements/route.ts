/**
 * HTTP routes of bank statements and reconciliation (thin: parse → use case → map). Reading needs
 * `collections.read`; importing, matching and ignoring need `collections.write` (HQ accountants and admins,
 * franchisee managers for their own companies).
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/bank-statements';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { listQuery, offsetOf, pageOf, pageSchema } from '../../platform/list';
import { one } from '../../persistence/sql';
import { createBankStatementService } from './service';

const TAGS = ['collections'];
const IdParams = z.object({ id: z.string().uuid() });
const StatementsQuery = listQuery(['to'], W.BankStatementFilterQuery.shape);
const MovementsQuery = listQuery(['operationDate', 'amountCents'], W.BankMovementFilterQuery.shape);

export function bankStatementRoutes(ds: DataSource, clock: Clock, nudge: (version: number) => void = () => {}): ApiRouter {
  const svc = createBankStatementService(ds, clock);
  // A match that pays what blocked a customer unblocks it (credit control, in the same transaction) and
  // appends the customer to the change feed: once committed, the tills are nudged to pull it.
  const nudgeAfter = async <T>(matched: number, out: T): Promise<T> => {
    if (matched > 0) {
      const v = Number((await one<{ v: unknown }>(ds.manager, `SELECT MAX(version) AS v FROM change_log`))?.v ?? 0);
      if (v > 0) nudge(v);
    }
    return out;
  };
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post', path: '/api/collections/bank-statements',
      summary: 'Import a bank statement file (Norma 43 or camt.053 text): its statements and movements, matched automatically to remittances, cash deposits and open items',
      tags: TAGS, access: 'collections.write', body: W.ImportStatementBody, response: W.ImportStatementAnswer, status: 201,
      errors: { 409: 'the statement was imported already (nothing written)', 422: 'not a statement file, or an account of another company' },
      handler: async ({ body, user }) => { const r = await svc.importFile(user, body); return nudgeAfter(r.matched, r); },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/bank-statements', summary: 'Bank statements imported (paged; filter: company)', tags: TAGS, access: 'collections.read',
      query: StatementsQuery, response: pageSchema(W.BankStatementItem),
      async handler({ query: q, user }) {
        const { rows, total } = await svc.list(user, { companyId: q.companyId }, q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/bank-statements/:id', summary: 'A bank statement with its movements and their match', tags: TAGS, access: 'collections.read',
      params: IdParams, response: W.BankStatementDetail, errors: { 404: 'no such statement' },
      handler: ({ params, user }) => svc.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/bank-statements/:id/match', summary: 'Run the automatic matching again over the statement’s unmatched movements', tags: TAGS, access: 'collections.write',
      params: IdParams, response: W.MatchRunAnswer, errors: { 404: 'no such statement' },
      handler: async ({ params, user }) => { const r = await svc.matchStatement(user, params.id); return nudgeAfter(r.matched, r); },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/bank-movements', summary: 'Bank movements (paged; filters: status, company, statement)', tags: TAGS, access: 'collections.read',
      query: MovementsQuery, response: pageSchema(W.BankMovementItem),
      async handler({ query: q, user }) {
        const sort = (q.sort ?? 'operationDate') as 'operationDate' | 'amountCents';
        const { rows, total } = await svc.movements(user, { status: q.status, companyId: q.companyId, statementId: q.statementId }, sort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/bank-movements/:id/candidates', summary: 'Open items a movement may be matched to by hand (its company, its side, still owed; exact amount first, then oldest due; filter q: document or counterparty)', tags: TAGS, access: 'collections.read',
      params: IdParams, query: W.CandidatesQuery, response: z.object({ items: z.array(W.MatchCandidate) }), errors: { 404: 'no such movement' },
      handler: async ({ params, query, user }) => ({ items: await svc.candidates(user, params.id, query.q) }),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/bank-movements/:id/match', summary: 'Match a movement by hand to open items of one counterparty (a payment with its allocations; the rest is credit)', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.ManualMatchBody, response: W.BankMovementItem,
      errors: { 404: 'no such movement', 409: 'the movement is matched or ignored already', 422: 'an item unknown, of another company or counterparty, or amounts over the balance or the movement' },
      handler: async ({ params, body, user }) => nudgeAfter(1, await svc.matchMovement(user, params.id, body)),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/bank-movements/:id/ignore', summary: 'Mark a movement as not to be matched (bank fees, transfers between own accounts…) with a note', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.IgnoreBody, response: W.BankMovementItem, errors: { 404: 'no such movement', 409: 'the movement is matched or ignored already' },
      handler: ({ params, body, user }) => svc.ignoreMovement(user, params.id, body.note),
    }),
  ]);
}
