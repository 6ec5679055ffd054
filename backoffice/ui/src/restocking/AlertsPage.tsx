/** Alertas: products below their minimum, and products with stock that have not sold for N weeks. */
import { NumberInput, Select, Stack, Table, Text, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Alerts } from '@tpv/shared/wire/http/restocking';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export default function AlertsPage() {
  const { t } = useT(messages);
  const stores = useStoreOptions();
  const [storeId, setStoreId] = useState<string | null>(null);
  const [weeks, setWeeks] = useState(8);
  const alerts = useQuery({ queryKey: ['restock-alerts', storeId, weeks], queryFn: () => get<Alerts>(withQuery('/api/restocking/alerts', { storeId, weeks })) });
  return (
    <>
      <PageHeader title={t('r.alerts.title')} />
      <Stack>
        <Group>
          <Select label={t('r.store')} placeholder={t('r.allStores')} data={stores.options} value={storeId} onChange={setStoreId} clearable maw={360} data-testid="alerts-store" />
          <NumberInput label={t('r.alerts.weeks')} value={weeks} onChange={(v) => setWeeks(typeof v === 'number' && v >= 1 ? v : 8)} min={1} max={104} w={160} data-testid="alerts-weeks" />
        </Group>
        <QueryState query={alerts}>
          {(a) => (
            <>
              <Section title={`${t('r.alerts.below')} (${a.belowMinimum.length})`} testId="alerts-below">
                {a.belowMinimum.length === 0 ? <Text c="dimmed">—</Text> : (
                  <Table striped>
                    <Table.Tbody>
                      {a.belowMinimum.map((x) => (
                        <Table.Tr key={`${x.storeId}|${x.productId}`}>
                          <Table.Td>{x.storeCode}</Table.Td>
                          <Table.Td>{`${x.sku} · ${x.name}`}</Table.Td>
                          <Table.Td ta="right">{`${x.onHand} < ${x.minQty}`}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Section>
              <Section title={`${t('r.alerts.noSales', { weeks })} (${a.withoutSales.length})`} testId="alerts-nosales">
                {a.withoutSales.length === 0 ? <Text c="dimmed">—</Text> : (
                  <Table striped>
                    <Table.Tbody>
                      {a.withoutSales.map((x) => (
                        <Table.Tr key={`${x.storeId}|${x.productId}`}>
                          <Table.Td>{x.storeCode}</Table.Td>
                          <Table.Td>{`${x.sku} · ${x.name}`}</Table.Td>
                          <Table.Td ta="right">{x.onHand}</Table.Td>
                          <Table.Td>{`${t('r.lastSale')}: ${x.lastSaleWeek ?? '—'}`}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Section>
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
