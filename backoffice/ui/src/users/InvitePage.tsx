/** Invite a user: e-mail, name, role and where they work; the answer is a one-time link shown once. */
import { TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { CreateUserBody } from '@tpv/shared/wire/http/auth';
import { api } from '../app/api';
import { useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';
import { OneTimeLinkBox, type OneTimeLink, type UserRow } from './shared';
import { AssignmentFields } from './UserForm';

export default function InvitePage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const me = useUser();
  const [done, setDone] = useState<{ user: UserRow; invitation: OneTimeLink } | null>(null);
  const form = useZodForm(CreateUserBody, {
    defaultValues: { email: '', name: '', role: me.role === 'hq_admin' ? 'franchisee_manager' : 'store_manager', companyIds: [], storeId: null },
  });
  const submit = useFormSubmit(form, (v) => api<{ user: UserRow; invitation: OneTimeLink }>('POST', '/api/users', v), {
    invalidate: [['/api/users']],
    onSuccess: setDone,
  });
  return (
    <DetailLayout back={{ to: '/users' }} title={t('users.invite')}>
      <Section>
        {done ? (
          <OneTimeLinkBox link={done.invitation} email={done.user.email} kind="invitation" onDone={() => navigate(`/users/${done.user.id}`)} />
        ) : (
          <FormShell onSubmit={() => void submit.onSubmit()} error={submit.error} pending={submit.pending} onCancel={() => navigate('/users')} testId="invite-form" submitLabel={t('users.invite')}>
            <TextInput label={t('users.email')} type="email" data-testid="user-email" {...field(form, 'email')} />
            <TextInput label={t('users.name')} data-testid="user-name" {...field(form, 'name')} />
            <AssignmentFields form={form as never} />
          </FormShell>
        )}
      </Section>
    </DetailLayout>
  );
}
