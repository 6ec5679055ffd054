/**
 * The till's PIN limiter (issue #9): failures are counted per terminal and never forgiven by someone
 * else's good PIN, attempts are counted before they are evaluated (a burst cannot outrun the limit),
 * supervisor PINs in bodies count in the same limiter, and lock/logout need the caller's own token.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EAN, freshTerminalDb, STAFF, tempDir } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-pins-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function till(policy: { pinMaxFailures: number }, run: (s: RunningTerminal) => Promise<void>): Promise<void> {
  const t = await freshTerminalDb(dir, `p${++n}.sqlite`);
  const s = await startTerminal(t.ds, t.file, { policy: { ...policy, pinLockoutMs: 60_000, pinWindowMs: 300_000 } });
  try {
    await run(s);
  } finally {
    await s.close();
    await t.ds.destroy();
  }
}
const login = (s: RunningTerminal, pin: string) => s.call('POST', '/api/auth/login', { pin }, null);

describe('till PIN limiter', () => {
  it('a cashier logging in between wrong PINs does not reset the count: the supervisor PIN is refused with 429', async () => {
    await till({ pinMaxFailures: 5 }, async (s) => {
      const answers: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) answers.push((await login(s, String(3000 + round * 10 + i))).status);
        answers.push((await login(s, STAFF.cashier.pin)).status); // the cashier's own good PIN, between guesses
      }
      // 6 wrong PINs were sent; the 5th reached the limit.
      expect(answers.filter((x) => x === 401)).toHaveLength(4);
      expect(answers.at(-1)).toBe(429);
      const sup = await login(s, STAFF.supervisor.pin);
      expect(sup.status).toBe(429);
      expect(sup.body.code).toBe('PIN_RATE_LIMITED');
    });
  });

  it('counts 16 PINs sent at once before evaluating them: the 13th (the supervisor\'s) is not evaluated', async () => {
    await till({ pinMaxFailures: 5 }, async (s) => {
      // Started in one tick, in this order (over HTTP the arrival order would be up to the sockets).
      const pins = Array.from({ length: 16 }, (_, i) => (i === 12 ? STAFF.supervisor.pin : String(4000 + i)));
      const results = await Promise.all(pins.map((pin) => s.app.auth.login(pin)));
      const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
      expect(codes[12]).toBe('PIN_RATE_LIMITED');
      expect(codes.filter((c) => c !== 'PIN_RATE_LIMITED').length).toBeLessThanOrEqual(5);
      // And over HTTP: a burst gets 429s, never more than the limit evaluated.
      const answers = await Promise.all(pins.map((pin) => login(s, pin)));
      expect(answers.every((a) => a.status === 429 && a.body.code === 'PIN_RATE_LIMITED')).toBe(true);
    });
  });

  it('supervisor PINs in bodies go through the same limiter (a cashier cannot guess them without end)', async () => {
    await till({ pinMaxFailures: 3 }, async (s) => {
      await s.login(STAFF.cashier.pin);
      const line = (await s.call('POST', '/api/cart/scan', { code: EAN.water })).body.lines[0].id as string;
      const codes: string[] = [];
      for (const pin of ['5551', STAFF.cashier.pin, '5553', '5554']) {
        const r = await s.call('DELETE', `/api/cart/lines/${line}`, { supervisorPin: pin });
        codes.push(r.body.code);
      }
      // A wrong PIN, the cashier's own (valid, not a supervisor) and a third wrong one reach the limit of 3.
      expect(codes).toEqual(['SUPERVISOR_PIN_INVALID', 'SUPERVISOR_PIN_INVALID', 'PIN_RATE_LIMITED', 'PIN_RATE_LIMITED']);
      const r = await s.call('DELETE', `/api/cart/lines/${line}`, { supervisorPin: STAFF.supervisor.pin });
      expect([r.status, r.body.code]).toEqual([429, 'PIN_RATE_LIMITED']);
      expect(Number((await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: STAFF.supervisor.pin }) })).headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await s.call('GET', '/api/cart')).body.lines).toHaveLength(1);
    });
  });

  it('lock and logout need the caller token (401 otherwise) and leave the till as it was', async () => {
    await till({ pinMaxFailures: 5 }, async (s) => {
      const token = await s.login(STAFF.cashier.pin);
      for (const path of ['/api/auth/lock', '/api/auth/logout']) {
        for (const t of [null, 'not-a-token']) {
          const r = await s.call('POST', path, undefined, t);
          expect([r.status, r.body.code]).toEqual([401, 'AUTH_REQUIRED']);
          expect(r.type).toContain('application/problem+json');
        }
      }
      const state = await s.call('GET', '/api/state', undefined, null);
      expect(state.body).toMatchObject({ cashier: { id: STAFF.cashier.id }, locked: false });
      expect((await s.call('GET', '/api/cart', undefined, token)).status).toBe(200);
      expect((await s.call('POST', '/api/auth/lock', undefined, token)).status).toBe(204);
      expect((await s.call('POST', '/api/auth/logout', undefined, token)).status).toBe(401); // the lock ended that token
    });
  });
});
