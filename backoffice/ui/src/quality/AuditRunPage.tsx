/**
 * An audit done in the store, on a tablet: pick the store and the template, then per section each question
 * with big buttons (Sí/No, or 0–5, or N/A), a remark and a photo; a failing answer says a corrective action
 * will open (owner and due date can be set). The running score is computed as the server will (shared rules).
 */
import { Badge, Button, Card, FileInput, Group, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { AUDIT_SECTIONS, answerFails, auditScore } from '@tpv/shared/quality/rules';
import type { AuditDetail, AuditTemplate } from '@tpv/shared/wire/http/quality';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, get } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { DetailLayout, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { uploadPhoto } from './photos';
import { ProblemAlert } from './ProblemAlert';
import { scoreColor, scoreText } from './score';

interface Answer { value: string | null; note: string; photo: File | null; owner: string; due: string }
const blank: Answer = { value: null, note: '', photo: null, owner: '', due: '' };

export default function AuditRunPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const stores = useStoreOptions();
  const templates = useQuery({ queryKey: ['quality', 'templates'], queryFn: () => get<{ items: Array<{ id: string; name: string; active: boolean }> }>('/api/audit-templates') });
  const [storeId, setStoreId] = useState<string | null>(null);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const tpl = useQuery({ queryKey: ['quality', 'template', templateId], queryFn: () => get<AuditTemplate>(`/api/audit-templates/${templateId}`), enabled: !!templateId });
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [id] = useState(() => crypto.randomUUID());
  const set = (q: string, patch: Partial<Answer>) => setAnswers((a) => ({ ...a, [q]: { ...(a[q] ?? blank), ...patch } }));
  const valueOf = (a: Answer | undefined) => (a?.value === null || a?.value === undefined || a.value === 'na' ? null : Number(a.value));
  const score = useMemo(
    () => auditScore((tpl.data?.questions ?? []).filter((q) => answers[q.id]?.value).map((q) => ({ weight: q.weight, scale: q.scale, value: valueOf(answers[q.id]) }))),
    [tpl.data, answers],
  );
  const submit = useMutation({
    mutationFn: async () => {
      const qs = tpl.data!.questions;
      const body = [];
      for (const q of qs) {
        const a = answers[q.id] ?? blank;
        const photoIds = a.photo ? [await uploadPhoto(a.photo, storeId)] : [];
        body.push({
          questionId: q.id, value: valueOf(a), ...(a.note.trim() ? { note: a.note } : {}), photoIds,
          ...(a.owner.trim() ? { actionOwner: a.owner } : {}), ...(a.due ? { actionDue: a.due } : {}),
        });
      }
      return api<AuditDetail>('POST', '/api/store-audits', { id, storeId, templateId, answers: body });
    },
    onSuccess: (r) => navigate(`/quality/audits/${r.id}`),
  });
  const qs = tpl.data?.questions ?? [];
  const complete = qs.length > 0 && qs.every((q) => answers[q.id]?.value);
  return (
    <DetailLayout
      back={{ to: '/quality/audits', label: t('audit.back') }}
      title={t('run.title')}
      actions={<Badge size="xl" variant="light" color={scoreColor(score)} data-testid="run-score">{`${t('run.score')}: ${scoreText(score, locale)}`}</Badge>}
    >
      <Stack>
        <Section>
          <Group grow>
            <Select size="lg" label={t('run.store')} data={stores.options} value={storeId} onChange={setStoreId} searchable data-testid="run-store" />
            <Select size="lg" label={t('run.template')} data={(templates.data?.items ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))} value={templateId} onChange={setTemplateId} data-testid="run-template" />
          </Group>
        </Section>
        {!storeId || !tpl.data ? <Text c="dimmed">{t('run.pick')}</Text> : AUDIT_SECTIONS.filter((s) => qs.some((q) => q.section === s)).map((s) => (
          <Section key={s} title={t(`section.${s}`)}>
            <Stack>
              {qs.filter((q) => q.section === s).map((q) => {
                const a = answers[q.id] ?? blank;
                const v = valueOf(a);
                const fails = v !== null && answerFails(q.scale, v);
                const options = q.scale === 'yes_no'
                  ? [{ value: '1', label: t('run.yes') }, { value: '0', label: t('run.no') }]
                  : ['0', '1', '2', '3', '4', '5'].map((x) => ({ value: x, label: x }));
                return (
                  <Card key={q.id} withBorder data-testid="run-question" data-question={q.text}>
                    <Stack gap="xs">
                      <Group justify="space-between">
                        <Title order={5}>{q.text}</Title>
                        <Text size="sm" c="dimmed">{`${t('audit.weight')} ${q.weight} · ${t(`scale.${q.scale}`)}`}</Text>
                      </Group>
                      <SegmentedControl size="lg" fullWidth data={[...options, { value: 'na', label: t('run.na') }]} value={a.value ?? ''} onChange={(x) => set(q.id, { value: x })} data-testid="run-answer" />
                      <Group grow align="end">
                        <TextInput label={t('run.note')} value={a.note} onChange={(e) => set(q.id, { note: e.currentTarget.value })} data-testid="run-note" />
                        <FileInput label={t('run.photo')} accept="image/*" value={a.photo} onChange={(p) => set(q.id, { photo: p })} clearable data-testid="run-photo" />
                      </Group>
                      {fails && (
                        <>
                          <Badge color="red" variant="light" data-testid="run-fails">{t('run.fails')}</Badge>
                          <Group grow>
                            <TextInput label={t('run.owner')} value={a.owner} onChange={(e) => set(q.id, { owner: e.currentTarget.value })} data-testid="run-owner" />
                            <TextInput type="date" label={t('run.due')} value={a.due} onChange={(e) => set(q.id, { due: e.currentTarget.value })} data-testid="run-due" />
                          </Group>
                        </>
                      )}
                    </Stack>
                  </Card>
                );
              })}
            </Stack>
          </Section>
        ))}
        <ProblemAlert error={submit.error} />
        {tpl.data && storeId && (
          <Group>
            <Button size="lg" onClick={() => submit.mutate()} disabled={!complete} loading={submit.isPending} data-testid="run-submit">{t('run.submit')}</Button>
          </Group>
        )}
      </Stack>
    </DetailLayout>
  );
}
