/**
 * Turns on the event loop for synchronous work that arrives in bursts (a batch's validation: zod and the
 * ticket arithmetic, tens of ms for 50 tickets on a loaded machine). Work runs at once while the current
 * slice lasts (`sliceMs` since the first work after the last timers phase); past it, the rest waits for a
 * `setTimeout(0)` — the timers phase, where the dashboard's push timer runs too — and goes on there, slice by
 * slice. First come, first run: a later arrival never overtakes work waiting, so a terminal's batches reach
 * their lane in the order they came.
 */
import { performance } from 'node:perf_hooks';

export class CpuTurns {
  private sliceStart: number | null = null;
  private readonly waiting: Array<() => void> = [];
  private armed = false;

  constructor(private readonly sliceMs: number) {}

  /** Runs `fn` now or in a later slice; resolves with its result (in arrival order). */
  run<T>(fn: () => T): Promise<T> {
    if (this.waiting.length === 0 && this.open()) {
      try {
        return Promise.resolve(fn());
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(fn());
        } catch (e) {
          reject(e as Error);
        }
      });
      this.arm();
    });
  }

  /** Whether the current slice has time left (starting one if none is open). */
  private open(): boolean {
    const now = performance.now();
    if (this.sliceStart === null) {
      this.sliceStart = now;
      this.arm();
      return true;
    }
    return now - this.sliceStart < this.sliceMs;
  }

  /** The next timers phase closes the slice and runs what waits, slice by slice. */
  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setTimeout(() => {
      this.armed = false;
      this.sliceStart = performance.now();
      while (this.waiting.length > 0 && performance.now() - this.sliceStart < this.sliceMs) this.waiting.shift()!();
      this.sliceStart = null;
      if (this.waiting.length > 0) this.arm();
    }, 0);
  }
}
