/** Stock locations the user may see (GET /api/stock/locations): warehouses first, then stores. */
import { useQuery } from '@tanstack/react-query';
import type { StockLocationItem } from '@tpv/shared/wire/http/stock-valuation';
import { get } from '../app/api';

export function useStockLocations() {
  const q = useQuery({ queryKey: ['stock-locations'], queryFn: () => get<StockLocationItem[]>('/api/stock/locations'), staleTime: 60_000 });
  const locations = q.data ?? [];
  return { ...q, locations, options: locations.map((l) => ({ value: l.id, label: `${l.code} · ${l.name}` })) };
}

/** µ€ per unit (or per gram) → cents per unit (or per kg), for display with the money formatter. */
export const costCentsOf = (micros: number, weighed: boolean) => (weighed ? micros / 10 : micros / 10_000);
