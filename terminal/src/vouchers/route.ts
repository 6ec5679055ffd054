/** The till's gift-voucher API (docs/terminal-api.md "Gift vouchers"): logged-in staff. */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { Vouchers } from './vouchers';

const Cents = z.int().min(1).max(100_000_000);
const Code = z.string().trim().min(4, 'escanee o teclee el código / scan or type the code').max(40);
const SellBody = z.strictObject({
  kind: z.enum(['issue', 'load']).default('issue'),
  code: Code.optional(),
  amountCents: Cents,
  payments: z
    .array(z.union([z.strictObject({ method: z.literal('cash'), amountCents: Cents }), z.strictObject({ method: z.literal('card'), amountCents: Cents, reference: z.string().trim().min(1, 'card payment needs the terminal reference').max(64) })]))
    .min(1, 'no payment given')
    .max(4),
});
const AuthorizeBody = z.strictObject({ code: Code, amountCents: Cents });

export function vouchersRouter(guard: RequestHandler, vouchers: Vouchers): Router {
  const r = Router();
  r.post('/api/vouchers/sales', guard, (req, res) => {
    res.status(201).json(orProblem(vouchers.sell(actor(res), parseOrProblem(SellBody, req.body))));
  });
  r.get('/api/vouchers/:code/balance', guard, async (req, res) => {
    res.json(orProblem(await vouchers.balance(String(req.params.code))));
  });
  r.post('/api/vouchers/authorizations', guard, async (req, res) => {
    const b = parseOrProblem(AuthorizeBody, req.body);
    res.status(201).json(orProblem(await vouchers.authorize(b.code, b.amountCents)));
  });
  r.delete('/api/vouchers/authorizations/:id', guard, async (req, res) => {
    res.json(orProblem(await vouchers.release(String(req.params.id))));
  });
  return r;
}
