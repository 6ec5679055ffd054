/** One audit: score, answers with photos (failed ones marked), and its corrective actions, closable with a note. */
import { Badge, Group, Stack, Table } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditDetail } from '@tpv/shared/wire/http/quality';
import { useParams } from 'react-router';
import { get } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { ActionsTable } from './ActionsTable';
import { messages } from './messages';
import { AuthPhoto } from './photos';
import { scoreColor, scoreText } from './score';

export default function AuditPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['quality', 'audit', id], queryFn: () => get<AuditDetail>(`/api/store-audits/${encodeURIComponent(id)}`) });
  const answerText = (a: AuditDetail['answers'][number]) => (a.value === null ? t('run.na') : a.scale === 'yes_no' ? t(a.value === 1 ? 'run.yes' : 'run.no') : `${a.value} / 5`);
  return (
    <QueryState query={q}>
      {(a) => (
        <DetailLayout
          back={{ to: '/quality/audits', label: t('audit.back') }}
          title={<span data-testid="audit-heading">{`${a.number} · ${a.storeName}`}</span>}
          actions={<Badge size="xl" variant="light" color={scoreColor(a.scoreCp)} data-testid="audit-score">{scoreText(a.scoreCp, locale)}</Badge>}
        >
          <Stack>
            <Section>
              <Fields items={[[t('audits.template'), a.templateName], [t('audits.date'), f.dateTime(a.auditedAt)], [t('audits.auditor'), a.auditorEmail ?? '—'], [t('audits.failed'), String(a.failed)]]} />
            </Section>
            <Section title={t('audit.answers')}>
              <Table striped data-testid="audit-answers">
                <Table.Thead><Table.Tr><Table.Th>{t('templates.section')}</Table.Th><Table.Th>{t('audit.question')}</Table.Th><Table.Th>{t('audit.weight')}</Table.Th><Table.Th>{t('audit.answer')}</Table.Th><Table.Th>{t('run.note')}</Table.Th><Table.Th>{t('incident.photos')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {a.answers.map((x) => (
                    <Table.Tr key={x.questionId} data-testid="audit-answer">
                      <Table.Td>{t(`section.${x.section}`)}</Table.Td>
                      <Table.Td>{x.text}</Table.Td>
                      <Table.Td>{x.weight}</Table.Td>
                      <Table.Td>{x.failed ? <Badge color="red" variant="light">{answerText(x)}</Badge> : answerText(x)}</Table.Td>
                      <Table.Td>{x.note ?? ''}</Table.Td>
                      <Table.Td><Group>{x.photos.map((p) => <AuthPhoto key={p.fileId} url={p.url} alt={x.text} testId="audit-photo" />)}</Group></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
            <Section title={t('audit.actions')} testId="audit-actions">
              <ActionsTable items={a.actions} showAudit={false} onChanged={() => void qc.invalidateQueries({ queryKey: ['quality'] })} />
            </Section>
          </Stack>
        </DetailLayout>
      )}
    </QueryState>
  );
}
