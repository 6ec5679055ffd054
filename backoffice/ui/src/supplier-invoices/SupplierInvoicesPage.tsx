/** Supplier invoices received: the list (search; status, supplier, company filters) and the way to record one. */
import { Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { SUPPLIER_INVOICE_STATUSES, type SupplierInvoiceItem } from '@tpv/shared/wire/http/supplier-invoices';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useSupplierOptions } from '../catalog/queries';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';
import { StatusBadge } from './shared';

export default function SupplierInvoicesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const canWrite = useCan('invoicing.write');
  const suppliers = useSupplierOptions();
  const scope = useScopeOptions();
  const columns: Array<ColumnDef<SupplierInvoiceItem>> = [
    { id: 'supplier', header: t('l.supplier'), accessorKey: 'supplierName' },
    { id: 'number', header: t('l.number'), enableSorting: false, accessorKey: 'supplierNumber' },
    { id: 'status', header: t('l.status'), cell: ({ row: { original: i } }) => <StatusBadge status={i.status} testId="si-status" /> },
    { id: 'company', header: t('l.company'), enableSorting: false, accessorKey: 'companyName' },
    { id: 'invoiceDate', header: t('l.date'), cell: ({ row: { original: i } }) => f.date(i.invoiceDate) },
    { id: 'period', header: t('l.period'), enableSorting: false, accessorKey: 'period' },
    { id: 'differences', header: t('l.differences'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: i } }) => i.differenceCount || '—' },
    { id: 'register', header: t('l.register'), enableSorting: false, cell: ({ row: { original: i } }) => i.registerNumber ?? '—' },
    { id: 'totalCents', header: t('l.total'), meta: { align: 'right' }, cell: ({ row: { original: i } }) => f.money(i.totalCents) },
  ];
  return (
    <>
      <PageHeader title={t('l.title')} actions={canWrite && <Button onClick={() => void navigate('/invoicing/supplier-invoices/new')} data-testid="new-supplier-invoice">{t('l.new')}</Button>} />
      <DataTable
        testId="supplier-invoices"
        endpoint="/api/supplier-invoices"
        defaults={{ sort: 'createdAt', dir: 'desc' }}
        columns={columns}
        rowKey={(i) => i.id}
        search={t('l.search')}
        filters={[
          { name: 'status', label: t('l.status'), options: SUPPLIER_INVOICE_STATUSES.map((s) => ({ value: s, label: t(`st.${s}`) })), testId: 'filter-status' },
          { name: 'supplierId', label: t('l.supplier'), options: suppliers.data ?? [] },
          ...(scope.companyOptions.length > 1 ? [{ name: 'companyId', label: t('l.company'), options: scope.companyOptions }] : []),
        ]}
        onRowClick={(i) => void navigate(`/invoicing/supplier-invoices/${i.id}`)}
      />
    </>
  );
}
