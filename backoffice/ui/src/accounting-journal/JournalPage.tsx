/**
 * The journal of one company, newest first: filters by month or dates, account (or heading), kind, source
 * and text; paged on the server. A row opens the entry; "New entry" writes a manual one.
 */
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { EntryPage } from '@tpv/shared/wire/http/accounting-journal';
import { get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { CompanyPicker, useCompany } from './shared';

export const KINDS = ['manual', 'recurring', 'reversal', 'sales', 'invoice', 'invoice_cancel', 'fee_received', 'supplier_invoice', 'payment', 'remittance', 'remittance_return', 'write_off', 'stock_variation', 'voucher_sale', 'opening', 'closing'] as const;
const SOURCES = ['invoice', 'supplier_invoice', 'till_session', 'payment', 'remittance', 'recurring', 'reversal'] as const;
const PAGE = 50;

export default function JournalPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const company = useCompany();
  const canWrite = useCan('accounting.write');
  const [filters, setFilters] = useState({ period: '', from: '', to: '', account: '', kind: '', sourceType: '', q: '' });
  const [page, setPage] = useState(1);
  const set = (k: keyof typeof filters) => (v: string | null) => (setFilters((x) => ({ ...x, [k]: v ?? '' })), setPage(1));
  const valid = (v: string, re: RegExp) => (re.test(v) ? v : undefined);
  const q = {
    period: valid(filters.period, /^\d{4}-(0[1-9]|1[0-2])$/),
    from: valid(filters.from, /^\d{4}-\d{2}-\d{2}$/),
    to: valid(filters.to, /^\d{4}-\d{2}-\d{2}$/),
    account: valid(filters.account.trim(), /^\d{1,12}$/),
    kind: filters.kind || undefined,
    sourceType: filters.sourceType || undefined,
    q: filters.q.trim() || undefined,
    page,
    pageSize: PAGE,
  };
  const list = useQuery({
    queryKey: ['accounting', 'entries', company.companyId, q],
    queryFn: () => get<EntryPage>(withQuery(`/api/accounting/companies/${company.companyId}/entries`, q)),
    enabled: !!company.companyId,
  });
  const d = list.data;
  const kindLabel = (k: string) => ((KINDS as readonly string[]).includes(k) ? t(`k.${k}` as 'k.manual') : k);
  return (
    <>
      <PageHeader
        title={t('j.title')}
        subtitle={t('j.help')}
        actions={canWrite && company.companyId && <Button onClick={() => void navigate(`/accounting/entries/new?company=${company.companyId}`)} data-testid="journal-new">{t('j.new')}</Button>}
      />
      <Stack>
        <Section>
          <Stack>
            <CompanyPicker company={company} />
            <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }}>
              <TextInput label={t('j.period')} placeholder="2026-11" value={filters.period} onChange={(e) => set('period')(e.currentTarget.value)} data-testid="journal-period" />
              <TextInput label={t('j.from')} type="date" value={filters.from} onChange={(e) => set('from')(e.currentTarget.value)} data-testid="journal-from" />
              <TextInput label={t('j.to')} type="date" value={filters.to} onChange={(e) => set('to')(e.currentTarget.value)} data-testid="journal-to" />
              <TextInput label={t('c.account')} value={filters.account} onChange={(e) => set('account')(e.currentTarget.value)} data-testid="journal-account" />
              <Select label={t('j.kind')} data={KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} value={filters.kind || null} onChange={set('kind')} clearable data-testid="journal-kind" />
              <Select label={t('j.source')} data={[...SOURCES]} value={filters.sourceType || null} onChange={set('sourceType')} clearable data-testid="journal-source" />
              <TextInput label={t('j.text')} value={filters.q} onChange={(e) => set('q')(e.currentTarget.value)} data-testid="journal-q" />
            </SimpleGrid>
          </Stack>
        </Section>
        {list.error && <Alert color="red">{errorText(list.error, locale)}</Alert>}
        {d && (
          <Section>
            {d.items.length === 0 ? (
              <Text c="dimmed" data-testid="journal-empty">{t('c.none')}</Text>
            ) : (
              <Table striped highlightOnHover data-testid="journal-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('j.number')}</Table.Th>
                    <Table.Th>{t('c.date')}</Table.Th>
                    <Table.Th>{t('j.kind')}</Table.Th>
                    <Table.Th>{t('c.description')}</Table.Th>
                    <Table.Th>{t('j.source')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('j.total')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.items.map((e) => (
                    <Table.Tr key={e.id} onClick={() => void navigate(`/accounting/entries/${company.companyId}/${e.id}?company=${company.companyId}`)} style={{ cursor: 'pointer' }} data-testid="journal-row" data-entry={e.id}>
                      <Table.Td>{e.year}/{e.number}</Table.Td>
                      <Table.Td data-testid="journal-date">
                        {f.date(e.entryDate)}
                        {/* A late document moved out of a locked month: its own date, so the accountant sees why. */}
                        {e.documentDate !== e.entryDate && <Text size="xs" c="dimmed" data-testid="journal-document-date">{t('j.documentDate', { date: f.date(e.documentDate) })}</Text>}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={e.kind === 'reversal' ? 'orange' : 'gray'}>{kindLabel(e.kind)}</Badge>
                        {e.reversedById && <Badge ml={4} variant="light" color="red" data-testid="journal-reversed">{t('j.reversed')}</Badge>}
                      </Table.Td>
                      <Table.Td data-testid="journal-description">{e.description}</Table.Td>
                      <Table.Td>{e.sourceRef ?? e.sourceType ?? ''}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }} data-testid="journal-total">{f.money(e.totalCents)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group justify="space-between" mt="sm">
              <Text size="sm" c="dimmed" data-testid="journal-count">{t('j.count', { count: d.total })}</Text>
              <Group gap="xs">
                <Button size="xs" variant="default" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('j.prev')}</Button>
                <Text size="sm">{t('j.page', { page })}</Text>
                <Button size="xs" variant="default" disabled={!d.hasMore} onClick={() => setPage(page + 1)}>{t('j.next')}</Button>
              </Group>
            </Group>
          </Section>
        )}
      </Stack>
    </>
  );
}
