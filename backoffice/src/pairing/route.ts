import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { requireUser, userOf } from '../auth/http';
import { addressKey, throttled, type Throttle } from '../throttle/limits';
import { PAIRING_CODE_FORMAT, parsePairingCode } from './code';
import { createPairingCode, pairTerminal, revokeTerminal, type PairingError } from './service';
import { replaceTerminal } from './replace';

const PairBody = z.strictObject({
  code: z.string().max(32).transform((typed, ctx) => parsePairingCode(typed) ?? (ctx.addIssue({ code: 'custom', message: PAIRING_CODE_FORMAT }), z.NEVER)),
  appVersion: z.string().min(1).max(32),
  /** Highest seq the till has written: HQ refuses (409) when it holds more of the terminal. */
  lastSeq: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

const STATUS: Record<PairingError['code'], number> = {
  TERMINAL_NOT_FOUND: 404,
  FORBIDDEN: 403,
  PAIRING_CODE_INVALID: 400,
  PAIRING_CODE_EXPIRED: 410,
  TERMINAL_HISTORY_CONFLICT: 409,
  TERMINAL_REPLACED: 409,
  TERMINAL_RETIRED: 409,
};
const fail = (e: PairingError) => new HttpProblem(problem(STATUS[e.code], e.code, 'Pairing refused', { detail: e.message }));

export interface PairingHooks {
  /** Called after a revoke: drop the terminal's live connections. */
  onRevoked?: (terminalId: string) => void;
  /** Called after a (re)pairing: connections holding the previous token must go. */
  onPaired?: (terminalId: string) => void;
  log?: (msg: string) => void;
}

export function pairingRoutes(ds: DataSource, clock: Clock, throttle: Throttle, hooks: PairingHooks = {}): Router {
  const router = Router();
  const auth = requireUser(ds, clock);
  router.post('/api/terminals/:id/pairing-code', auth, async (req, res) => {
    const r = await createPairingCode(ds, clock, userOf(res), String(req.params.id));
    if (!r.ok) throw fail(r.error);
    res.status(201).json(r.value);
  });
  router.post('/api/pairing', async (req, res) => {
    const body = parseOrProblem(PairBody, req.body);
    // Wrong codes are counted per address and per code (its selector names the terminal's live code).
    const slots = [
      { limiter: throttle.pairingPerAddress, key: addressKey(req.ip) },
      { limiter: throttle.pairingPerTerminal, key: body.code.selector },
    ];
    const r = await throttled(slots, 'pairing attempts', () => pairTerminal(ds, clock, body.code, body.appVersion, body.lastSeq), (x) => x.ok);
    if (!r.ok) throw fail(r.error);
    hooks.onPaired?.(r.value.terminalId);
    res.status(201).json(r.value);
  });
  router.post('/api/terminals/:id/revoke', auth, async (req, res) => {
    const id = String(req.params.id);
    const r = await revokeTerminal(ds, clock, userOf(res), id);
    if (!r.ok) throw fail(r.error);
    hooks.onRevoked?.(id);
    res.json(r.value);
  });
  // New hardware for a till: a new installation (own code, series, chain); the old one is retired.
  router.post('/api/terminals/:id/replace', auth, async (req, res) => {
    const id = String(req.params.id);
    const r = await replaceTerminal(ds, clock, userOf(res), id, hooks.log);
    if (!r.ok) throw fail(r.error);
    hooks.onRevoked?.(id);
    res.status(201).json(r.value);
  });
  return router;
}
