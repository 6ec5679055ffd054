/**
 * The ingest review queue for HQ: tickets rejected for good, chain breaks, held gaps, batches refused for
 * good and anomalies, per terminal, with the reason and the document as received. HQ users only (review.read /
 * review.write): a decision changes the franchise's fiscal ledger. Every decision is audited (review_decision).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { AcceptBody, ReviewDetailSchema, ReviewIdParams, ReviewListQuery, ReviewPageSchema } from '@tpv/shared/wire/http/review';
import { notFound } from '../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { IngestService } from '../sales-ingest/service';
import type { ReviewDecisionError } from '../sales-ingest/review';
import { listReviews, reviewDetail, type ReviewDetail } from './repository';

const STATUS: Record<ReviewDecisionError['code'], number> = { REVIEW_NOT_FOUND: 404, REVIEW_ALREADY_DECIDED: 409, REVIEW_REAPPLY_FAILED: 409 };

export interface ReviewHooks {
  /** After a decision (the item as it is now): e.g. drop the till's connection so it sends a refused batch again. */
  onDecided?: (item: ReviewDetail) => void;
}

const tags = ['review'];

export function reviewRoutes(ds: DataSource, clock: Clock, ingest: IngestService, hooks: ReviewHooks = {}): ApiRouter {
  const detailOr404 = async (id: string) => {
    const d = await reviewDetail(ds, id);
    if (!d) throw notFound('review item');
    return d;
  };
  const decide = (action: 'reapply' | 'accept') =>
    defineRoute({
      method: 'post',
      path: `/api/review/:id/${action}`,
      summary: action === 'accept' ? 'Accept a review item as it is (with an optional note)' : 'Re-apply a review item through the ingest',
      tags,
      access: 'review.write',
      params: ReviewIdParams,
      ...(action === 'accept' ? { body: AcceptBody } : {}),
      response: ReviewDetailSchema,
      errors: { 404: 'No such review item', 409: 'Already decided, or the re-apply failed (the reason is in the detail)' },
      handler: async ({ params, body, user }) => {
        const note = (body as { note?: string } | undefined)?.note ?? null;
        const out = await ingest.decideReview(params.id, action, { id: user.id, email: user.email }, note);
        if (!out.ok) throw new HttpProblem(problem(STATUS[out.error.code], out.error.code, 'Review decision refused', { detail: out.error.message }));
        const item = await detailOr404(params.id);
        hooks.onDecided?.(item);
        return item;
      },
    });
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/review',
      summary: 'List review items, newest first (filters: terminal, store, kind, status, code)',
      tags,
      access: 'review.read',
      query: ReviewListQuery,
      response: ReviewPageSchema,
      handler: ({ query: { limit, offset, ...filter } }) => listReviews(ds, filter, limit, offset),
    }),
    defineRoute({
      method: 'get',
      path: '/api/review/:id',
      summary: 'A review item with the document as received and its decisions',
      tags,
      access: 'review.read',
      params: ReviewIdParams,
      response: ReviewDetailSchema,
      errors: { 404: 'No such review item' },
      handler: ({ params }) => detailOr404(params.id),
    }),
    decide('reapply'),
    decide('accept'),
  ]);
}
