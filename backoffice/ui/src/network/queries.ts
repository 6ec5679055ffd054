/** The organisation tree the user may see (GET /api/organisation), shared by the pages that pick a store. */
import { useQuery } from '@tanstack/react-query';
import { get } from '../app/api';

export interface Organisation {
  companies: Array<{
    id: string;
    kind: 'franchisor' | 'franchisee';
    nif: string;
    legalName: string;
    stores: Array<{ id: string; code: string; name: string; terminals: Array<{ id: string; code: string; name: string; lastSeenAt: string | null }> }>;
  }>;
}

export const useOrganisation = () => useQuery({ queryKey: ['organisation'], queryFn: () => get<Organisation>('/api/organisation'), staleTime: 60_000 });

/** Stores as select options ('M001 · Madrid Centro'). */
export function useStoreOptions() {
  const org = useOrganisation();
  const stores = org.data?.companies.flatMap((c) => c.stores) ?? [];
  return { ...org, stores, options: stores.map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` })) };
}
