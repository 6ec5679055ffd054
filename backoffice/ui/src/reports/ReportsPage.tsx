/** The reports the API offers (GET /api/reports), each opening the generic report page. */
import { Card, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { PageHeader } from '../components/layout';
import { tr, useReportList } from './api';
import { messages } from './messages';

export default function ReportsPage() {
  const { t, locale } = useT(messages);
  const list = useReportList();
  return (
    <>
      <PageHeader title={t('reports.title')} subtitle={t('reports.subtitle')} />
      <QueryState query={list}>
        {(items) => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="report-list">
            {items.map((r) => (
              <Card key={r.key} withBorder component={Link} to={`/reports/view/${r.key}`} data-testid={`report-${r.key}`}>
                <Text fw={600}>{tr(r.title, locale)}</Text>
              </Card>
            ))}
            <Card withBorder component={Link} to="/reports/sales" data-testid="report-daily-sales">
              <Text fw={600}>{t('sales.title')}</Text>
            </Card>
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
