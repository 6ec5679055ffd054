/** The till's notices API (logged-in staff): the notices for the person at the till, and their read confirmation. */
import { Router, type RequestHandler } from 'express';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { TillNotices } from './notices';

export function noticesRouter(guard: RequestHandler, notices: TillNotices): Router {
  const r = Router();
  r.get('/api/notices', guard, (_req, res) => {
    res.json(notices.forStaff(actor(res)));
  });
  r.post('/api/notices/:id/read', guard, (req, res) => {
    res.json(orProblem(notices.confirmRead(actor(res), String(req.params.id))));
  });
  return r;
}
