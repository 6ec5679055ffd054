/**
 * Product blocks and recalls: the list (the caller's stores' blocks) and, for HQ (quality.write), a new
 * block — a product, or one lot / best-before range of it, for the network or some stores.
 */
import { Alert, Badge, Button, Group, MultiSelect, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { ProductPicker } from '../replenishment/ProductPicker';
import { messages } from './messages';

export interface BlockSummary {
  id: string; number: string; productId: string; productSku: string; productName: string; scope: 'product' | 'lot' | 'best_before'; lot: string | null;
  bestBeforeFrom: string | null; bestBeforeTo: string | null; reason: string; referenceDate: string; network: boolean; status: 'open' | 'closed' | 'lifted';
  stores: number; storesWithdrawn: number; createdAt: string; closedAt: string | null; liftedAt: string | null; liftNote: string | null;
}
export const STATUS_COLOR: Record<BlockSummary['status'], string> = { open: 'red', closed: 'orange', lifted: 'gray' };

export default function BlocksPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('quality.write');
  const stores = useStoreOptions();
  const list = useQuery({ queryKey: ['product-blocks'], queryFn: () => get<{ items: BlockSummary[] }>('/api/product-blocks') });
  const [productId, setProductId] = useState<string | null>(null);
  const [scope, setScope] = useState<BlockSummary['scope']>('product');
  const [lot, setLot] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState(new Date().toISOString().slice(0, 10));
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => api<{ block: BlockSummary }>('POST', '/api/product-blocks', {
      productId, scope, reason, referenceDate: reference, storeIds,
      ...(scope === 'lot' ? { lot } : {}), ...(scope === 'best_before' ? { bestBeforeFrom: from || null, bestBeforeTo: to || null } : {}),
    }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['product-blocks'] });
      navigate(`/quality/blocks/${r.block.id}`);
    },
  });
  return (
    <>
      <PageHeader title={t('b.title')} subtitle={t('b.help')} />
      {canWrite && (
        <Section title={t('b.new')} testId="block-new">
          <Group align="end" wrap="wrap">
            <ProductPicker label={t('b.product')} value={productId} onChange={setProductId} testId="block-product" />
            <Select label={t('b.scope')} w={180} data={(['product', 'lot', 'best_before'] as const).map((s) => ({ value: s, label: t(`scope.${s}`) }))} value={scope} onChange={(v) => setScope((v ?? 'product') as BlockSummary['scope'])} data-testid="block-scope" />
            {scope === 'lot' && <TextInput label={t('b.lot')} w={140} value={lot} onChange={(e) => setLot(e.currentTarget.value)} data-testid="block-lot" />}
            {scope === 'best_before' && <TextInput label={t('b.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />}
            {scope === 'best_before' && <TextInput label={t('b.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />}
            <TextInput label={t('b.reference')} type="date" value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <TextInput label={t('b.reason')} w={360} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="block-reason" />
            <MultiSelect label={t('b.stores')} w={360} data={stores.options} value={storeIds} onChange={setStoreIds} searchable clearable />
            <Button color="red" disabled={!productId || reason.trim().length < 3} loading={create.isPending} onClick={() => create.mutate()} data-testid="block-create">{t('b.block')}</Button>
          </Group>
          {create.error && <Alert color="red" mt="sm">{create.error.message}</Alert>}
        </Section>
      )}
      <Section>
        {list.error && <Alert color="red">{list.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('b.none')}</Text> : (
          <Table striped highlightOnHover data-testid="blocks-table">
            <Table.Thead><Table.Tr><Table.Th>{t('b.number')}</Table.Th><Table.Th>{t('b.product')}</Table.Th><Table.Th>{t('b.scope')}</Table.Th><Table.Th>{t('b.reason')}</Table.Th><Table.Th>{t('b.reference')}</Table.Th><Table.Th>{t('b.withdrawn')}</Table.Th><Table.Th>{t('b.status')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((b) => (
                <Table.Tr key={b.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/quality/blocks/${b.id}`)} data-testid="block-row">
                  <Table.Td ff="monospace">{b.number}</Table.Td>
                  <Table.Td>{b.productSku} · {b.productName}</Table.Td>
                  <Table.Td>{t(`scope.${b.scope}`)}{b.lot ? ` ${b.lot}` : ''}{b.scope === 'best_before' ? ` ${b.bestBeforeFrom ?? '…'} – ${b.bestBeforeTo ?? '…'}` : ''}</Table.Td>
                  <Table.Td>{b.reason}</Table.Td>
                  <Table.Td>{f.date(b.referenceDate)}</Table.Td>
                  <Table.Td>{b.storesWithdrawn} / {b.stores}</Table.Td>
                  <Table.Td><Badge variant="light" color={STATUS_COLOR[b.status]}>{t(`st.${b.status}`)}</Badge></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
