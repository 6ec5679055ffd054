/**
 * HTTP routes of the aging of open items and of days sales outstanding (thin: parse → scope → query).
 * `collections.read`: HQ sees every company (what franchisees owe HQ included); a franchisee manager the
 * items of its own companies (its customers); asking for a company outside one's scope is 403.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/collections-aging';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../../platform/api';
import { todayInMadrid } from '../../invoicing/posting';
import { agingItemsOf, agingOf, dsoOf, type AgingScope } from './repository';

const TAGS = ['collections'];

function scopeOf(user: AuthUser, companyId: string | undefined): AgingScope {
  if (companyId && !canAccessCompany(user, companyId)) throw forbidden();
  return { companyIds: visibleCompanyIds(user), companyId: companyId ?? null };
}

export function agingRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/collections/aging', summary: 'Aging of open balances at a date: buckets by days past due (not due, 1–30, 31–60, 61–90, >90) per counterparty (largest first) and in total', tags: TAGS, access: 'collections.read',
      query: W.AgingQuery, response: W.AgingAnswer,
      handler: ({ query: q, user }) => agingOf(ds.manager, q.side, q.asOf ?? todayInMadrid(clock), scopeOf(user, q.companyId), q.limit),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/aging/items', summary: 'The open items of one counterparty behind an aging row, with their days past due and bucket', tags: TAGS, access: 'collections.read',
      query: W.AgingItemsQuery, response: W.AgingItemsAnswer,
      async handler({ query: q, user }) {
        const asOf = q.asOf ?? todayInMadrid(clock);
        return { asOf, items: await agingItemsOf(ds.manager, q.side, asOf, scopeOf(user, q.companyId), q.counterpartyKind, q.counterpartyId) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/dso', summary: 'Days sales outstanding of a period: receivables owed at its end ÷ credit sales of the period × its days', tags: TAGS, access: 'collections.read',
      query: W.DsoQuery, response: W.DsoAnswer, errors: { 422: 'the period ends before it starts, or is longer than 3 years' },
      handler({ query: q, user }) {
        if (q.to < q.from) throw refused(422, 'PERIOD_INVALID', 'el periodo termina antes de empezar / the period ends before it starts', 'to');
        if (Date.parse(q.to) - Date.parse(q.from) > 3 * 366 * 86_400_000) throw refused(422, 'PERIOD_TOO_LONG', 'periodo de más de 3 años / period longer than 3 years', 'to');
        return dsoOf(ds.manager, q.from, q.to, scopeOf(user, q.companyId));
      },
    }),
  ]);
}
