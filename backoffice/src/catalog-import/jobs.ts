/** The catalog import's job handlers: check (preview) and apply, both reading the uploaded file from the files area. */
import type { ModuleContext } from '../modules/types';
import { JobFailed, type JobHandler, type JobRun } from '../platform/jobs/service';
import type { AuditActor } from '../platform/audit';
import { applyImport, ImportRefused, previewImport, type ImportPreview } from './service';

export const IMPORT_VALIDATE = 'catalog.import.validate';
export const IMPORT_APPLY = 'catalog.import.apply';

export type ValidateResult = ImportPreview & { fileId: string };

async function sourceOf(ctx: ModuleContext, fileId: string) {
  const file = await ctx.files.find(fileId);
  if (!file) throw new JobFailed(`the uploaded file ${fileId} is gone`);
  const path = ctx.files.localPath(file);
  if (!path) throw new JobFailed('the files area has no local copy of the upload');
  return { file, source: { path } };
}

const reporter = (run: JobRun) => (done: number, total: number | null, message: string) => run.progress(done, total, message);

export const catalogImportJobs: Record<string, JobHandler<ModuleContext>> = {
  async [IMPORT_VALIDATE](run, ctx) {
    const { fileId } = run.params as { fileId: string };
    const { source } = await sourceOf(ctx, fileId);
    const preview = await previewImport(ctx.ds, ctx.clock, source, reporter(run));
    const result: ValidateResult = { ...preview, fileId };
    const c = preview.counts;
    return { result, message: preview.errorCount ? `${preview.badRows} bad row(s)` : `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged` };
  },

  async [IMPORT_APPLY](run, ctx) {
    const p = run.params as { fileId: string; fileName: string; importId: string; actor: AuditActor };
    const { file, source } = await sourceOf(ctx, p.fileId);
    try {
      const out = await applyImport(ctx.ds, ctx.clock, source, { actor: p.actor, importId: p.importId, fileName: p.fileName, sha256: file.sha256, via: 'api' }, reporter(run));
      // After the commit: the tills fetch the new feed rows, the ingest knows the new products.
      if (out.version > 0) ctx.live.gateway?.catalogChanged(null, out.version);
      if (out.newProductIds.length > 0) ctx.ingest.knowProducts(out.newProductIds);
      const c = out.counts;
      return { result: { counts: c, version: out.version }, message: `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged` };
    } catch (e) {
      if (e instanceof ImportRefused) throw new JobFailed(e.message, { ...e.preview, fileId: p.fileId });
      throw e;
    }
  },
};
