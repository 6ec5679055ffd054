/** Companies in the caller's scope: server-paged, sortable, filtered by kind, exportable. */
import { Badge, Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { Can } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader } from '../components/layout';
import { addressLine, type Company } from './common';
import { messages } from './messages';

export default function CompaniesPage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const columns: Array<ColumnDef<Company>> = [
    { id: 'legalName', header: t('co.legalName'), accessorKey: 'legalName' },
    { id: 'nif', header: t('co.nif'), accessorKey: 'nif' },
    { id: 'kind', header: t('co.kind'), accessorFn: (c) => t(c.kind === 'franchisor' ? 'co.franchisor' : 'co.franchisee') },
    { id: 'city', header: t('addr.city'), accessorFn: (c) => c.address?.city ?? '—' },
    { id: 'address', header: t('addr.title'), enableSorting: false, accessorFn: (c) => addressLine(c.address) },
    { id: 'storeCount', header: t('co.stores'), accessorKey: 'storeCount', enableSorting: false, meta: { align: 'right' } },
    { id: 'archived', header: '', enableSorting: false, cell: ({ row: { original: c } }) => c.archivedAt && <Badge color="gray">{t('co.archived')}</Badge> },
  ];
  return (
    <>
      <PageHeader
        title={t('co.title')}
        actions={
          <Can permission="organisation.write">
            <Button onClick={() => navigate('new')}>{t('co.new')}</Button>
          </Can>
        }
      />
      <DataTable
        testId="companies"
        endpoint="/api/companies"
        columns={columns}
        rowKey={(c) => c.id}
        search
        filters={[
          { name: 'kind', label: t('co.kind'), options: [{ value: 'franchisor', label: t('co.franchisor') }, { value: 'franchisee', label: t('co.franchisee') }] },
          { name: 'archived', label: t('co.archived'), options: [{ value: 'false', label: t('co.active') }, { value: 'true', label: t('co.archived') }] },
        ]}
        exportName="empresas"
        onRowClick={(c) => navigate(c.id)}
      />
    </>
  );
}
