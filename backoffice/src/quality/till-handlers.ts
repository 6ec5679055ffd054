/**
 * A till's incident report (`quality.incident`, shared/wire/upward.ts), applied once inside the channel's
 * transaction: the photo goes to the files area under the till's store, the incident is opened with source
 * `till` and the till (and cashier) as its reporter. Bad content (an unknown product, a photo that is not
 * an image) is answered `rejected`, so the till stops resending.
 */
import type { TillIncident } from '@tpv/shared/wire/upward';
import type { UpwardHandler } from '../modules/types';
import { one } from '../persistence/sql';
import { openIncident } from './incidents-api';
import { exists } from './repository';
import { PHOTO_PURPOSE } from './incidents-service';

const looksLikeImage = (b: Buffer, type: string) =>
  type === 'image/jpeg' ? b[0] === 0xff && b[1] === 0xd8 : type === 'image/png' ? b.subarray(1, 4).toString('latin1') === 'PNG' : b.subarray(8, 12).toString('latin1') === 'WEBP';

export const tillIncident: UpwardHandler = async (m, ctx, till, doc) => {
  const input = doc.payload as TillIncident;
  if (input.productId && !(await exists(m, 'product', input.productId))) return { rejected: `Artículo desconocido / unknown product ${input.productId}` };
  const terminal = await one<{ installation: string }>(m, 'SELECT installation FROM terminal WHERE id = ?', [till.terminalId]);
  const staff = input.staffId ? await one<{ name: string }>(m, 'SELECT name FROM staff WHERE id = ?', [input.staffId]) : undefined;
  const reporter = `Caja ${terminal?.installation ?? till.terminalId}${staff ? ` · ${staff.name}` : ''}`.slice(0, 200);
  const photoIds: string[] = [];
  if (input.photo) {
    const bytes = Buffer.from(input.photo.base64, 'base64');
    if (bytes.length === 0 || !looksLikeImage(bytes, input.photo.mediaType)) return { rejected: 'La foto no es una imagen / the photo is not an image' };
    // The file lands before the transaction commits; a rollback leaves an unreferenced photo, never a missing one.
    const ext = input.photo.mediaType.split('/')[1];
    const f = await ctx.files.save({ name: `incidencia-${doc.id}.${ext}`, mediaType: input.photo.mediaType, purpose: PHOTO_PURPOSE, owner: { companyId: till.companyId, storeId: till.storeId, createdBy: null }, data: bytes });
    photoIds.push(f.id);
  }
  const r = await openIncident(m, ctx.clock, {
    companyId: till.companyId, storeId: till.storeId, kind: input.kind, severity: input.severity, title: input.title, description: input.description ?? null,
    productId: input.productId ?? null, source: 'till', photoIds, createdBy: { id: null, email: reporter },
  });
  return { reference: `${r.number} registrada / reported` };
};
