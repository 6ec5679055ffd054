/**
 * Incidents other modules open (a delivery received short, over or damaged today; complaints, equipment and
 * food safety when the quality issue arrives). Runs inside the caller's transaction.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { nextDocumentNumber } from '../platform/numbering';
import { newRowId } from '../persistence/row-id';
import { insertIncident } from './repository';

export type IncidentKind = 'delivery_discrepancy' | 'damaged_goods' | 'customer_complaint' | 'equipment_failure' | 'food_safety' | 'cleanliness';

export interface IncidentInput {
  companyId: string;
  storeId: string | null;
  kind: IncidentKind;
  severity: 'low' | 'medium' | 'high' | 'critical';
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
  createdBy?: { id: string; email: string } | null;
}

/** Series of incident numbers (per company and year, gapless like the documents): `IN-2026-000001`. */
export const INCIDENT_SERIES = 'IN';

export async function openIncident(m: EntityManager, clock: Clock, input: IncidentInput): Promise<{ id: string; number: string }> {
  const at = new Date(clock.now()).toISOString();
  const year = Number(at.slice(0, 4));
  const n = await nextDocumentNumber(m, input.companyId, 'incident', year);
  const number = `${INCIDENT_SERIES}-${year}-${String(n).padStart(6, '0')}`;
  const id = newRowId(clock);
  await insertIncident(m, {
    id, number, companyId: input.companyId, storeId: input.storeId, kind: input.kind, severity: input.severity, title: input.title.slice(0, 300),
    description: input.description ?? null, productId: input.productId ?? null, documentType: input.documentType ?? null, documentId: input.documentId ?? null,
    documentNumber: input.documentNumber ?? null, quantity: input.quantity ?? null, supplierId: input.supplierId ?? null, at,
    byId: input.createdBy?.id ?? null, byEmail: input.createdBy?.email ?? null,
  });
  return { id, number };
}
