/**
 * Back-office roles and what each may do, as `<module>.<action>` permissions. The server checks them on every
 * route (backoffice/src/platform/api.ts); the admin UI reads the same table to build its menu before
 * `/api/auth/me` has answered, so the two cannot drift apart.
 *
 * Scope (which companies/stores) is a separate question answered by the back office's auth service: a
 * permission says *what* a user may do, the scope *where*. HQ roles and the auditor see the whole franchise; a
 * franchisee manager their companies; a store manager their store.
 */
export const ROLES = ['hq_admin', 'hq_operations', 'hq_accountant', 'franchisee_manager', 'store_manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** `read` lists and shows, `write` creates and changes, `admin` is reserved for franchise-wide settings. */
export type Action = 'read' | 'write' | 'admin';
export type Permission = `${string}.${Action}`;

/** Roles whose scope is the whole franchise (no company/store filter). */
export const FRANCHISE_WIDE_ROLES: ReadonlySet<Role> = new Set(['hq_admin', 'hq_operations', 'hq_accountant', 'auditor']);
/** HQ staff proper: sign in with a second factor once they enrolled one. */
export const HQ_ROLES: ReadonlySet<Role> = new Set(['hq_admin', 'hq_operations', 'hq_accountant']);

export const isFranchiseWide = (role: Role): boolean => FRANCHISE_WIDE_ROLES.has(role);
export const isHqRole = (role: Role): boolean => HQ_ROLES.has(role);

/**
 * Grants per role: `*` any module, `*.read` read anything. Modules not named here are HQ admin only until
 * their issue says otherwise. Order inside a list does not matter.
 */
/** What running a store takes: its tills, stock, staff, notices, customers and reads of the catalog and its sales. */
const STORE_OPERATIONS: readonly string[] = [
  'network.read',
  'organisation.read',
  'terminals.read',
  'terminals.write',
  'catalog.read',
  'prices.read',
  'stock.read',
  'stock.write',
  'inventory.read',
  'inventory.write',
  'restocking.read',
  'restocking.write',
  'tickets.read',
  'reports.read',
  'staff.read',
  'staff.write',
  'notices.read',
  'notices.write',
  'customers.read',
  'customers.write',
  // CRM (issue 15): a store sees the programme, vouchers and promotions it sells with; HQ decides them.
  'loyalty.read',
  'vouchers.read',
  'promotions.read',
  'jobs.read',
  'jobs.write',
  'people.read',
  'people.write',
  'office.read',
  'quality.read',
  // Issue 19: the receipt design the store prints with.
  'receipts.read',
  // Quality (issue 17): a store reports and follows its incidents and closes its corrective actions.
  'incidents.write',
];

export const GRANTS: Record<Role, readonly string[]> = {
  // Employees' personal data (issue 16: hr) is opened by name only, never by a wildcard.
  hq_admin: ['*.read', '*.write', '*.admin', 'hr.read', 'hr.write', 'hr.admin'],
  hq_operations: [
    '*.read',
    'organisation.write',
    'terminals.write',
    'catalog.write',
    'prices.write',
    'stock.write',
    'inventory.write',
    // Approving counts, sensitive adjustments; buying from suppliers; running the central warehouse.
    'inventory.admin',
    'purchasing.write',
    'warehouse.write',
    'restocking.write',
    'review.write',
    'tickets.write',
    'staff.write',
    'notices.write',
    'customers.write',
    // CRM (issue 15): promotions, the loyalty programme, gift vouchers; data-protection requests (export,
    // consent records). Erasure and the retention policy are privacy.admin (hq_admin).
    'promotions.write',
    'loyalty.write',
    'vouchers.write',
    'privacy.write',
    'jobs.write',
    'office.write',
    'quality.write',
    'receipts.write',
    // Quality (issue 17): incidents anywhere, store audits and their templates.
    'incidents.write',
    'audits.write',
  ],
  // payables.admin: approving a supplier invoice whose three-way match found differences; collections.admin:
  // approving a write-off of a bad debt.
  hq_accountant: ['*.read', 'invoicing.write', 'payables.admin', 'collections.write', 'collections.admin', 'accounting.write', 'accounting.admin', 'contracts.write', 'customers.write', 'jobs.write',
    // The loyalty liability and the settlement of points between franchisees; vouchers' outstanding balance.
    'loyalty.admin', 'vouchers.admin'],
  // A franchisee manager runs their stores as a store manager does, plus their own prices, users and contracts.
  // The franchisee employs its stores' staff: it keeps their personal data and contracts (hr); it designs its own receipts.
  franchisee_manager: [...STORE_OPERATIONS, 'receipts.write', 'hr.read', 'hr.write', 'inventory.admin', 'prices.write', 'users.read', 'users.write', 'contracts.read', 'invoicing.read', 'invoicing.write', 'payables.read', 'payables.admin', 'collections.read', 'collections.write', 'accounting.read', 'office.write'],
  store_manager: STORE_OPERATIONS,
  auditor: ['*.read'],
};

/**
 * Modules a `*` grant does not open: employees' personal data and contracts (issue 16) are for HR roles only,
 * so the auditor's and HQ operations' `*.read` stop short of them.
 */
export const EXPLICIT_ONLY_MODULES: ReadonlySet<string> = new Set(['hr']);

/** Whether the role grants the permission (checked on the server; the UI only mirrors it). */
export function can(user: { role: Role }, permission: Permission): boolean {
  const grants = GRANTS[user.role];
  if (!grants) return false;
  const [module, action] = permission.split('.') as [string, Action];
  return grants.includes(permission) || (!EXPLICIT_ONLY_MODULES.has(module) && grants.includes(`*.${action}`)) || grants.includes(`${module}.*`);
}

/** The concrete permissions of a role over the given modules (what `/api/auth/me` sends the UI). */
export function permissionsOf(role: Role, modules: readonly string[]): Permission[] {
  const out: Permission[] = [];
  for (const m of modules) for (const a of ['read', 'write', 'admin'] as const) if (can({ role }, `${m}.${a}`)) out.push(`${m}.${a}`);
  return out;
}

