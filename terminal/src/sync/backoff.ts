/** Exponential backoff with "equal jitter": attempt n waits between cap/2 and cap, cap = min(max, base·2ⁿ). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** [0, 1) source; Math.random in production, a fixed one in tests. */
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** A pump's wait between rounds: `wait(ms)` resolves after ms, or at once when `wake()` is called meanwhile. */
export class IdleWait {
  private wakeUp: (() => void) | undefined;

  wake(): void {
    this.wakeUp?.();
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
