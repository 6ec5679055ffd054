/**
 * Refreshes `scripts/test/file-durations.json` (what the test sequencer orders files by, longest first) from the
 * JSON report of a full run (`CI=1 npx vitest run` writes test-results/vitest.json). Run it after a full run on
 * a quiet machine when files were added or grew: `npx tsx scripts/src/test-durations.ts [report]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT_DIR, durationKey } from '../test/file-order';

interface Report { testResults: Array<{ name: string; startTime: number; endTime: number }> }

const report = JSON.parse(readFileSync(process.argv[2] ?? path.join(REPO_ROOT_DIR, 'test-results/vitest.json'), 'utf8')) as Report;
const out: Record<string, number> = {};
for (const f of report.testResults) {
  // The report may come from another clone: the path from the workspace folder on.
  const m = /\/((?:shared|drivers|runtime|terminal|backoffice|scripts)\/test\/(\w+)\/.*)$/.exec(f.name);
  if (!m) continue;
  const [, rel, project] = m as unknown as [string, string, string];
  out[durationKey(project, rel)] = Math.round((f.endTime - f.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(path.join(REPO_ROOT_DIR, 'scripts/test/file-durations.json'), `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`${Object.keys(sorted).length} files`);
