/**
 * A company's posting rules in the database: its overrides of the defaults (shared/src/accounting/rules.ts).
 * Saving a rule checks the account can carry the role; removing an override falls back to the default, so no
 * document is ever left without an account.
 */
import type { Clock } from '@tpv/shared/clock';
import { accountFor, POSTING_ROLES, ROLE_IDS, ruleKey, ruleProblem, type PostingRole, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { isIvaRate, IVA_RATES } from '@tpv/shared/tax';
import { refused } from '../../platform/api';
import { all, exec, type Db } from '../../persistence/sql';
import { ensureAccounts, ensureChart } from './chart';

export async function rulesOf(m: Db, companyId: string): Promise<RuleOverrides> {
  const rows = await all<{ rule_key: string; account: string }>(m, `SELECT rule_key, account FROM acc_rule WHERE company_id = ?`, [companyId]);
  return new Map(rows.map((r) => [r.rule_key, r.account]));
}

export interface RuleView {
  role: PostingRole;
  rateBp: number | null;
  account: string;
  isDefault: boolean;
  es: string;
  en: string;
}

/** Every role's account for a company (rate roles for the Spanish rates), defaults marked. */
export async function ruleTable(m: Db, companyId: string): Promise<RuleView[]> {
  const o = await rulesOf(m, companyId);
  const out: RuleView[] = [];
  for (const role of ROLE_IDS) {
    const def = POSTING_ROLES[role];
    const rates: Array<number | null> = 'byRate' in def ? (role === 'output_re' ? [520, 140, 50] : [...IVA_RATES]) : [null];
    for (const rate of rates) {
      const key = ruleKey(role, rate);
      const account = rate === null ? accountFor(o, role) : accountFor(o, role, rate);
      out.push({ role, rateBp: rate, account, isDefault: !o.has(key) && (rate === null || !o.has(role)), es: def.es, en: def.en });
    }
  }
  return out;
}

/** Saves one override (null account: back to the default). Refused with the reason when the account cannot carry the role. */
export async function setRule(m: Db, clock: Clock, companyId: string, role: string, rateBp: number | null, account: string | null, by: string | null): Promise<void> {
  if (!(role in POSTING_ROLES)) throw refused(422, 'RULE_REFUSED', `Unknown role ${role}`, 'role');
  const def = POSTING_ROLES[role as PostingRole];
  if (rateBp !== null && !('byRate' in def)) throw refused(422, 'RULE_REFUSED', `${def.es} does not depend on the IVA rate`, 'rateBp');
  if (rateBp !== null && role !== 'output_re' && !isIvaRate(rateBp)) throw refused(422, 'RULE_REFUSED', `${rateBp / 100} % is not an IVA rate`, 'rateBp');
  const key = ruleKey(role as PostingRole, rateBp);
  if (account === null) {
    await exec(m, `DELETE FROM acc_rule WHERE company_id = ? AND rule_key = ?`, [companyId, key]);
    return;
  }
  const problem = ruleProblem(role, account);
  if (problem) throw refused(422, 'RULE_REFUSED', problem, 'account');
  await ensureChart(m, clock, companyId);
  await ensureAccounts(m, clock, companyId, [account], 'account');
  const at = new Date(clock.now()).toISOString();
  await exec(
    m,
    `INSERT INTO acc_rule (company_id, rule_key, account, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (company_id, rule_key) DO UPDATE SET account = excluded.account, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [companyId, key, account, at, by],
  );
}
