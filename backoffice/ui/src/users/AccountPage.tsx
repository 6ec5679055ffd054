/** My account: change my password, two-step verification (enrol with a QR, confirm, turn off), my sessions. */
import { Alert, Button, Code, Group, Image, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ChangePasswordBody, TotpCodeBody } from '@tpv/shared/wire/http/auth';
import { api } from '../app/api';
import { ME_KEY, useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { useToast } from '../components/feedback';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { SessionsTable } from './shared';

export default function AccountPage() {
  const { t } = useT(messages);
  const me = useUser() as ReturnType<typeof useUser> & { totpEnabled?: boolean; totpEnrolmentRequired?: boolean };
  return (
    <Stack gap="md">
      <PageHeader title={t('account.title')} subtitle={`${me.name} · ${me.email}`} />
      {me.totpEnrolmentRequired && <Alert color="orange" data-testid="totp-required">{t('account.totpRequired')}</Alert>}
      <Section title={t('account.totp')} testId="totp-section">
        <Totp enabled={Boolean(me.totpEnabled)} />
      </Section>
      {!me.totpEnrolmentRequired && (
        <>
          <Section title={t('account.password')}>
            <ChangePassword />
          </Section>
          <Section title={t('account.mySessions')}>
            <SessionsTable userId={null} />
          </Section>
        </>
      )}
    </Stack>
  );
}

function ChangePassword() {
  const { t } = useT(messages);
  const form = useZodForm(ChangePasswordBody, { defaultValues: { currentPassword: '', newPassword: '' } });
  const submit = useFormSubmit(form, (v) => api('POST', '/api/auth/password', v), { success: t('account.changed'), invalidate: [['sessions']], onSuccess: () => form.reset() });
  return (
    <FormShell onSubmit={() => void submit.onSubmit()} error={submit.error} pending={submit.pending} testId="change-password">
      <PasswordInput label={t('account.current')} autoComplete="current-password" data-testid="current-password" {...field(form, 'currentPassword')} />
      <PasswordInput label={t('account.new')} description={t('account.rules')} autoComplete="new-password" data-testid="new-password" {...field(form, 'newPassword')} />
    </FormShell>
  );
}

function Totp({ enabled }: { enabled: boolean }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string; qrDataUrl: string } | null>(null);
  const start = async () => {
    try {
      setEnrolment(await api('POST', '/api/auth/totp/enrol'));
    } catch (e) {
      toast.fail(e);
    }
  };
  const form = useZodForm(TotpCodeBody, { defaultValues: { code: '' } });
  const submit = useFormSubmit(form, (v) => api('POST', enabled ? '/api/auth/totp/disable' : '/api/auth/totp/confirm', v), {
    success: t(enabled ? 'account.disabled' : 'account.enabled'),
    invalidate: [ME_KEY as unknown as string[]],
    onSuccess: () => {
      setEnrolment(null);
      form.reset();
      void qc.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const codeForm = (label: string, testId: string) => (
    <FormShell onSubmit={() => void submit.onSubmit()} error={submit.error} pending={submit.pending} submitLabel={label} testId={testId}>
      <TextInput label={t('account.code')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} w={200} data-testid="totp-code" {...field(form, 'code')} />
    </FormShell>
  );
  if (enabled)
    return (
      <Stack gap="sm">
        <Text size="sm" data-testid="totp-status">{t('account.totpOn')}</Text>
        {codeForm(t('account.disable'), 'totp-disable')}
      </Stack>
    );
  if (!enrolment)
    return (
      <Group justify="space-between">
        <Text size="sm" data-testid="totp-status">{t('account.totpOff')}</Text>
        <Button onClick={() => void start()} data-testid="totp-enrol">{t('account.enrol')}</Button>
      </Group>
    );
  return (
    <Stack gap="sm">
      <Text size="sm">{t('account.scan')}</Text>
      <Image src={enrolment.qrDataUrl} alt="QR" w={220} h={220} data-testid="totp-qr" />
      <Text size="sm">
        {t('account.secret')}: <Code data-testid="totp-secret">{enrolment.secret}</Code>
      </Text>
      {codeForm(t('account.confirm'), 'totp-confirm')}
    </Stack>
  );
}
