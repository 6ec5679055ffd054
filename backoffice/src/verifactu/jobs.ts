/**
 * Veri*Factu jobs: a month's export of one company (files in the files area), and "send now" of a company's
 * queued records to the AEAT (the endpoint is `TPV_VERIFACTU_URL`; the real service also needs the
 * company's certificate, out of reach here). A send job never sleeps through the AEAT's waiting time: it
 * sends what is due and reports when the issuer may send again.
 */
import type { ModuleContext } from '../modules/types';
import { JobFailed, type JobHandler } from '../platform/jobs/service';
import { companyOf } from './source';
import { exportMonth } from './export';
import { createSubmission, httpTransport } from './submission';

export const EXPORT_JOB = 'verifactu.export';
export const SEND_JOB = 'verifactu.send';

export const verifactuJobs: Record<string, JobHandler<ModuleContext>> = {
  async [EXPORT_JOB](run, ctx) {
    const p = run.params as { companyId: string; month: string };
    const r = await exportMonth(ctx.ds, ctx.files, run.owner, p.companyId, p.month, (done, total) => run.progress(done, total, `${done}/${total} cadenas · chains`));
    return { result: r, resultFileId: r.files[0]?.fileId ?? null, message: `${r.records} registros · records, ${r.files.length} fichero(s) · file(s)` };
  },
  async [SEND_JOB](run, ctx) {
    const p = run.params as { companyId: string };
    const url = process.env.TPV_VERIFACTU_URL;
    if (!url) throw new JobFailed('TPV_VERIFACTU_URL no configurada / the AEAT endpoint is not configured');
    const company = await companyOf(ctx.ds.manager, p.companyId);
    if (!company) throw new JobFailed('empresa desconocida / unknown company');
    const submission = createSubmission({ ds: ctx.ds, clock: ctx.clock, transport: httpTransport(url), waiter: { sleep: async () => {} }, log: ctx.log });
    await submission.collect({ companyId: p.companyId });
    let sends = 0;
    let records = 0;
    for (;;) {
      const o = await submission.sendOnce(company.nif);
      if (o.state !== 'sent') {
        const message = o.state === 'waiting' ? `${sends} envíos · sends, ${records} registros; siguiente envío · next send ${new Date(o.untilMs).toISOString()}` : `${sends} envíos · sends, ${records} registros · records`;
        return { result: { sends, records, nextSendAt: o.state === 'waiting' ? new Date(o.untilMs).toISOString() : null }, message };
      }
      sends++;
      records += o.records;
      await run.progress(sends, null, `${records} registros enviados · records sent`);
    }
  },
};
