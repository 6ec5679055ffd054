/** Segments by rules: the list with member counts, CSV export, recompute; an editor with the live count. */
import { Button, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SegmentRules } from '@tpv/shared/wire/http/crm';
import { api, download, get } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface Segment { id: string; name: string; rules: SegmentRules; memberCount: number; computedAt: string | null }
type Draft = { id: string; name: string; periodDays: number; minSpendEuros?: number | undefined; boughtWithinDays?: number | undefined; notBoughtForDays?: number | undefined };
const num = (v: string | number) => (typeof v === 'number' ? v : undefined);
const rulesOf = (d: Draft): Partial<SegmentRules> => ({
  periodDays: d.periodDays,
  ...(d.minSpendEuros !== undefined ? { minSpendCents: Math.round(d.minSpendEuros * 100) } : {}),
  ...(d.boughtWithinDays !== undefined ? { boughtWithinDays: d.boughtWithinDays } : {}),
  ...(d.notBoughtForDays !== undefined ? { notBoughtForDays: d.notBoughtForDays } : {}),
});

export default function SegmentsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const list = useQuery({ queryKey: ['crm', 'segments'], queryFn: () => get<{ segments: Segment[] }>('/api/crm/segments') });
  const preview = useQuery({
    queryKey: ['crm', 'segment-preview', draft && rulesOf(draft)],
    queryFn: () => api<{ count: number }>('POST', '/api/crm/segments/preview', rulesOf(draft!)),
    enabled: !!draft,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['crm'] });
  const save = useMutation({ mutationFn: (d: Draft) => api('PUT', `/api/crm/segments/${d.id}`, { name: d.name, rules: rulesOf(d) }), onSuccess: () => (setDraft(null), refresh()) });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/crm/segments/${id}`), onSuccess: refresh });
  const recompute = useMutation({ mutationFn: () => api('POST', '/api/crm/segments/recompute'), onSuccess: refresh });
  const edit = (s?: Segment) =>
    setDraft(s
      ? { id: s.id, name: s.name, periodDays: s.rules.periodDays, minSpendEuros: s.rules.minSpendCents !== undefined ? s.rules.minSpendCents / 100 : undefined, boughtWithinDays: s.rules.boughtWithinDays, notBoughtForDays: s.rules.notBoughtForDays }
      : { id: crypto.randomUUID(), name: '', periodDays: 365 });
  return (
    <>
      <PageHeader title={t('s.title')} subtitle={t('s.help')} actions={<Group><Button variant="default" onClick={() => recompute.mutate()} loading={recompute.isPending}>{t('s.recompute')}</Button><Button onClick={() => edit()} data-testid="segment-new">{t('s.new')}</Button></Group>} />
      <Section>
        <Table data-testid="segments-table">
          <Table.Thead><Table.Tr><Table.Th>{t('s.name')}</Table.Th><Table.Th ta="right">{t('s.members')}</Table.Th><Table.Th>{t('s.computed')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(list.data?.segments ?? []).map((s) => (
              <Table.Tr key={s.id} data-testid="segment-row">
                <Table.Td><Button variant="subtle" onClick={() => edit(s)}>{s.name}</Button></Table.Td>
                <Table.Td ta="right">{f.number(s.memberCount)}</Table.Td>
                <Table.Td>{f.dateTime(s.computedAt)}</Table.Td>
                <Table.Td><Group gap="xs" justify="end">
                  <Button size="xs" variant="default" onClick={() => void download(`/api/crm/segments/${s.id}/export`, `segment-${s.name}.csv`)}>{t('s.export')}</Button>
                  <Button size="xs" color="red" variant="subtle" onClick={() => remove.mutate(s.id)}>{t('s.delete')}</Button>
                </Group></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Modal opened={!!draft} onClose={() => setDraft(null)} title={t('s.new')}>
        {draft && (
          <Stack>
            <TextInput label={t('s.name')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} data-testid="segment-name" />
            <NumberInput label={t('s.periodDays')} value={draft.periodDays} min={1} onChange={(v) => setDraft({ ...draft, periodDays: num(v) ?? 365 })} />
            <NumberInput label={t('s.minSpend')} value={draft.minSpendEuros ?? ''} min={0} decimalScale={2} onChange={(v) => setDraft({ ...draft, minSpendEuros: num(v) })} data-testid="segment-min-spend" />
            <NumberInput label={t('s.boughtWithin')} value={draft.boughtWithinDays ?? ''} min={1} onChange={(v) => setDraft({ ...draft, boughtWithinDays: num(v) })} />
            <NumberInput label={t('s.notBoughtFor')} value={draft.notBoughtForDays ?? ''} min={1} onChange={(v) => setDraft({ ...draft, notBoughtForDays: num(v) })} />
            <Text fw={600} data-testid="segment-preview">{t('s.preview', { count: preview.data?.count ?? '…' })}</Text>
            <Group justify="end"><Button variant="default" onClick={() => setDraft(null)}>{t('c.cancel')}</Button><Button onClick={() => save.mutate(draft)} disabled={!draft.name.trim()} loading={save.isPending} data-testid="segment-save">{t('c.save')}</Button></Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
