/**
 * Employees (issue 16), the use cases:
 * - hire: the employee, their contract and (apart) their personal data; with a till role the employee IS
 *   the staff row (same id, written by the catalog's `putStaff` in the same transaction): their PIN and
 *   rights go down the change feed to the tills of their stores — one record, no double entry.
 * - leave: the last day is recorded, the contract ends, the staff row is deactivated (the feed tells every
 *   till of their stores: the PIN no longer opens any) and self-service sessions end.
 * - list / detail: scoped like staff; personal data only for HR roles (hr.read).
 * - self-service sign-in: company NIF + employee code + their self-service password or till PIN.
 * Scope: HR (hr.write) of the employee's company — a store for store staff, the company for company-wide staff.
 */
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { HireBody } from '@tpv/shared/wire/http/people';
import { canAccessCompany, canAccessStore, visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { hashSecret } from '../auth/secret-hash';
import { newToken, sha256Hex } from '../auth/tokens';
import type { MasterDataError, MasterDataService } from '../catalog/service';
import { refused } from '../platform/api';
import { can } from '../platform/permissions';
import { recordAudit } from '../platform/audit';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { one, type Db } from '../persistence/sql';
import * as repo from './repository';
import { mayReadEmployee } from './time-records';

export const SELF_SERVICE_TTL_MS = 8 * 60 * 60 * 1000;

const STATUS = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PIN_TAKEN: 409, PIN_REQUIRED: 422, REFERENCE_UNKNOWN: 422, CATEGORY_CYCLE: 422, VALUE_REFUSED: 422 } as const;
/** The staff write's refusal as this module's problem (same codes and fields as PUT /api/staff). */
const staffProblem = (e: MasterDataError) => {
  const field = typeof e.details?.field === 'string' ? e.details.field : undefined;
  const errors = (e.details?.errors as Array<{ path: string; message: string }> | undefined) ?? (field ? [{ path: field, message: e.message }] : undefined);
  return new HttpProblem(problem(STATUS[e.code], e.code, 'Employee refused', { detail: e.message, ...(errors ? { errors } : {}) }));
};

const publicEmployee = (e: repo.EmployeeRow) => ({
  id: e.id, companyId: e.companyId, storeId: e.storeId, code: e.code, name: e.name, jobTitle: e.jobTitle, tillRole: e.tillRole, staffId: e.staffId, userId: e.userId,
  hiredOn: e.hiredOn, leftOn: e.leftOn,
});
export type PublicEmployee = ReturnType<typeof publicEmployee>;
export { publicEmployee };

export function createEmployeeService(ds: DataSource, clock: Clock, masterData: MasterDataService) {
  const at = () => new Date(clock.now()).toISOString();
  const mayHrAt = async (user: AuthUser, companyId: string, storeId: string | null) => {
    if (!can(user, 'hr.write') || !canAccessCompany(user, companyId)) return false;
    return storeId === null || canAccessStore(ds, user, storeId);
  };

  async function writeEmployee(m: Db, id: string, b: HireBody, now: string, by: AuthUser, requestId?: string) {
    const row: repo.EmployeeRow = {
      id, companyId: b.companyId, storeId: b.storeId, code: b.code, name: b.name, jobTitle: b.jobTitle, tillRole: b.tillRole, staffId: b.tillRole ? id : null, userId: b.userId,
      hiredOn: b.hiredOn, leftOn: null, leaveReason: null, createdAt: now, version: 1,
    };
    await repo.insertEmployee(m, row);
    await repo.insertContract(m, id, { id: newRowId(clock), type: b.contract.type, weeklyMinutes: Math.round(b.contract.weeklyHours * 60), startsOn: b.contract.startsOn, endsOn: b.contract.endsOn }, now);
    if (b.personal) await repo.putPersonal(m, id, b.personal, now);
    if (b.selfServicePassword) await repo.setSelfServiceHash(m, id, await hashSecret(b.selfServicePassword));
    // The audit keeps who hired whom, never the personal data itself.
    await recordAudit(m, clock, { actor: { id: by.id, email: by.email }, action: 'employee.hire', entity: 'employee', entityId: id, companyId: b.companyId, storeId: b.storeId, after: row, requestId: requestId ?? null });
    return row;
  }

  return {
    publicEmployee,

    async hire(user: AuthUser, b: HireBody, requestId?: string) {
      if (!(await mayHrAt(user, b.companyId, b.storeId))) throw forbidden('You may not hire for this company or store.');
      const errors: Array<{ path: string; message: string }> = [];
      if (b.storeId !== null) {
        const store = await one<{ companyId: string }>(ds.manager, `SELECT company_id AS "companyId" FROM store WHERE id = ?`, [b.storeId]);
        if (!store || store.companyId !== b.companyId) errors.push({ path: 'storeId', message: `store ${b.storeId} is not a store of company ${b.companyId}` });
      }
      if (b.tillRole !== null && b.pin === undefined) errors.push({ path: 'pin', message: 'till staff need a PIN / el personal de caja necesita un PIN' });
      if (b.tillRole === null && b.pin !== undefined) errors.push({ path: 'pin', message: 'a PIN needs a till role / un PIN necesita un rol de caja' });
      if (b.contract.startsOn < b.hiredOn) errors.push({ path: 'contract.startsOn', message: 'the contract cannot start before the hiring date' });
      if (b.contract.endsOn !== null && b.contract.endsOn < b.contract.startsOn) errors.push({ path: 'contract.endsOn', message: 'the contract ends before it starts' });
      if (await repo.employeeByCode(ds.manager, b.companyId, b.code)) errors.push({ path: 'code', message: `employee code ${b.code} is taken in this company` });
      if (b.userId !== null && (await repo.employeeByUser(ds.manager, b.userId))) errors.push({ path: 'userId', message: 'this user is already linked to an employee' });
      if (b.userId !== null && !(await one(ds.manager, `SELECT id FROM app_user WHERE id = ?`, [b.userId]))) errors.push({ path: 'userId', message: `no user ${b.userId}` });
      if (errors.length) throw new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: errors.map((e) => e.message).join('; '), errors }));
      const id = newRowId(clock);
      if (b.tillRole === null) return writeTransaction(ds, (m) => writeEmployee(m, id, b, at(), user, requestId));
      let row: repo.EmployeeRow | undefined;
      const r = await masterData.putStaff(user, id, { companyId: b.companyId, storeId: b.storeId, code: b.code, name: b.name, role: b.tillRole, pin: b.pin, active: true }, async (m, now) => {
        row = await writeEmployee(m, id, b, now, user, requestId);
      });
      if (!r.ok) throw staffProblem(r.error);
      return row!;
    },

    /** The worker leaves: last day, contract ended, staff deactivated at every till (through the feed). */
    async leave(user: AuthUser, id: string, b: { leftOn: string; reason: string }, requestId?: string) {
      const e = await repo.employeeById(ds.manager, id);
      if (!e || !(await mayReadEmployee(ds, user, e))) throw notFound(`employee ${id}`);
      if (!(await mayHrAt(user, e.companyId, e.storeId))) throw forbidden('You may not act on this employee.');
      if (e.leftOn !== null) throw refused(409, 'ALREADY_LEFT', `employee ${e.code} left on ${e.leftOn}`);
      if (b.leftOn < e.hiredOn) throw refused(422, 'BEFORE_HIRING', 'the last day cannot be before the hiring date', 'leftOn');
      const write = async (m: Db) => {
        await repo.markLeft(m, id, b.leftOn, b.reason);
        await repo.deleteSessionsOf(m, id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'employee.leave', entity: 'employee', entityId: id, companyId: e.companyId, storeId: e.storeId, before: e, after: { leftOn: b.leftOn, reason: b.reason }, requestId: requestId ?? null });
      };
      if (e.staffId === null) await writeTransaction(ds, write);
      else {
        const r = await masterData.putStaff(user, e.staffId, { companyId: e.companyId, storeId: e.storeId, code: e.code, name: e.name, role: e.tillRole ?? 'cashier', active: false }, (m) => write(m));
        if (!r.ok) throw staffProblem(r.error);
      }
      return (await repo.employeeById(ds.manager, id))!;
    },

    async list(user: AuthUser, q: { storeId?: string | undefined; includeLeft: boolean }) {
      if (q.storeId && !(await canAccessStore(ds, user, q.storeId))) throw forbidden();
      const stores = q.storeId ? [q.storeId] : user.role === 'store_manager' ? await visibleStoreIds(ds, user) : null;
      return repo.listEmployees(ds.manager, visibleCompanyIds(user), stores, q);
    },

    async detail(user: AuthUser, id: string) {
      const e = await repo.employeeById(ds.manager, id);
      if (!e || !(await mayReadEmployee(ds, user, e))) throw notFound(`employee ${id}`);
      const contracts = (await repo.contractsOf(ds.manager, [id])).map(({ employeeId: _e, ...c }) => c);
      const personal = can(user, 'hr.read') ? await repo.personalOf(ds.manager, id) : undefined;
      return { employee: publicEmployee(e), contracts, ...(personal ? { personal } : {}) };
    },

    /** Self-service sign-in: the company's NIF, the employee's code and their password or till PIN. */
    async selfServiceLogin(b: { companyNif: string; code: string; secret: string }) {
      const bad = () => new HttpProblem(problem(401, 'INVALID_CREDENTIALS', 'Sign-in refused', { detail: 'NIF, código o clave incorrectos · wrong NIF, code or secret' }));
      const company = await one<{ id: string }>(ds.manager, `SELECT id FROM company WHERE nif = ?`, [b.companyNif.toUpperCase()]);
      const e = company ? await repo.employeeByCode(ds.manager, company.id, b.code) : undefined;
      const secret = e && e.leftOn === null ? await repo.selfServiceSecret(ds.manager, e.id) : undefined;
      const hashes = [secret?.own, secret?.pin].filter((h): h is string => !!h);
      const ok = (await Promise.all(hashes.map((h) => argon2.verify(h, b.secret).catch(() => false)))).includes(true);
      if (!e || !ok) return { ok: false as const, problem: bad() };
      const token = newToken();
      const now = clock.now();
      const expiresAt = new Date(now + SELF_SERVICE_TTL_MS).toISOString();
      await writeTransaction(ds, (m) => repo.insertSession(m, sha256Hex(token), e.id, new Date(now).toISOString(), expiresAt));
      return { ok: true as const, session: { token, expiresAt, employee: publicEmployee(e) } };
    },

    /** The worker behind a self-service token, or 401. */
    async worker(token: string | undefined): Promise<repo.EmployeeRow> {
      const id = token ? await repo.sessionEmployee(ds.manager, sha256Hex(token), at()) : undefined;
      const e = id ? await repo.employeeById(ds.manager, id) : undefined;
      if (!e || e.leftOn !== null) throw new HttpProblem(problem(401, 'UNAUTHENTICATED', 'Authentication required', { detail: 'Sign in to the self-service page (POST /api/people/self-service/login).' }));
      return e;
    },
  };
}

export type EmployeeService = ReturnType<typeof createEmployeeService>;
