/** Purchasing look-ups shared by the pages: an order, delivery locations, a supplier's products, formats. */
import { useQuery } from '@tanstack/react-query';
import type { DeliveryLocation, PurchaseOrderDetail, PurchaseOrderItem, SupplierProductItem } from '@tpv/shared/wire/http/purchasing';
import type { z } from 'zod';
import { get } from '../app/api';

export type Order = PurchaseOrderDetail;
export type OrderRow = PurchaseOrderItem;
export type Location = z.infer<typeof DeliveryLocation>;

export const useOrder = (id: string | undefined) => useQuery({ queryKey: ['purchasing', 'order', id], queryFn: () => get<Order>(`/api/purchase-orders/${id}`), enabled: !!id });
export const useLocations = () => useQuery({ queryKey: ['purchasing', 'locations'], queryFn: async () => (await get<{ items: Location[] }>('/api/purchasing/locations')).items, staleTime: 30_000 });
export const useSupplierProducts = (supplierId: string | null) =>
  useQuery({
    queryKey: ['purchasing', 'supplier-products', supplierId],
    queryFn: async () => (await get<{ items: SupplierProductItem[] }>(`/api/suppliers/${supplierId}/products`)).items,
    enabled: !!supplierId,
  });

/** A quantity as the user reads it: units, or kg for weighed products (held in grams). */
export const qtyText = (q: number, weighed: boolean, locale: string) =>
  weighed ? `${(q / 1000).toLocaleString(locale, { minimumFractionDigits: 3 })} kg` : q.toLocaleString(locale);
/** µ€ per unit (or per gram: shown per kg) as euros with up to 4 decimals. */
export const microsText = (m: number | null, weighed: boolean, locale: string) =>
  m === null ? '—' : `${((m * (weighed ? 1000 : 1)) / 1_000_000).toLocaleString(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 4 })}${weighed ? '/kg' : ''}`;

export const STATUS_COLOR: Record<string, string> = { draft: 'gray', sent: 'blue', partially_received: 'yellow', received: 'green', closed: 'dark', cancelled: 'red' };

/** "Recibido en parte" / "Partly received". */
export const statusLabel = (t: (k: 'st.draft') => string, s: string) => t(`st.${s}` as 'st.draft');
