/**
 * A company's chart of accounts in the database: the PGC accounts it starts with (written the first time the
 * company posts or opens its chart), the postable sub-accounts the rules and the accountant use, and one
 * sub-account per customer, supplier or franchise company under 430/400/410, opened the first time it posts.
 */
import type { Clock } from '@tpv/shared/clock';
import { natureOf, parentOf, PGC_PYMES, subaccount, SUBACCOUNT_DIGITS, isPostableCode } from '@tpv/shared/accounting/pgc';
import { POSTING_ROLES, type RoleDef } from '@tpv/shared/accounting/rules';
import type { LineAccount } from '@tpv/shared/accounting/entries';
import { refused } from '../../platform/api';
import { all, exec, isPostgres, one, type Db } from '../../persistence/sql';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const insertIgnore = (m: Db, cols: string) =>
  isPostgres(m) ? `INSERT INTO acc_account (${cols}) VALUES %s ON CONFLICT DO NOTHING` : `INSERT OR IGNORE INTO acc_account (${cols}) VALUES %s`;

/** Writes the PGC accounts for a company that has none yet (a no-op afterwards). */
export async function ensureChart(m: Db, clock: Clock, companyId: string): Promise<void> {
  const any = await one(m, `SELECT code FROM acc_account WHERE company_id = ? AND code = '4'`, [companyId]);
  if (any) return;
  const cols = 'company_id, code, name, name_en, nature, postable, created_at';
  const at = iso(clock);
  for (let i = 0; i < PGC_PYMES.length; i += 100) {
    const chunk = PGC_PYMES.slice(i, i + 100);
    const params: unknown[] = [];
    for (const a of chunk) params.push(companyId, a.code, a.es, a.en, natureOf(a.code), false, at);
    await exec(m, insertIgnore(m, cols).replace('%s', chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')), params);
  }
}

/** The name a new sub-account gets: the role it was opened for, else its PGC parent's. */
function defaultName(code: string): { es: string; en: string } {
  const role = Object.values(POSTING_ROLES as Record<string, RoleDef>).find((r) => code === r.default || (r.byRate && code.startsWith(r.default)));
  const parent = parentOf(code);
  if (role?.byRate) return { es: `${role.es.replace(/ por tipo.*$/, '')} ${Number(code.slice(4)) / 100} %`, en: `${role.en.replace(/ by .*$/, '')} ${Number(code.slice(4)) / 100} %` };
  if (role) return { es: role.es, en: role.en };
  return { es: parent?.es ?? code, en: parent?.en ?? code };
}

/**
 * Makes sure the fixed-code accounts exist (opening a postable sub-account under the chart when a rule names
 * one the company has not used yet). An account outside the chart, or one blocked, is refused by name.
 */
export async function ensureAccounts(m: Db, clock: Clock, companyId: string, codes: readonly string[], field = 'lines'): Promise<void> {
  const wanted = [...new Set(codes)];
  if (!wanted.length) return;
  const have = await all<{ code: string; postable: unknown; blocked: unknown }>(
    m,
    `SELECT code, postable, blocked FROM acc_account WHERE company_id = ? AND code IN (${wanted.map(() => '?').join(', ')})`,
    [companyId, ...wanted],
  );
  const known = new Map(have.map((h) => [h.code, h]));
  for (const code of wanted) {
    const h = known.get(code);
    if (h) {
      if (h.blocked === true || h.blocked === 1) throw refused(422, 'ACCOUNT_BLOCKED', `Account ${code} is blocked for postings`, field);
      if (!(h.postable === true || h.postable === 1)) throw refused(422, 'ACCOUNT_NOT_POSTABLE', `Account ${code} is a heading of the chart: post to one of its ${SUBACCOUNT_DIGITS}-digit sub-accounts`, field);
      continue;
    }
    if (!isPostableCode(code)) throw refused(422, 'ACCOUNT_UNKNOWN', `Account ${code} is not in the chart (sub-accounts have ${SUBACCOUNT_DIGITS} digits under a PGC account)`, field);
    const name = defaultName(code);
    await exec(m, insertIgnore(m, 'company_id, code, name, name_en, nature, postable, created_at').replace('%s', '(?, ?, ?, ?, ?, ?, ?)'), [
      companyId,
      code,
      name.es,
      name.en,
      natureOf(code),
      true,
      iso(clock),
    ]);
  }
}

type CounterpartyLine = Extract<LineAccount, { group: string }>;

/** The counterparty's sub-account under its group (`43000007`), opened with its name and NIF the first time. */
export async function counterpartyAccount(m: Db, clock: Clock, companyId: string, line: CounterpartyLine): Promise<string> {
  const { group, counterparty: cp } = line;
  const found = await one<{ code: string }>(
    m,
    `SELECT code FROM acc_account WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ? AND counterparty_group = ?`,
    [companyId, cp.kind, cp.id, group],
  );
  if (found) return found.code;
  // The next free number under the group; the primary key refuses a race, which retries the posting.
  const last = await one<{ code: string | null }>(m, `SELECT MAX(code) AS code FROM acc_account WHERE company_id = ? AND code LIKE ? AND LENGTH(code) = ?`, [companyId, `${group}%`, SUBACCOUNT_DIGITS]);
  const next = last?.code ? Number(last.code.slice(group.length)) + 1 : 1;
  const code = subaccount(group, next);
  await exec(
    m,
    `INSERT INTO acc_account (company_id, code, name, name_en, nature, postable, counterparty_kind, counterparty_id, counterparty_group, nif, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
    [companyId, code, cp.name.slice(0, 200), natureOf(code), true, cp.kind, cp.id, group, cp.nif ?? null, iso(clock)],
  );
  return code;
}
