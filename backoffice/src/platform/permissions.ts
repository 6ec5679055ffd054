/**
 * The roles and grants live in @tpv/shared/permissions (the admin UI mirrors the menu from the same table);
 * what only the server needs is here.
 */
import { can, isFranchiseWide, type Permission, type Role } from '@tpv/shared/permissions';

export * from '@tpv/shared/permissions';

/** Franchise-wide master data (the catalog, franchise notices): a franchise-wide role that is granted the permission. */
export function hqMay(user: { role: Role }, permission: Permission): boolean {
  return isFranchiseWide(user.role) && can(user, permission);
}
