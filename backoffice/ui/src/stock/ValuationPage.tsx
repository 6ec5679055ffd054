/**
 * Stock valuation per company and location, now or at the end of a chosen day (quantity then × average cost
 * then, from the ledger and the cost history). Transit is the stock a company has on the way.
 */
import { Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ValuationResponse } from '@tpv/shared/wire/http/stock-valuation';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

/** The end of a local day as an instant (a valuation "at 2026-11-15" includes all of that day). */
const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

export default function ValuationPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const [day, setDay] = useState('');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const at = day ? endOfDay(day) : undefined;
  const valuation = useQuery({ queryKey: ['stock-valuation', at], queryFn: () => get<ValuationResponse>(withQuery('/api/stock/valuation', { at })) });
  const kind = (k: string) => t(`kind.${k}` as 'kind.store');
  return (
    <>
      <PageHeader title={t('valuation.title')} subtitle={day ? t('valuation.at', { day: f.date(at) }) : t('valuation.now')} />
      <Group mb="md" align="end">
        <TextInput type="date" label={t('valuation.date')} data-testid="valuation-date" value={day} onChange={(e) => setDay(e.currentTarget.value)} />
        <QueryState query={valuation}>
          {(v) => (
            <Select
              label={t('valuation.company')}
              data-testid="valuation-company"
              clearable
              placeholder={t('valuation.all')}
              data={v.companies.map((c) => ({ value: c.companyId, label: c.companyName }))}
              value={companyId}
              onChange={setCompanyId}
            />
          )}
        </QueryState>
      </Group>
      <QueryState query={valuation}>
        {(v) => {
          const locations = v.locations.filter((l) => !companyId || l.companyId === companyId);
          const companies = v.companies.filter((c) => !companyId || c.companyId === companyId);
          const names = new Map(v.companies.map((c) => [c.companyId, c.companyName]));
          return (
            <>
              <Section title={t('valuation.companies')} testId="valuation-companies">
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('valuation.company')}</Table.Th>
                      <Table.Th ta="right">{t('valuation.inTransit')}</Table.Th>
                      <Table.Th ta="right">{t('stock.value')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {companies.map((c) => (
                      <Table.Tr key={c.companyId}>
                        <Table.Td>{c.companyName}</Table.Td>
                        <Table.Td ta="right">{f.money(c.inTransitCents)}</Table.Td>
                        <Table.Td ta="right">{f.money(c.valueCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                  <Table.Tfoot>
                    <Table.Tr>
                      <Table.Th>{t('valuation.total')}</Table.Th>
                      <Table.Th />
                      <Table.Th ta="right" data-testid="valuation-total">
                        {f.money(companies.reduce((s, c) => s + c.valueCents, 0))}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Tfoot>
                </Table>
              </Section>
              <Section title={t('valuation.locations')} testId="valuation-locations">
                {locations.length === 0 ? (
                  <Text c="dimmed">{t('valuation.empty')}</Text>
                ) : (
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('stock.location')}</Table.Th>
                        <Table.Th>{t('valuation.kind')}</Table.Th>
                        <Table.Th>{t('valuation.company')}</Table.Th>
                        <Table.Th ta="right">{t('valuation.products')}</Table.Th>
                        <Table.Th ta="right">{t('valuation.withoutCost')}</Table.Th>
                        <Table.Th ta="right">{t('stock.value')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {locations.map((l) => (
                        <Table.Tr key={l.locationId} data-testid={`valuation-${l.code}`}>
                          <Table.Td>
                            {l.code} · {l.name}
                          </Table.Td>
                          <Table.Td>{kind(l.kind)}</Table.Td>
                          <Table.Td>{names.get(l.companyId) ?? '—'}</Table.Td>
                          <Table.Td ta="right">{f.number(l.products)}</Table.Td>
                          <Table.Td ta="right">{l.productsWithoutCost ? f.number(l.productsWithoutCost) : '—'}</Table.Td>
                          <Table.Td ta="right">{f.money(l.valueCents)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Section>
            </>
          );
        }}
      </QueryState>
    </>
  );
}
