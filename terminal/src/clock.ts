/**
 * The terminal process's clock. Normally the system's; `TPV_CLOCK_OFFSET_FILE` (system tests only) names a
 * file holding a number of milliseconds added to it, re-read at most every 100 ms, so a test can move a
 * running till past a scheduled price change without touching the machine's clock. Unset in production.
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '@tpv/shared/clock';

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const file = env.TPV_CLOCK_OFFSET_FILE;
  if (!file) return { now: () => Date.now() };
  let offset = 0;
  let readAt = -Infinity;
  return {
    now() {
      const real = Date.now();
      if (real - readAt >= 100) {
        readAt = real;
        try {
          const v = Number(readFileSync(file, 'utf8').trim());
          if (Number.isFinite(v)) offset = v;
        } catch {
          // No file yet: no offset.
        }
      }
      return real + offset;
    },
  };
}
