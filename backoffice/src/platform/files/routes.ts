/** Files API: the caller's files (and their scope's), and a download checked against the file's scope. */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { FileSchema } from '@tpv/shared/wire/http/jobs';
import { RowIdSchema } from '@tpv/shared/wire/limits';
import { forbidden, notFound } from '../../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../api';
import { ListQuery, offsetOf, pageOf, pageSchema } from '../list';
import type { Files, StoredFile } from './service';


const fileView = (f: StoredFile): z.output<typeof FileSchema> => ({
  id: f.id, name: f.name, mediaType: f.mediaType, sizeBytes: f.sizeBytes, sha256: f.sha256, purpose: f.purpose,
  companyId: f.companyId, storeId: f.storeId, createdBy: f.createdBy, createdAt: f.createdAt,
});

/** `filename*` keeps accents (RFC 6266); the plain one is the ASCII fallback. */
const disposition = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7E]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function fileRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/files',
      summary: 'Files of the caller’s scope, newest first',
      tags: ['jobs'],
      access: 'user',
      query: ListQuery.omit({ sort: true, format: true, q: true }).extend({ purpose: z.string().max(32).optional() }),
      response: pageSchema(FileSchema),
      async handler({ query, user }) {
        const { items, total } = await files.list(user, { offset: offsetOf(query), limit: query.pageSize, purpose: query.purpose });
        return pageOf(items.map(fileView), query, total);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/files/:id',
      summary: 'Download a file',
      tags: ['jobs'],
      access: 'user',
      params: z.object({ id: RowIdSchema }),
      produces: ['application/octet-stream'],
      async handler({ params, user, res }) {
        const f = await files.readable(user, params.id);
        if (f === null) throw notFound(`file ${params.id}`);
        if (f === 'forbidden') throw forbidden('This file belongs to another company or store.');
        res.setHeader('Content-Type', f.mediaType);
        res.setHeader('Content-Length', String(f.sizeBytes));
        res.setHeader('Content-Disposition', disposition(f.name));
        res.setHeader('X-Content-SHA256', f.sha256);
        await new Promise<void>((resolve, reject) => {
          const s = files.open(f);
          s.once('error', reject);
          res.once('finish', resolve).once('close', resolve);
          s.pipe(res);
        });
      },
    }),
  ]);
}
