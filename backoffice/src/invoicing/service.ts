/**
 * Use cases of the invoices module at HQ (each one transaction): the list, manual invoices (draft → edit →
 * post), credit notes R1–R4 by difference or by substitution, anulación, and the invoice's PDF. Scope: a
 * franchisee manager reads and issues only for their own companies (checked on the row, in SQL for lists).
 *
 * Credit notes:
 * - by difference (I): the note carries the change, negative lines that point at the rectified line
 *   (`source_ref` `line:<n>`, or `line:<n>:amount` for an amount off a line); neither the units nor the base
 *   credited on a line may exceed the line, and the core refuses a note above what remains of the invoice.
 * - by substitution (S): the note restates the invoice as corrected — its lines are the rectified invoice's
 *   lines with the credited units taken off (an amount off is a negative line), its amounts are the corrected
 *   amounts, and the rectified invoice's own amounts are what it replaces (the AEAT's ImporteRectificacion).
 *   A later S restates the latest one again; a whole credit by S restates every line at price 0. The effect
 *   on the books of an S note is its amounts minus those of the version it replaces.
 * - an invoice is rectified by one method only: mixing I and S on one invoice is refused (409, `method`).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { RE_RATES, type IvaRate } from '@tpv/shared/tax';
import type * as W from '@tpv/shared/wire/http/invoicing';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import type { Files } from '../platform/files/service';
import { writeTransaction } from '../persistence/raw';
import { exec, forUpdate, one, type Db } from '../persistence/sql';
import { cancelInvoice, checkRecipient, insertDraftInvoice, loadInvoice, postInvoice, replaceDraftLines, type DraftInvoiceLine, type DraftRecipient, type InvoiceView } from './posting';
import { invoicePdfBuffer, invoicePdfName, invoiceQrUrl, storeInvoicePdf } from './pdf';
import { creditedByLine, creditNotesOf, listInvoices, type InvoiceFilter, type InvoiceSort } from './repository';

const notFound = () => refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');

interface ResolvedRecipient {
  recipient: DraftRecipient;
  reRegime: boolean;
}

/** A recipient from a company of the franchise, a customer of the shared base, or typed (NIF validated by the core). */
async function resolveRecipient(m: Db, u: AuthUser, r: W.InvoiceRecipientBody): Promise<ResolvedRecipient> {
  if (r.kind === 'company') {
    const c = await one<{ id: string; kind: string; nif: string; legal_name: string; address: string | null }>(m, `SELECT id, kind, nif, legal_name, address FROM company WHERE id = ?`, [r.companyId]);
    // A franchisee manager invoices their own companies or the franchisor, never another franchisee they cannot see.
    if (!c || (c.kind !== 'franchisor' && !canAccessCompany(u, c.id))) throw refused(422, 'RECIPIENT_UNKNOWN', 'empresa destinataria desconocida / unknown recipient company', 'recipient.companyId');
    return { recipient: { companyId: c.id, nif: c.nif, name: c.legal_name, address: c.address, country: 'ES' }, reRegime: false };
  }
  if (r.kind === 'customer') {
    const c = await one<{ id: string; nif: string | null; name: string; re_regime: unknown; active: unknown }>(m, `SELECT id, nif, name, re_regime, active FROM customer WHERE id = ?`, [r.customerId]);
    if (!c) throw refused(422, 'RECIPIENT_UNKNOWN', 'cliente desconocido / unknown customer', 'recipient.customerId');
    const re = c.re_regime === true || c.re_regime === 1 || c.re_regime === '1' || c.re_regime === 't';
    return { recipient: { customerId: c.id, nif: c.nif, name: c.name, address: r.address, country: 'ES' }, reRegime: re };
  }
  return { recipient: { nif: r.nif, name: r.name, address: r.address, country: r.country }, reRegime: r.reRegime };
}

/** Lines of a manual invoice: recargo at the rate of each line's IVA when the recipient is in the regime. */
function manualLines(lines: W.ManualInvoiceBody['lines'], reRegime: boolean): DraftInvoiceLine[] {
  return lines.map((l) => ({
    description: l.description,
    quantityMilli: l.quantityMilli,
    unitPriceCents: l.unitPriceCents,
    discountBp: l.discountBp,
    ivaRateBp: l.ivaRateBp,
    reRateBp: reRegime && !l.exemption ? RE_RATES[l.ivaRateBp as IvaRate] : 0,
    ...(l.exemption ? { exemption: l.exemption } : {}),
  }));
}

export function createInvoicingService(ds: DataSource, clock: Clock, files: Files) {
  const actor = (u: AuthUser) => ({ kind: 'user' as const, user: u });
  const audit = (u: AuthUser) => ({ id: u.id, email: u.email });

  /** The invoice row locked for a change, in the caller's scope (404 outside it). */
  async function lockOwn(m: Db, u: AuthUser, id: string): Promise<{ status: string; company_id: string; source: string; invoice_type: string }> {
    const row = await one<{ status: string; company_id: string; source: string; invoice_type: string }>(m, `SELECT status, company_id, source, invoice_type FROM invoice WHERE id = ?${forUpdate(m)}`, [id]);
    if (!row || !canAccessCompany(u, row.company_id)) throw notFound();
    return row;
  }

  async function detail(u: AuthUser, id: string, m: Db = ds.manager): Promise<W.InvoiceDetail> {
    const inv = await loadInvoice(m, id);
    if (!inv || !canAccessCompany(u, inv.companyId)) throw notFound();
    return detailOf(m, inv);
  }

  async function detailOf(m: Db, inv: InvoiceView): Promise<W.InvoiceDetail> {
    const c = await one<{ legal_name: string; nif: string; address: string | null }>(m, `SELECT legal_name, nif, address FROM company WHERE id = ?`, [inv.companyId]);
    const credits = inv.invoiceType.startsWith('R') ? [] : await creditNotesOf(m, inv.id);
    const creditedI = credits.filter((x) => x.status === 'posted' && x.method === 'I').reduce((s, x) => s - x.totalCents, 0);
    const latestS = credits.filter((x) => x.status === 'posted' && x.method === 'S').at(-1);
    const remaining = inv.status !== 'posted' || inv.invoiceType.startsWith('R') ? null : latestS ? latestS.totalCents : inv.totalCents - creditedI;
    return {
      id: inv.id, companyId: inv.companyId, company: { legalName: c?.legal_name ?? '', nif: c?.nif ?? '', address: c?.address ?? null },
      invoiceType: inv.invoiceType, source: inv.source, status: inv.status, number: inv.number, issueDate: inv.issueDate, operationDate: inv.operationDate, language: inv.language,
      recipient: { companyId: inv.recipient.companyId, customerId: inv.recipient.customerId, nif: inv.recipient.nif, name: inv.recipient.name, address: inv.recipient.address, country: inv.recipient.country },
      reRegime: inv.reRegime, irpfBp: inv.irpfBp, paymentDays: inv.paymentDays, paymentMethod: inv.paymentMethod, rectifies: inv.rectifies, description: inv.description, notes: inv.notes,
      baseCents: inv.baseCents, ivaCents: inv.ivaCents, reCents: inv.reCents, irpfCents: inv.irpfCents, totalCents: inv.totalCents, pdfFileId: inv.pdfFileId,
      createdAt: inv.createdAt, postedAt: inv.postedAt, cancelledAt: inv.cancelledAt, cancelReason: inv.cancelReason,
      lines: inv.lines.map((l) => ({ lineNo: l.lineNo, description: l.description, quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp, exemption: l.exemption, baseCents: l.baseCents, sourceRef: l.sourceRef })),
      taxes: inv.taxes, dues: inv.dues,
      records: inv.records.map((r) => ({ kind: r.kind, hash: r.hash, previousHash: r.previousHash, generatedAt: r.generatedAt, invoiceNumber: r.invoiceNumber })),
      qrUrl: c ? invoiceQrUrl(inv, c.nif) : null,
      creditNotes: credits.map((x) => ({ id: x.id, number: x.number, invoiceType: x.invoiceType, method: x.method, status: x.status, issueDate: x.issueDate, totalCents: x.totalCents })),
      remainingCents: remaining,
    };
  }

  /** Keeps the PDF of a just-posted document (after its transaction: the files area writes on its own). */
  async function keepPdf(id: string): Promise<void> {
    await storeInvoicePdf(ds.manager, files, id);
  }

  /** The lines of a credit note against `orig`, by the method and scope asked (see the module comment). */
  async function creditLines(m: Db, orig: InvoiceView, body: W.CreditNoteBody, latestS: InvoiceView | null): Promise<DraftInvoiceLine[]> {
    const byNo = new Map(orig.lines.map((l) => [l.lineNo, l]));
    body.lines.forEach((l, i) => {
      if (!byNo.has(l.lineNo)) throw refused(422, 'CREDIT_LINE_UNKNOWN', `la factura no tiene la línea ${l.lineNo} / the invoice has no line ${l.lineNo}`, `lines.${i}.lineNo`);
    });
    if (body.scope === 'partial' && body.lines.length === 0) throw refused(422, 'CREDIT_NO_LINES', 'indique qué líneas se abonan / name the lines to credit', 'lines');
    if (new Set(body.lines.map((l) => `${l.lineNo}:${l.quantityMilli === undefined}`)).size !== body.lines.length) {
      throw refused(422, 'CREDIT_LINE_TWICE', 'una línea aparece dos veces / a line is named twice', 'lines');
    }
    const ref = (n: number, amount = false) => `line:${n}${amount ? ':amount' : ''}`;
    if (body.method === 'I') {
      if (body.scope === 'whole') {
        return orig.lines.map((l) => ({ description: l.description, quantityMilli: -l.quantityMilli, unitPriceCents: l.unitPriceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp, ...(l.exemption ? { exemption: l.exemption as 'E1' } : {}), sourceRef: ref(l.lineNo) }));
      }
      const done = await creditedByLine(m, orig.id);
      const taken = new Map<number, { q: number; b: number }>();
      return body.lines.map((c, i) => {
        const l = byNo.get(c.lineNo)!;
        const before = done.get(c.lineNo) ?? { quantityMilli: 0, baseCents: 0 };
        const mine = taken.get(c.lineNo) ?? { q: 0, b: 0 };
        const rate = { ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp, ...(l.exemption ? { exemption: l.exemption as 'E1' } : {}) };
        if (c.quantityMilli !== undefined) {
          if (before.quantityMilli + c.quantityMilli > l.quantityMilli) {
            throw refused(422, 'CREDIT_ABOVE_REMAINING', `quedan ${(l.quantityMilli - before.quantityMilli) / 1000} unidades por abonar en la línea ${l.lineNo} / only that many units remain on the line`, `lines.${i}.quantityMilli`);
          }
          const line = { description: l.description, quantityMilli: -c.quantityMilli, unitPriceCents: l.unitPriceCents, discountBp: l.discountBp, ...rate, sourceRef: ref(l.lineNo) };
          taken.set(c.lineNo, { q: mine.q + c.quantityMilli, b: mine.b });
          return line;
        }
        if (before.baseCents + mine.b + c.baseCents! > l.baseCents) {
          throw refused(422, 'CREDIT_ABOVE_REMAINING', `quedan ${((l.baseCents - before.baseCents - mine.b) / 100).toFixed(2)} € de base por abonar en la línea ${l.lineNo} / the amount is above what remains of the line`, `lines.${i}.baseCents`);
        }
        taken.set(c.lineNo, { q: mine.q, b: mine.b + c.baseCents! });
        return { description: `${orig.language === 'en' ? 'Reduction' : 'Rebaja'}: ${l.description}`.slice(0, 500), quantityMilli: -1000, unitPriceCents: c.baseCents!, ...rate, sourceRef: ref(l.lineNo, true) };
      });
    }
    // By substitution: restate the current version (the latest S note, else the invoice) with the changes.
    const current = latestS ?? orig;
    const restated = current.lines
      .filter((l) => !/:amount$/.test(l.sourceRef ?? ''))
      .map((l) => {
        const n = latestS ? Number(/^line:(\d+)/.exec(l.sourceRef ?? '')?.[1] ?? 0) : l.lineNo;
        return { n, line: { description: l.description, quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp, ...(l.exemption ? { exemption: l.exemption as 'E1' } : {}), sourceRef: ref(n) } as DraftInvoiceLine };
      });
    const amounts = current.lines.filter((l) => /:amount$/.test(l.sourceRef ?? '')).map((l) => ({ ...l, exemption: l.exemption as 'E1' | null }));
    if (body.scope === 'whole') {
      if (current.totalCents === 0 && latestS) throw refused(409, 'CREDIT_ABOVE_REMAINING', 'la factura ya está abonada por completo / nothing remains to credit', 'lines');
      return restated.map(({ line }) => ({ ...line, unitPriceCents: 0 }));
    }
    const extra: DraftInvoiceLine[] = [];
    body.lines.forEach((c, i) => {
      const r = restated.find((x) => x.n === c.lineNo);
      if (!r) throw refused(422, 'CREDIT_ABOVE_REMAINING', `la línea ${c.lineNo} ya no tiene importe / the line has nothing left`, `lines.${i}.lineNo`);
      if (c.quantityMilli !== undefined) {
        if (c.quantityMilli > r.line.quantityMilli) throw refused(422, 'CREDIT_ABOVE_REMAINING', `quedan ${r.line.quantityMilli / 1000} unidades en la línea ${c.lineNo} / only that many units remain on the line`, `lines.${i}.quantityMilli`);
        r.line = { ...r.line, quantityMilli: r.line.quantityMilli - c.quantityMilli };
      } else {
        const lineBase = Math.round((r.line.quantityMilli * r.line.unitPriceCents * (10_000 - (r.line.discountBp ?? 0))) / 10_000_000);
        const off = amounts.filter((a) => a.sourceRef === ref(c.lineNo, true)).reduce((s, a) => s - a.baseCents, 0);
        if (off + c.baseCents! > lineBase) throw refused(422, 'CREDIT_ABOVE_REMAINING', `la rebaja supera la base de la línea ${c.lineNo} / the amount is above the line's base`, `lines.${i}.baseCents`);
        extra.push({ description: `${orig.language === 'en' ? 'Reduction' : 'Rebaja'}: ${r.line.description}`.slice(0, 500), quantityMilli: -1000, unitPriceCents: c.baseCents!, ivaRateBp: r.line.ivaRateBp, reRateBp: r.line.reRateBp ?? 0, ...(r.line.exemption ? { exemption: r.line.exemption } : {}), sourceRef: ref(c.lineNo, true) });
      }
    });
    const kept = amounts.map((a) => ({ description: a.description, quantityMilli: a.quantityMilli, unitPriceCents: a.unitPriceCents, discountBp: a.discountBp, ivaRateBp: a.ivaRateBp, reRateBp: a.reRateBp, ...(a.exemption ? { exemption: a.exemption } : {}), sourceRef: a.sourceRef }) as DraftInvoiceLine);
    const lines = [...restated.filter((x) => x.line.quantityMilli > 0).map((x) => x.line), ...kept, ...extra];
    // Everything taken off: the invoice restated at zero (every line at price 0).
    return lines.length > 0 ? lines : restated.map(({ line }) => ({ ...line, quantityMilli: line.quantityMilli || 1000, unitPriceCents: 0 }));
  }

  return {
    detail,

    async list(u: AuthUser, f: Omit<InvoiceFilter, 'companyIds'>, sort: InvoiceSort, dir: 'asc' | 'desc', limit: number, offset: number) {
      return listInvoices(ds.manager, { ...f, companyIds: visibleCompanyIds(u) }, sort, dir, limit, offset);
    },

    async createManual(u: AuthUser, body: W.ManualInvoiceBody, requestId?: string): Promise<W.InvoiceDetail> {
      return writeTransaction(ds, async (m) => {
        const { recipient, reRegime } = await resolveRecipient(m, u, body.recipient);
        const { id } = await insertDraftInvoice(m, clock, actor(u), {
          companyId: body.companyId, invoiceType: 'F1', source: 'manual', recipient, reRegime, irpfBp: body.irpfBp, paymentDays: body.paymentDays,
          paymentMethod: body.paymentMethod, operationDate: body.operationDate, language: body.language, description: body.description, notes: body.notes,
          lines: manualLines(body.lines, reRegime),
        });
        await recordAudit(m, clock, { actor: audit(u), action: 'invoice.create', entity: 'invoice', entityId: id, companyId: body.companyId, after: body, requestId: requestId ?? null });
        return detail(u, id, m);
      });
    },

    async updateManual(u: AuthUser, id: string, body: W.ManualInvoiceBody, requestId?: string): Promise<W.InvoiceDetail> {
      return writeTransaction(ds, async (m) => {
        const row = await lockOwn(m, u, id);
        if (row.status !== 'draft') throw refused(409, 'INVOICE_POSTED', 'una factura emitida no se modifica; emita una rectificativa / a posted invoice cannot be edited: issue a credit note', 'status');
        if (row.source !== 'manual') throw refused(409, 'INVOICE_NOT_MANUAL', 'este borrador lo genera otro proceso / this draft is made by another process', 'source');
        if (body.companyId !== row.company_id) throw refused(422, 'VALUE_REFUSED', 'la empresa emisora de un borrador no cambia / the issuing company of a draft does not change', 'companyId');
        const { recipient, reRegime } = await resolveRecipient(m, u, body.recipient);
        const errors: Array<{ path: string; message: string }> = [];
        const nif = checkRecipient(recipient, 'F1', errors);
        if (errors.length > 0) throw refused(422, 'VALUE_REFUSED', errors[0]!.message, errors[0]!.path);
        const before = await loadInvoice(m, id);
        await replaceDraftLines(m, clock, id, manualLines(body.lines, reRegime), body.irpfBp);
        await exec(
          m,
          `UPDATE invoice SET recipient_company_id = ?, recipient_customer_id = ?, recipient_nif = ?, recipient_name = ?, recipient_address = ?, recipient_country = ?, re_regime = ?,
             payment_days = ?, payment_method = ?, operation_date = ?, language = ?, description = ?, notes = ?, updated_at = ? WHERE id = ?`,
          [recipient.companyId ?? null, recipient.customerId ?? null, nif, recipient.name.trim(), recipient.address ?? null, recipient.country ?? 'ES', reRegime,
            JSON.stringify(body.paymentDays), body.paymentMethod, body.operationDate, body.language, body.description, body.notes, new Date(clock.now()).toISOString(), id],
        );
        await recordAudit(m, clock, { actor: audit(u), action: 'invoice.update', entity: 'invoice', entityId: id, companyId: row.company_id, before, after: body, requestId: requestId ?? null });
        return detail(u, id, m);
      });
    },

    async deleteDraft(u: AuthUser, id: string, requestId?: string): Promise<void> {
      await writeTransaction(ds, async (m) => {
        const row = await lockOwn(m, u, id);
        if (row.status !== 'draft') throw refused(409, 'INVOICE_POSTED', 'una factura emitida no se borra; anúlela o rectifíquela / a posted invoice is not deleted: cancel or rectify it', 'status');
        const before = await loadInvoice(m, id);
        await exec(m, `DELETE FROM invoice_line WHERE invoice_id = ?`, [id]);
        await exec(m, `DELETE FROM invoice WHERE id = ?`, [id]);
        await recordAudit(m, clock, { actor: audit(u), action: 'invoice.delete', entity: 'invoice', entityId: id, companyId: row.company_id, before, requestId: requestId ?? null });
      });
    },

    async post(u: AuthUser, id: string, issueDate?: string): Promise<W.InvoiceDetail> {
      await writeTransaction(ds, async (m) => {
        await lockOwn(m, u, id);
        await postInvoice(m, clock, actor(u), id, issueDate ? { issueDate } : {});
      });
      await keepPdf(id);
      return detail(u, id);
    },

    async creditNote(u: AuthUser, id: string, body: W.CreditNoteBody, requestId?: string): Promise<W.InvoiceDetail> {
      const creditId = await writeTransaction(ds, async (m) => {
        const row = await lockOwn(m, u, id);
        if (row.status !== 'posted') throw refused(409, 'INVOICE_NOT_RECTIFIABLE', 'solo se rectifica una factura emitida y no anulada / only a posted, not cancelled invoice can be rectified', 'status');
        if (row.invoice_type.startsWith('R')) throw refused(409, 'INVOICE_NOT_RECTIFIABLE', 'una rectificativa no se rectifica con otra / a credit note is not rectified by another', 'status');
        const orig = (await loadInvoice(m, id))!;
        const notes = (await creditNotesOf(m, id)).filter((x) => x.status === 'posted');
        const other = notes.find((x) => x.method !== body.method);
        if (other) throw refused(409, 'CREDIT_METHOD_MIXED', `la factura ya tiene rectificativas ${other.method === 'S' ? 'por sustitución' : 'por diferencias'}; siga con el mismo método / the invoice is already rectified by the other method`, 'method');
        const lastS = notes.filter((x) => x.method === 'S').at(-1);
        const latestS = lastS ? await loadInvoice(m, lastS.id) : null;
        const lines = await creditLines(m, orig, body, latestS);
        const { id: noteId, amounts } = await insertDraftInvoice(m, clock, actor(u), {
          companyId: orig.companyId, storeId: orig.storeId, invoiceType: body.type, source: 'credit',
          recipient: { companyId: orig.recipient.companyId, customerId: orig.recipient.customerId, supplierId: orig.recipient.supplierId, nif: orig.recipient.nif, name: orig.recipient.name, address: orig.recipient.address, country: orig.recipient.country },
          reRegime: orig.reRegime, irpfBp: orig.irpfBp, paymentDays: orig.paymentDays, paymentMethod: orig.paymentMethod, language: body.language ?? orig.language,
          rectifies: { invoiceId: id, method: body.method, reason: body.reason }, lines,
        });
        if (body.method === 'S') {
          // A substitution restates the invoice lower, never higher (this module issues credit notes).
          const current = latestS ?? orig;
          if (amounts.totalCents >= current.totalCents && current.totalCents > 0 && body.scope === 'partial') {
            throw refused(422, 'CREDIT_NOT_NEGATIVE', 'la rectificación no reduce el importe / the rectification does not reduce the amount', 'lines');
          }
        }
        await postInvoice(m, clock, actor(u), noteId, body.issueDate ? { issueDate: body.issueDate } : {});
        await recordAudit(m, clock, { actor: audit(u), action: 'invoice.credit', entity: 'invoice', entityId: noteId, companyId: orig.companyId, after: { rectifies: id, ...body }, requestId: requestId ?? null });
        return noteId;
      });
      await keepPdf(creditId);
      return detail(u, creditId);
    },

    async cancel(u: AuthUser, id: string, reason: string): Promise<W.InvoiceDetail> {
      await writeTransaction(ds, async (m) => {
        await lockOwn(m, u, id);
        await cancelInvoice(m, clock, actor(u), id, reason);
      });
      return detail(u, id);
    },

    /** A posted invoice's stored PDF (made once), or a draft's preview. */
    async pdf(u: AuthUser, id: string): Promise<{ fileId: string } | { draft: Buffer; name: string }> {
      const inv = await detail(u, id);
      if (inv.status === 'draft') return { draft: await invoicePdfBuffer(ds.manager, id), name: invoicePdfName({ ...inv, number: null }) };
      return storeInvoicePdf(ds.manager, files, id);
    },
  };
}

export type InvoicingService = ReturnType<typeof createInvoicingService>;
