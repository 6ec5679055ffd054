/** Stores in the caller's scope: server-paged, sortable, filtered by company, exportable. */
import { Badge, Button } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { get } from '../app/api';
import { Can } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader } from '../components/layout';
import { addressLine, type Company, type Store } from './common';
import { messages } from './messages';

export default function StoresPage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const companies = useQuery({ queryKey: ['companies-options'], queryFn: () => get<{ items: Company[] }>('/api/companies?pageSize=200&sort=legalName') });
  const columns: Array<ColumnDef<Store>> = [
    { id: 'code', header: t('st.code'), accessorKey: 'code' },
    { id: 'name', header: t('st.name'), accessorKey: 'name' },
    { id: 'company', header: t('st.company'), accessorKey: 'companyName', enableSorting: false },
    { id: 'city', header: t('addr.city'), accessorFn: (s) => s.address?.city ?? '—' },
    { id: 'address', header: t('addr.title'), enableSorting: false, accessorFn: (s) => addressLine(s.address) },
    { id: 'timezone', header: t('st.timezone'), accessorKey: 'timezone' },
    { id: 'salesAreaM2', header: t('st.area'), accessorFn: (s) => s.salesAreaM2 ?? '—', meta: { align: 'right' } },
    { id: 'terminalCount', header: t('st.tills'), accessorKey: 'terminalCount', enableSorting: false, meta: { align: 'right' } },
    { id: 'archived', header: '', enableSorting: false, cell: ({ row: { original: s } }) => s.archivedAt && <Badge color="gray">{t('co.archived')}</Badge> },
  ];
  return (
    <>
      <PageHeader
        title={t('st.title')}
        actions={
          <Can permission="organisation.write">
            <Button onClick={() => navigate('new')}>{t('st.new')}</Button>
          </Can>
        }
      />
      <DataTable
        testId="stores"
        endpoint="/api/stores"
        columns={columns}
        rowKey={(s) => s.id}
        search
        filters={[{ name: 'companyId', label: t('st.company'), options: (companies.data?.items ?? []).map((c) => ({ value: c.id, label: c.tradeName ?? c.legalName })) }]}
        exportName="tiendas"
        onRowClick={(s) => navigate(s.id)}
      />
    </>
  );
}
