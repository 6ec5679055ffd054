import { defineConfig } from 'vitest/config';
import { DurationSequencer } from './scripts/test/file-order';

// Test tiers (see README): unit = pure code; medium = real SQLite files and PostgreSQL;
// system = real processes on loopback; browser = Chromium driving the built UIs.
// Cheap argon2id for every hash the tests make (backoffice/src/auth/secret-hash.ts): the workers and the
// processes the system tests start inherit it. The demo and deployments keep the full cost.
process.env.TPV_ARGON2 ??= 'fast';

export default defineConfig({
  test: {
    // Under CI a JSON report as well, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    // Two files at a time even on a 2-core machine (vitest's default there is one): each medium file has its
    // own SQLite files, PostgreSQL schema and ports, and most of its time is waiting on them. Set here, for
    // every project (vitest refuses projects of one group with different maxWorkers). System and fuzz files
    // (real processes on free ports, their own temp folders) share the two workers with the medium files:
    // one at a time they ran after everything else and were half of CI's time. Browser files too: each has its
    // own server on a free port, its own SQLite file and its own Chromium, and kept one at a time (vitest's
    // sequential group, after all the others) they took CI past its 30 minutes. Three files at a time
    // were tried (2026-12-02): slower, not faster — the clean run took 33.5 min against 27.3 with two (each file's
    // imports slowed more than the third one gained), so two it stays.
    maxWorkers: 2,
    // Longest files first, isolated projects before the shared-worker ones (scripts/test/file-order.ts).
    sequence: { sequencer: DurationSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,drivers,runtime,terminal,backoffice,scripts}/test/unit/**/*.test.ts'],
          // One worker process runs file after file, modules loaded once (see medium).
          isolate: false,
        },
      },
      {
        test: {
          name: 'medium',
          include: ['{drivers,runtime,terminal,backoffice,scripts}/test/medium/**/*.test.ts'],
          // File after file in the same worker process, the back office's modules evaluated once: a fresh process
          // per file spent 3–5 s loading them before its first test (import ≈ 880 s of a 36-min run, 2026-12-02).
          // So module state must be per database, never per process (reports/rollups.ts caches key on the
          // DataSource), and a test that swaps a module hook puts the previous one back.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'system',
          include: ['{drivers,terminal,backoffice,scripts}/test/system/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Malformed requests and socket events by the thousand against services on loopback (seeded, bounded).
        test: {
          name: 'fuzz',
          include: ['{terminal,backoffice,scripts}/test/fuzz/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['{terminal,backoffice,scripts}/test/browser/**/*.test.ts'],
          // Generous bounds: a walk seeds the demo franchise and starts HQ and tills while another file runs
          // beside it; the bounds only stop a hang, what each step waits for is still asserted.
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // expect.poll gives up after 1 s by default: with two Chromiums and two servers on two cores a page
          // can take longer than that to render after a navigation; what is polled for still has to happen.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
