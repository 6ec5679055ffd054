/** Store audits of the user's stores, newest first; HQ starts a new one (the tablet page) and keeps the templates. */
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { AuditItem } from '@tpv/shared/wire/http/quality';
import { Link, useNavigate } from 'react-router';
import { get } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { scoreColor, scoreText } from './score';

export default function AuditsPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const navigate = useNavigate();
  const canAudit = useCan('audits.write');
  const list = useQuery({ queryKey: ['quality', 'audits'], queryFn: () => get<{ items: AuditItem[] }>('/api/store-audits') });
  return (
    <>
      <PageHeader
        title={t('audits.title')}
        subtitle={t('audits.subtitle')}
        actions={canAudit ? (
          <Group>
            <Button variant="light" component={Link} to="/quality/audit-templates" data-testid="audit-templates">{t('audits.templates')}</Button>
            <Button component={Link} to="/quality/audits/new" data-testid="audit-new">{t('audits.new')}</Button>
          </Group>
        ) : undefined}
      />
      <Section>
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('audits.empty')}</Text> : (
          <Table striped highlightOnHover data-testid="audits-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audits.number')}</Table.Th><Table.Th>{t('audits.date')}</Table.Th><Table.Th>{t('incidents.store')}</Table.Th><Table.Th>{t('audits.template')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('audits.score')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('audits.failed')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('audits.openActions')}</Table.Th><Table.Th>{t('audits.auditor')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((a) => (
                <Table.Tr key={a.id} data-testid="audit-row" style={{ cursor: 'pointer' }} onClick={() => navigate(`/quality/audits/${a.id}`)}>
                  <Table.Td>{a.number}</Table.Td><Table.Td>{f.dateTime(a.auditedAt)}</Table.Td><Table.Td>{a.storeName}</Table.Td><Table.Td>{a.templateName}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}><Badge variant="light" color={scoreColor(a.scoreCp)}>{scoreText(a.scoreCp, locale)}</Badge></Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{a.failed}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{a.openActions}</Table.Td><Table.Td>{a.auditorEmail ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
