/**
 * Incidents other modules open (a delivery received short, over or damaged today; complaints, equipment and
 * food safety when the quality issue arrives). Runs inside the caller's transaction.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';

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

export async function openIncident(_m: EntityManager, _clock: Clock, _input: IncidentInput): Promise<{ id: string; number: string }> {
  throw new Error('openIncident: not implemented yet');
}
