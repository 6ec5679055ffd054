/**
 * The ingest review queue for HQ: tickets rejected for good, chain breaks, held gaps, batches refused for
 * good and anomalies, per terminal, with the reason and the document as received. HQ users only: a decision
 * changes the franchise's fiscal ledger. Every decision is audited (review_decision).
 *
 *   GET  /api/review?terminalId&storeId&kind&status&code&limit&offset  → {items, total, limit, offset}
 *   GET  /api/review/:id                                               → item + payload + decisions
 *   POST /api/review/:id/reapply                                       → item after the decision | 409
 *   POST /api/review/:id/accept {note?}                                → item after the decision | 409
 */
import { Router, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { notFound, requirePermission, requireUser } from '../auth/http';
import { listReviews, reviewDetail, type ReviewDetail } from '../persistence/review-queue';
import type { IngestService } from '../sales-ingest/service';
import type { ReviewDecisionError } from '../sales-ingest/review';

const Id = z.string().min(1).max(36);
const ListQuery = z.strictObject({
  terminalId: Id.optional(),
  storeId: Id.optional(),
  kind: z.enum(['rejected', 'anomaly', 'break', 'gap', 'batch']).optional(),
  status: z.enum(['open', 'accepted', 'reapplied', 'resolved']).optional(),
  code: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const AcceptBody = z.strictObject({ note: z.string().trim().min(1).max(500).optional() });

const STATUS: Record<ReviewDecisionError['code'], number> = { REVIEW_NOT_FOUND: 404, REVIEW_ALREADY_DECIDED: 409, REVIEW_REAPPLY_FAILED: 409 };

export interface ReviewHooks {
  /** After a decision (the item as it is now): e.g. drop the till's connection so it sends a refused batch again. */
  onDecided?: (item: ReviewDetail) => void;
}

export function reviewRoutes(ds: DataSource, clock: Clock, ingest: IngestService, hooks: ReviewHooks = {}): Router {
  const r = Router();
  const auth = requireUser(ds, clock);
  const hqOnly = (res: Response, action: 'read' | 'write' = 'read') => requirePermission(res, `review.${action}`, 'Only HQ users may see and decide on the ingest review queue.');

  const detailOr404 = async (id: string) => {
    const d = await reviewDetail(ds, id);
    if (!d) throw notFound('review item');
    return d;
  };

  r.get('/api/review', auth, async (req, res) => {
    hqOnly(res);
    const q = parseOrProblem(ListQuery, req.query, 'query');
    const { limit, offset, ...filter } = q;
    res.json(await listReviews(ds, filter, limit, offset));
  });
  r.get('/api/review/:id', auth, async (req, res) => {
    hqOnly(res);
    res.json(await detailOr404(String(req.params.id)));
  });
  for (const action of ['reapply', 'accept'] as const) {
    r.post(`/api/review/:id/${action}`, auth, async (req, res) => {
      const user = hqOnly(res, 'write');
      const body = action === 'accept' ? parseOrProblem(AcceptBody, req.body ?? {}) : {};
      const id = String(req.params.id);
      const out = await ingest.decideReview(id, action, { id: user.id, email: user.email }, 'note' in body ? (body.note ?? null) : null);
      if (!out.ok) throw new HttpProblem(problem(STATUS[out.error.code], out.error.code, 'Review decision refused', { detail: out.error.message }));
      const item = await detailOr404(id);
      hooks.onDecided?.(item);
      res.json(item);
    });
  }
  return r;
}
