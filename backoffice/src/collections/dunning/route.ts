/**
 * HTTP routes of dunning (levels, runs, letters, history per item) and credit control (list, release).
 * Reading needs `collections.read`; changing levels, running and releasing need `collections.write` (HQ
 * accountants and admins; franchisee managers for their own companies). Letters' PDFs download from
 * /api/files/{fileId}.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/dunning';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import type { Files } from '../../platform/files/service';
import { createDunningService, type FeedNudge } from './service';

const TAGS = ['collections'];

export function dunningRoutes(ds: DataSource, clock: Clock, files: Files, nudge: FeedNudge): ApiRouter {
  const svc = createDunningService(ds, clock, files, nudge);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/collections/dunning-levels', summary: 'A company’s dunning levels (its own, else the defaults: reminder, second notice, formal demand)', tags: TAGS, access: 'collections.read',
      query: W.CompanyQuery, response: W.DunningLevelsAnswer,
      handler: ({ query, user }) => svc.getLevels(user, query.companyId),
    }),
    defineRoute({
      method: 'put', path: '/api/collections/dunning-levels', summary: 'Replace a company’s dunning levels (numbered 1..n, days increasing, texts es/en; whether each blocks sales on account and claims statutory interest)', tags: TAGS, access: 'collections.write',
      body: W.DunningLevelsBody, response: W.DunningLevelsAnswer,
      handler: ({ body, user }) => svc.putLevels(user, body.companyId, body.levels),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/dunning/run', summary: 'Dunning run: a letter (PDF) per counterparty for the items that reached a new level on the as-of date, interest where the level claims it; credit control recomputed (blocks reach the tills)', tags: TAGS, access: 'collections.write',
      body: W.DunningRunBody, response: W.DunningRunAnswer, status: 201,
      handler: ({ body, user }) => svc.run(user, body.companyId, body.asOf, body.language),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/dunning/letters', summary: 'Dunning letters sent (newest first; PDFs at /api/files/{fileId})', tags: TAGS, access: 'collections.read',
      query: W.DunningLettersQuery, response: W.DunningLettersAnswer,
      handler: ({ query, user }) => svc.letters(user, query),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/items/:id/dunning', summary: 'An open item’s dunning history: its level, last letter day and letters', tags: TAGS, access: 'collections.read',
      params: z.object({ id: z.string().uuid() }), response: W.ItemDunningAnswer,
      handler: ({ params, user }) => svc.itemHistory(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/credit-control', summary: 'Credit control: counterparties with a block or a limit, why, and any release', tags: TAGS, access: 'collections.read',
      query: W.CreditControlQuery, response: W.CreditControlAnswer,
      handler: ({ query, user }) => svc.creditControl(user, query),
    }),
    defineRoute({
      method: 'put', path: '/api/collections/credit-control', summary: 'Set or clear a company’s credit limit for a counterparty (null: the customer’s own); the block is re-assessed at once', tags: TAGS, access: 'collections.write',
      body: W.CreditLimitBody, response: W.CreditControlRow,
      handler: ({ body, user }) => svc.setLimit(user, body),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/credit-control/release', summary: 'A manager releases a blocked counterparty (until a day, or until revoked): the tills accept it on account again', tags: TAGS, access: 'collections.write',
      body: W.CreditReleaseBody, response: W.CreditControlRow,
      handler: ({ body, user }) => svc.release(user, body),
    }),
  ]);
}
