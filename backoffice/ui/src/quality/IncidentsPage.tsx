/** Incidents in the user's scope (a franchisee sees their stores'), filtered by store, kind and state. */
import { Badge } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { INCIDENT_KINDS, INCIDENT_STATES, type IncidentItem } from '@tpv/shared/wire/http/replenishment';
import { useNavigate } from 'react-router';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export default function IncidentsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const stores = useStoreOptions();
  const columns: Array<ColumnDef<IncidentItem>> = [
    { id: 'number', header: t('incidents.number'), cell: ({ row: { original: x } }) => <span data-testid="incident-number">{x.number}</span> },
    { id: 'createdAt', header: t('incidents.date'), cell: ({ row: { original: x } }) => f.dateTime(x.createdAt) },
    { id: 'store', header: t('incidents.store'), enableSorting: false, cell: ({ row: { original: x } }) => x.storeName ?? '—' },
    { id: 'kind', header: t('incidents.kind'), cell: ({ row: { original: x } }) => <span data-testid="incident-kind">{t(`kind.${x.kind}`)}</span> },
    { id: 'title', header: t('incidents.titleCol'), enableSorting: false, cell: ({ row: { original: x } }) => <span data-testid="incident-title">{x.title}</span> },
    { id: 'quantity', header: t('incidents.quantity'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => x.quantity ?? '' },
    { id: 'state', header: t('incidents.state'), cell: ({ row: { original: x } }) => <Badge variant="light" color={x.state === 'closed' ? 'green' : 'orange'}>{t(`state.${x.state}`)}</Badge> },
  ];
  return (
    <>
      <PageHeader title={t('incidents.title')} subtitle={t('incidents.subtitle')} />
      <DataTable
        testId="incidents"
        endpoint="/api/incidents"
        columns={columns}
        rowKey={(x) => x.id}
        defaults={{ sort: 'createdAt', dir: 'desc' }}
        filters={[
          { name: 'storeId', label: t('incidents.store'), options: stores.options, testId: 'incidents-store' },
          { name: 'kind', label: t('incidents.kind'), options: INCIDENT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })), testId: 'incidents-kind' },
          { name: 'state', label: t('incidents.state'), options: INCIDENT_STATES.map((s) => ({ value: s, label: t(`state.${s}`) })), testId: 'incidents-state' },
        ]}
        exportName={false}
        onRowClick={(x) => navigate(`/quality/incidents/${x.id}`)}
        empty={t('incidents.empty')}
      />
    </>
  );
}
