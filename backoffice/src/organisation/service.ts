import { isFranchiseWide } from '../platform/permissions';
import { In, type DataSource } from 'typeorm';
import type { AuthUser } from '../auth/service';
import { CompanyEntity, StoreEntity, TerminalEntity } from '../persistence/entities';

export interface OrganisationView {
  companies: Array<{
    id: string;
    kind: 'franchisor' | 'franchisee';
    nif: string;
    legalName: string;
    stores: Array<{
      id: string;
      code: string;
      name: string;
      terminals: Array<{ id: string; code: string; name: string; lastSeenAt: string | null; paired: boolean }>;
    }>;
  }>;
}

/** No row has this id: the scope of a user whose company or store is missing matches nothing. */
const NOTHING = '00000000-0000-0000-0000-000000000000';

/** The part of the tree a user may see: HQ all of it, a franchisee manager their companies, a store manager their store. */
export function organisationFor(ds: DataSource, user: AuthUser): Promise<OrganisationView> {
  if (isFranchiseWide(user.role)) return organisationView(ds);
  const companyIds = user.companyIds.length ? user.companyIds : [NOTHING];
  return organisationView(ds, { companyIds, ...(user.role === 'store_manager' ? { storeId: user.storeId ?? NOTHING } : {}) });
}

/** The franchise tree — companies, their stores, each store's terminals — optionally limited to one company or store. */
export async function organisationView(ds: DataSource, scope: { companyIds?: string[]; storeId?: string } = {}): Promise<OrganisationView> {
  const where = scope.companyIds ? { id: In(scope.companyIds) } : {};
  const storeWhere = { ...(scope.companyIds ? { companyId: In(scope.companyIds) } : {}), ...(scope.storeId ? { id: scope.storeId } : {}) };
  const [companies, stores] = await Promise.all([
    ds.getRepository(CompanyEntity).find({ where, order: { legalName: 'ASC' } }),
    ds.getRepository(StoreEntity).find({ where: storeWhere, order: { code: 'ASC' } }),
  ]);
  // Terminals are filtered in SQL too: only those of the stores in scope are ever read.
  const scoped = scope.companyIds !== undefined || scope.storeId !== undefined;
  const terminals =
    scoped && stores.length === 0
      ? []
      : await ds.getRepository(TerminalEntity).find({ where: scoped ? { storeId: In(stores.map((s) => s.id)) } : {}, order: { code: 'ASC' } });
  return {
    // The franchisor heads the list, then franchisees by name.
    companies: [...companies.filter((c) => c.kind === 'franchisor'), ...companies.filter((c) => c.kind !== 'franchisor')].map((c) => ({
      id: c.id,
      kind: c.kind,
      nif: c.nif,
      legalName: c.legalName,
      stores: stores
        .filter((s) => s.companyId === c.id)
        .map((s) => ({
          id: s.id,
          code: s.code,
          name: s.name,
          terminals: terminals
            .filter((t) => t.storeId === s.id)
            .map((t) => ({ id: t.id, code: t.code, name: t.name, lastSeenAt: t.lastSeenAt, paired: t.tokenHash !== null && t.revokedAt === null })),
        })),
    })),
  };
}
