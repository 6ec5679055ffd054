/** Sign-in form (the form helper over a zod schema; 401 and 429 answered in words). */
import { Alert, Anchor, Center, Paper, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { FormShell, field, useZodForm } from '../components/form';
import { api, ApiError, session, takeSessionExpired } from './api';
import { ME_KEY, toSession, type Me } from './auth';
import { useT } from './i18n';
import { messages as userMessages } from '../users/messages';
import SetPassword from '../users/SetPassword';

// The API's login body (auth/route.ts LoginBody); the browser checks the same limits before sending.
const LoginBody = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(256) });

/** A one-time link (invitation, password reset) opens the set-password form instead of the sign-in. */
export default function Login() {
  const path = window.location.pathname;
  const token = new URLSearchParams(window.location.search).get('token');
  if (token && path === '/accept-invitation') return <SetPassword kind="invitation" token={token} />;
  if (token && path === '/reset-password') return <SetPassword kind="reset" token={token} />;
  return <PasswordStep />;
}

function PasswordStep() {
  const { t } = useT();
  const [challenge, setChallenge] = useState<string | null>(null);
  const qc = useQueryClient();
  const form = useZodForm(LoginBody, { defaultValues: { email: '', password: '' }, mode: 'onSubmit' });
  const [failed, setFailed] = useState<'login.failed' | 'login.throttled' | null>(null);
  const [pending, setPending] = useState(false);
  const [expired] = useState(takeSessionExpired);
  const submit = form.handleSubmit(async (v) => {
    setPending(true);
    try {
      const r = await api<{ token: string; user: Me } | { totpRequired: true; challenge: string }>('POST', '/api/auth/login', v);
      setFailed(null);
      // HQ users who enrolled a second factor: the code step (the password was right).
      if ('totpRequired' in r) return setChallenge(r.challenge);
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
  if (challenge) return <TotpStep challenge={challenge} onRestart={() => setChallenge(null)} />;
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

const CodeBody = z.object({ code: z.string().trim().regex(/^\d{6}$/) });

/** Second step: a code from the authenticator app for the challenge the password step gave. */
function TotpStep({ challenge, onRestart }: { challenge: string; onRestart: () => void }) {
  const { t } = useT(userMessages);
  const qc = useQueryClient();
  const form = useZodForm(CodeBody, { defaultValues: { code: '' }, mode: 'onSubmit' });
  const [failed, setFailed] = useState<'login.totpFailed' | 'login.totpExpired' | 'login.throttled' | null>(null);
  const [pending, setPending] = useState(false);
  const submit = form.handleSubmit(async (v) => {
    setPending(true);
    try {
      const r = await api<{ token: string; user: Me }>('POST', '/api/auth/login/totp', { challenge, code: v.code });
      session.set(r.token);
      qc.setQueryData(ME_KEY, toSession(r.user));
      void qc.invalidateQueries({ queryKey: ME_KEY });
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      setFailed(e?.status === 429 ? 'login.throttled' : e?.code === 'INVALID_CHALLENGE' ? 'login.totpExpired' : 'login.totpFailed');
      form.reset({ code: '' });
    } finally {
      setPending(false);
    }
  });
  return (
    <Center mih="70vh">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <Title order={3} mb="xs">{t('login.totpTitle')}</Title>
        <Text size="sm" c="dimmed" mb="md">{t('login.totpIntro')}</Text>
        <FormShell onSubmit={() => void submit()} pending={pending} submitLabel={t('login.submit')} testId="login-totp">
          <TextInput label={t('login.totpTitle')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus data-testid="totp-code" {...field(form, 'code')} />
          {failed && <Alert color="red" role="alert">{t(failed)}</Alert>}
          <Anchor component="button" type="button" size="sm" onClick={onRestart}>{t('login.back')}</Anchor>
        </FormShell>
      </Paper>
    </Center>
  );
}
