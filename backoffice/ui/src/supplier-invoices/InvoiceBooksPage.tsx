/** The invoice registers (libros registro) of a company and period: issued or received, downloaded as XLSX or CSV. */
import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

type Made = { fileId: string; name: string; rows: number; baseCents: number; ivaCents: number; totalCents: number };

export default function InvoiceBooksPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [period, setPeriod] = useState(() => new Date().toISOString().slice(0, 7));
  const [book, setBook] = useState<'issued' | 'received'>('received');
  const company = companyId ?? scope.companyOptions[0]?.value ?? null;
  const make = useMutation({
    mutationFn: async (format: 'xlsx' | 'csv') => {
      const made = await api<Made>('POST', '/api/invoice-books', { companyId: company, period, book, format });
      await download(`/api/files/${made.fileId}`, made.name);
      return made;
    },
  });
  const m = make.data;
  return (
    <>
      <PageHeader title={t('b.title')} subtitle={t('b.help')} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select label={t('l.company')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable data-testid="books-company" />
            <TextInput label={t('b.period')} value={period} onChange={(e) => setPeriod(e.currentTarget.value)} data-testid="books-period" />
            <Select label={t('b.book')} data={[{ value: 'received', label: t('b.received') }, { value: 'issued', label: t('b.issued') }]} value={book} onChange={(v) => setBook((v as 'issued' | 'received') ?? 'received')} data-testid="books-book" />
          </SimpleGrid>
          <Group mt="md">
            <Button onClick={() => make.mutate('xlsx')} loading={make.isPending && make.variables === 'xlsx'} disabled={!company} data-testid="books-xlsx">{t('b.xlsx')}</Button>
            <Button variant="default" onClick={() => make.mutate('csv')} loading={make.isPending && make.variables === 'csv'} disabled={!company} data-testid="books-csv">{t('b.csv')}</Button>
          </Group>
        </Section>
        {m && <Text data-testid="books-made">{t('b.made', { rows: m.rows, base: f.money(m.baseCents), iva: f.money(m.ivaCents), total: f.money(m.totalCents) })}</Text>}
        {make.error && <Alert color="red" data-testid="books-error">{make.error.message}</Alert>}
      </Stack>
    </>
  );
}
