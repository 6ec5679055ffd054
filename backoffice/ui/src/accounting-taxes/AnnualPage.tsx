/** Modelo 347 of a company and year: counterparties over 3.005,06 € by key and quarter, each opening its rows. */
import { Alert, Badge, Button, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AnnualAnswer } from '@tpv/shared/wire/http/accounting-taxes';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';
import { BookRows, Downloads, yearOptions } from './shared';

type Party = AnnualAnswer['declared'][number];

export default function AnnualPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [year, setYear] = useState(String(new Date().getFullYear() - 1));
  const [open, setOpen] = useState<Party | null>(null);
  useEffect(() => {
    if (!companyId && scope.companyOptions.length > 0) setCompanyId(scope.companyOptions[0]!.value);
  }, [companyId, scope.companyOptions]);
  const base = companyId ? `/api/accounting/companies/${companyId}/annual-counterparties` : '';
  const q = useQuery({ queryKey: ['accounting', '347', companyId, year], queryFn: () => get<AnnualAnswer>(withQuery(base, { year })), enabled: !!companyId });
  const a = q.data;
  const right = { textAlign: 'right' } as const;
  const table = (parties: readonly Party[], testId: string) => (
    <Table striped highlightOnHover data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('b.nif')}</Table.Th>
          <Table.Th>{t('b.name')}</Table.Th>
          <Table.Th>{t('a.key')}</Table.Th>
          <Table.Th style={right}>{t('a.annual')}</Table.Th>
          {[1, 2, 3, 4].map((n) => <Table.Th key={n} style={right}>{t('c.q', { n })}</Table.Th>)}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {parties.map((c) => (
          <Table.Tr key={`${c.key}:${c.nif}`} onClick={() => setOpen(c)} style={{ cursor: 'pointer' }} data-testid="party" data-nif={c.nif} data-key={c.key}>
            <Table.Td>{c.nif}</Table.Td>
            <Table.Td>{c.name}</Table.Td>
            <Table.Td><Badge variant="light" color={c.key === 'A' ? 'grape' : 'blue'}>{c.key}</Badge></Table.Td>
            <Table.Td style={right} fw={600} data-testid="party-total">{f.money(c.totalCents)}</Table.Td>
            {c.quarters.map((x, i) => <Table.Td key={i} style={right}>{f.money(x)}</Table.Td>)}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return (
    <>
      <PageHeader title={t('a.title')} subtitle={t('a.help')} actions={companyId && <Downloads path={base} query={{ year }} name={`modelo-347-${year}`} />} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select label={t('c.company')} data={scope.companyOptions} value={companyId} onChange={(c) => (setCompanyId(c), setOpen(null))} searchable data-testid="tax-company" />
            <Select label={t('c.year')} data={yearOptions} value={year} onChange={(y) => y && (setYear(y), setOpen(null))} allowDeselect={false} data-testid="tax-year" />
          </SimpleGrid>
        </Section>
        {q.error && <Alert color="red" data-testid="tax-error">{q.error.message}</Alert>}
        {a && (
          <>
            <Section title={t('a.declared', { count: a.declared.length })} testId="declared">{table(a.declared, 'declared-table')}</Section>
            <Section title={t('a.under', { count: a.under.length })} testId="under">{table(a.under, 'under-table')}</Section>
            {a.excluded.length > 0 && (
              <Text size="sm" c="dimmed" data-testid="excluded">
                {t('a.excluded', { count: a.excluded.length })}: {[...new Set(a.excluded.map((e) => e.reason))].map((r) => t(`x.${r}`)).join(', ')}
              </Text>
            )}
            {open && (
              <Section title={`${open.nif} · ${open.name} (${open.key})`} actions={<Button variant="subtle" size="xs" onClick={() => setOpen(null)}>{t('c.close')}</Button>} testId="party-rows">
                <BookRows rows={a.rows.filter((r) => open.rows.includes(r.key))} testId="party-rows-table" />
              </Section>
            )}
          </>
        )}
      </Stack>
    </>
  );
}
