/**
 * CpuTurns (sales-ingest/turns.ts): synchronous work arriving in a burst runs in slices with the timers phase
 * between them, first come first run — a later arrival never overtakes work that waits — and a throw reaches
 * its own caller only.
 */
import { describe, expect, it } from 'vitest';
import { CpuTurns } from '../../src/sales-ingest/turns';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe('CpuTurns', () => {
  it('runs a burst in arrival order, in slices with a timer firing between them', async () => {
    const turns = new CpuTurns(12);
    const log: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => {
      log.push('timer');
      resolve();
    }, 0));
    const jobs = Array.from({ length: 8 }, (_, i) => turns.run(() => {
      busy(5);
      log.push(`job ${i}`);
      return i;
    }));
    const late = turns.run(() => {
      log.push('late');
      return -1;
    });
    expect(await Promise.all([...jobs, late])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, -1]);
    await timer;
    // The first slice (12 ms, 5 ms a job) ran at once; the timer came before the rest; nobody overtook.
    expect(log.filter((l) => l !== 'timer')).toEqual([...Array.from({ length: 8 }, (_, i) => `job ${i}`), 'late']);
    const at = log.indexOf('timer');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(log.length - 1);
  });

  it('a job that throws rejects its own promise; the others run', async () => {
    const turns = new CpuTurns(1);
    const a = turns.run(() => busy(2));
    const b = turns.run(() => {
      throw new RangeError('bad batch');
    });
    const c = turns.run(() => 'c');
    await expect(b).rejects.toThrow('bad batch');
    expect(await Promise.all([a, c])).toEqual([undefined, 'c']);
  });
});
