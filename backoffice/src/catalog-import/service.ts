/**
 * Catalog import use cases, shared by the API's jobs and the CLI: read a file, check every row against the
 * catalog (a preview: counts and every bad row), and apply it — all or nothing, in one transaction that
 * re-checks the rows against the catalog as it is then, writes products, categories, barcodes and the tills'
 * change feed in batches, and records one audit entry for the whole import.
 */
import type { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { recordAudit, type AuditActor } from '../platform/audit';
import { newRowId } from '../persistence/row-id';
import { engineOfDs, writeTransaction } from '../persistence/raw';
import { csvRows, sniffFile, xlsxRows, type ImportFormat, type RawRow } from './read';
import { mapHeader, parseRow, type ImportError, type ImportRow } from './rows';
import { planImport, type ImportPlan } from './plan';
import { loadCatalogSnapshot, writeImport } from './repository';

export type { ImportError } from './rows';

/** Where the bytes are: a local path (the CLI, the local files area) or a stream. */
export interface ImportSource {
  path: string;
}

export type Progress = (done: number, total: number | null, message: string) => Promise<void> | void;

export interface ImportPreview {
  format: ImportFormat;
  counts: ImportPlan['counts'];
  errorCount: number;
  /** Rows with at least one error. */
  badRows: number;
  /** Every bad row, by row number then column. */
  errors: ImportError[];
}

export interface ImportApplied extends ImportPreview {
  /** Highest change-feed version written (0 when nothing changed). */
  version: number;
  newProductIds: string[];
}

/** The file's rows could not all be applied: nothing was written. */
export class ImportRefused extends Error {
  constructor(readonly preview: ImportPreview) {
    super(`${preview.errorCount} bad row(s): nothing imported`);
  }
}

const READ_PROGRESS_EVERY = 10_000;

interface Parsed {
  format: ImportFormat;
  rows: ImportRow[];
  skuRows: Array<{ row: number; sku: string }>;
  errors: ImportError[];
}

async function readFile(source: ImportSource, progress: Progress): Promise<Parsed> {
  const { format, delimiter } = await sniffFile(source.path);
  const { createReadStream } = await import('node:fs');
  const raw: AsyncIterable<RawRow> = format === 'xlsx' ? xlsxRows(source.path) : csvRows(createReadStream(source.path) as Readable, delimiter);
  const rows: ImportRow[] = [];
  const skuRows: Array<{ row: number; sku: string }> = [];
  const errors: ImportError[] = [];
  let columns: ReturnType<typeof mapHeader>['columns'] | null = null;
  let n = 0;
  for await (const r of raw) {
    if (columns === null) {
      const header = mapHeader(r.cells);
      errors.push(...header.errors);
      if (header.errors.some((e) => e.message.startsWith('required'))) return { format, rows, skuRows, errors }; // rows cannot be read without them
      columns = header.columns;
      continue;
    }
    skuRows.push({ row: r.row, sku: (r.cells[columns.get('sku')!] ?? '').trim() });
    const row = parseRow(r.row, r.cells, columns, errors);
    if (row) rows.push(row);
    if (++n % READ_PROGRESS_EVERY === 0) await progress(n, null, 'reading');
  }
  if (columns === null) errors.push({ row: 1, column: 'sku', code: 'file.empty', message: 'the file is empty (a header row and product rows expected)' });
  else if (n === 0) errors.push({ row: 2, column: 'sku', code: 'file.no_rows', message: 'the file has a header but no product rows' });
  return { format, rows, skuRows, errors };
}

const byRow = (a: ImportError, b: ImportError) => a.row - b.row || a.column.localeCompare(b.column);

function previewOf(format: ImportFormat, plan: ImportPlan): ImportPreview {
  const errors = [...plan.errors].sort(byRow);
  return { format, counts: plan.counts, errorCount: errors.length, badRows: new Set(errors.map((e) => e.row)).size, errors };
}

async function planFor(m: EntityManager, parsed: Parsed, clock: Clock, progress: Progress): Promise<ImportPlan> {
  const snapshot = await loadCatalogSnapshot(m);
  const total = parsed.skuRows.length;
  return planImport(parsed.rows, parsed.skuRows, parsed.errors, snapshot, () => newRowId(clock), (n) => progress(n, total, 'checking'));
}

/** Reads and checks every row; writes nothing. */
export async function previewImport(ds: DataSource, clock: Clock, source: ImportSource, progress: Progress = () => {}): Promise<ImportPreview> {
  const parsed = await readFile(source, progress);
  const total = parsed.skuRows.length;
  await progress(0, total, 'checking');
  const plan = await planFor(ds.manager, parsed, clock, progress);
  await progress(total, total, plan.errors.length ? `${plan.errors.length} bad row(s)` : 'ready to apply');
  return previewOf(parsed.format, plan);
}

export interface ApplyContext {
  /** null: the system (the CLI run on the server). */
  actor: AuditActor | null;
  /** The import's id in the audit log (the validate job's id, or one the CLI makes). */
  importId: string;
  fileName: string;
  sha256?: string | null;
  via: 'api' | 'cli';
  /** Who ran the CLI (the OS user), recorded in the audit entry. */
  operator?: string;
  requestId?: string | null;
}

/**
 * Applies the file in one transaction. Throws `ImportRefused` (nothing written) when any row is bad against
 * the catalog as it is at that moment. Progress counts products written out of the file's rows.
 */
export async function applyImport(ds: DataSource, clock: Clock, source: ImportSource, ctx: ApplyContext, progress: Progress = () => {}): Promise<ImportApplied> {
  const parsed = await readFile(source, progress);
  const total = parsed.skuRows.length;
  await progress(0, total, 'checking');
  if (parsed.errors.length > 0) throw new ImportRefused(previewOf(parsed.format, await planImport([], parsed.skuRows, parsed.errors, { products: new Map(), barcodes: new Map(), categories: [] }, () => '')));
  const at = new Date(clock.now()).toISOString();
  const run = async (m: EntityManager) => {
    const plan = await planFor(m, parsed, clock, progress);
    if (plan.errors.length > 0) throw new ImportRefused(previewOf(parsed.format, plan));
    await progress(0, total, 'writing');
    const unchanged = plan.counts.unchanged;
    const version = await writeImport(m, plan, at, (written) => progress(unchanged + written, total, 'writing'));
    await recordAudit(m, clock, {
      actor: ctx.actor,
      action: 'catalog.import',
      entity: 'catalog_import',
      entityId: ctx.importId,
      after: { file: ctx.fileName, sha256: ctx.sha256 ?? null, via: ctx.via, ...(ctx.operator ? { operator: ctx.operator } : {}), format: parsed.format, ...plan.counts, feedVersion: version },
      requestId: ctx.requestId ?? null,
    });
    return { plan, version };
  };
  const { plan, version } = engineOfDs(ds) === 'sqlite' ? await writeTransaction(ds, run) : await ds.transaction(run);
  await progress(total, total, 'imported');
  return { ...previewOf(parsed.format, plan), version, newProductIds: [...plan.newIds] };
}
