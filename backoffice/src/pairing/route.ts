/** Terminals: pairing codes, pairing a till (public: the till has no session), revoking and replacing one. */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { PairBody, PairingCodeSchema, PairingResponseSchema, ReplacementSchema, RevokedSchema, TerminalIdParams } from '@tpv/shared/wire/http/terminals';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { addressKey, throttled, type Throttle } from '../throttle/limits';
import { createPairingCode, pairTerminal, revokeTerminal, type PairingError } from './service';
import { replaceTerminal } from './replace';

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

const tags = ['terminals'];

export function pairingRoutes(ds: DataSource, clock: Clock, throttle: Throttle, hooks: PairingHooks = {}): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post',
      path: '/api/terminals/:id/pairing-code',
      summary: 'A one-time pairing code for a terminal (15 minutes)',
      tags,
      access: 'terminals.write',
      params: TerminalIdParams,
      status: 201,
      response: PairingCodeSchema,
      errors: { 404: 'No such terminal' },
      handler: async ({ params, user, requestId }) => {
        const r = await createPairingCode(ds, clock, user, params.id, requestId);
        if (!r.ok) throw fail(r.error);
        return r.value;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/pairing',
      summary: 'A till pairs with its one-time code and receives its device token and identity',
      description: 'Wrong codes are counted per address and per code (429 with Retry-After past the limit).',
      tags,
      access: 'public',
      body: PairBody,
      status: 201,
      response: PairingResponseSchema,
      errors: {
        409: 'TERMINAL_HISTORY_CONFLICT: HQ holds more of this terminal than the till wrote (replace it instead)',
        410: 'PAIRING_CODE_EXPIRED: ask for a new code',
        429: 'Too many wrong codes from this address or at this terminal (Retry-After)',
      },
      handler: async ({ body, req, requestId }) => {
        // Wrong codes are counted per address and per code (its selector names the terminal's live code).
        const slots = [
          { limiter: throttle.pairingPerAddress, key: addressKey(req.ip) },
          { limiter: throttle.pairingPerTerminal, key: body.code.selector },
        ];
        const r = await throttled(slots, 'pairing attempts', () => pairTerminal(ds, clock, body.code, body.appVersion, body.lastSeq, requestId), (x) => x.ok);
        if (!r.ok) throw fail(r.error);
        hooks.onPaired?.(r.value.terminalId);
        return r.value;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/terminals/:id/revoke',
      summary: "Revoke a terminal's token (its till must be paired again)",
      tags,
      access: 'terminals.write',
      params: TerminalIdParams,
      response: RevokedSchema,
      errors: { 404: 'No such terminal' },
      handler: async ({ params, user, requestId }) => {
        const r = await revokeTerminal(ds, clock, user, params.id, requestId);
        if (!r.ok) throw fail(r.error);
        hooks.onRevoked?.(params.id);
        return r.value;
      },
    }),
    // New hardware for a till: a new installation (own code, series, chain); the old one is retired.
    defineRoute({
      method: 'post',
      path: '/api/terminals/:id/replace',
      summary: 'Replace a till: a new terminal (own code, series and chain) with a pairing code; the old one is retired',
      tags,
      access: 'terminals.write',
      params: TerminalIdParams,
      status: 201,
      response: ReplacementSchema,
      errors: { 404: 'No such terminal', 409: 'TERMINAL_REPLACED: the terminal was already replaced' },
      handler: async ({ params, user, requestId }) => {
        const r = await replaceTerminal(ds, clock, user, params.id, hooks.log, requestId);
        if (!r.ok) throw fail(r.error);
        hooks.onRevoked?.(params.id);
        return r.value;
      },
    }),
  ]);
}
