/** Till routes of loyalty (docs/terminal-api.md): a member's balance, redeeming points on the cart, undoing it. */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { handle } from '../app/http';
import type { TillLoyalty } from './loyalty';

const RedeemBody = z.strictObject({ points: z.int().min(1).max(100_000_000) });

export function loyaltyRouter(guard: RequestHandler, loyalty: TillLoyalty): Router {
  const r = Router();
  r.get('/api/loyalty/customers/:customerId', guard, handle(async (req, res) => {
    res.json(orProblem(await loyalty.balance(String(req.params.customerId))));
  }));
  r.post('/api/cart/loyalty', guard, handle(async (req, res) => {
    const b = parseOrProblem(RedeemBody, req.body);
    res.json(orProblem(await loyalty.redeem(b.points)));
  }));
  r.delete('/api/cart/loyalty', guard, (_req, res) => {
    res.json(orProblem(loyalty.cancel()));
  });
  return r;
}
