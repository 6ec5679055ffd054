/**
 * The stores a notice or a task is aimed at: the whole network (HQ only), some companies or some stores. Unknown
 * ids are refused 422 naming the entry; a franchisee naming a company or store outside their companies gets 403.
 */
import type { NoticeTargetKind } from '@tpv/shared/office/notices';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden } from '../auth/http';
import { refused } from '../platform/api';
import { isFranchiseWide } from '../platform/permissions';
import type { Db } from '../persistence/sql';
import * as repo from './notices-repository';

const invalid = (path: string, message: string) => new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: message, errors: [{ path, message }] }));

export async function resolveTargetStores(m: Db, user: AuthUser, target: NoticeTargetKind, targetIds: readonly string[]): Promise<Array<{ id: string; companyId: string }>> {
  const ids = [...new Set(targetIds)];
  const wide = isFranchiseWide(user.role);
  const mineCompanies = visibleCompanyIds(user) ?? [];
  if (target === 'all') {
    if (ids.length > 0) throw invalid('targetIds', 'para toda la red no se nombran empresas ni tiendas / the whole network names no company or store');
    if (!wide) throw forbidden('Sólo la central se dirige a toda la red / only HQ addresses the whole network.');
    return repo.storesOfCompanies(m, null);
  }
  if (ids.length === 0) throw invalid('targetIds', target === 'company' ? 'elija al menos una empresa / choose at least one company' : 'elija al menos una tienda / choose at least one store');
  if (target === 'company') {
    const known = await repo.knownCompanies(m, ids);
    const bad = ids.findIndex((c) => !known.has(c));
    if (bad >= 0) throw refused(422, 'COMPANY_UNKNOWN', `Empresa desconocida / unknown company ${ids[bad]}`, `targetIds.${bad}`);
    if (!wide && ids.some((c) => !mineCompanies.includes(c))) throw forbidden('Esa empresa no es de tu ámbito / that company is outside your scope.');
    return repo.storesOfCompanies(m, ids);
  }
  const stores = await repo.storesByIds(m, ids);
  const bad = ids.findIndex((s) => !stores.some((x) => x.id === s));
  if (bad >= 0) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${ids[bad]}`, `targetIds.${bad}`);
  if (!wide && stores.some((s) => !mineCompanies.includes(s.companyId))) throw forbidden('Esa tienda no es de tu ámbito / that store is outside your scope.');
  return stores;
}
