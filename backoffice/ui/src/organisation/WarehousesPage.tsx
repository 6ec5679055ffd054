/** The franchisor's central warehouses (the inventory module stocks them). */
import { Badge, Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { Can, useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader } from '../components/layout';
import { addressLine, type Warehouse } from './common';
import { messages } from './messages';

export default function WarehousesPage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const mayWrite = useCan('organisation.write');
  const columns: Array<ColumnDef<Warehouse>> = [
    { id: 'code', header: t('st.code'), accessorKey: 'code' },
    { id: 'name', header: t('st.name'), accessorKey: 'name' },
    { id: 'company', header: t('st.company'), accessorKey: 'companyName', enableSorting: false },
    { id: 'city', header: t('addr.city'), accessorFn: (w) => w.address?.city ?? '—' },
    { id: 'address', header: t('addr.title'), enableSorting: false, accessorFn: (w) => addressLine(w.address) },
    { id: 'archived', header: '', enableSorting: false, cell: ({ row: { original: w } }) => w.archivedAt && <Badge color="gray">{t('co.archived')}</Badge> },
  ];
  return (
    <>
      <PageHeader
        title={t('wh.title')}
        actions={
          <Can permission="organisation.write">
            <Button onClick={() => navigate('new')}>{t('wh.new')}</Button>
          </Can>
        }
      />
      <DataTable testId="warehouses" endpoint="/api/warehouses" columns={columns} rowKey={(w) => w.id} search exportName="almacenes" {...(mayWrite ? { onRowClick: (w: Warehouse) => navigate(w.id) } : {})} />
    </>
  );
}
