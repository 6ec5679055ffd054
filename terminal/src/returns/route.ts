import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { ReceiptRenderer } from '../printing/route';
import type { ReturnsService } from './returns';

const RecentQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
const ReturnBody = z.strictObject({
  originalTicketId: z.string().min(1).max(64),
  lines: z
    .array(z.strictObject({ lineNo: z.int().min(1), units: z.int().optional(), grams: z.int().optional() }))
    .min(1, 'choose at least one line')
    .max(1000),
  refund: z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('cash') }),
    z.strictObject({ method: z.literal('card'), reference: z.string().trim().min(1, 'card refund needs the terminal reference').max(64) }),
    // Issue 19: as a gift voucher (a gift receipt's return is refunded so).
    z.strictObject({ method: z.literal('voucher') }),
  ]),
});

export function returnsRouter(guard: RequestHandler, returns: ReturnsService, receipts: ReceiptRenderer): Router {
  const r = Router();
  r.get('/api/tickets', guard, (req, res) => {
    const { limit } = parseOrProblem(RecentQuery, req.query, 'query');
    res.json(returns.recent(limit));
  });
  r.get('/api/tickets/lookup', guard, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    res.json(orProblem(await returns.lookup(q)));
  });
  r.post('/api/returns', guard, async (req, res) => {
    const b = parseOrProblem(ReturnBody, req.body);
    const out = orProblem(await returns.createReturn(actor(res), b));
    res.json({ ticket: out.ticket, receipt: receipts.forTicket(out.ticket), ...(out.voucher ? { voucher: out.voucher } : {}) });
  });
  return r;
}
