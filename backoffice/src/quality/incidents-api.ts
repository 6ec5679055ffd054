/**
 * Incidents other modules open (a delivery received short, over or damaged; a till's report), inside the
 * caller's transaction: numbered `IN-<year>-<n>` per company (gapless like the documents), due by severity,
 * the first line of its history written with it.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { dueAtOf, type IncidentKind, type IncidentSeverity, type IncidentSource } from '@tpv/shared/quality/rules';
import { nextDocumentNumber } from '../platform/numbering';
import { newRowId } from '../persistence/row-id';
import { insertEvent, insertIncident, insertPhoto } from './repository';

export type { IncidentKind } from '@tpv/shared/quality/rules';

export interface IncidentInput {
  companyId: string;
  storeId: string | null;
  kind: IncidentKind;
  severity: IncidentSeverity;
  title: string;
  description?: string | null;
  productId?: string | null;
  /** What document it concerns (a delivery note, a goods receipt), with its number as shown. */
  documentType?: string | null;
  documentId?: string | null;
  documentNumber?: string | null;
  /** Units (or grams) concerned: short −, over +, damaged. */
  quantity?: number | null;
  supplierId?: string | null;
  customerId?: string | null;
  complaintFormNumber?: string | null;
  /** Default `system`: another module opened it. */
  source?: IncidentSource;
  /** Photos already in the files area. */
  photoIds?: readonly string[];
  createdBy?: { id: string | null; email: string } | null;
}

/** Series of incident numbers (per company and year, gapless like the documents): `IN-2026-000001`. */
export const INCIDENT_SERIES = 'IN';

export async function openIncident(m: EntityManager, clock: Clock, input: IncidentInput): Promise<{ id: string; number: string }> {
  const at = new Date(clock.now()).toISOString();
  const year = Number(at.slice(0, 4));
  const n = await nextDocumentNumber(m, input.companyId, 'incident', year);
  const number = `${INCIDENT_SERIES}-${year}-${String(n).padStart(6, '0')}`;
  const id = newRowId(clock);
  const by = { byId: input.createdBy?.id ?? null, byEmail: input.createdBy?.email ?? null };
  await insertIncident(m, {
    id, number, companyId: input.companyId, storeId: input.storeId, kind: input.kind, severity: input.severity, source: input.source ?? 'system', title: input.title.slice(0, 300),
    description: input.description ?? null, productId: input.productId ?? null, documentType: input.documentType ?? null, documentId: input.documentId ?? null,
    documentNumber: input.documentNumber ?? null, quantity: input.quantity ?? null, supplierId: input.supplierId ?? null, customerId: input.customerId ?? null,
    complaintFormNumber: input.complaintFormNumber ?? null, dueAt: dueAtOf(at, input.severity), at, ...by,
  });
  for (const f of input.photoIds ?? []) await insertPhoto(m, id, f, at);
  await insertEvent(m, { id: newRowId(clock), incidentId: id, action: 'opened', detail: `${input.kind} · ${input.severity}`, at, ...by });
  return { id, number };
}
