/**
 * The order vitest hands test files to its two workers (vitest.config.ts `sequence.sequencer`). Vitest's own
 * order on a fresh clone (no results cache) is by project name, then by file size: the system tests — long,
 * small files — ran last and a 80 s import test started 20 minutes in, so the run ended on a tail. Here:
 * the isolated projects' files (browser, fuzz, system: one process each) first, longest first by the durations
 * a full run measured (`file-durations.json`, refreshed by scripts/src/test-durations.ts); then each non-isolated
 * project's files together (a shared worker is only reused while the next file is of its project), longest first.
 * A file not measured yet goes first in its group, as vitest does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const REPO_ROOT_DIR = path.resolve(import.meta.dirname, '../..');
export const durationKey = (project: string, relPath: string) => `${project}:${relPath}`;

function measured(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(path.join(import.meta.dirname, 'file-durations.json'), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = measured();
    const durationOf = (f: TestSpecification) => seconds[durationKey(f.project.name, path.relative(REPO_ROOT_DIR, f.moduleId))] ?? Infinity;
    // Non-isolated projects after the isolated ones, the longer project first.
    const projectTotal = new Map<string, number>();
    for (const f of files) projectTotal.set(f.project.name, (projectTotal.get(f.project.name) ?? 0) + Math.min(durationOf(f), 600));
    const group = (f: TestSpecification) => (f.project.config.isolate === false ? `1:${String(1e9 - projectTotal.get(f.project.name)!).padStart(12, '0')}:${f.project.name}` : '0');
    return [...files].sort((a, b) => {
      const ga = group(a);
      const gb = group(b);
      if (ga !== gb) return ga < gb ? -1 : 1;
      return durationOf(b) - durationOf(a);
    });
  }
}
