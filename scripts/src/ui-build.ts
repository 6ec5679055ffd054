import { existsSync } from 'node:fs';
import path from 'node:path';

/** Builds each UI with Vite if its `dist/` is missing (a fresh clone), so `npm start` alone is enough. */
export async function buildUisIfMissing(repoRoot: string): Promise<void> {
  const roots = ['terminal/ui', 'backoffice/ui'].map((r) => path.join(repoRoot, r));
  const missing = roots.filter((r) => !existsSync(path.join(r, 'dist', 'index.html')));
  if (missing.length === 0) return;
  const { build } = await import('vite');
  for (const root of missing) {
    console.log(`[demo] building ${path.relative(repoRoot, root)} …`);
    await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
}
