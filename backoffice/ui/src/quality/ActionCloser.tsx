/** Closes a corrective action with a note of what was done (the store's people or HQ). */
import { Button, Group, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../app/api';
import { useT } from '../app/i18n';
import { messages } from './messages';
import { ProblemAlert } from './ProblemAlert';

export function ActionCloser({ id, onClosed }: { id: string; onClosed: () => void }) {
  const { t } = useT(messages);
  const [note, setNote] = useState('');
  const close = useMutation({ mutationFn: () => api('POST', `/api/corrective-actions/${id}/close`, { note }), onSuccess: () => (setNote(''), onClosed()) });
  return (
    <>
      <Group align="end" wrap="nowrap">
        <TextInput placeholder={t('actions.closeNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="action-note" style={{ flex: 1 }} />
        <Button size="xs" onClick={() => close.mutate()} loading={close.isPending} data-testid="action-close">{t('actions.close')}</Button>
      </Group>
      <ProblemAlert error={close.error} />
    </>
  );
}
