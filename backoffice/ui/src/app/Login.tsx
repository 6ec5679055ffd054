/** Sign-in form (the form helper over a zod schema; 401 and 429 answered in words). */
import { Alert, Center, Paper, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { FormShell, field, useZodForm } from '../components/form';
import { api, ApiError, session, takeSessionExpired } from './api';
import { ME_KEY, toSession, type Me } from './auth';
import { useT } from './i18n';

// The API's login body (auth/route.ts LoginBody); the browser checks the same limits before sending.
const LoginBody = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(256) });

export default function Login() {
  const { t } = useT();
  const qc = useQueryClient();
  const form = useZodForm(LoginBody, { defaultValues: { email: '', password: '' }, mode: 'onSubmit' });
  const [failed, setFailed] = useState<'login.failed' | 'login.throttled' | null>(null);
  const [pending, setPending] = useState(false);
  const [expired] = useState(takeSessionExpired);
  const submit = form.handleSubmit(async (v) => {
    setPending(true);
    try {
      const r = await api<{ token: string; user: Me }>('POST', '/api/auth/login', v);
      session.set(r.token);
      setFailed(null);
      qc.setQueryData(ME_KEY, toSession(r.user));
      // The login answer may be the short user; the full one (permissions, modules) follows.
      void qc.invalidateQueries({ queryKey: ME_KEY });
    } catch (err) {
      setFailed(err instanceof ApiError && err.status === 429 ? 'login.throttled' : 'login.failed');
    } finally {
      setPending(false);
    }
  });
  return (
    <Center mih="70vh">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <Title order={3} mb="md">{t('login.title')}</Title>
        <FormShell onSubmit={() => void submit()} pending={pending} submitLabel={t('login.submit')} testId="login">
          <TextInput label={t('login.email')} type="email" autoComplete="username" {...field(form, 'email')} />
          <TextInput label={t('login.password')} type="password" autoComplete="current-password" {...field(form, 'password')} />
          {expired && !failed && <Alert color="yellow" data-testid="session-expired">{t('login.expired')}</Alert>}
          {failed && <Alert color="red" role="alert">{t(failed)}</Alert>}
        </FormShell>
      </Paper>
    </Center>
  );
}
