/**
 * The till's office API (logged-in staff): the notices for the person at the till and their read confirmation;
 * the store's tasks and ticking an item.
 */
import { Router, type RequestHandler } from 'express';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import type { TillNotices } from './notices';
import type { TillTasks } from './tasks';

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

export function tasksRouter(guard: RequestHandler, tasks: TillTasks): Router {
  const r = Router();
  r.get('/api/tasks', guard, (_req, res) => {
    res.json(tasks.list());
  });
  r.post('/api/tasks/:id/items/:no/check', guard, (req, res) => {
    const no = Number(req.params.no);
    res.json(orProblem(tasks.check(actor(res), String(req.params.id), Number.isInteger(no) ? no : -1)));
  });
  return r;
}
