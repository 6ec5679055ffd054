/** Audit checklist templates (HQ): the list, and a new template of weighted questions by section and scale. */
import { ActionIcon, Button, Group, NumberInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AUDIT_SCALES, AUDIT_SECTIONS } from '@tpv/shared/quality/rules';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';
import { ProblemAlert } from './ProblemAlert';

interface Row { section: string; text: string; weight: number | string; scale: string }
const emptyRow = (): Row => ({ section: 'cleanliness', text: '', weight: 1, scale: 'yes_no' });

export default function TemplatesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['quality', 'templates'], queryFn: () => get<{ items: Array<{ id: string; name: string; questionCount: number; createdAt: string }> }>('/api/audit-templates') });
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([emptyRow()]);
  const set = (i: number, patch: Partial<Row>) => setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const save = useMutation({
    mutationFn: () => api('POST', '/api/audit-templates', { name, questions: rows.map((r) => ({ ...r, weight: Number(r.weight) })) }),
    onSuccess: () => {
      setName('');
      setRows([emptyRow()]);
      void qc.invalidateQueries({ queryKey: ['quality', 'templates'] });
    },
  });
  return (
    <DetailLayout back={{ to: '/quality/audits', label: t('audit.back') }} title={t('templates.title')}>
      <Stack>
        <Section>
          <Table striped data-testid="templates-table">
            <Table.Thead><Table.Tr><Table.Th>{t('templates.name')}</Table.Th><Table.Th>{t('templates.questions')}</Table.Th><Table.Th>{t('audits.date')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((x) => <Table.Tr key={x.id} data-testid="template-row"><Table.Td>{x.name}</Table.Td><Table.Td>{x.questionCount}</Table.Td><Table.Td>{f.dateTime(x.createdAt)}</Table.Td></Table.Tr>)}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('templates.new')}>
          <Stack>
            <TextInput label={t('templates.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="template-name" maw={480} />
            {rows.map((r, i) => (
              <Group key={i} align="end" data-testid="template-question">
                <Select label={t('templates.section')} data={AUDIT_SECTIONS.map((s) => ({ value: s, label: t(`section.${s}`) }))} value={r.section} onChange={(v) => set(i, { section: v ?? r.section })} allowDeselect={false} w={200} />
                <TextInput label={t('templates.text')} value={r.text} onChange={(e) => set(i, { text: e.currentTarget.value })} style={{ flex: 1 }} data-testid="template-text" />
                <NumberInput label={t('templates.weight')} value={r.weight} onChange={(v) => set(i, { weight: v })} min={1} max={100} w={90} data-testid="template-weight" />
                <Select label={t('templates.scale')} data={AUDIT_SCALES.map((s) => ({ value: s, label: t(`scale.${s}`) }))} value={r.scale} onChange={(v) => set(i, { scale: v ?? r.scale })} allowDeselect={false} w={120} data-testid="template-scale" />
                <ActionIcon variant="subtle" color="red" onClick={() => setRows((x) => x.filter((_, j) => j !== i))} disabled={rows.length === 1} aria-label="×">×</ActionIcon>
              </Group>
            ))}
            <Group>
              <Button variant="light" onClick={() => setRows((x) => [...x, emptyRow()])} data-testid="template-add">{t('templates.addQuestion')}</Button>
              <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="template-save">{t('templates.save')}</Button>
            </Group>
            <ProblemAlert error={save.error} />
          </Stack>
        </Section>
      </Stack>
    </DetailLayout>
  );
}
