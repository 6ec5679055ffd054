/** Incidents in the user's scope (a franchisee sees their stores'), filtered by store, kind, state, severity; a new one. */
import { Badge, Button } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { INCIDENT_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATES, type IncidentItem } from '@tpv/shared/wire/http/quality';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export const STATE_COLOR: Record<IncidentItem['state'], string> = { open: 'red', assigned: 'orange', in_progress: 'yellow', resolved: 'blue', closed: 'green' };
export const SEVERITY_COLOR: Record<IncidentItem['severity'], string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };

export default function IncidentsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const stores = useStoreOptions();
  const canWrite = useCan('incidents.write');
  const columns: Array<ColumnDef<IncidentItem>> = [
    { id: 'number', header: t('incidents.number'), cell: ({ row: { original: x } }) => <span data-testid="incident-number">{x.number}</span> },
    { id: 'createdAt', header: t('incidents.date'), cell: ({ row: { original: x } }) => f.dateTime(x.createdAt) },
    { id: 'store', header: t('incidents.store'), enableSorting: false, cell: ({ row: { original: x } }) => x.storeName ?? '—' },
    { id: 'kind', header: t('incidents.kind'), cell: ({ row: { original: x } }) => <span data-testid="incident-kind">{t(`kind.${x.kind}`)}</span> },
    { id: 'title', header: t('incidents.titleCol'), enableSorting: false, cell: ({ row: { original: x } }) => <span data-testid="incident-title">{x.title}</span> },
    { id: 'severity', header: t('incidents.severity'), cell: ({ row: { original: x } }) => <Badge variant="light" color={SEVERITY_COLOR[x.severity]}>{t(`severity.${x.severity}`)}</Badge> },
    { id: 'source', header: t('incidents.source'), enableSorting: false, cell: ({ row: { original: x } }) => <span data-testid="incident-source">{t(`source.${x.source}`)}</span> },
    { id: 'dueAt', header: t('incidents.due'), cell: ({ row: { original: x } }) => (x.dueAt ? f.dateTime(x.dueAt) : '—') },
    { id: 'assignee', header: t('incidents.assignee'), enableSorting: false, cell: ({ row: { original: x } }) => x.assigneeEmail ?? '—' },
    { id: 'quantity', header: t('incidents.quantity'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => x.quantity ?? '' },
    { id: 'state', header: t('incidents.state'), cell: ({ row: { original: x } }) => <Badge variant="light" color={STATE_COLOR[x.state]} data-testid="incident-state">{t(`state.${x.state}`)}</Badge> },
  ];
  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        subtitle={t('incidents.subtitle')}
        actions={canWrite ? <Button component={Link} to="/quality/incidents/new" data-testid="incident-new">{t('incidents.new')}</Button> : undefined}
      />
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
          { name: 'severity', label: t('incidents.severity'), options: INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) })), testId: 'incidents-severity' },
          { name: 'overdue', label: t('incidents.overdue'), options: [{ value: 'true', label: t('incidents.overdue') }], testId: 'incidents-overdue' },
        ]}
        exportName={false}
        onRowClick={(x) => navigate(`/quality/incidents/${x.id}`)}
        empty={t('incidents.empty')}
      />
    </>
  );
}
