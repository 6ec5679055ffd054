/**
 * `npm run import -- products <file.csv|xlsx> [--dry-run]` — the catalog import as a management command.
 *
 * It opens the back office's database directly (DATABASE_URL, or the SQLite file under TPV_DATA_DIR /
 * TPV_BACKOFFICE_DB, exactly as the server finds it) and runs the same use cases as the API's import jobs:
 * every row checked, all or nothing, the tills' change feed appended, one audit entry (actor: system, via
 * cli, the OS user). Why not through the API: it is run by whoever operates the server, who has the
 * database but not necessarily an HQ account (HQ sign-in asks for a second factor a script cannot give),
 * and a file of any size needs no upload. The price: tills are not nudged (they pull the new feed rows at
 * their next sync), and on SQLite the import's one transaction holds the write lock for its duration, so
 * run it when the back office is quiet (it waits for the server's writes, up to a minute).
 *
 * Prints a progress bar (stderr), then the counts, or every bad row and exits with status 1.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { backofficeConfigFromEnv } from '@tpv/backoffice/config';
import { createBackofficeDataSource } from '@tpv/backoffice/persistence/data-source';
import { newRowId } from '@tpv/backoffice/persistence/row-id';
import { applyImport, ImportRefused, previewImport, type ImportError, type ImportPreview } from '@tpv/backoffice/catalog-import/service';

const USAGE = 'usage: npm run import -- products <file.csv|file.xlsx> [--dry-run]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const [what, file] = args.filter((a) => !a.startsWith('--'));
if (what !== 'products' || !file) fail(USAGE);
if (!existsSync(file)) fail(`no such file: ${file}`);

const sha256 = async (f: string) => {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(f)) h.update(chunk as Buffer);
  return h.digest('hex');
};

function printErrors(errors: readonly ImportError[]): void {
  console.error(`\n${errors.length} error(s) in ${new Set(errors.map((e) => e.row)).size} row(s); nothing was imported:`);
  for (const e of errors) console.error(`  row ${e.row}, ${e.column}: ${e.message}${e.value !== undefined ? ` [${e.value}]` : ''}`);
}

function printCounts(p: ImportPreview, verb: string): void {
  const c = p.counts;
  console.log(`${verb}: ${c.rows} rows (${p.format}) — ${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.categoriesNew} new categories`);
}

const config = backofficeConfigFromEnv();
if (!config.databaseUrl && !existsSync(config.databaseFile)) fail(`no back-office database at ${config.databaseFile} (set DATABASE_URL or TPV_DATA_DIR)`);
// No new feed epoch here (unlike a server start): this process adds changes to the running back office's feed.
const ds = createBackofficeDataSource({ databaseUrl: config.databaseUrl, file: config.databaseFile, busyTimeoutMs: 60_000 });
await ds.initialize();
let code = 0;
try {
  await ds.runMigrations();
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}',
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 1000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const progress = (done: number, total: number | null, phase: string) => {
    if (!started) {
      bar.start(total ?? 0, done, { phase });
      started = true;
    }
    bar.setTotal(total ?? done); // while reading, the total is not known yet
    bar.update(done, { phase: phase.padEnd(8) });
  };
  const clock = { now: () => Date.now() };
  const source = { path: path.resolve(file) };
  try {
    if (dryRun) {
      const preview = await previewImport(ds, clock, source, progress);
      bar.stop();
      if (preview.errorCount > 0) {
        printErrors(preview.errors);
        code = 1;
      } else printCounts(preview, 'Dry run, nothing written');
    } else {
      const out = await applyImport(
        ds,
        clock,
        source,
        { actor: null, importId: newRowId(clock), fileName: path.basename(file), sha256: await sha256(file), via: 'cli', operator: userInfo().username },
        progress,
      );
      bar.stop();
      printCounts(out, 'Imported');
    }
  } catch (e) {
    bar.stop();
    if (!(e instanceof ImportRefused)) throw e;
    printErrors(e.preview.errors);
    code = 1;
  }
} finally {
  await ds.destroy();
}
process.exit(code);
