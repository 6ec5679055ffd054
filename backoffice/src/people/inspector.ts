/**
 * The labour inspectorate's read-only access to the working-time record (issue 16). The law asks the company to
 * put the records at the inspector's disposal; rather than an account in the back office, HR (hr.write over the
 * company) grants the inspector a key for one company and up to 90 days, answering the inspectorate's request
 * (its reference kept). With the key — and only the key — the inspector reads that company's workers' monthly
 * totals, the records CSV with their hashes and each worker's monthly PDF; nothing else answers to it. Keys are
 * stored as SHA-256, revocable, and every use is audited (`inspector.read`) with the last use on the grant.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { can } from '@tpv/shared/permissions';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { newToken, sha256Hex } from '../auth/tokens';
import { recordAudit } from '../platform/audit';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { all, exec, inList, one } from '../persistence/sql';
import { monthBounds } from './export-columns';
import * as repo from './repository';
import type { TimeRecordService } from './time-records';

export interface InspectorAccess {
  id: string; companyId: string; inspectorName: string; reference: string; createdAt: string; expiresAt: string; revokedAt: string | null; lastUsedAt: string | null;
}
const COLS = `id, company_id AS "companyId", inspector_name AS "inspectorName", reference, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;
const DAY_MS = 86_400_000;

const keyRefused = () => new HttpProblem(problem(401, 'UNAUTHENTICATED', 'Authentication required', { detail: 'Clave de inspección no válida, caducada o revocada · inspection key invalid, expired or revoked' }));

export function createInspectorService(ds: DataSource, clock: Clock, records: TimeRecordService) {
  const now = () => new Date(clock.now()).toISOString();
  const mayGrant = (user: AuthUser, companyId: string) => can(user, 'hr.write') && canAccessCompany(user, companyId);

  /** The grant a key opens, touched as used; 401 when unknown, expired or revoked. */
  async function session(key: string | undefined, what: string): Promise<InspectorAccess> {
    const a = key ? await one<InspectorAccess>(ds.manager, `SELECT ${COLS} FROM inspector_access WHERE token_hash = ?`, [sha256Hex(key)]) : undefined;
    const at = now();
    if (!a || a.revokedAt !== null || a.expiresAt <= at) throw keyRefused();
    await writeTransaction(ds, async (m) => {
      await exec(m, 'UPDATE inspector_access SET last_used_at = ? WHERE id = ?', [at, a.id]);
      await recordAudit(m, clock, { actor: { id: a.id, email: `inspector:${a.reference}` }, action: 'inspector.read', entity: 'inspector_access', entityId: a.id, companyId: a.companyId, after: { what }, requestId: null });
    });
    return a;
  }

  async function employeesInMonth(companyId: string, month: string) {
    const first = `${month}-01`;
    const last = `${month}-31`;
    return (await repo.listEmployees(ds.manager, [companyId], null, { includeLeft: true })).filter((e) => e.hiredOn <= last && (e.leftOn === null || e.leftOn >= first));
  }

  return {
    async grant(user: AuthUser, b: { companyId: string; inspectorName: string; reference: string; validDays: number }, requestId?: string) {
      if (!mayGrant(user, b.companyId)) throw forbidden('Sólo RR. HH. de la empresa concede el acceso / only the company’s HR grants access.');
      const key = newToken();
      const id = newRowId(clock);
      const createdAt = now();
      const expiresAt = new Date(clock.now() + b.validDays * DAY_MS).toISOString();
      await writeTransaction(ds, async (m) => {
        await exec(m, `INSERT INTO inspector_access (id, company_id, inspector_name, reference, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, b.companyId, b.inspectorName, b.reference, sha256Hex(key), user.id, createdAt, expiresAt]);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'inspector.grant', entity: 'inspector_access', entityId: id, companyId: b.companyId, after: { inspectorName: b.inspectorName, reference: b.reference, expiresAt }, requestId: requestId ?? null });
      });
      const a = (await one<InspectorAccess>(ds.manager, `SELECT ${COLS} FROM inspector_access WHERE id = ?`, [id]))!;
      return { ...a, key };
    },

    async list(user: AuthUser, companyId?: string): Promise<InspectorAccess[]> {
      if (!can(user, 'hr.read')) throw forbidden('hr.read');
      const companies = companyId ? [companyId] : visibleCompanyIds(user);
      if (companyId && !canAccessCompany(user, companyId)) throw forbidden();
      if (companies !== null && companies.length === 0) return [];
      return all<InspectorAccess>(ds.manager, `SELECT ${COLS} FROM inspector_access${companies === null ? '' : ` WHERE company_id IN (${inList(companies.length)})`} ORDER BY created_at DESC`, companies ?? []);
    },

    async revoke(user: AuthUser, id: string, requestId?: string): Promise<InspectorAccess> {
      const a = await one<InspectorAccess>(ds.manager, `SELECT ${COLS} FROM inspector_access WHERE id = ?`, [id]);
      if (!a || !canAccessCompany(user, a.companyId)) throw notFound(`inspector access ${id}`);
      if (!mayGrant(user, a.companyId)) throw forbidden('Sólo RR. HH. de la empresa revoca el acceso / only the company’s HR revokes access.');
      if (a.revokedAt === null) {
        await writeTransaction(ds, async (m) => {
          await exec(m, 'UPDATE inspector_access SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now(), id]);
          await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'inspector.revoke', entity: 'inspector_access', entityId: id, companyId: a.companyId, requestId: requestId ?? null });
        });
      }
      return (await one<InspectorAccess>(ds.manager, `SELECT ${COLS} FROM inspector_access WHERE id = ?`, [id]))!;
    },

    // ── what the key opens ──
    async whoAmI(key: string | undefined) {
      const a = await session(key, 'session');
      const company = (await one<{ legalName: string; nif: string }>(ds.manager, `SELECT legal_name AS "legalName", nif FROM company WHERE id = ?`, [a.companyId]))!;
      return { company, inspectorName: a.inspectorName, reference: a.reference, expiresAt: a.expiresAt };
    },

    async month(key: string | undefined, month: string) {
      const a = await session(key, `month ${month}`);
      const employees = await employeesInMonth(a.companyId, month);
      const out = [];
      for (const e of employees) {
        const r = await records.month(e, month);
        out.push({
          id: e.id, code: e.code, name: e.name, storeId: e.storeId, hiredOn: e.hiredOn, leftOn: e.leftOn,
          days: r.totals.days.filter((d) => d.shifts > 0).length, workedMinutes: r.totals.workedMinutes, ordinaryMinutes: r.totals.ordinaryMinutes, overtimeMinutes: r.totals.overtimeMinutes,
        });
      }
      return { month, employees: out };
    },

    async csvRows(key: string | undefined, month: string) {
      const a = await session(key, `csv ${month}`);
      const { from, to } = monthBounds(month);
      return repo.recordsBetween(ds.manager, [a.companyId], null, from, to);
    },

    async employeeMonth(key: string | undefined, employeeId: string, month: string) {
      const a = await session(key, `pdf ${employeeId} ${month}`);
      const e = await repo.employeeById(ds.manager, employeeId);
      if (!e || e.companyId !== a.companyId) throw notFound(`employee ${employeeId}`);
      return records.month(e, month);
    },
  };
}
