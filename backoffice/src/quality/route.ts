/**
 * HTTP routes of quality control (thin: parse → use case). Reads are `quality.read`, scoped like everything
 * else (HQ all, a franchisee their companies', a store manager their store's). `incidents.write`: report,
 * assign, move, comment (a store's people and HQ operations); `audits.write`: submit audits (auditors, HQ
 * operations; templates HQ only); corrective actions are closed by whoever may write incidents at the store.
 */
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import * as W from '@tpv/shared/wire/http/quality';
import type { DataSource } from 'typeorm';
import { canAccessStore } from '../auth/service';
import { forbidden } from '../auth/http';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import { can } from '../platform/permissions';
import { listQuery, offsetOf, pageOf, pageSchema } from '../platform/list';
import { ownerScopeOf } from '../platform/owner-scope';
import type { Files } from '../platform/files/service';
import { FileTooLarge } from '../platform/files/store';
import { listIncidents, storeOf, INCIDENT_SORTS, type IncidentSort } from './repository';
import { incidentScopeOf, PHOTO_PURPOSE, photoUrl, type IncidentService } from './incidents-service';
import type { AuditService } from './audits-service';
import { qualityFigures } from './figures';

const TAGS = ['quality'];
const IncidentQuery = listQuery(INCIDENT_SORTS, { ...W.IncidentFilter, documentId: W.IdParams.shape.id.optional() });
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** A tablet's photo, already shrunk by the page; a full-size camera JPEG fits too. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export { incidentScopeOf };

export function incidentRoutes(ds: DataSource, clock: Clock, files: Files, incidents: IncidentService, audits: AuditService): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/incidents', summary: 'Incidents in the caller’s scope (filter by store, kind, state, severity, overdue, document)', tags: TAGS, access: 'quality.read',
      query: IncidentQuery, response: pageSchema(W.IncidentItem),
      async handler({ query: q, user }) {
        const overdueAt = q.overdue === 'true' ? new Date(clock.now()).toISOString() : undefined;
        const { rows, total } = await listIncidents(ds.manager, incidentScopeOf(user), { ...q, overdueAt }, (q.sort ?? 'createdAt') as IncidentSort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/incidents', status: 201,
      summary: 'Report an incident at a store (or, HQ, of no store): numbered, due by severity, with photos, the product/order/supplier/customer it concerns and the complaint form’s number',
      tags: TAGS, access: 'incidents.write', body: W.IncidentCreateBody, response: W.IncidentDetail,
      errors: { 409: 'complaint form number already registered at the store', 422: 'unknown store, product, supplier, customer, document or photo' },
      handler: ({ body, user, requestId }) => incidents.report(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/incidents/:id', summary: 'One incident with its photos, comments and history', tags: TAGS, access: 'quality.read', params: W.IdParams, response: W.IncidentDetail,
      errors: { 404: 'no such incident' },
      handler: ({ params, user }) => incidents.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/incidents/:id/assign', summary: 'Assign an incident to a user who may see it (open → assigned)', tags: TAGS, access: 'incidents.write',
      params: W.IdParams, body: W.IncidentAssignBody, response: W.IncidentDetail, errors: { 404: 'no such incident', 409: 'closed', 422: 'that user cannot handle it' },
      handler: ({ params, body, user, requestId }) => incidents.assign(user, params.id, body.userId, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/incidents/:id/assignees', summary: 'Users the incident can be assigned to (HQ, the store’s and the company’s managers)', tags: TAGS, access: 'quality.read',
      params: W.IdParams, response: z.object({ items: z.array(W.AssigneeItem) }), errors: { 404: 'no such incident' },
      handler: ({ params, user }) => incidents.assignees(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/incidents/:id/state', summary: 'Move an incident: in progress, resolved, closed (resolving and closing need a resolution)', tags: TAGS, access: 'incidents.write',
      params: W.IdParams, body: W.IncidentStateBody, response: W.IncidentDetail, errors: { 404: 'no such incident', 409: 'a move its state does not allow', 422: 'no resolution' },
      handler: ({ params, body, user, requestId }) => incidents.move(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/incidents/:id/comments', status: 201, summary: 'Comment on an incident', tags: TAGS, access: 'incidents.write',
      params: W.IdParams, body: W.IncidentCommentBody, response: W.IncidentDetail, errors: { 404: 'no such incident' },
      handler: ({ params, body, user }) => incidents.comment(user, params.id, body.text),
    }),
    defineRoute({
      method: 'post', path: '/api/incidents/:id/photos', status: 201, summary: 'Add photos (uploaded before) to an incident', tags: TAGS, access: 'incidents.write',
      params: W.IdParams, body: W.IncidentPhotosBody, response: W.IncidentDetail, errors: { 404: 'no such incident', 409: 'closed', 422: 'unknown photo' },
      handler: ({ params, body, user }) => incidents.addPhotos(user, params.id, body.photoIds),
    }),
    defineRoute({
      method: 'post', path: '/api/quality/photos', status: 201,
      summary: 'Upload a photo (the body is the JPEG/PNG/WebP itself) for an incident or an audit answer; `storeId` files it under that store',
      tags: TAGS, access: 'quality.read', query: W.PhotoQuery, response: W.PhotoAnswer, errors: { 413: 'larger than 8 MB', 422: 'unknown store' },
      async handler({ query, user, req }) {
        if (!can(user, 'incidents.write') && !can(user, 'audits.write')) throw forbidden(`Your role (${user.role}) may not upload quality photos.`);
        const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!PHOTO_TYPES.includes(type)) throw new HttpProblem(problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', { detail: 'Envíe la foto (JPEG, PNG o WebP) / send the photo itself' }));
        let owner = ownerScopeOf(user);
        if (query.storeId) {
          const s = await storeOf(ds.manager, query.storeId);
          if (!s) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${query.storeId}`, 'storeId');
          if (!(await canAccessStore(ds, user, s.id))) throw forbidden('Esta tienda no es de su ámbito / This store is outside your scope.');
          owner = { companyId: s.companyId, storeId: s.id, createdBy: user.id };
        }
        let f;
        try {
          f = await files.save({ name: query.name, mediaType: type, purpose: PHOTO_PURPOSE, owner, data: req, maxBytes: MAX_PHOTO_BYTES });
        } catch (e) {
          if (e instanceof FileTooLarge) throw new HttpProblem(problem(413, 'PAYLOAD_TOO_LARGE', 'File too large', { detail: 'como mucho 8 MB / at most 8 MB' }));
          throw e;
        }
        if (f.sizeBytes === 0) {
          await files.remove(f);
          throw new HttpProblem(problem(400, 'VALIDATION_FAILED', 'Empty file', { detail: 'La foto está vacía / empty photo', errors: [{ path: 'body', message: 'empty photo' }] }));
        }
        return { id: f.id, url: photoUrl(f.id) };
      },
    }),

    // ── store audits ──
    defineRoute({
      method: 'get', path: '/api/audit-templates', summary: 'Store audit checklist templates', tags: TAGS, access: 'quality.read', response: W.AuditTemplateList,
      handler: () => audits.templates(),
    }),
    defineRoute({
      method: 'post', path: '/api/audit-templates', status: 201, summary: 'A checklist template: weighted questions by section, each on a scale (HQ)', tags: TAGS, access: 'audits.write',
      body: W.AuditTemplateBody, response: W.AuditTemplate,
      handler: ({ body, user, requestId }) => audits.createTemplate(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/audit-templates/:id', summary: 'A template with its questions', tags: TAGS, access: 'quality.read', params: W.IdParams, response: W.AuditTemplate,
      errors: { 404: 'no such template' },
      handler: ({ params }) => audits.template(params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/store-audits', summary: 'Audits of the caller’s stores, newest first', tags: TAGS, access: 'quality.read', query: W.AuditListQuery,
      response: z.object({ items: z.array(W.AuditItem) }),
      handler: ({ query, user }) => audits.list(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/store-audits', status: 201,
      summary: 'Submit an audit done at a store: answers on their scales (or N/A), photos per answer; scored, and each failing answer opens a corrective action',
      tags: TAGS, access: 'audits.write', body: W.AuditCreateBody, response: W.AuditDetail,
      errors: { 409: 'already recorded', 422: 'unknown store, template or question; an answer outside its scale; a question unanswered' },
      handler: ({ body, user, requestId }) => audits.submit(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/store-audits/:id', summary: 'One audit: answers, photos, score, corrective actions', tags: TAGS, access: 'quality.read', params: W.IdParams, response: W.AuditDetail,
      errors: { 404: 'no such audit' },
      handler: ({ params, user }) => audits.detail(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/corrective-actions', summary: 'Corrective actions of the caller’s stores (open first, by due date)', tags: TAGS, access: 'quality.read', query: W.ActionListQuery,
      response: z.object({ items: z.array(W.CorrectiveAction) }),
      handler: ({ query, user }) => audits.actions(user, query),
    }),
    defineRoute({
      method: 'post', path: '/api/corrective-actions/:id/close', summary: 'Close a corrective action with a note of what was done', tags: TAGS, access: 'incidents.write',
      params: W.IdParams, body: W.ActionCloseBody, response: W.CorrectiveAction, errors: { 404: 'no such action', 409: 'already closed' },
      handler: ({ params, body, user, requestId }) => audits.closeAction(user, params.id, body.note, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/quality/audit-trends', summary: 'Audit scores per store over time, and per question per month', tags: TAGS, access: 'quality.read', query: W.TrendQuery, response: W.AuditTrends,
      handler: ({ query, user }) => audits.trends(user, query),
    }),
    defineRoute({
      method: 'get', path: '/api/quality/figures', summary: 'Quality figures: incidents per store and kind, time to close, audit scores, supplier rating', tags: TAGS, access: 'quality.read',
      query: W.FiguresQuery, response: W.QualityFigures,
      handler: ({ query, user }) => qualityFigures(ds, user, query),
    }),
  ]);
}
