/** Accept an invitation or a reset link (`/accept-invitation?token=…`, `/reset-password?token=…`): choose a password. */
import { Alert, Anchor, Center, Paper, PasswordInput, Title } from '@mantine/core';
import { useState } from 'react';
import { z } from 'zod';
import { api } from '../app/api';
import { useT } from '../app/i18n';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { messages } from './messages';

const Body = z.object({ token: z.string(), password: z.string().min(1).max(256) });

export default function SetPassword({ kind, token }: { kind: 'invitation' | 'reset'; token: string }) {
  const { t } = useT(messages);
  const [done, setDone] = useState<string | null>(null);
  const form = useZodForm(Body, { defaultValues: { token, password: '' } });
  const submit = useFormSubmit(form, (v) => api<{ email: string }>('POST', kind === 'invitation' ? '/api/auth/invitations/accept' : '/api/auth/password-reset/accept', v), {
    onSuccess: (r) => setDone(r.email),
  });
  return (
    <Center mih="70vh">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420}>
        <Title order={3} mb="md">{t(kind === 'invitation' ? 'setpw.invitation' : 'setpw.reset')}</Title>
        {done ? (
          <Alert color="green" data-testid="password-set">
            {t('setpw.done', { email: done })}{' '}
            <Anchor href="/">{t('setpw.toLogin')}</Anchor>
          </Alert>
        ) : (
          <FormShell onSubmit={() => void submit.onSubmit()} error={submit.error} pending={submit.pending} testId="set-password">
            <Alert color="gray">{t('setpw.intro')}</Alert>
            <PasswordInput label={t('setpw.reset')} autoComplete="new-password" data-testid="new-password" {...field(form, 'password')} />
          </FormShell>
        )}
      </Paper>
    </Center>
  );
}
