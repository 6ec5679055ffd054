/** Issued invoices: the list per issuing company (scope of the user), filters, totals of the filter, export, new invoice. */
import { Badge, Button, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { INVOICE_STATUSES, INVOICE_TYPES, type InvoiceListItem, type InvoiceTotals } from '@tpv/shared/wire/http/invoicing';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import { STATUS_COLOR, useCompanyOptions } from './queries';

export default function InvoicesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const canWrite = useCan('invoicing.write');
  const companies = useCompanyOptions();
  const [totals, setTotals] = useState<InvoiceTotals | null>(null);
  const columns: Array<ColumnDef<InvoiceListItem>> = [
    { id: 'number', header: t('i.number'), cell: ({ row: { original: o } }) => o.number ?? t('i.draft') },
    { id: 'type', header: t('i.type'), enableSorting: false, cell: ({ row: { original: o } }) => `${o.invoiceType}${o.rectifiesNumber ? ` → ${o.rectifiesNumber}` : ''}` },
    { id: 'status', header: t('i.status'), enableSorting: false, cell: ({ row: { original: o } }) => <Badge color={STATUS_COLOR[o.status]} variant="light">{t(`st.${o.status}` as 'st.draft')}</Badge> },
    { id: 'issueDate', header: t('i.issueDate'), cell: ({ row: { original: o } }) => o.issueDate ?? '—' },
    { id: 'company', header: t('i.company'), enableSorting: false, accessorKey: 'companyName' },
    { id: 'recipient', header: t('i.recipient'), cell: ({ row: { original: o } }) => `${o.recipientName}${o.recipientNif ? ` · ${o.recipientNif}` : ''}` },
    { id: 'base', header: t('i.base'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: o } }) => f.money(o.baseCents) },
    { id: 'totalCents', header: t('i.total'), meta: { align: 'right' }, cell: ({ row: { original: o } }) => f.money(o.totalCents) },
  ];
  return (
    <>
      <PageHeader title={t('i.title')} actions={canWrite && <Button onClick={() => void navigate('/invoices/new')} data-testid="new-invoice">{t('i.new')}</Button>} />
      <DataTable
        testId="invoices"
        endpoint="/api/invoices"
        defaults={{ sort: 'createdAt', dir: 'desc' }}
        columns={columns}
        rowKey={(o) => o.id}
        search={t('i.search')}
        filters={[
          { name: 'companyId', label: t('i.company'), options: companies.data ?? [] },
          { name: 'invoiceType', label: t('i.type'), options: INVOICE_TYPES.map((x) => ({ value: x, label: x })) },
          { name: 'status', label: t('i.status'), options: INVOICE_STATUSES.map((s) => ({ value: s, label: t(`st.${s}` as 'st.draft') })), testId: 'filter-status' },
          { name: 'recipient', label: t('i.recipient') },
          { name: 'number', label: t('i.number') },
          { name: 'from', label: t('i.from'), type: 'date' },
          { name: 'to', label: t('i.to'), type: 'date' },
        ]}
        onPage={(p) => setTotals((p as unknown as { totals?: InvoiceTotals }).totals ?? null)}
        exportName="facturas"
        onRowClick={(o) => void navigate(`/invoices/${o.id}`)}
      />
      {totals && (
        <Text size="sm" ta="right" mt="sm" data-testid="invoices-totals">
          {t('i.totals', { count: totals.count, base: f.money(totals.baseCents), iva: f.money(totals.ivaCents), re: f.money(totals.reCents), irpf: f.money(totals.irpfCents), total: f.money(totals.totalCents) })}
        </Text>
      )}
    </>
  );
}
