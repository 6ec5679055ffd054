/** The till's data-protection API: consents recorded at the counter (logged-in staff). */
import { Router, type RequestHandler } from 'express';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { actor } from '../app/http';
import { TillConsentBody, type TillPrivacy } from './privacy';

export function privacyRouter(guard: RequestHandler, privacy: TillPrivacy): Router {
  const r = Router();
  r.post('/api/privacy/consents', guard, (req, res) => {
    res.status(201).json(orProblem(privacy.recordConsent(actor(res), parseOrProblem(TillConsentBody, req.body))));
  });
  return r;
}
