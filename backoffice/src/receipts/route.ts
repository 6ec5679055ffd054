/**
 * HTTP routes of receipt design (thin: parse → use case). `receipts.read`: a company's design and its
 * stores' overrides, the preview; `receipts.write`: save a design or an override (logo upload included),
 * publish to the tills.
 */
import type { Request } from 'express';
import * as W from '@tpv/shared/wire/http/receipts';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { ModuleContext } from '../modules/types';
import type { createReceiptDesignService } from './service';
import type { createEReceipts } from './e-receipt';

const TAGS = ['receipts'];

/** The back office's address as customers reach it: `TPV_PUBLIC_URL`, else the one this request came to. */
export const publicUrl = (req: Request): string => process.env.TPV_PUBLIC_URL?.trim() || `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export function receiptRoutes(c: ModuleContext, s: ReturnType<typeof createReceiptDesignService>, e: ReturnType<typeof createEReceipts>): ApiRouter {
  return apiRouter(c.ds, c.clock, [
    defineRoute({
      method: 'get', path: '/api/e-receipts/:token', summary: 'The customer’s e-receipt page behind a signed link (no sign-in): the ticket, its fiscal QR, the PDF download',
      tags: TAGS, access: 'public', params: W.EReceiptParam, produces: ['text/html'], errors: { 404: 'a link that does not verify, or a ticket HQ does not hold' },
      handler: async ({ params, res }) => {
        const html = await e.page(params.token);
        res.setHeader('Cache-Control', 'private, no-store');
        res.type('html').send(html);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/e-receipts/:token/pdf', summary: 'The PDF copy of the ticket of a signed e-receipt link', tags: TAGS, access: 'public',
      params: W.EReceiptParam, produces: ['application/pdf'], errors: { 404: 'a link that does not verify, or a ticket HQ does not hold' },
      handler: async ({ params, res }) => {
        const f = await e.pdf(params.token);
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Disposition', `attachment; filename="${f.name}"`);
        res.end(f.bytes);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/receipt-designs/:companyId', summary: 'A company’s receipt design (draft and published) and its stores’ overrides', tags: TAGS, access: 'receipts.read',
      params: W.CompanyParam, response: W.DesignsAnswer, errors: { 404: 'no such company' },
      handler: ({ params, user }) => s.list(user, params.companyId),
    }),
    defineRoute({
      method: 'put', path: '/api/receipt-designs/:companyId',
      summary: 'Save the company’s receipt design draft: logo (PNG/SVG, dithered to 58 and 80 mm), header and footer lines, return policy, promotion with dates',
      tags: TAGS, access: 'receipts.write', params: W.CompanyParam, body: W.DesignBody, response: W.DesignView,
      errors: { 404: 'no such company', 422: 'a logo that is not the PNG or SVG it says' },
      handler: ({ params, body, user, requestId }) => s.save(user, params.companyId, null, body, requestId),
    }),
    defineRoute({
      method: 'put', path: '/api/receipt-designs/:companyId/stores/:storeId', summary: 'Save one store’s override of the company design (fields it sets win; absent ones are inherited)',
      tags: TAGS, access: 'receipts.write', params: W.StoreParam, body: W.DesignBody, response: W.DesignView,
      errors: { 404: 'no such company', 422: 'the store is not of that company; an unreadable logo' },
      handler: ({ params, body, user, requestId }) => s.save(user, params.companyId, params.storeId, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/receipt-designs/:companyId/preview',
      summary: 'A sample receipt with the design as the till prints it: our ESC/POS encoder → decoder → picture (PNG), with where the logo is',
      tags: TAGS, access: 'receipts.read', params: W.CompanyParam, body: W.PreviewBody, response: W.PreviewAnswer,
      errors: { 404: 'no such company', 422: 'the store is not of that company' },
      handler: ({ params, body, user }) => s.preview(user, params.companyId, body),
    }),
    defineRoute({
      method: 'post', path: '/api/receipt-designs/:companyId/publish',
      summary: 'Publish the company design (all its stores) or one store’s override: the tills get it on the change feed and keep it offline',
      tags: TAGS, access: 'receipts.write', params: W.CompanyParam, body: W.PublishBody, response: W.PublishAnswer,
      errors: { 404: 'no such company', 422: 'nothing saved to publish; the store is not of that company' },
      // The e-receipt links the tills print point at the back office's public address (TPV_PUBLIC_URL), or the one HQ uses.
      handler: ({ params, body, user, requestId, req }) => s.publish(user, params.companyId, body.storeId ?? null, requestId, publicUrl(req)),
    }),
  ]);
}
