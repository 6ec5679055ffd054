import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { MAX_PRICE_CENTS } from '@tpv/shared/wire/limits';
import { orProblem } from '../app/errors';
import { actor, handle } from '../app/http';
import type { CashService } from './cash-service';

const Denominations = z.record(z.string().regex(/^\d+$/, 'denomination in cents'), z.int().min(0).max(100_000));
const OpenBody = z.strictObject({ float: Denominations });
const MovementBody = z.strictObject({ kind: z.enum(['cash_in', 'cash_out']), amountCents: z.int().max(MAX_PRICE_CENTS), reason: z.string().trim().min(1, 'reason is required').max(200) });
const CloseBody = z.strictObject({ counted: Denominations, supervisorPin: z.string().min(1).max(16).optional() });

export function cashRouter(guard: RequestHandler, cash: CashService): Router {
  const r = Router();
  r.get('/api/cash/session', guard, (_req, res) => {
    res.json(cash.current() ?? null);
  });
  r.post('/api/cash/open', guard, (req, res) => {
    const b = parseOrProblem(OpenBody, req.body);
    res.json(orProblem(cash.open(actor(res), b.float)));
  });
  r.post('/api/cash/movements', guard, (req, res) => {
    const b = parseOrProblem(MovementBody, req.body);
    res.json(orProblem(cash.movement(actor(res), b.kind, b.amountCents, b.reason)));
  });
  r.get('/api/cash/x-report', guard, (_req, res) => {
    res.json(orProblem(cash.xReport()));
  });
  r.post('/api/cash/close', guard, handle(async (req, res) => {
    const b = parseOrProblem(CloseBody, req.body);
    res.json(orProblem(await cash.close(actor(res), b.counted, b.supervisorPin)));
  }));
  return r;
}
