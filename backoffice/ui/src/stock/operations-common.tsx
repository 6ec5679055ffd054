/** What the stock documents' pages share: the locations the user may pick, status badges, product lookup by code. */
import { Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../app/api';
import { useT } from '../app/i18n';
import { useStoreOptions } from '../network/queries';
import { opsMessages, type OpsKey } from './operations-messages';

/** Stores (organisation tree) and warehouses, as select options. */
export function useLocationOptions() {
  const stores = useStoreOptions();
  const warehouses = useQuery({ queryKey: ['warehouse-options'], queryFn: () => get<{ items: Array<{ id: string; code: string; name: string }> }>('/api/warehouses?pageSize=200') });
  return [...stores.options, ...(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }))];
}

const COLORS: Record<string, string> = { draft: 'gray', counting: 'blue', recount: 'orange', shipped: 'blue', received: 'orange', submitted: 'violet', approved: 'teal', posted: 'green', closed: 'green', cancelled: 'gray' };
export function StatusBadge({ status }: { status: string }) {
  const { t } = useT(opsMessages);
  return <Badge color={COLORS[status] ?? 'gray'} data-testid="doc-status">{t(`st.${status}` as OpsKey)}</Badge>;
}

/** A product by barcode or SKU (the catalog list searches both), for typed document lines. */
export async function productByCode(code: string): Promise<{ id: string; sku: string; name: string } | null> {
  const page = await get<{ items: Array<{ id: string; sku: string; name: string }> }>(`/api/products?q=${encodeURIComponent(code)}&pageSize=5`);
  return page.items.find((p) => p.sku === code) ?? page.items[0] ?? null;
}
