/**
 * HTTP routes of the journal part (thin: parse → scope → use case): the chart with balances, sub-accounts,
 * journal entries (list, detail, manual with attachments, reversal, the refused delete) and recurring entries.
 * Reads are `accounting.read` (the franchisee manager for their own companies), writes `accounting.write`,
 * running the recurring job now `accounting.admin`. Every route checks the company is in the caller's scope.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import * as W from '@tpv/shared/wire/http/accounting-journal';
import { CompanyParams } from '@tpv/shared/wire/http/accounting';
import type { AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import type { Files } from '../../platform/files/service';
import { FileTooLarge } from '../../platform/files/store';
import { hqMay } from '../../platform/permissions';
import { writeTransaction } from '../../persistence/raw';
import { ensureChart } from '../core/chart';
import { companyInScope } from '../core/routes';
import { createRecurring, deleteRecurring, listRecurring, runDueRecurring, setRecurringActive } from './recurring';
import { ATTACHMENT_PURPOSE, chartOf, createSubaccount, entryDetail, entrySummary, listEntries, postManualEntry, reverseCompanyEntry, updateSubaccount } from './service';

const TAGS = ['accounting'];
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });
const SCOPE_ERRORS = { 404: 'no such company (or no such row in it); 403 when the company is outside your scope' } as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const today = (clock: Clock) => new Date(clock.now()).toISOString().slice(0, 10);

export function journalRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const base = '/api/accounting/companies/:companyId';
  return apiRouter(ds, clock, [
    // ── chart ──
    defineRoute({
      method: 'get', path: `${base}/chart`, summary: 'The chart of accounts (PGC headings and sub-accounts, counterparties named) with each account’s sums for a year', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, query: W.ChartQuery, response: W.ChartAnswer, errors: SCOPE_ERRORS,
      async handler({ params, query, user }) {
        await companyInScope(ds, user, params.companyId);
        // The PGC accounts are written the first time a company's chart is opened (or it posts).
        await writeTransaction(ds, (m) => ensureChart(m, clock, params.companyId));
        const year = query.year ?? Number(today(clock).slice(0, 4));
        return { companyId: params.companyId, year, accounts: await chartOf(ds.manager, params.companyId, year) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/accounts`, summary: 'Opens a sub-account (8 digits under a PGC account)', tags: TAGS, access: 'accounting.write', status: 201,
      params: CompanyParams, body: W.SubaccountBody, response: W.AccountSchema,
      errors: { ...SCOPE_ERRORS, 409: 'the code is taken', 422: 'the code is not under an account of the PGC' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          await createSubaccount(m, clock, params.companyId, body.code, body.name);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.account.create', entity: 'acc_account', entityId: `${params.companyId}:${body.code}`, companyId: params.companyId, after: body });
        });
        return (await chartOf(ds.manager, params.companyId, Number(today(clock).slice(0, 4)))).find((a) => a.code === body.code);
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/accounts/:code`, summary: 'Renames, blocks or unblocks a sub-account (a blocked account takes no postings)', tags: TAGS, access: 'accounting.write',
      params: W.AccountParams, body: W.SubaccountPatch, response: W.AccountSchema,
      errors: { ...SCOPE_ERRORS, 422: 'a PGC heading, not a sub-account' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          await ensureChart(m, clock, params.companyId);
          const { before } = await updateSubaccount(m, params.companyId, params.code, body);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.account.update', entity: 'acc_account', entityId: `${params.companyId}:${params.code}`, companyId: params.companyId, before, after: body });
        });
        return (await chartOf(ds.manager, params.companyId, Number(today(clock).slice(0, 4)))).find((a) => a.code === params.code);
      },
    }),
    // ── entries ──
    defineRoute({
      method: 'get', path: `${base}/entries`, summary: 'The journal, newest first: by month or dates, account (or heading), kind, source type, text', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, query: W.EntryListQuery, response: W.EntryPage, errors: SCOPE_ERRORS,
      async handler({ params, query, user }) {
        await companyInScope(ds, user, params.companyId);
        const { items, total } = await listEntries(ds.manager, params.companyId, query, { offset: (query.page - 1) * query.pageSize, limit: query.pageSize });
        return { items, page: query.page, pageSize: query.pageSize, total, hasMore: (query.page - 1) * query.pageSize + items.length < total };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/entries/:entryId`, summary: 'One entry: its lines, attachments, source document and the entry reversing it (or that it reverses)', tags: TAGS, access: 'accounting.read',
      params: W.EntryParams, response: W.EntryDetail, errors: SCOPE_ERRORS,
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        return entryDetail(ds.manager, params.companyId, params.entryId);
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/entries`, summary: 'A manual entry: balanced to the cent, in an open month', tags: TAGS, access: 'accounting.write', status: 201,
      params: CompanyParams, body: W.ManualEntryBody, response: W.PostedAnswer,
      errors: { ...SCOPE_ERRORS, 409: 'the month is locked', 422: 'unbalanced (the difference in `differenceCents`), an account not postable or blocked, a store or attachment of another company' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        const id = await writeTransaction(ds, async (m) => {
          const e = await postManualEntry(m, clock, params.companyId, body, user.id);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.entry.manual', entity: 'acc_entry', entityId: e.id, companyId: params.companyId, after: { year: e.year, number: e.number, ...body } });
          return e.id;
        });
        return { entry: await entrySummary(ds.manager, params.companyId, id) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/entries/:entryId/reverse`, summary: 'Reverses an entry with its mirror on a date (once; a reversal is not reversed)', tags: TAGS, access: 'accounting.write', status: 201,
      params: W.EntryParams, body: W.ReverseBody, response: W.PostedAnswer,
      errors: { ...SCOPE_ERRORS, 409: 'already reversed, itself a reversal, or the month is locked' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        const id = await writeTransaction(ds, async (m) => {
          const e = await reverseCompanyEntry(m, clock, params.companyId, params.entryId, user.id, body.date, body.reason);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.entry.reverse', entity: 'acc_entry', entityId: params.entryId, companyId: params.companyId, after: { reversal: e.id, ...body } });
          return e.id;
        });
        return { entry: await entrySummary(ds.manager, params.companyId, id) };
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/entries/:entryId`, summary: 'Always refused: a posted entry is never deleted — reverse it', tags: TAGS, access: 'accounting.write',
      params: W.EntryParams, errors: { ...SCOPE_ERRORS, 409: 'a posted entry is never deleted' },
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        const e = await entrySummary(ds.manager, params.companyId, params.entryId);
        throw new HttpProblem(
          problem(409, 'ENTRY_POSTED', 'Entry posted', { detail: `Entry ${e.year}/${e.number} is posted: a posted entry is never deleted — reverse it (POST …/entries/${e.id}/reverse)`, entryId: e.id }),
        );
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/attachments`, summary: 'Uploads a file to attach to a manual entry (the body is the file; its name in ?name=; at most 10 MB)', tags: TAGS, access: 'accounting.write', status: 201,
      params: CompanyParams, query: W.AttachmentQuery, response: W.AttachmentSchema, errors: { ...SCOPE_ERRORS, 413: 'larger than 10 MB' },
      async handler({ params, query, user, req }) {
        await companyInScope(ds, user, params.companyId);
        if (req.is('application/json') || req.is('multipart/*')) {
          throw new HttpProblem(problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', { detail: 'Send the file itself as the body, its name in ?name=' }));
        }
        let f;
        try {
          f = await files.save({ name: query.name, mediaType: req.get('content-type') ?? 'application/octet-stream', purpose: ATTACHMENT_PURPOSE, owner: { companyId: params.companyId, storeId: null, createdBy: user.id }, data: req, maxBytes: MAX_ATTACHMENT_BYTES });
        } catch (e) {
          if (e instanceof FileTooLarge) throw new HttpProblem(problem(413, 'PAYLOAD_TOO_LARGE', 'File too large', { detail: 'at most 10 MB' }));
          throw e;
        }
        if (f.sizeBytes === 0) {
          await files.remove(f);
          throw new HttpProblem(problem(400, 'VALIDATION_FAILED', 'Empty file', { detail: 'The body is empty: send the file.', errors: [{ path: 'body', message: 'empty file' }] }));
        }
        return { id: f.id, name: f.name, mediaType: f.mediaType, sizeBytes: f.sizeBytes };
      },
    }),
    // ── recurring entries ──
    defineRoute({
      method: 'get', path: `${base}/recurring`, summary: 'The recurring entries of a company', tags: TAGS, access: 'accounting.read',
      params: CompanyParams, response: W.RecurringList, errors: SCOPE_ERRORS,
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        return { companyId: params.companyId, items: await listRecurring(ds.manager, params.companyId) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/recurring`, summary: 'A recurring entry: lines posted on a day of every month (1–28) from a start to an optional end', tags: TAGS, access: 'accounting.write', status: 201,
      params: CompanyParams, body: W.RecurringBody, response: W.RecurringSchema, errors: { ...SCOPE_ERRORS, 422: 'unbalanced, or an account not postable or blocked' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        return writeTransaction(ds, async (m) => {
          const r = await createRecurring(m, clock, params.companyId, body, user.id);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.recurring.create', entity: 'acc_recurring', entityId: r.id, companyId: params.companyId, after: body });
          return r;
        });
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/recurring/:recurringId`, summary: 'Pauses or resumes a recurring entry', tags: TAGS, access: 'accounting.write',
      params: W.RecurringParams, body: W.RecurringPatch, response: W.RecurringSchema, errors: SCOPE_ERRORS,
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        return writeTransaction(ds, async (m) => {
          const r = await setRecurringActive(m, params.companyId, params.recurringId, body.active);
          await recordAudit(m, clock, { actor: actor(user), action: body.active ? 'accounting.recurring.resume' : 'accounting.recurring.pause', entity: 'acc_recurring', entityId: r.id, companyId: params.companyId, after: body });
          return r;
        });
      },
    }),
    defineRoute({
      method: 'delete', path: `${base}/recurring/:recurringId`, summary: 'Deletes a recurring entry (the template; the entries it posted stay)', tags: TAGS, access: 'accounting.write', status: 204,
      params: W.RecurringParams, errors: SCOPE_ERRORS,
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          const before = await deleteRecurring(m, params.companyId, params.recurringId);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.recurring.delete', entity: 'acc_recurring', entityId: before.id, companyId: params.companyId, before });
        });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/accounting/recurring/run', summary: 'Posts every recurring entry due today (of one company or all) now, as the daily job does', tags: TAGS, access: 'accounting.admin',
      query: W.RunDueQuery, response: W.RunDueAnswer, errors: { 404: 'no such company' },
      async handler({ query, user }) {
        if (!hqMay(user, 'accounting.admin')) throw forbidden('Only HQ runs the recurring entries.');
        if (query.companyId) await companyInScope(ds, user, query.companyId);
        const out = await runDueRecurring(ds, clock, today(clock), query.companyId);
        await writeTransaction(ds, (m) => recordAudit(m, clock, { actor: actor(user), action: 'accounting.recurring.run', entity: 'acc_recurring', entityId: query.companyId ?? '*', companyId: query.companyId ?? null, after: { posted: out.posted, failed: out.failed.length } }));
        return out;
      },
    }),
  ]);
}
