/** One user: details, edit, deactivate/reactivate (confirmed), a password reset link, their open sessions. */
import { Button, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { UpdateUserBody } from '@tpv/shared/wire/http/auth';
import { api, get } from '../app/api';
import { useCan, useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';
import { OneTimeLinkBox, SessionsTable, StatusBadge, useRoleLabel, useScopeOptions, type OneTimeLink, type UserRow } from './shared';
import { AssignmentFields } from './UserForm';

export default function UserPage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: ['user', id], queryFn: () => get<UserRow>(`/api/users/${id}`) });
  return <QueryState query={q}>{(u) => <UserDetail user={u} />}</QueryState>;
}

function UserDetail({ user }: { user: UserRow }) {
  const { t, locale } = useT(messages);
  const me = useUser();
  const role = useRoleLabel();
  const scope = useScopeOptions();
  const confirm = useConfirm();
  const toast = useToast();
  const qc = useQueryClient();
  const mayWrite = useCan('users.write');
  // The server decides who manages whom; the page offers the actions to an HQ admin, or a franchisee manager over store managers.
  const manages = mayWrite && user.id !== me.id && (me.role === 'hq_admin' || user.role === 'store_manager');
  const [link, setLink] = useState<OneTimeLink | null>(null);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['user', user.id] });
    await qc.invalidateQueries({ queryKey: ['/api/users'] });
    await qc.invalidateQueries({ queryKey: ['sessions'] });
  };
  const setActive = useMutation({
    mutationFn: (active: boolean) => api<UserRow>('POST', `/api/users/${user.id}/${active ? 'reactivate' : 'deactivate'}`),
    onSuccess: async (u) => {
      toast.ok(t(u.active ? 'users.reactivated' : 'users.deactivated'));
      await refresh();
    },
    onError: (e) => toast.fail(e),
  });
  const reset = useMutation({
    mutationFn: () => api<OneTimeLink>('POST', `/api/users/${user.id}/reset-password`),
    onSuccess: setLink,
    onError: (e) => toast.fail(e),
  });
  const deactivate = async () => {
    if (await confirm.action(t('users.deactivateTitle', { name: user.name }), t('users.deactivateBody'), t('users.deactivate'), true)) setActive.mutate(false);
  };
  return (
    <DetailLayout
      back={{ to: '/users' }}
      title={user.name}
      subtitle={user.email}
      actions={
        manages && (
          <>
            <Button variant="default" onClick={() => reset.mutate()} loading={reset.isPending} disabled={!user.active} data-testid="reset-password">{t('users.resetPassword')}</Button>
            {user.active ? (
              <Button color="red" variant="light" onClick={() => void deactivate()} data-testid="deactivate">{t('users.deactivate')}</Button>
            ) : (
              <Button variant="light" onClick={() => setActive.mutate(true)} data-testid="reactivate">{t('users.reactivate')}</Button>
            )}
          </>
        )
      }
    >
      {link && <OneTimeLinkBox link={link} email={user.email} kind={user.invitationPending ? 'invitation' : 'reset'} onDone={() => setLink(null)} />}
      <Section>
        <Fields
          items={[
            [t('users.role'), role(user.role)],
            [t('users.companies'), user.companyIds.map(scope.companyName).join(', ') || '—'],
            [t('users.store'), user.storeId ? scope.storeName(user.storeId) : '—'],
            [t('users.status'), <StatusBadge key="s" user={user} />],
            [t('users.totp'), user.totpEnabled ? t('common.yes') : t('common.no')],
            [t('users.created'), user.createdAt ? new Date(user.createdAt).toLocaleString(locale) : '—'],
          ]}
        />
      </Section>
      {manages && (
        <Section title={t('users.edit')}>
          <EditForm user={user} onSaved={refresh} />
        </Section>
      )}
      {manages && (
        <Section title={t('users.sessions')}>
          <SessionsTable userId={user.id} />
        </Section>
      )}
    </DetailLayout>
  );
}

function EditForm({ user, onSaved }: { user: UserRow; onSaved: () => Promise<void> }) {
  const { t } = useT(messages);
  const form = useZodForm(UpdateUserBody, { defaultValues: { name: user.name, role: user.role, companyIds: user.role === 'franchisee_manager' ? user.companyIds : [], storeId: user.storeId } });
  const submit = useFormSubmit(form, (v) => api<UserRow>('PUT', `/api/users/${user.id}`, v), { success: t('common.saved'), onSuccess: () => void onSaved() });
  return (
    <FormShell onSubmit={() => void submit.onSubmit()} error={submit.error} pending={submit.pending} testId="edit-user">
      <Stack gap="sm">
        <TextInput label={t('users.name')} data-testid="edit-name" {...field(form, 'name')} />
        <AssignmentFields form={form as never} />
      </Stack>
    </FormShell>
  );
}
