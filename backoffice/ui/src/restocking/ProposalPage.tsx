/** Reposición: a store's latest proposal — what to order, from where and why — with editable quantities and confirm. */
import { Alert, Button, Group, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ProposalDetail, ProposalView } from '@tpv/shared/wire/http/restocking';
import { api, get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { confirmAction, QueryState, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';

export default function ProposalPage() {
  const { t } = useT(messages);
  const stores = useStoreOptions();
  const [storeId, setStoreId] = useState<string | null>(null);
  const current = storeId ?? stores.stores[0]?.id ?? null;
  return (
    <>
      <PageHeader title={t('nav.proposals')} />
      <QueryState query={stores}>
        {() => (
          <Stack>
            <Select label={t('r.store')} data={stores.options} value={current} onChange={setStoreId} data-testid="restock-store" maw={360} allowDeselect={false} />
            {current && <StoreProposal storeId={current} />}
          </Stack>
        )}
      </QueryState>
    </>
  );
}

function StoreProposal({ storeId }: { storeId: string }) {
  const { t, locale } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['restock-proposal', storeId];
  const latest = useQuery({
    queryKey: key,
    queryFn: async () => {
      const [p] = await get<ProposalView[]>(withQuery('/api/restocking/proposals', { storeId, limit: 1 }));
      return p && p.status !== 'discarded' ? get<ProposalDetail>(`/api/restocking/proposals/${p.id}`) : null;
    },
  });
  const compute = useMutation({
    mutationFn: () => api<ProposalDetail>('POST', '/api/restocking/proposals', { storeId }),
    onSuccess: (p) => qc.setQueryData(key, p),
    onError: (e) => toast.fail(e),
  });
  const setQty = useMutation({
    mutationFn: ({ id, productId, quantity }: { id: string; productId: string; quantity: number }) => api('PUT', `/api/restocking/proposals/${id}/lines/${productId}`, { quantity }),
    onError: (e) => {
      toast.fail(e);
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const confirm = useMutation({
    mutationFn: (id: string) => api<ProposalDetail>('POST', `/api/restocking/proposals/${id}/confirm`),
    onSuccess: (p) => {
      qc.setQueryData(key, p);
      toast.ok(t('r.confirmed'));
    },
    onError: (e) => toast.fail(e),
  });
  const fmt = (n: number, digits = 1) => n.toLocaleString(locale, { maximumFractionDigits: digits });
  return (
    <QueryState query={latest}>
      {(p) => (
        <Stack>
          <Group>
            <Button onClick={() => compute.mutate()} loading={compute.isPending} data-testid="restock-compute" variant={p?.status === 'draft' ? 'default' : 'filled'}>
              {t('r.compute')}
            </Button>
            {p?.status === 'draft' && p.lines.length > 0 && (
              <Button
                data-testid="restock-confirm"
                loading={confirm.isPending}
                onClick={async () => {
                  if (await confirmAction({ title: t('r.confirm'), body: t('r.confirmQ'), confirmLabel: t('r.confirm'), cancelLabel: '✕' })) confirm.mutate(p.id);
                }}
              >
                {t('r.confirm')}
              </Button>
            )}
          </Group>
          {!p && <Text c="dimmed">{t('r.none')}</Text>}
          {p && (
            <Section title={t('r.proposalOf', { date: new Date(p.createdAt).toLocaleString(locale), status: t(`r.status.${p.status}`) })} testId="restock-proposal">
              {p.lines.length === 0 ? (
                <Text c="dimmed">{t('r.nothing')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={900}>
                  <Table striped data-testid="restock-lines">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('r.product')}</Table.Th>
                        <Table.Th>{t('r.source')}</Table.Th>
                        <Table.Th ta="right">{t('r.onHand')}</Table.Th>
                        <Table.Th ta="right">{t('r.incoming')}</Table.Th>
                        <Table.Th ta="right">{t('r.perDay')}</Table.Th>
                        <Table.Th ta="right">{t('r.cover')}</Table.Th>
                        <Table.Th ta="right">{t('r.suggested')}</Table.Th>
                        <Table.Th>{t('r.quantity')}</Table.Th>
                        <Table.Th>{t('r.why')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.lines.map((l) => (
                        <Table.Tr key={l.productId} data-testid={`restock-line-${l.sku}`}>
                          <Table.Td>{`${l.sku} · ${l.name}`}</Table.Td>
                          <Table.Td>{l.source === 'supplier' ? `${t('r.source.supplier')}: ${l.supplierName ?? '—'}` : t('r.source.warehouse')}</Table.Td>
                          <Table.Td ta="right">{fmt(l.onHand, 0)}</Table.Td>
                          <Table.Td ta="right">{`${fmt(l.openOrders, 0)} / ${fmt(l.inTransit, 0)}`}</Table.Td>
                          <Table.Td ta="right">{fmt(l.salesPerDay, 2)}</Table.Td>
                          <Table.Td ta="right">{l.coverDays === null ? '—' : fmt(l.coverDays)}</Table.Td>
                          <Table.Td ta="right">{fmt(l.suggestedQty, 0)}</Table.Td>
                          <Table.Td>
                            {p.status === 'draft' ? (
                              <NumberInput
                                size="xs"
                                w={100}
                                min={0}
                                allowDecimal={false}
                                defaultValue={l.quantity}
                                aria-label={`${t('r.quantity')} ${l.sku}`}
                                data-testid={`restock-qty-${l.sku}`}
                                onBlur={(e) => {
                                  const q = Number(e.currentTarget.value.replace(/\D/g, '') || 0);
                                  if (q !== l.quantity) setQty.mutate({ id: p.id, productId: l.productId, quantity: q });
                                }}
                              />
                            ) : (
                              fmt(l.quantity, 0)
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Text size="xs" c="dimmed">
                              {t('r.whyText', { rop: l.reorderPoint, target: l.target, ss: l.safetyStock, lead: l.leadTimeDays, season: fmt(l.seasonality, 2) })}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              {p.orders.length > 0 && (
                <Alert mt="md" title={t('r.orders')} data-testid="restock-orders">
                  {p.orders.map((o) => (
                    <Text key={o.id} size="sm">{`${o.kind === 'replenishment' ? 'PR' : 'PC'} ${o.number ?? o.id} · ${o.lines}`}</Text>
                  ))}
                </Alert>
              )}
            </Section>
          )}
        </Stack>
      )}
    </QueryState>
  );
}
