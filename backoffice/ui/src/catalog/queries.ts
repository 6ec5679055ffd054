/** Catalog look-ups shared by the pages: the category tree and the suppliers as select options, money format. */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SupplierItem } from '@tpv/shared/wire/http/catalog';
import { get } from '../app/api';

export interface Category { id: string; name: string; parentId: string | null; sort: number; products: number }
export type Supplier = z.infer<typeof SupplierItem>;

export const useCategories = () => useQuery({ queryKey: ['catalog', 'categories'], queryFn: () => get<{ items: Category[] }>('/api/categories'), staleTime: 30_000 });

/** "Fruta › Cítricos", in tree order. */
export function categoryPaths(items: readonly Category[]): Array<{ value: string; label: string; depth: number }> {
  const byParent = new Map<string | null, Category[]>();
  for (const c of items) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const out: Array<{ value: string; label: string; depth: number }> = [];
  const walk = (parent: string | null, prefix: string, depth: number) => {
    for (const c of byParent.get(parent) ?? []) {
      const label = prefix ? `${prefix} › ${c.name}` : c.name;
      out.push({ value: c.id, label, depth });
      walk(c.id, label, depth + 1);
    }
  };
  walk(null, '', 0);
  return out;
}

export const useSupplierOptions = () =>
  useQuery({
    queryKey: ['catalog', 'suppliers', 'options'],
    queryFn: async () => (await get<{ items: Supplier[] }>('/api/suppliers?pageSize=200&sort=name')).items.map((s) => ({ value: s.id, label: s.name })),
    staleTime: 30_000,
  });

export const euros = (cents: number | null | undefined, locale: string) =>
  cents === null || cents === undefined ? '—' : (cents / 100).toLocaleString(locale, { style: 'currency', currency: 'EUR' });

export const TAX_OPTIONS = [
  { value: '2100', label: '21 %' },
  { value: '1000', label: '10 %' },
  { value: '400', label: '4 %' },
  { value: '0', label: '0 %' },
];
