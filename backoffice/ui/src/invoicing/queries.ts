/** Invoice look-ups shared by the pages. */
import { useQuery } from '@tanstack/react-query';
import type { InvoiceDetail } from '@tpv/shared/wire/http/invoicing';
import { get } from '../app/api';

export type Invoice = InvoiceDetail;
export const useInvoice = (id: string | undefined) => useQuery({ queryKey: ['invoicing', 'invoice', id], queryFn: () => get<Invoice>(`/api/invoices/${id}`), enabled: !!id });
/** Companies the user may issue for (their scope) as select options. */
export const useCompanyOptions = () =>
  useQuery({
    queryKey: ['invoicing', 'companies'],
    queryFn: async () => (await get<{ items: Array<{ id: string; legalName: string; nif: string }> }>('/api/companies?pageSize=200')).items.map((c) => ({ value: c.id, label: `${c.legalName} · ${c.nif}` })),
    staleTime: 30_000,
  });
export const STATUS_COLOR: Record<string, string> = { draft: 'gray', posted: 'green', cancelled: 'red' };
