/**
 * HTTP routes of the documents library (thin: parse → use case). `office.read`: the library (the documents the
 * caller sees), a document's page with its versions and who acknowledged which, a version's file, and
 * acknowledging the current version; `office.write` (HQ; a franchisee for their own companies): a new document
 * and a new version.
 */
import * as W from '@tpv/shared/wire/http/office-documents';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createDocumentService } from './documents-service';

const TAGS = ['office'];
const disposition = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7E]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function documentRoutes(c: ModuleContext, s: ReturnType<typeof createDocumentService>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/office/documents', summary: 'The documents library as the caller sees it: current version, whether it is for them and the version they acknowledged', tags: TAGS, access: 'office.read',
      response: W.DocumentListAnswer, handler: ({ user }) => s.list(user),
    }),
    defineRoute({
      method: 'post', path: '/api/office/documents', status: 201, summary: 'A new procedure or manual (its first version) for the network, companies or stores, optionally some roles', tags: TAGS, access: 'office.write',
      body: W.DocumentCreateBody, response: W.DocumentDetail, errors: { 422: 'no target or an unknown company / store; an empty file' },
      handler: ({ body, user, requestId }) => s.create(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/office/documents/:id', summary: 'A document’s page: its versions and who acknowledged which version', tags: TAGS, access: 'office.read',
      params: W.DocumentIdParam, response: W.DocumentDetail, errors: { 404: 'no such document for you' },
      handler: ({ params, user }) => s.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/office/documents/:id/versions', status: 201, summary: 'A new version of a document: everyone in its audience must acknowledge it again', tags: TAGS, access: 'office.write',
      params: W.DocumentIdParam, body: W.DocumentVersionBody, response: W.DocumentDetail, errors: { 404: 'no such document of yours', 422: 'an empty file' },
      handler: ({ params, body, user, requestId }) => s.addVersion(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/office/documents/:id/acknowledge', summary: 'Acknowledge having read the current version of a document meant for you', tags: TAGS, access: 'office.read',
      params: W.DocumentIdParam, body: W.DocumentAckBody, response: W.DocumentDetail, errors: { 404: 'no such document for you', 409: 'not the current version, or already acknowledged' },
      handler: ({ params, body, user }) => s.acknowledge(user, params.id, body.version),
    }),
    defineRoute({
      method: 'get', path: '/api/office/documents/:id/versions/:version/file', summary: 'Download a version’s file', tags: TAGS, access: 'office.read',
      params: W.DocumentVersionParams, produces: ['application/octet-stream'], errors: { 404: 'no such document or version for you' },
      async handler({ params, user, res }) {
        const f = await s.file(user, params.id, params.version);
        res.setHeader('Content-Type', f.mediaType);
        res.setHeader('Content-Length', String(f.sizeBytes));
        res.setHeader('Content-Disposition', disposition(f.name));
        res.setHeader('X-Content-SHA256', f.sha256);
        res.end(await c.files.bytes(f));
      },
    }),
  ]);
}
