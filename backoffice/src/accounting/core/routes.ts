/**
 * HTTP routes of the accounting core (thin: parse → scope → use case): a company's posting rules and the
 * locks of its months. Every route checks the caller sees the company; a company outside one's scope is 404.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/accounting';
import { canAccessCompany, type AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { writeTransaction } from '../../persistence/raw';
import { one } from '../../persistence/sql';
import { lockPeriod, periodLocks, unlockPeriod } from './periods';
import { ruleTable, setRule } from './rules';

const TAGS = ['accounting'];
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });

/** The company's books, when the user's scope holds the company (403 outside it, 404 for no such company). */
export async function companyInScope(ds: DataSource, user: AuthUser, companyId: string): Promise<void> {
  if (!canAccessCompany(user, companyId)) throw forbidden();
  const c = await one(ds.manager, `SELECT id FROM company WHERE id = ?`, [companyId]);
  if (!c) throw refused(404, 'COMPANY_NOT_FOUND', 'empresa no encontrada / company not found', 'companyId');
}

export function accountingCoreRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/rules', summary: 'The posting rules of a company: the account of every role (per IVA rate where it depends on one), defaults marked', tags: TAGS, access: 'accounting.read',
      params: W.CompanyParams, response: W.RulesSchema, errors: { 404: 'no such company' },
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        return { companyId: params.companyId, rules: await ruleTable(ds.manager, params.companyId) };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/accounting/companies/:companyId/rules', summary: 'Sets the account of one role (null: back to the default); refused when the account cannot carry it', tags: TAGS, access: 'accounting.admin',
      params: W.CompanyParams, body: W.RuleBody, response: W.RulesSchema, errors: { 404: 'no such company', 422: 'the account is not postable or of the wrong kind for the role' },
      async handler({ params, body, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          await setRule(m, clock, params.companyId, body.role, body.rateBp, body.account, user.id);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.rule.set', entity: 'acc_rule', entityId: `${params.companyId}:${body.role}${body.rateBp === null ? '' : `:${body.rateBp}`}`, companyId: params.companyId, after: body });
        });
        return { companyId: params.companyId, rules: await ruleTable(ds.manager, params.companyId) };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/accounting/companies/:companyId/periods', summary: 'The locked months of a company', tags: TAGS, access: 'accounting.read',
      params: W.CompanyParams, response: W.PeriodLocksSchema, errors: { 404: 'no such company' },
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        return { companyId: params.companyId, locks: await periodLocks(ds.manager, params.companyId) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/accounting/companies/:companyId/periods/:period/lock', summary: 'Locks a month: nothing posts into it any more (late documents go into the next open month)', tags: TAGS, access: 'accounting.admin',
      params: W.PeriodParams, response: W.PeriodLocksSchema, errors: { 404: 'no such company' },
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          await lockPeriod(m, clock, params.companyId, params.period, user.id);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.period.lock', entity: 'acc_period_lock', entityId: `${params.companyId}:${params.period}`, companyId: params.companyId, after: { period: params.period } });
        });
        return { companyId: params.companyId, locks: await periodLocks(ds.manager, params.companyId) };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/accounting/companies/:companyId/periods/:period/lock', summary: 'Unlocks a month (recorded in the audit log)', tags: TAGS, access: 'accounting.admin',
      params: W.PeriodParams, response: W.PeriodLocksSchema, errors: { 404: 'no such company' },
      async handler({ params, user }) {
        await companyInScope(ds, user, params.companyId);
        await writeTransaction(ds, async (m) => {
          await unlockPeriod(m, params.companyId, params.period);
          await recordAudit(m, clock, { actor: actor(user), action: 'accounting.period.unlock', entity: 'acc_period_lock', entityId: `${params.companyId}:${params.period}`, companyId: params.companyId, before: { period: params.period } });
        });
        return { companyId: params.companyId, locks: await periodLocks(ds.manager, params.companyId) };
      },
    }),
  ]);
}
