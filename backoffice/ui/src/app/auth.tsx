/**
 * Who is signed in and what they may use. `GET /api/auth/me` answers `{ ..., role, permissions, modules }`;
 * while a server does not send `permissions`/`modules` yet, they are derived from the role with the same
 * grants as the server (@tpv/shared/permissions; the UI only mirrors them: the API checks every call).
 */
import { FRANCHISE_WIDE_ROLES, GRANTS } from '@tpv/shared/permissions';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { api, onSignedOut, session } from './api';

export interface Me {
  id: string;
  email: string;
  name: string;
  role: string;
  companyId: string | null;
  storeId?: string | null;
  permissions?: string[];
  modules?: string[];
}

/** The user with the permissions and modules they end up with (from the server, or derived from the role). */
export interface Session extends Omit<Me, 'permissions' | 'modules'> {
  permissions: string[];
  /** Enabled module ids, or null when the server does not say (then every module counts as enabled). */
  modules: string[] | null;
  /** Whether the user sees the whole franchise (HQ roles, auditor) rather than their own companies/stores. */
  franchiseWide: boolean;
}

/**
 * Grants per role, the server's own table (`*` = any module), plus the old role names ('hq', 'manager') a
 * stored session may still carry. Used until `/api/auth/me` answers with the concrete permissions.
 */
export const ROLE_GRANTS: Record<string, readonly string[]> = { ...GRANTS, hq: GRANTS.hq_admin, manager: GRANTS.franchisee_manager };
const FRANCHISE_WIDE = new Set<string>(['hq', ...FRANCHISE_WIDE_ROLES]);

/** Whether a list of grants (concrete or with `*` wildcards) includes `module.action`. */
export function grants(list: readonly string[], permission: string): boolean {
  const [module, action] = permission.split('.');
  return list.includes(permission) || list.includes(`*.${action}`) || list.includes(`${module}.*`) || list.includes('*');
}

export function toSession(me: Me): Session {
  return {
    ...me,
    permissions: me.permissions ?? [...(ROLE_GRANTS[me.role] ?? [])],
    modules: me.modules ?? null,
    franchiseWide: FRANCHISE_WIDE.has(me.role),
  };
}

/** May this user use `permission` (e.g. 'catalog.write')? False when the permission's module is switched off. */
export function can(user: Session | null | undefined, permission: string): boolean {
  if (!user) return false;
  // A switched-off module grants nothing, whatever the role (the server sends no permission of it anyway).
  const module = permission.split('.')[0]!;
  if (user.modules && !user.modules.includes(module) && !user.permissions.includes(permission)) return false;
  return grants(user.permissions, permission);
}

/**
 * Is a UI module switched on in this deployment (per `/api/auth/me` → modules)? Yes when the server lists
 * its id, or any module its permissions name (a UI module 'network' whose pages need 'terminals.read').
 */
export function moduleEnabled(user: Session | null | undefined, id: string, permissions: readonly string[] = []): boolean {
  if (!user?.modules) return true;
  return user.modules.includes(id) || permissions.some((p) => user.modules!.includes(p.split('.')[0]!));
}

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user (null when nobody is): one cached `GET /api/auth/me`, dropped when the server answers 401. */
export function useSession() {
  const qc = useQueryClient();
  useEffect(() => onSignedOut(() => qc.setQueryData(ME_KEY, null)), [qc]);
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => (session.get() ? toSession(await api<Me>('GET', '/api/auth/me')) : null),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The signed-in user inside the shell (which renders only once there is one). */
export function useUser(): Session {
  const { data } = useSession();
  if (!data) throw new Error('useUser outside the signed-in shell');
  return data;
}

export function useCan(permission: string): boolean {
  return can(useSession().data, permission);
}

/** Renders its children only for users with the permission (buttons, menu items, sections). */
export function Can({ permission, children }: { permission: string; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}
