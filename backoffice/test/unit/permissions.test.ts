import { describe, expect, it } from 'vitest';
import { can, hqMay, permissionsOf, ROLES, type Permission, type Role } from '../../src/platform/permissions';
import { BACKOFFICE_MODULES, enabledModules, permissionModulesOf } from '../../src/modules';
import { openApiPath } from '../../src/platform/api';

// What each role may do, worked out from the list of roles (✓ = allowed).
const TABLE: Array<[Permission, Record<Role, boolean>]> = [
  ['review.read', { hq_admin: true, hq_operations: true, hq_accountant: true, franchisee_manager: false, store_manager: false, auditor: true }],
  ['review.write', { hq_admin: true, hq_operations: true, hq_accountant: false, franchisee_manager: false, store_manager: false, auditor: false }],
  ['catalog.write', { hq_admin: true, hq_operations: true, hq_accountant: false, franchisee_manager: false, store_manager: false, auditor: false }],
  ['catalog.read', { hq_admin: true, hq_operations: true, hq_accountant: true, franchisee_manager: true, store_manager: true, auditor: true }],
  ['prices.write', { hq_admin: true, hq_operations: true, hq_accountant: false, franchisee_manager: true, store_manager: false, auditor: false }],
  ['accounting.write', { hq_admin: true, hq_operations: false, hq_accountant: true, franchisee_manager: false, store_manager: false, auditor: false }],
  ['tickets.read', { hq_admin: true, hq_operations: true, hq_accountant: true, franchisee_manager: true, store_manager: true, auditor: true }],
  ['users.write', { hq_admin: true, hq_operations: false, hq_accountant: false, franchisee_manager: true, store_manager: false, auditor: false }],
  ['audit.read', { hq_admin: true, hq_operations: true, hq_accountant: true, franchisee_manager: false, store_manager: false, auditor: true }],
  ['organisation.admin', { hq_admin: true, hq_operations: false, hq_accountant: false, franchisee_manager: false, store_manager: false, auditor: false }],
  ['stock.write', { hq_admin: true, hq_operations: true, hq_accountant: false, franchisee_manager: true, store_manager: true, auditor: false }],
];

describe('role grants', () => {
  for (const [permission, byRole] of TABLE) {
    it.each(ROLES.map((r) => [r, byRole[r]] as const))(`${permission}: %s → %s`, (role, allowed) => {
      expect(can({ role }, permission)).toBe(allowed);
    });
  }

  it('never lets the auditor write anything', () => {
    const all = permissionsOf('auditor', permissionModulesOf(BACKOFFICE_MODULES));
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((p) => p.endsWith('.read'))).toBe(true);
  });

  it('keeps franchise-wide master data to franchise-wide roles even when a franchisee holds the permission', () => {
    expect(can({ role: 'franchisee_manager' }, 'notices.write')).toBe(true);
    expect(hqMay({ role: 'franchisee_manager' }, 'notices.write')).toBe(false);
    expect(hqMay({ role: 'hq_operations' }, 'notices.write')).toBe(true);
  });

  it('lists a role’s permissions only over the enabled modules', () => {
    expect(permissionsOf('store_manager', ['stock', 'review'])).toEqual(['stock.read', 'stock.write']);
  });
});

describe('modules of a deployment', () => {
  it('switches modules off but never the core ones', () => {
    const ids = enabledModules(['stock', 'review', 'auth']).map((m) => m.id);
    expect(ids).toContain('auth');
    expect(ids).not.toContain('stock');
    expect(ids).not.toContain('review');
  });

  it('refuses an unknown module name at start (a typo must not leave a module on)', () => {
    expect(() => enabledModules(['stok'])).toThrow(/unknown modules: stok/);
  });

  it('has one entry per id', () => {
    const ids = BACKOFFICE_MODULES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('OpenAPI paths', () => {
  it.each([
    ['/api/companies/:id', '/api/companies/{id}'],
    ['/api/stores/:storeId/prices/:productId', '/api/stores/{storeId}/prices/{productId}'],
    ['/api/tickets', '/api/tickets'],
  ])('%s → %s', (express, openapi) => expect(openApiPath(express)).toBe(openapi));
});
