/**
 * Whom a notice, a task or a document is for: the whole network, some companies or some stores (a franchisee
 * sees only theirs: the options come from the caller's organisation). Changing the kind clears the choice.
 */
import { MultiSelect, Select } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../app/i18n';
import { useOrganisation, useStoreOptions } from '../network/queries';
import { messages } from './messages';

export type Target = 'all' | 'company' | 'store';

/** The picker's state: what the API's `target` / `targetIds` get, and whether something was chosen. */
export function useAudience(initial: Target) {
  const [target, setTarget] = useState<Target>(initial);
  const [targetIds, setTargetIds] = useState<string[]>([]);
  return { target, targetIds, setTarget, setTargetIds, body: { target, targetIds: target === 'all' ? [] : targetIds }, chosen: target === 'all' || targetIds.length > 0 };
}

export function AudiencePicker({ audience, testId, error }: { audience: ReturnType<typeof useAudience>; testId: string; error?: string | undefined }) {
  const { t } = useT(messages);
  const stores = useStoreOptions();
  const org = useOrganisation();
  const companies = (org.data?.companies ?? []).map((c) => ({ value: c.id, label: c.legalName }));
  const { target, targetIds, setTarget, setTargetIds } = audience;
  return (
    <>
      <Select label={t('n.target')} w={200} data={(['all', 'company', 'store'] as const).map((x) => ({ value: x, label: t(`target.${x}`) }))} value={target}
        onChange={(v) => (setTarget((v ?? target) as Target), setTargetIds([]))} data-testid={`${testId}-target`} />
      {target === 'company' && <MultiSelect label={t('n.companies')} w={420} data={companies} value={targetIds} onChange={setTargetIds} searchable error={error} data-testid={`${testId}-companies`} />}
      {target === 'store' && <MultiSelect label={t('n.stores')} w={420} data={stores.options} value={targetIds} onChange={setTargetIds} searchable error={error} data-testid={`${testId}-stores`} />}
    </>
  );
}
