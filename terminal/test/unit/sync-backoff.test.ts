import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/sync/backoff';

describe('sync backoff', () => {
  // cap = min(max, base·2ⁿ); delay = cap/2 + random·cap/2 (equal jitter).
  it.each([
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [3, 0.5, 3000],
    [10, 0, 15_000],
    [10, 0.999999, 30_000],
    [60, 0.5, 22_500],
  ])('attempt %i, random %d → %i ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, { baseMs: 500, maxMs: 30_000, random: () => r })).toBe(expected);
  });
});
