/** Direct-debit remittances: the list, and making one from the items due by a date. */
import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Remittance, RemittanceDetail } from '@tpv/shared/wire/http/sepa-remittances';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export default function RemittancesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const canWrite = useCan('collections.write');
  const scope = useScopeOptions();
  const list = useQuery({ queryKey: ['collections', 'remittances'], queryFn: () => get<{ items: Remittance[] }>('/api/collections/remittances') });
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [collectionDate, setCollectionDate] = useState(inDays(5));
  const [dueBy, setDueBy] = useState(inDays(5));
  const company = companyId ?? scope.companyOptions[0]?.value ?? null;
  const make = useMutation({
    mutationFn: () => api<RemittanceDetail>('POST', '/api/collections/remittances', { companyId: company, collectionDate, dueBy }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['collections', 'remittances'] }),
  });
  const rows = list.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('r.title')} subtitle={t('r.help')} />
      <Stack>
        {canWrite && (
          <Section title={t('r.new')} testId="remittance-form">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <Select label={t('r.company')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable />
              <TextInput label={t('r.dueBy')} type="date" value={dueBy} onChange={(e) => setDueBy(e.currentTarget.value)} />
              <TextInput label={t('r.collectionDate')} type="date" value={collectionDate} onChange={(e) => setCollectionDate(e.currentTarget.value)} />
            </SimpleGrid>
            <Group mt="md">
              <Button onClick={() => make.mutate()} loading={make.isPending} disabled={!company} data-testid="remittance-create">{t('r.create')}</Button>
            </Group>
            {make.data && <Alert color="green" mt="sm">{t('r.created', { number: make.data.number })}</Alert>}
            {make.error && <Alert color="red" mt="sm" data-testid="remittance-error">{make.error.message}</Alert>}
          </Section>
        )}
        <Section testId="remittances">
          {rows.length === 0 ? (
            <Text c="dimmed">{t('r.none')}</Text>
          ) : (
            <Table striped highlightOnHover data-testid="remittances-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('r.number')}</Table.Th>
                  <Table.Th>{t('r.company')}</Table.Th>
                  <Table.Th>{t('r.collectionDate')}</Table.Th>
                  <Table.Th>{t('r.items')}</Table.Th>
                  <Table.Th ta="right">{t('r.total')}</Table.Th>
                  <Table.Th>{t('r.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/collections/remittances/${r.id}`)} data-testid="remittance-row">
                    <Table.Td>{r.number}</Table.Td>
                    <Table.Td>{scope.companyName(r.companyId)}</Table.Td>
                    <Table.Td>{f.date(r.collectionDate)}</Table.Td>
                    <Table.Td>{r.itemCount}</Table.Td>
                    <Table.Td ta="right">{f.money(r.totalCents)}</Table.Td>
                    <Table.Td><Badge color={r.status === 'settled' ? 'green' : 'blue'} variant="light">{t(`rs.${r.status}`)}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
      </Stack>
    </>
  );
}
