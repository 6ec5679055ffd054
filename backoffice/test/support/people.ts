/** People fixtures over HTTP (issue 16): hiring an employee as the tests' stories need them. */
import { expect } from 'vitest';
import { F, type Harness } from './harness';

export interface Hire {
  code: string;
  name: string;
  /** Default Ruiz's Madrid 1; null: company-wide staff. */
  storeId?: string | null;
  companyId?: string;
  weeklyHours?: number;
  tillRole?: 'cashier' | 'supervisor';
  pin?: string;
}

/** POST /api/people/employees (hired and contracted 1 October 2026, indefinido); the new employee's id. */
export async function hireEmployee(h: Pick<Harness, 'api'>, token: string, e: Hire): Promise<string> {
  const r = await h.api('POST', '/api/people/employees', {
    token,
    body: {
      companyId: e.companyId ?? F.ruiz.id, storeId: e.storeId === undefined ? F.storeM1.id : e.storeId, code: e.code, name: e.name,
      ...(e.tillRole ? { tillRole: e.tillRole, pin: e.pin } : {}),
      hiredOn: '2026-10-01', contract: { type: 'indefinido', weeklyHours: e.weeklyHours ?? 40, startsOn: '2026-10-01' },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
