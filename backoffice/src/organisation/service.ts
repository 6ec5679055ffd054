import type { DataSource } from 'typeorm';
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

/** The franchise tree — companies, their stores, each store's terminals — optionally limited to one company. */
export async function organisationView(ds: DataSource, scope: { companyId?: string } = {}): Promise<OrganisationView> {
  const where = scope.companyId ? { id: scope.companyId } : {};
  const [companies, stores, terminals] = await Promise.all([
    ds.getRepository(CompanyEntity).find({ where, order: { legalName: 'ASC' } }),
    ds.getRepository(StoreEntity).find({ where: scope.companyId ? { companyId: scope.companyId } : {}, order: { code: 'ASC' } }),
    ds.getRepository(TerminalEntity).find({ order: { code: 'ASC' } }),
  ]);
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
