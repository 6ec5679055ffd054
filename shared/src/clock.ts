/**
 * Time is injected (ARCHITECTURE invariant 8): shared/ never reads the system clock; each process wires a
 * real clock (`{ now: () => Date.now() }`) in its composition root. These helpers are for tests and tools.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Always returns `ms`. */
export function fixedClock(ms: number): Clock {
  return { now: () => ms };
}

/** Returns `start`, then `start + stepMs`, `start + 2·stepMs`, … one step per call. */
export function steppingClock(start: number, stepMs: number): Clock {
  let next = start;
  return {
    now: () => {
      const current = next;
      next += stepMs;
      return current;
    },
  };
}

export interface ManualClock extends Clock {
  /** Moves time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  set(ms: number): void;
}

/** A clock that only moves when told to. */
export function manualClock(start: number): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
