/** What the supplier-invoice pages share: the invoice query, status colours, and a difference as text. */
import { Badge, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { MatchDifference, SupplierInvoiceDetail } from '@tpv/shared/wire/http/supplier-invoices';
import { get } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { messages } from './messages';

export type Invoice = SupplierInvoiceDetail;
export const useInvoice = (id: string | undefined) => useQuery({ queryKey: ['supplier-invoices', 'invoice', id], queryFn: () => get<Invoice>(`/api/supplier-invoices/${id}`), enabled: !!id });
export const STATUS_COLOR: Record<string, string> = { recorded: 'blue', pending_approval: 'orange', posted: 'green', rejected: 'red' };

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useT(messages);
  return <Badge color={STATUS_COLOR[status]} variant="light" data-testid={testId}>{t(`st.${status}` as 'st.recorded')}</Badge>;
}

/** Thousandths of the priced unit as the user reads them: units, or kg. */
export const qtyOf = (milli: number, weighed: boolean, locale: string) =>
  weighed ? `${(milli / 1000).toLocaleString(locale, { minimumFractionDigits: 3 })} kg` : (milli / 1000).toLocaleString(locale);

/** The differences of a line (what was expected and what came), or "matches". */
export function Differences({ diffs, weighed }: { diffs: readonly MatchDifference[]; weighed: boolean }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const eur = (micros: number) => `${(micros / 1_000_000).toLocaleString(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 4 })}${weighed ? '/kg' : ''}`;
  if (diffs.length === 0) return <Text size="sm" c="green" data-testid="match-ok">{t('f.ok')}</Text>;
  return (
    <Stack gap={2} data-testid="match-diffs">
      {diffs.map((d, i) => {
        const text =
          d.kind === 'price'
            ? t('d.price', { expected: eur(d.expected ?? 0), got: eur(d.got ?? 0), tolerance: `${(d.toleranceBp ?? 0) / 100} %` })
            : d.kind === 'tax_rate'
              ? t('d.tax_rate', { expected: `${(d.expected ?? 0) / 100} %`, got: `${(d.got ?? 0) / 100} %` })
              : d.kind === 'no_receipt'
                ? t('d.no_receipt')
                : t(`d.${d.kind}`, { expected: qtyOf(d.expected ?? 0, weighed, locale), got: qtyOf(d.got ?? 0, weighed, locale), invoices: (d.invoices ?? []).join(', ') });
        return <Text key={i} size="sm" c="red" fw={500} data-testid={`diff-${d.kind}`}>{text}</Text>;
      })}
    </Stack>
  );
}
