/** Corrective actions of the user's stores, open first by due date; the store or HQ closes each with a note. */
import { SegmentedControl } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CorrectiveAction } from '@tpv/shared/wire/http/quality';
import { useState } from 'react';
import { get } from '../app/api';
import { useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { ActionsTable } from './ActionsTable';
import { messages } from './messages';

export default function ActionsPage() {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const [state, setState] = useState('open');
  const q = useQuery({ queryKey: ['quality', 'actions', state], queryFn: () => get<{ items: CorrectiveAction[] }>(`/api/corrective-actions${state ? `?state=${state}` : ''}`) });
  return (
    <>
      <PageHeader title={t('actions.title')} subtitle={t('actions.subtitle')}
        actions={<SegmentedControl value={state} onChange={setState} data={[{ value: 'open', label: t('actions.open') }, { value: 'closed', label: t('actions.closed') }, { value: '', label: '∗' }]} data-testid="actions-filter" />} />
      <Section>
        <ActionsTable items={q.data?.items ?? []} onChanged={() => void qc.invalidateQueries({ queryKey: ['quality'] })} />
      </Section>
    </>
  );
}
