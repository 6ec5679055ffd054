/**
 * Facturae HTTP routes: the signed XML of an invoice (download; kept in the files area), each company's
 * signing certificate (HQ admin: upload/replace/remove; invoicing readers see what it says, never the key),
 * and a recipient's Facturae data (wants it, DIR3 centres, address).
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/facturae';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import type { Files } from '../../platform/files/service';
import { createFacturaeService } from './service';

const TAGS = ['facturae'];
const CompanyParams = z.object({ companyId: z.string().min(1).max(36) });

export function facturaeRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createFacturaeService(ds, clock, files);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/invoices/:id/facturae', summary: 'The invoice as Facturae 3.2.2 XML signed XAdES-EPES (made once with the issuing company’s certificate, then answered from the files area)', tags: TAGS, access: 'invoicing.read',
      params: W.IdParams, produces: ['application/xml'],
      errors: { 404: 'unknown invoice or outside the caller’s companies', 409: 'draft or cancelled invoice, no or expired certificate, issuer/recipient address or NIF missing' },
      async handler({ params, user, res }) {
        const doc = await svc.document(user, params.id);
        const f = await files.find(doc.fileId);
        if (!f) throw new Error(`facturae file ${doc.fileId} is missing from the files area`);
        res.setHeader('Content-Type', 'application/xml; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9._-]+/g, '_')}"`);
        res.setHeader('X-File-Id', doc.fileId);
        res.end(await files.bytes(f));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/facturae/certificates', summary: 'The caller’s companies with their Facturae signing certificate (subject, issuer, serial, validity)', tags: TAGS, access: 'invoicing.read',
      response: W.CertificateList,
      handler: ({ user }) => svc.listCertificates(user),
    }),
    defineRoute({
      method: 'get', path: '/api/companies/:companyId/facturae-certificate', summary: 'A company’s Facturae signing certificate (null: none)', tags: TAGS, access: 'invoicing.read',
      params: CompanyParams, response: W.CertificateAnswer,
      handler: async ({ params, user }) => ({ certificate: await svc.certificate(user, params.companyId) }),
    }),
    defineRoute({
      method: 'put', path: '/api/companies/:companyId/facturae-certificate', summary: 'Upload or replace a company’s signing certificate: PKCS#12 (.p12/.pfx, base64) and its password (not kept); the key is kept encrypted', tags: TAGS, access: 'invoicing.admin',
      params: CompanyParams, body: W.CertificateUploadBody, response: W.CertificateView,
      errors: { 404: 'unknown company', 422: 'wrong password, unreadable file, no RSA key, expired or not yet valid certificate' },
      handler: ({ params, body, user }) => svc.uploadCertificate(user, params.companyId, body),
    }),
    defineRoute({
      method: 'delete', path: '/api/companies/:companyId/facturae-certificate', summary: 'Remove a company’s signing certificate', tags: TAGS, access: 'invoicing.admin',
      params: CompanyParams, status: 204, errors: { 404: 'unknown company or no certificate' },
      handler: ({ params, user }) => svc.removeCertificate(user, params.companyId),
    }),
    defineRoute({
      method: 'get', path: '/api/facturae/recipients', summary: 'Customers and companies by name or NIF, with whether they want Facturae and are a public body (DIR3)', tags: TAGS, access: 'invoicing.read',
      query: W.RecipientSearchQuery, response: W.RecipientSearchAnswer,
      handler: async ({ query }) => ({ items: await svc.searchRecipients(query.q) }),
    }),
    defineRoute({
      method: 'get', path: '/api/facturae/recipients/:kind/:id', summary: 'A recipient’s (customer or company) Facturae data: wants Facturae, DIR3 centres, address', tags: TAGS, access: 'invoicing.read',
      params: W.RecipientParams, response: W.RecipientView,
      handler: ({ params, user }) => svc.recipient(user, params.kind, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/facturae/recipients/:kind/:id', summary: 'Set a recipient’s Facturae data (a public body: oficina contable, órgano gestor, unidad tramitadora)', tags: TAGS, access: 'invoicing.write',
      params: W.RecipientParams, body: W.RecipientBody, response: W.RecipientView, errors: { 404: 'unknown recipient', 422: 'incomplete DIR3 centres or address' },
      handler: ({ params, body, user }) => svc.putRecipient(user, params.kind, params.id, body),
    }),
  ]);
}
