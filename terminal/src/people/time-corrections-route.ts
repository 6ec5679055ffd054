/**
 * The worker's pending corrections at the till, after their PIN (no cashier session needed):
 * `POST /api/time-clock/corrections` lists them, `POST /api/time-clock/corrections/:id/decision` approves or rejects one.
 */
import { Router } from 'express';
import { z } from 'zod';
import { CORRECTION_DECISIONS } from '@tpv/shared/people/till-corrections';
import { parseOrProblem } from '@tpv/shared/problem';
import { IdSchema } from '@tpv/shared/wire/ticket';
import { orProblem } from '../app/errors';
import { handle } from '../app/http';
import type { PinVerifier } from './pins';
import type { TillCorrections } from './time-corrections';

const Pin = z.string().min(1).max(16);
const ListBody = z.strictObject({ pin: Pin });
const DecisionBody = z.strictObject({ pin: Pin, decision: z.enum(CORRECTION_DECISIONS) });
const IdParam = z.object({ id: IdSchema });

export function timeCorrectionsRouter(pins: PinVerifier, corrections: TillCorrections): Router {
  const r = Router();
  r.post('/api/time-clock/corrections', handle(async (req, res) => {
    const body = parseOrProblem(ListBody, req.body);
    // The PIN counts against the till's limiter like a login; it names the worker HQ answers for.
    const staff = orProblem(await pins.verify(body.pin));
    const out = orProblem(await corrections.pending(staff));
    res.json({ staff: { id: staff.id, name: staff.name }, ...out });
  }));
  r.post('/api/time-clock/corrections/:id/decision', handle(async (req, res) => {
    const { id } = parseOrProblem(IdParam, req.params);
    const body = parseOrProblem(DecisionBody, req.body);
    const staff = orProblem(await pins.verify(body.pin));
    res.json(orProblem(await corrections.decide(staff, id, body.decision)));
  }));
  return r;
}
