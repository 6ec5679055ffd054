/**
 * Quality figures over a period: incidents per store and kind, mean/median time to close, audit score per
 * store and month, supplier rating (HQ); and the audit trends per store and per question.
 */
import { Badge, Group, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { AuditTrends, QualityFigures } from '@tpv/shared/wire/http/quality';
import { useState } from 'react';
import { get, withQuery } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { scoreColor, scoreText } from './score';

/** Minutes as "2 h 05 min". */
const duration = (m: number | null) => (m === null ? '—' : m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min` : `${m} min`);

export default function FiguresPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const q = useQuery({ queryKey: ['quality', 'figures', from, to], queryFn: () => get<QualityFigures>(withQuery('/api/quality/figures', { from, to })) });
  const trends = useQuery({ queryKey: ['quality', 'trends'], queryFn: () => get<AuditTrends>('/api/quality/audit-trends') });
  const d = q.data;
  return (
    <>
      <PageHeader title={t('figures.title')} actions={
        <Group>
          <TextInput type="date" label={t('figures.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="figures-from" />
          <TextInput type="date" label={t('figures.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="figures-to" />
        </Group>
      } />
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Section title={t('figures.incidents')} testId="figures-incidents">
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('incidents.store')}</Table.Th><Table.Th>{t('incidents.kind')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.count')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.open')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {(d?.incidents ?? []).map((r) => (
                  <Table.Tr key={`${r.storeId}-${r.kind}`}><Table.Td>{r.storeName ?? '—'}</Table.Td><Table.Td>{t(`kind.${r.kind}`)}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{r.count}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{r.open}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title={t('figures.timeToClose')} testId="figures-time">
            <Group>
              <Text>{t('figures.closed')}: <b>{d?.timeToClose.closed ?? 0}</b></Text>
              <Text>{t('figures.mean')}: <b>{duration(d?.timeToClose.meanMinutes ?? null)}</b></Text>
              <Text>{t('figures.median')}: <b>{duration(d?.timeToClose.medianMinutes ?? null)}</b></Text>
            </Group>
          </Section>
        </SimpleGrid>
        <Section title={t('figures.audits')} testId="figures-audits">
          <Table striped>
            <Table.Thead><Table.Tr><Table.Th>{t('incidents.store')}</Table.Th><Table.Th>{t('figures.month')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('nav.audits')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('audits.score')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(d?.auditScores ?? []).map((r) => (
                <Table.Tr key={`${r.storeId}-${r.month}`}><Table.Td>{r.storeName}</Table.Td><Table.Td>{r.month}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{r.audits}</Table.Td><Table.Td style={{ textAlign: 'right' }}><Badge variant="light" color={scoreColor(r.meanCp)}>{scoreText(r.meanCp, locale)}</Badge></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        {(d?.suppliers.length ?? 0) > 0 && (
          <Section title={t('figures.suppliers')} testId="figures-suppliers">
            <Text size="sm" c="dimmed">{t('figures.ratingHint')}</Text>
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>{t('figures.supplier')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.deliveries')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.late')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.discrepancies')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.returns')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('figures.rating')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {d!.suppliers.map((s) => (
                  <Table.Tr key={s.supplierId}><Table.Td>{s.supplierName}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.deliveries}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.late}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.discrepancies}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.returns}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.rating ?? '—'}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Section title={t('figures.trend')} testId="figures-trend-stores">
            <Table striped>
              <Table.Tbody>
                {(trends.data?.stores ?? []).map((s) => (
                  <Table.Tr key={s.storeId}><Table.Td>{s.storeName}</Table.Td><Table.Td>{s.points.map((p) => <Badge key={p.auditId} mr={4} variant="light" color={scoreColor(p.scoreCp)}>{`${p.date.slice(0, 10)} ${scoreText(p.scoreCp, locale)}`}</Badge>)}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title={t('figures.questions')} testId="figures-trend-questions">
            <Table striped>
              <Table.Tbody>
                {(trends.data?.questions ?? []).map((x) => (
                  <Table.Tr key={x.questionId}><Table.Td>{x.text}</Table.Td><Table.Td>{x.points.map((p) => <Badge key={p.month} mr={4} variant="light" color={scoreColor(p.meanCp)}>{`${p.month} ${scoreText(p.meanCp, locale)}`}</Badge>)}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
        </SimpleGrid>
      </Stack>
    </>
  );
}
