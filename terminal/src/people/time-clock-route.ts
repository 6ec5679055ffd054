/** The till's time clock: `POST /api/time-clock` with the worker's PIN and the event (no cashier session needed). */
import { Router } from 'express';
import { z } from 'zod';
import { CLOCK_EVENTS } from '@tpv/shared/people/time-clock';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { handle } from '../app/http';
import type { PinVerifier } from './pins';
import type { TillTimeClock } from './time-clock';

const ClockBody = z.strictObject({ pin: z.string().min(1).max(16), event: z.enum(CLOCK_EVENTS) });

export function timeClockRouter(pins: PinVerifier, timeClock: TillTimeClock): Router {
  const r = Router();
  r.post('/api/time-clock', handle(async (req, res) => {
    const body = parseOrProblem(ClockBody, req.body);
    // The PIN attempt counts against the till's limiter like a login.
    const staff = orProblem(await pins.verify(body.pin));
    const out = orProblem(timeClock.record(staff, body.event));
    res.status(201).json({ id: out.id, staff: out.staff, event: out.event, at: out.at, state: out.state, message: out.message, document: { id: out.document.id, status: out.document.status } });
  }));
  return r;
}
