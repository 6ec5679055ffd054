/** Loading and error states, toasts and confirmations: the same look and words on every page. */
import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { ApiError } from '../app/api';
import { lookup, useLocale, useT, type Locale } from '../app/i18n';

/** The message a user reads for an error (problem+json detail, or what kind of failure it was). */
export function errorText(error: unknown, locale: Locale): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return lookup(null, locale, 'common.network');
    if (error.status === 403) return error.message || lookup(null, locale, 'common.forbidden');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function Loading({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <Center py="lg" data-testid="loading">
      <Group gap="xs">
        <Loader size="sm" />
        <Text c="dimmed">{label ?? t('common.loading')}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t, locale } = useT();
  return (
    <Alert color="red" title={t('common.error', { message: '' }).replace(/:\s*$/, '')} role="alert" data-testid="error">
      <Text size="sm">{errorText(error, locale)}</Text>
      {retry && (
        <Button mt="sm" size="xs" variant="light" color="red" onClick={retry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}

/** Renders children with the data once a query has it; a loader before, the error (with retry) on failure. */
export function QueryState<T>({ query, children }: { query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return <Loading />;
}

/** Toasts: green for a done action, red for a failed one (with the server's reason). */
export const toast = {
  ok: (message: string, title?: string) => notifications.show({ color: 'green', title, message, autoClose: 4000 }),
  fail: (message: string, title?: string) => notifications.show({ color: 'red', title, message, autoClose: 8000 }),
};

export function useToast() {
  const { t, locale } = useT();
  return {
    ok: (message: string) => toast.ok(message),
    fail: (error: unknown, title = t('common.failed')) => toast.fail(errorText(error, locale), title),
  };
}

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  danger?: boolean;
}

/** Opens a confirmation dialog; resolves true when the user confirms, false when they cancel or close it. */
export function confirmAction(o: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    modals.openConfirmModal({
      title: o.title,
      children: typeof o.body === 'string' ? <Text size="sm">{o.body}</Text> : o.body,
      labels: { confirm: o.confirmLabel, cancel: o.cancelLabel },
      confirmProps: { color: o.danger ? 'red' : undefined, 'data-testid': 'confirm' } as Record<string, unknown>,
      cancelProps: { 'data-testid': 'cancel' } as Record<string, unknown>,
      onConfirm: () => ((answered = true), resolve(true)),
      onCancel: () => ((answered = true), resolve(false)),
      onClose: () => !answered && resolve(false),
    });
  });
}

/** `const confirm = useConfirm(); if (await confirm.delete('Tienda M001')) …` — the words in the user's language. */
export function useConfirm() {
  const { locale } = useLocale();
  const l = (k: Parameters<typeof lookup>[2], p?: Record<string, string>) => lookup(null, locale, k, p);
  return {
    /** A destructive action on a named thing: red button "Eliminar". */
    delete: (name: string, body?: ReactNode) =>
      confirmAction({ title: l('confirm.deleteTitle', { name }), body: body ?? l('confirm.deleteBody', { name }), confirmLabel: l('common.delete'), cancelLabel: l('common.cancel'), danger: true }),
    /** Any other action worth a second thought. */
    action: (title: string, body: ReactNode, confirmLabel = l('common.confirm'), danger = false) => confirmAction({ title, body, confirmLabel, cancelLabel: l('common.cancel'), danger }),
  };
}
