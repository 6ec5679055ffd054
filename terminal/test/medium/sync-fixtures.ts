/** The sync tests' fixtures live in src so the chaos tests in scripts/ can use them too. */
import { afterAll, afterEach } from 'vitest';
import { TempDir } from '../support/tickets';
export * from '../support/tickets';

/**
 * One test file's scratch space: a temp dir, removed after all its tests, and a list of cleanups (servers,
 * clients, databases) run after each test, last registered first.
 */
export function scratchPerFile(): { tmp: TempDir; cleanups: Array<() => Promise<void> | void> } {
  const tmp = new TempDir();
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => tmp.remove());
  return { tmp, cleanups };
}
