/** The franchisor's wholesale price list: every active product with its price (HQ edits it in place). */
import { Badge, Button, Group, NumberInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { WholesalePriceItem } from '@tpv/shared/wire/http/replenishment';
import { useState } from 'react';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader } from '../components/layout';
import { messages } from './messages';

function PriceCell({ row }: { row: WholesalePriceItem }) {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const [value, setValue] = useState<number | string>(row.priceCents === null ? '' : row.priceCents / 100);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const cents = value === '' ? null : Math.round(Number(value) * 100);
      await api('PUT', '/api/wholesale-prices', { prices: [{ productId: row.productId, priceCents: cents }] });
      toast.ok(t('wholesale.saved'));
      await qc.invalidateQueries({ queryKey: ['list', '/api/wholesale-prices'] });
    } catch (e) {
      toast.fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group gap="xs" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
      <NumberInput size="xs" w={110} min={0} decimalScale={2} fixedDecimalScale decimalSeparator="," value={value} onChange={setValue} data-testid={`wholesale-price-${row.sku}`} />
      <Button size="xs" variant="light" onClick={save} loading={busy} data-testid={`wholesale-save-${row.sku}`}>
        {t('wholesale.save')}
      </Button>
    </Group>
  );
}

export default function WholesalePricesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const mayEdit = useCan('warehouse.write');
  const columns: Array<ColumnDef<WholesalePriceItem>> = [
    { id: 'sku', header: t('order.sku'), cell: ({ row: { original: x } }) => x.sku },
    { id: 'name', header: t('order.article'), cell: ({ row: { original: x } }) => x.name },
    { id: 'iva', header: t('note.iva'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => f.percentBp(x.taxRateBp) },
    { id: 'cost', header: t('wholesale.cost'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: x } }) => (x.costCents === null ? '—' : f.money(x.costCents)) },
    {
      id: 'priceCents',
      header: t('wholesale.price'),
      meta: { align: 'right' },
      cell: ({ row: { original: x } }) =>
        mayEdit ? <PriceCell key={`${x.productId}:${x.priceCents}`} row={x} /> : x.priceCents === null ? <Badge color="gray" variant="light">{t('wholesale.missing')}</Badge> : f.money(x.priceCents),
    },
  ];
  return (
    <>
      <PageHeader title={t('wholesale.title')} subtitle={t('wholesale.subtitle')} />
      <DataTable
        testId="wholesale"
        endpoint="/api/wholesale-prices"
        columns={columns}
        rowKey={(x) => x.productId}
        defaults={{ sort: 'sku', dir: 'asc' }}
        search
        filters={[{ name: 'missing', label: t('wholesale.missing'), options: [{ value: 'true', label: t('wholesale.missing') }], testId: 'wholesale-missing' }]}
        exportName={false}
        empty={t('wholesale.empty')}
      />
    </>
  );
}
