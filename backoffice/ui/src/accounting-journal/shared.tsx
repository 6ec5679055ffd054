/** Pieces the accounting pages share: the company picker (kept in `?company=`), the chart for autocomplete, money input, uploads. */
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { ChartAnswer } from '@tpv/shared/wire/http/accounting-journal';
import type { AttachmentView } from '@tpv/shared/wire/http/accounting-journal';
import { ApiError, get, session } from '../app/api';
import { useT } from '../app/i18n';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

/** The company whose books are open: `?company=` or the first of the caller's scope. */
export function useCompany() {
  const scope = useScopeOptions();
  const [params, setParams] = useSearchParams();
  const wanted = params.get('company');
  const companyId = wanted && scope.companyOptions.some((c) => c.value === wanted) ? wanted : (scope.companyOptions[0]?.value ?? null);
  const setCompany = (id: string) =>
    setParams((p) => {
      const n = new URLSearchParams(p);
      n.set('company', id);
      return n;
    });
  return { companyId, setCompany, options: scope.companyOptions, companyName: scope.companyName };
}

export function CompanyPicker({ company }: { company: ReturnType<typeof useCompany> }) {
  const { t } = useT(messages);
  return (
    <Select
      label={t('c.company')}
      data={company.options}
      value={company.companyId}
      onChange={(v) => v && company.setCompany(v)}
      allowDeselect={false}
      searchable
      maw={360}
      data-testid="acc-company"
    />
  );
}

export function useChart(companyId: string | null, year?: number) {
  return useQuery({
    queryKey: ['accounting', 'chart', companyId, year ?? null],
    queryFn: () => get<ChartAnswer>(`/api/accounting/companies/${companyId}/chart${year ? `?year=${year}` : ''}`),
    enabled: !!companyId,
  });
}

/** "12,34" / "12.34" / "12" → cents (null when not a non-negative amount with at most two decimals). */
export function parseCents(s: string): number | null {
  const v = s.trim().replace(/\s/g, '').replace(/\./g, (m, i: number, all: string) => (all.includes(',') ? '' : m)).replace(',', '.');
  if (v === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return null;
  const [i, d = ''] = v.split('.');
  return Number(i) * 100 + Number(d.padEnd(2, '0'));
}

/** Uploads a file as the raw body (the files area keeps it, owned by the company). */
export async function uploadAttachment(companyId: string, file: File): Promise<AttachmentView> {
  const token = session.get();
  const res = await fetch(`/api/accounting/companies/${companyId}/attachments?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) throw new ApiError(res.status, String(body?.detail ?? body?.title ?? res.statusText), body);
  return body as AttachmentView;
}

/** The page of the document an entry comes from, where the admin has one. */
export function sourceLink(e: { sourceType: string | null; sourceId: string | null; documentDate: string; lines: ReadonlyArray<{ storeId: string | null }> }, companyId: string): string | null {
  const { sourceType, sourceId } = e;
  if (!sourceType || !sourceId) return null;
  if (sourceType === 'invoice') return `/invoices/${sourceId}`;
  if (sourceType === 'supplier_invoice') return `/invoicing/supplier-invoices/${sourceId}`;
  // The session's tickets: that day at that store (the tickets list filters by dates and store).
  if (sourceType === 'till_session') {
    const store = e.lines.find((l) => l.storeId)?.storeId;
    return `/tickets?from=${e.documentDate}&to=${e.documentDate}${store ? `&storeId=${store}` : ''}`;
  }
  if (sourceType === 'reversal') return `/accounting/entries/${companyId}/${sourceId}?company=${companyId}`;
  return null;
}
