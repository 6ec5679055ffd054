/**
 * Back office → master data (invariant 5): pulls the change feed (`catalog:pull`) from the version held,
 * the next page prefetched while one is applied (catalog.ts applies each page, or a run of pages during a
 * bulk load, in one SQLite transaction with its version). Runs at each hello:ack and each
 * `catalog:changed` nudge, one load at a time; reports progress for the screen.
 */
import { EVENTS } from '@tpv/shared/wire/sync-protocol';
import { backoffDelay } from './backoff';
import type { Connection, Conn } from './connection';
import type { SyncContext } from './context';
import { writeCatalogEpoch } from './state';
import type { CatalogProgress } from './status';

/** Backlog (changes) from which a load suspends per-row search indexing and rebuilds it at the end. */
const BULK_THRESHOLD = 20_000;
/** Pages applied per transaction during a bulk load (~10k changes, ~0.1 s of write lock). */
const BULK_PAGES_PER_TRANSACTION = 10;

export class CatalogPull {
  private running = false;
  private again = false;
  private progress: CatalogProgress;
  private loadStart = 0;
  private lastProgressEmit = 0;

  constructor(
    private readonly ctx: SyncContext,
    private readonly link: Connection,
    /** Emits the `progress` event (and the status that carries it). */
    private readonly onProgress: (p: CatalogProgress) => void,
  ) {
    const v = ctx.catalog.version();
    this.progress = { version: v, targetVersion: v, loading: false, fullLoad: false, appliedChanges: 0, fraction: 1 };
  }

  snapshot(): CatalogProgress {
    return { ...this.progress };
  }

  raiseTarget(version: number): void {
    if (version > this.progress.targetVersion) this.progress.targetVersion = version;
  }

  /** The local version was reset to 0 (HQ's feed went back): the next load starts from scratch. */
  restart(): void {
    this.progress = { ...this.progress, version: 0, targetVersion: 0 };
  }

  /** Pulls until up to date; a nudge during a load makes it look once more at the end. */
  async run(conn: Conn): Promise<void> {
    const { ctx, link } = this;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.pullAll(conn);
      } while (this.again && link.alive(conn));
    } catch (e) {
      if (link.alive(conn)) {
        ctx.fail(`catalog: ${(e as Error).message}`);
        // Retry the page later on the same connection (a page that cannot be applied is a back-office bug:
        // the till keeps selling from what it has).
        setTimeout(() => link.alive(conn) && void this.run(conn), backoffDelay(3, ctx.o.backoff)).unref?.();
      }
    } finally {
      this.running = false;
      try {
        if (ctx.catalog.bulk) ctx.catalog.endBulk();
      } catch (e) {
        ctx.fail(`catalog: restoring product search: ${(e as Error).message}`);
      }
      this.progress.loading = false;
      this.emitProgress();
    }
  }

  private pull(conn: Conn, sinceVersion: number): Promise<unknown> {
    const p = this.link.request(conn, EVENTS.catalogPull, { sinceVersion, limit: this.ctx.o.pullLimit });
    p.catch(() => undefined); // a prefetched page that is never awaited must not become an unhandled rejection
    return p;
  }

  private async pullAll(conn: Conn): Promise<void> {
    const { ctx } = this;
    let version = ctx.catalog.version();
    // Always ask at least once, even when nothing was announced beyond what we hold (cheap): a missed
    // nudge cannot strand the terminal on an old catalogue.
    this.loadStart = version;
    // A big backlog (first load of a fresh terminal): maintain the search index once at the end, not per row.
    if (this.progress.targetVersion - version >= BULK_THRESHOLD) ctx.catalog.beginBulk();
    this.progress = { ...this.progress, version, loading: true, fullLoad: version === 0, appliedChanges: 0, fraction: this.fraction(version) };
    this.emitProgress();
    const bulk = ctx.catalog.bulk;
    let buffer: unknown[] = [];
    let next = this.pull(conn, version);
    for (;;) {
      const page = (await next) as { toVersion?: unknown; hasMore?: unknown } | undefined;
      if (!this.link.alive(conn)) return;
      const more = page?.hasMore === true && typeof page.toVersion === 'number';
      if (more) next = this.pull(conn, page.toVersion as number); // prefetch: the back office works while we apply
      buffer.push(page);
      // In a bulk load a few pages share one transaction (fewer commits and checkpoints); otherwise one each.
      if (more && bulk && buffer.length < BULK_PAGES_PER_TRANSACTION) continue;
      const r = ctx.catalog.applyPages(buffer, ctx.nowIso());
      const epoch = (buffer[buffer.length - 1] as { epoch?: unknown } | undefined)?.epoch;
      buffer = [];
      // The feed epoch at our version goes back in the next hello (HQ's check that its feed did not go back).
      if (!r.stale) writeCatalogEpoch(ctx.o.db, typeof epoch === 'string' ? epoch : null);
      if (r.stale) {
        // The pages did not start where we are (a concurrent load moved on): ask again from what we hold.
        version = ctx.catalog.version();
        next = this.pull(conn, version);
        continue;
      }
      version = r.version;
      this.raiseTarget(version);
      this.progress.version = version;
      this.progress.appliedChanges += r.applied + r.skipped;
      this.progress.fraction = this.fraction(version);
      this.emitProgress();
      if (!more) break;
    }
    if (ctx.lastError?.message.startsWith('catalog')) ctx.lastError = null;
  }

  private fraction(version: number): number {
    const span = this.progress.targetVersion - this.loadStart;
    if (span <= 0) return 1;
    return Math.max(0, Math.min(1, (version - this.loadStart) / span));
  }

  private emitProgress(): void {
    const now = this.ctx.o.clock.now();
    // The screen needs a few updates a second, not one per page.
    if (this.progress.loading && now - this.lastProgressEmit < 100 && this.progress.fraction < 1) return;
    this.lastProgressEmit = now;
    this.onProgress({ ...this.progress });
  }
}
