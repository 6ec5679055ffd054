/**
 * Answers a document's PDF: the copy kept in the files area (checked against the caller's scope, like any
 * download) or a draft's preview made on the fly. Purchase orders and invoices download through it.
 */
import type { Response } from 'express';
import { forbidden, notFound } from '../../auth/http';
import type { AuthUser } from '../../auth/service';
import type { Files } from './service';

export async function sendPdf(res: Response, files: Files, user: AuthUser, out: { fileId: string } | { draft: Buffer; name: string }): Promise<void> {
  let bytes: Buffer;
  let name: string;
  if ('draft' in out) ({ draft: bytes, name } = out);
  else {
    const f = await files.readable(user, out.fileId);
    if (f === null) throw notFound(`file ${out.fileId}`);
    if (f === 'forbidden') throw forbidden();
    bytes = await files.bytes(f);
    name = f.name;
  }
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '_')}"`);
  res.end(bytes);
}
