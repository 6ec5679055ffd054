/** Row ids for back-office writes: UUID v7 from the injected clock (sortable by creation, test-reproducible in time). */
import { randomBytes } from 'node:crypto';
import type { Clock } from '@tpv/shared/clock';
import { createUuidV7 } from '@tpv/shared/ids';

const generators = new WeakMap<Clock, () => string>();

export function newRowId(clock: Clock): string {
  let g = generators.get(clock);
  if (!g) generators.set(clock, (g = createUuidV7(clock, (n) => randomBytes(n))));
  return g();
}
