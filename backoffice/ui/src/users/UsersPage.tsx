/** Users the caller may see: search, filter by role/status, sort, export; invite (those allowed). */
import { Badge, Button, Group } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useNavigate } from 'react-router';
import { Can } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import { StatusBadge, useRoleLabel, useScopeOptions, type UserRow } from './shared';
import { ROLE_VALUES } from '@tpv/shared/wire/http/auth';

export default function UsersPage() {
  const { t, locale } = useT(messages);
  const navigate = useNavigate();
  const role = useRoleLabel();
  const scope = useScopeOptions();
  const columns: Array<ColumnDef<UserRow>> = [
    { id: 'email', header: t('users.email'), accessorKey: 'email' },
    { id: 'name', header: t('users.name'), accessorKey: 'name' },
    { id: 'role', header: t('users.role'), accessorKey: 'role', cell: ({ row: { original: u } }) => role(u.role) },
    {
      id: 'scope', header: `${t('users.companies')} / ${t('users.store')}`, enableSorting: false,
      cell: ({ row: { original: u } }) => (u.storeId ? scope.storeName(u.storeId) : u.companyIds.map(scope.companyName).join(', ') || '—'),
    },
    {
      id: 'status', header: t('users.status'), enableSorting: false,
      cell: ({ row: { original: u } }) => (
        <Group gap={4}>
          <StatusBadge user={u} />
          {u.totpEnabled && <Badge variant="outline" size="sm">2FA</Badge>}
        </Group>
      ),
    },
    { id: 'createdAt', header: t('users.created'), accessorKey: 'createdAt', cell: ({ row: { original: u } }) => (u.createdAt ? new Date(u.createdAt).toLocaleDateString(locale) : '—') },
  ];
  return (
    <>
      <PageHeader
        title={t('users.title')}
        actions={
          <Can permission="users.write">
            <Button component={Link} to="/users/new" data-testid="invite-user">{t('users.invite')}</Button>
          </Can>
        }
      />
      <DataTable
        testId="users"
        endpoint="/api/users"
        columns={columns}
        rowKey={(u) => u.id}
        defaults={{ sort: 'email' }}
        search={t('users.search')}
        filters={[
          { name: 'role', label: t('users.role'), options: ROLE_VALUES.map((r) => ({ value: r, label: role(r) })) },
          { name: 'active', label: t('users.status'), options: [{ value: 'true', label: t('users.active') }, { value: 'false', label: t('users.inactive') }] },
          { name: 'companyId', label: t('users.companies'), options: scope.companyOptions },
        ]}
        exportName="usuarios"
        onRowClick={(u) => navigate(`/users/${u.id}`)}
        empty={t('users.empty')}
      />
    </>
  );
}
