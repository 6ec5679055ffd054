/**
 * The franchisor's invoice runs (issue 12), franchise-wide (HQ roles only):
 *
 * - **Fees**: per franchisee and month, royalty % and marketing-fee % of each store's net sales without IVA
 *   (returns deducted) under the contract(s) in force (`feePlanFor`, shared), read from the daily rollup
 *   `sales_day` — never from raw tickets. One invoice per franchisee and period (source `fee`, key
 *   `fee:<contract>:<yyyy-mm>` of the last contract in force that month), IVA 21 %, due after the contract's
 *   payment days.
 * - **Wholesale**: per franchisee, one invoice of the delivery notes (AL) it received in the month and that
 *   are not invoiced yet: what arrived of what was shipped (received + damaged — damaged goods were its own
 *   from shipment — up to the shipped quantity; shortages stay with the note's incident) at the note's
 *   wholesale price and IVA. Key `wholesale:<franchisee>:<yyyy-mm>`; the notes are marked in the same
 *   transaction, so a note is invoiced once.
 *
 * Preview computes everything and writes nothing. Posting records the run (`fee_run`, unique per kind and
 * period: a second post of the same period is refused with 409 RUN_POSTED and nothing written), then a job
 * posts the invoices through the invoicing core (`insertDraftInvoice` + `postInvoice`) in transactions of a
 * few franchisees, makes their PDFs (`storeInvoicePdf`) after each commit, and reports progress. A job
 * re-run after a crash resumes: invoices already posted for the period are kept, not made again.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem } from '@tpv/shared/problem';
import { invoiceAmounts } from '@tpv/shared/invoicing/amounts';
import { feeInvoiceLine, feePlanFor, isFeeSkip, periodBounds, type FeePlan } from '@tpv/shared/invoicing/fees';
import type { FeePreview, FeePreviewItem, InvoiceRun, RunBody, RunResult, WholesalePreview, WholesalePreviewItem } from '@tpv/shared/wire/http/fees';
import { forbidden } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { insertDraftInvoice, postInvoice, todayInMadrid, type DraftInvoiceInput } from '../invoicing/posting';
import { storeInvoicePdf } from '../invoicing/pdf';
import type { DocumentActor } from '../platform/actor';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import type { Files } from '../platform/files/service';
import { hqMay } from '../platform/permissions';
import { constraintViolation } from '../persistence/constraints';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import * as repo from './repository';

export type RunKind = 'fee' | 'wholesale';
const KIND_NAME: Record<RunKind, string> = { fee: 'cánones / franchise fees', wholesale: 'mayorista / wholesale' };
/** Franchisees posted per transaction (each posting appends to the franchisor's one chain: they queue anyway). */
const PER_TRANSACTION = 25;

export function assertFranchiseWide(user: AuthUser, permission: 'invoicing.read' | 'invoicing.write'): void {
  if (!hqMay(user, permission)) throw forbidden('Solo un rol de central puede lanzar la facturación de la red / only a franchise-wide HQ role may run the franchise invoicing.');
}

function checkPeriod(period: string, clock: Clock, field = 'period'): { from: string; to: string } {
  const b = periodBounds(period);
  if (b.to >= todayInMadrid(clock)) throw refused(422, 'PERIOD_NOT_ENDED', `el periodo ${period} aún no ha terminado / the period has not ended yet`, field);
  return b;
}

interface Planned<T> {
  item: T;
  draft: DraftInvoiceInput | null;
}

async function issuerOf(m: Db): Promise<repo.CompanyRef> {
  const issuer = await repo.franchisor(m);
  if (!issuer) throw refused(409, 'NO_FRANCHISOR', 'no hay empresa franquiciadora que emita las facturas / no franchisor company to issue the invoices');
  return issuer;
}

const totalsOf = (items: ReadonlyArray<{ status: string; baseCents: number; ivaCents: number; totalCents: number }>) => ({
  toPost: items.filter((i) => i.status === 'to_post').length,
  posted: items.filter((i) => i.status === 'posted').length,
  skipped: items.filter((i) => i.status === 'skipped').length,
  baseCents: items.reduce((a, i) => a + (i.status === 'skipped' ? 0 : i.baseCents), 0),
  ivaCents: items.reduce((a, i) => a + (i.status === 'skipped' ? 0 : i.ivaCents), 0),
  totalCents: items.reduce((a, i) => a + (i.status === 'skipped' ? 0 : i.totalCents), 0),
});

const viewRun = (r: repo.FeeRunRow | null): InvoiceRun | null => r;

// ---- fees ----

async function planFees(m: Db, period: string, runId: string | null): Promise<{ issuer: repo.CompanyRef; planned: Array<Planned<FeePreviewItem>> }> {
  const { from, to } = periodBounds(period);
  const issuer = await issuerOf(m);
  const [companies, stores, contracts, days, done] = await Promise.all([
    repo.franchisees(m),
    repo.storesByCompany(m),
    repo.contractsInRange(m, from, to),
    repo.netByStoreDay(m, from, to),
    repo.invoicesOfPeriod(m, issuer.id, 'fee', from),
  ]);
  const planned: Array<Planned<FeePreviewItem>> = [];
  for (const c of companies) {
    const own = stores.get(c.id) ?? [];
    const plan = feePlanFor(period, contracts.get(c.id) ?? [], own, own.flatMap((s) => days.get(s.id) ?? []));
    const base = { companyId: c.id, companyName: c.legalName, nif: c.nif, invoiceId: null, invoiceNumber: null };
    const already = done.get(c.id);
    if (isFeeSkip(plan)) {
      planned.push({ item: { ...base, status: 'skipped', reason: plan.reason, contractId: null, netSalesCents: 0, baseCents: 0, ivaCents: 0, totalCents: 0, stores: [], lines: [] }, draft: null });
      continue;
    }
    const draft = feeDraft(issuer, c, plan, runId);
    const a = invoiceAmounts(draft.lines, 0);
    if (!a.ok) throw new Error(a.error.message);
    const storeRows = plan.netSalesByStore.map((n) => {
      const s = own.find((x) => x.id === n.storeId)!;
      const of = (k: 'royalty' | 'marketing') => plan.lines.filter((l) => l.storeId === s.id && l.kind === k).reduce((x, l) => x + l.feeCents, 0);
      return { storeId: s.id, storeCode: s.code, storeName: s.name, netSalesCents: n.netSalesCents, royaltyCents: of('royalty'), marketingCents: of('marketing') };
    });
    planned.push({
      item: {
        ...base,
        status: already ? 'posted' : 'to_post',
        reason: already ? `ya facturado / already invoiced: ${already.number ?? 'borrador / draft'}` : null,
        contractId: plan.contract.id,
        netSalesCents: plan.netSalesByStore.reduce((x, s) => x + s.netSalesCents, 0),
        baseCents: a.value.baseCents,
        ivaCents: a.value.ivaCents,
        totalCents: a.value.totalCents,
        stores: storeRows,
        lines: plan.lines.map((l) => ({ description: l.description, storeId: l.storeId, kind: l.kind, rateBp: l.rateBp, from: l.from, to: l.to, netSalesCents: l.netSalesCents, feeCents: l.feeCents })),
        invoiceId: already?.id ?? null,
        invoiceNumber: already?.number ?? null,
      },
      draft: already ? null : draft,
    });
  }
  return { issuer, planned };
}

function feeDraft(issuer: repo.CompanyRef, c: repo.CompanyRef, plan: FeePlan, runId: string | null): DraftInvoiceInput {
  const { from, to } = periodBounds(plan.period);
  return {
    companyId: issuer.id,
    invoiceType: 'F1',
    source: 'fee',
    sourceKey: `fee:${plan.contract.id}:${plan.period}`,
    recipient: { companyId: c.id, nif: c.nif, name: c.legalName, address: c.address },
    paymentDays: [plan.contract.paymentDays],
    paymentMethod: plan.contract.paymentMethod,
    operationDate: to,
    periodFrom: from,
    periodTo: to,
    description: `Cánones de franquicia ${plan.period} / franchise fees`,
    runId,
    lines: plan.lines.map(feeInvoiceLine),
  };
}

export async function feePreview(ds: DataSource, user: AuthUser, period: string): Promise<FeePreview> {
  assertFranchiseWide(user, 'invoicing.read');
  const { from, to } = periodBounds(period);
  const { issuer, planned } = await planFees(ds.manager, period, null);
  const items = planned.map((p) => p.item);
  return { period, from, to, issuer: { id: issuer.id, name: issuer.legalName, nif: issuer.nif }, items, totals: totalsOf(items), run: viewRun(await repo.feeRun(ds.manager, 'fee', period)) };
}

// ---- wholesale ----

async function planWholesale(m: Db, period: string, runId: string | null): Promise<Array<Planned<WholesalePreviewItem> & { noteIds: string[] }>> {
  const { from, to } = periodBounds(period);
  const issuer = await issuerOf(m);
  const lines = (await repo.uninvoicedNoteLines(m, from, to)).filter((l) => l.fromCompanyId === issuer.id);
  const done = await repo.invoicesOfPeriod(m, issuer.id, 'wholesale', from);
  const byCompany = new Map<string, repo.NoteLineRow[]>();
  for (const l of lines) byCompany.set(l.toCompanyId, [...(byCompany.get(l.toCompanyId) ?? []), l]);
  const companies = await repo.companiesByIds(m, [...new Set([...byCompany.keys(), ...done.keys()])]);
  const out: Array<Planned<WholesalePreviewItem> & { noteIds: string[] }> = [];
  for (const [companyId, c] of [...companies].sort((a, b) => (a[1].legalName < b[1].legalName ? -1 : 1))) {
    const ls = byCompany.get(companyId) ?? [];
    const already = done.get(companyId);
    const notes = [...new Map(ls.map((l) => [l.noteId, { noteId: l.noteId, number: l.noteNumber, storeId: l.storeId, receivedAt: l.receivedAt }])).values()];
    const base = { companyId, companyName: c.legalName, nif: c.nif, notes, lineCount: 0, invoiceId: already?.id ?? null, invoiceNumber: already?.number ?? null };
    if (already) {
      // One wholesale invoice per franchisee and period; notes received late go into the next period's.
      out.push({ item: { ...base, status: 'posted', reason: `ya facturado / already invoiced: ${already.number ?? 'borrador / draft'}${notes.length ? ` (${notes.length} albaranes pendientes para el próximo periodo / notes left for the next period)` : ''}`, baseCents: already.totalCents, ivaCents: 0, totalCents: already.totalCents }, draft: null, noteIds: [] });
      continue;
    }
    const invoiceLines = ls
      .map((l) => ({ l, qty: Math.min(l.received + l.damaged, l.shipped) }))
      .filter((x) => x.qty > 0 && x.l.unitPriceCents > 0)
      .map(({ l, qty }) => ({
        description: `${l.noteNumber} · ${l.sku} ${l.name}`.slice(0, 500),
        // Weighed: the note counts grams and the price is per kg, so grams are the kg in thousandths.
        quantityMilli: l.weighed ? qty : qty * 1000,
        unitPriceCents: l.unitPriceCents,
        ivaRateBp: l.taxRateBp,
        productId: l.productId,
        storeId: l.storeId,
        sourceRef: l.noteId,
      }));
    if (invoiceLines.length === 0) {
      out.push({ item: { ...base, status: 'skipped', reason: 'nada recibido a facturar en los albaranes / nothing received to invoice on the notes', baseCents: 0, ivaCents: 0, totalCents: 0 }, draft: null, noteIds: [] });
      continue;
    }
    const { to: periodTo } = periodBounds(period);
    const draft: DraftInvoiceInput = {
      companyId: issuer.id,
      invoiceType: 'F1',
      source: 'wholesale',
      sourceKey: `wholesale:${companyId}:${period}`,
      recipient: { companyId, nif: c.nif, name: c.legalName, address: c.address },
      paymentDays: [30],
      paymentMethod: 'transfer',
      operationDate: periodTo,
      periodFrom: from,
      periodTo,
      description: `Suministro de mercancía ${period} (${notes.map((n) => n.number).join(', ')})`.slice(0, 500),
      runId,
      lines: invoiceLines,
    };
    const a = invoiceAmounts(invoiceLines, 0);
    if (!a.ok) throw new Error(a.error.message);
    out.push({ item: { ...base, status: 'to_post', reason: null, lineCount: invoiceLines.length, baseCents: a.value.baseCents, ivaCents: a.value.ivaCents, totalCents: a.value.totalCents }, draft, noteIds: notes.map((n) => n.noteId) });
  }
  return out;
}

export async function wholesalePreview(ds: DataSource, user: AuthUser, period: string): Promise<WholesalePreview> {
  assertFranchiseWide(user, 'invoicing.read');
  const { from, to } = periodBounds(period);
  const planned = await planWholesale(ds.manager, period, null);
  const items = planned.map((p) => p.item);
  return { period, from, to, items, totals: totalsOf(items), run: viewRun(await repo.feeRun(ds.manager, 'wholesale', period)) };
}

// ---- runs ----

export const RUN_JOB = 'fees.run';

/**
 * Records the run of a period (refused when one exists: 409 RUN_POSTED, nothing written) and answers its id;
 * the caller enqueues the job that posts it.
 */
export async function openRun(ds: DataSource, clock: Clock, user: AuthUser, kind: RunKind, body: RunBody, requestId?: string): Promise<repo.FeeRunRow> {
  assertFranchiseWide(user, 'invoicing.write');
  const { to } = checkPeriod(body.period, clock);
  const issueDate = body.issueDate ?? todayInMadrid(clock);
  if (issueDate < to) throw refused(422, 'VALUE_REFUSED', `la fecha de emisión no puede ser anterior al fin del periodo (${to}) / the issue date cannot be before the period's end`, 'issueDate');
  if (issueDate > todayInMadrid(clock)) throw refused(422, 'VALUE_REFUSED', 'la fecha de emisión no puede ser futura / the issue date cannot be in the future', 'issueDate');
  const refusal = (r: repo.FeeRunRow) =>
    refused(409, 'RUN_POSTED', `la facturación ${KIND_NAME[kind]} de ${body.period} ya se emitió (${r.createdAt.slice(0, 10)}${r.createdBy ? `, ${r.createdBy}` : ''}); no se emite dos veces / the run of this period was already posted: it is not posted twice`, 'period');
  try {
    return await writeTransaction(ds, async (m) => {
      const existing = await repo.feeRun(m, kind, body.period);
      if (existing) throw refusal(existing);
      await issuerOf(m);
      const row = { id: newRowId(clock), kind, period: body.period, issueDate, createdAt: new Date(clock.now()).toISOString(), createdBy: user.email };
      await repo.insertFeeRun(m, row);
      await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: `invoicing.${kind}_run.open`, entity: 'fee_run', entityId: row.id, companyId: null, after: { period: body.period, issueDate }, ...(requestId ? { requestId } : {}) });
      return { ...row, status: 'posting' as const, jobId: null, finishedAt: null, result: null };
    });
  } catch (e) {
    // Two posts at once: the unique key let one through.
    if (constraintViolation(e)?.kind === 'unique') {
      const r = await repo.feeRun(ds.manager, kind, body.period);
      if (r) throw refusal(r);
    }
    throw e;
  }
}

export const attachJob = (ds: DataSource, runId: string, jobId: string) => writeTransaction(ds, (m) => repo.setFeeRunJob(m, runId, jobId));

export interface RunProgress {
  (done: number, total: number, message: string): Promise<void>;
}

/** Posts a recorded run (the job's body): invoices, PDFs, the run's result. Safe to run again after a crash. */
export async function postRun(ds: DataSource, clock: Clock, files: Files, runId: string, user: AuthUser, progress: RunProgress): Promise<RunResult> {
  const run = await repo.feeRunById(ds.manager, runId);
  if (!run) throw new Error(`fee run ${runId} not found`);
  if (run.status === 'posted') return run.result as RunResult;
  const by: DocumentActor = { kind: 'user', user };
  const planned: Array<Planned<FeePreviewItem | WholesalePreviewItem> & { noteIds?: string[] }> = run.kind === 'fee' ? (await planFees(ds.manager, run.period, run.id)).planned : await planWholesale(ds.manager, run.period, run.id);
  const todo = planned.filter((p) => p.draft !== null);
  const result: RunResult = { posted: [], skipped: planned.filter((p) => p.item.status === 'skipped').map((p) => ({ companyId: p.item.companyId, companyName: p.item.companyName, reason: p.item.reason ?? '' })) };
  // Invoices an earlier attempt of this run already posted are kept (resume).
  for (const p of planned) if (p.item.status === 'posted' && p.item.invoiceId) result.posted.push({ companyId: p.item.companyId, invoiceId: p.item.invoiceId, number: p.item.invoiceNumber ?? '', totalCents: p.item.totalCents, pdfFileId: null });
  await progress(0, todo.length, `0/${todo.length} facturas · invoices`);
  for (let i = 0; i < todo.length; i += PER_TRANSACTION) {
    const chunk = todo.slice(i, i + PER_TRANSACTION);
    const posted = await writeTransaction(ds, async (m) => {
      const out: Array<{ companyId: string; invoiceId: string; number: string; totalCents: number }> = [];
      for (const p of chunk) {
        try {
          const { id } = await insertDraftInvoice(m, clock, by, p.draft!);
          if (p.noteIds && p.noteIds.length > 0) {
            const marked = await repo.markNotesInvoiced(m, p.noteIds, id);
            if (marked !== p.noteIds.length) throw refused(409, 'NOTE_ALREADY_INVOICED', 'un albarán ya se facturó entretanto / a delivery note was invoiced meanwhile');
          }
          const inv = await postInvoice(m, clock, by, id, { issueDate: run.issueDate });
          out.push({ companyId: p.item.companyId, invoiceId: inv.id, number: inv.number, totalCents: inv.totalCents });
        } catch (e) {
          throw refusedFor(p.item, e);
        }
      }
      return out;
    });
    for (const x of posted) {
      const { fileId } = await storeInvoicePdf(ds.manager, files, x.invoiceId);
      result.posted.push({ ...x, pdfFileId: fileId });
    }
    const done = Math.min(i + PER_TRANSACTION, todo.length);
    await progress(done, todo.length, `${done}/${todo.length} facturas · invoices`);
  }
  // PDFs an interrupted attempt did not make.
  for (const x of result.posted) if (x.pdfFileId === null) x.pdfFileId = (await storeInvoicePdf(ds.manager, files, x.invoiceId)).fileId;
  await writeTransaction(ds, async (m) => {
    await repo.finishFeeRun(m, runId, new Date(clock.now()).toISOString(), result);
    await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: `invoicing.${run.kind}_run.post`, entity: 'fee_run', entityId: runId, companyId: null, after: { period: run.period, posted: result.posted.length, skipped: result.skipped.length } });
  });
  return result;
}

/**
 * A franchisee's invoice refused inside a run (the whole run rolls back): the job's error names the franchisee
 * and the refused fields — "the invoice has invalid data" alone does not tell HQ which of 500 to fix.
 */
function refusedFor(item: { companyName: string; nif: string }, e: unknown): unknown {
  if (!(e instanceof HttpProblem)) return e;
  const fields = (e.problem.errors ?? []).map((x) => `${x.path}: ${x.message}`).join('; ');
  const detail = `${item.companyName} (${item.nif}): ${e.problem.detail ?? e.problem.title}${fields ? ` — ${fields}` : ''}`;
  return new HttpProblem({ ...e.problem, detail });
}

export async function listRuns(ds: DataSource, user: AuthUser): Promise<InvoiceRun[]> {
  assertFranchiseWide(user, 'invoicing.read');
  return repo.feeRuns(ds.manager);
}

export async function runById(ds: DataSource, user: AuthUser, id: string): Promise<InvoiceRun> {
  assertFranchiseWide(user, 'invoicing.read');
  const r = await repo.feeRunById(ds.manager, id);
  if (!r) throw refused(404, 'RUN_NOT_FOUND', 'facturación no encontrada / run not found');
  return r;
}

// ---- the rollup ----

/** Recomputes `sales_day` from the tickets (all stores, or some), in one transaction. */
export function rebuildSalesDayRollup(ds: DataSource, storeIds: readonly string[] | null): Promise<number> {
  return writeTransaction(ds, (m) => repo.rebuildSalesDays(m, storeIds));
}
