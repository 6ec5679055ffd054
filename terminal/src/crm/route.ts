/** The till's customer API: search (any logged-in staff), create and edit (the document goes up to HQ). */
import { Router, type RequestHandler } from 'express';
import { CustomerInputSchema } from '@tpv/shared/crm/customer';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { TillCustomers } from './customers';

export function customersRouter(guard: RequestHandler, customers: TillCustomers): Router {
  const r = Router();
  r.post('/api/customers', guard, (req, res) => {
    res.status(201).json(orProblem(customers.create(actor(res), parseOrProblem(CustomerInputSchema, req.body))));
  });
  r.put('/api/customers/:id', guard, (req, res) => {
    res.json(orProblem(customers.update(actor(res), String(req.params.id).slice(0, 64), parseOrProblem(CustomerInputSchema, req.body))));
  });
  return r;
}
