/** The till's incident reports (logged-in staff): report one with a photo, and the latest with HQ's answer. */
import { Router, type RequestHandler } from 'express';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import { TillIncidentBody, type TillIncidents } from './incidents';

export function qualityRouter(guard: RequestHandler, incidents: TillIncidents): Router {
  const r = Router();
  r.get('/api/quality/incidents', guard, (_req, res) => {
    res.json({ items: incidents.recent(20) });
  });
  r.post('/api/quality/incidents', guard, (req, res) => {
    res.status(201).json(orProblem(incidents.report(actor(res), parseOrProblem(TillIncidentBody, req.body))));
  });
  return r;
}
