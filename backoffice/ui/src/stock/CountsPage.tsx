/** Stock counts: the list, and a form to start one (full, a category, or a product list by code). */
import { Button, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Count, CountItem } from '@tpv/shared/wire/http/stock-operations';
import { api, get } from '../app/api';
import { Can } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { productByCode, StatusBadge, useLocationOptions } from './operations-common';
import { opsMessages, type OpsKey } from './operations-messages';

export default function CountsPage() {
  const { t } = useT(opsMessages);
  const f = useFormat();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns: Array<ColumnDef<CountItem>> = [
    { id: 'number', header: t('ops.number'), accessorKey: 'number' },
    { id: 'location', header: t('ops.location'), accessorKey: 'locationName' },
    { id: 'scope', header: t('cn.scope'), accessorFn: (c) => t(`cn.scope.${c.scope}` as OpsKey) },
    { id: 'status', header: t('ops.status'), cell: ({ row: { original: c } }) => <StatusBadge status={c.status} /> },
    { id: 'startedAt', header: t('ops.date'), accessorFn: (c) => f.dateTime(c.startedAt) },
    { id: 'value', header: t('cn.valueDifference'), meta: { align: 'right' }, accessorFn: (c) => (c.valueDifferenceCents === null ? '—' : f.money(c.valueDifferenceCents)) },
  ];
  return (
    <>
      <PageHeader title={t('cn.title')} actions={<Can permission="inventory.write"><Button data-testid="count-new" onClick={() => setCreating(true)}>{t('cn.new')}</Button></Can>} />
      {creating && <NewCount onDone={(id) => navigate(id)} onCancel={() => setCreating(false)} />}
      <DataTable testId="counts" endpoint="/api/stock/counts" columns={columns} rowKey={(c) => c.id} onRowClick={(c) => navigate(c.id)} empty={t('ops.none')} exportName={false} />
    </>
  );
}

function NewCount({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t } = useT(opsMessages);
  const toast = useToast();
  const locations = useLocationOptions();
  const categories = useQuery({ queryKey: ['categories'], queryFn: () => get<{ items: Array<{ id: string; name: string }> }>('/api/categories') });
  const [locationId, setLocation] = useState<string | null>(null);
  const [scope, setScope] = useState<'full' | 'category' | 'products'>('full');
  const [categoryId, setCategory] = useState<string | null>(null);
  const [codes, setCodes] = useState('');
  const [threshold, setThreshold] = useState<number>(0);
  const start = useMutation({
    mutationFn: async () => {
      const productIds: string[] = [];
      if (scope === 'products') {
        for (const code of codes.split(/[\s,;]+/).filter(Boolean)) {
          const p = await productByCode(code);
          if (!p) throw new Error(t('ops.unknownCode', { code }));
          productIds.push(p.id);
        }
      }
      return api<Count>('POST', '/api/stock/counts', {
        locationId, scope, recountThreshold: threshold,
        ...(scope === 'category' ? { categoryId } : {}),
        ...(scope === 'products' ? { productIds } : {}),
      });
    },
    onSuccess: (c) => onDone(c.id),
    onError: (e) => toast.fail(e),
  });
  return (
    <Section title={t('cn.new')} testId="count-form">
      <Stack>
        <Group grow align="flex-start">
          <Select label={t('ops.location')} data={locations} value={locationId} onChange={setLocation} searchable data-testid="count-location" />
          <Select
            label={t('cn.scope')} allowDeselect={false} value={scope} onChange={(v) => setScope((v ?? 'full') as typeof scope)} data-testid="count-scope"
            data={(['full', 'category', 'products'] as const).map((s) => ({ value: s, label: t(`cn.scope.${s}`) }))}
          />
          <NumberInput label={t('cn.threshold')} min={0} value={threshold} onChange={(v) => setThreshold(Number(v) || 0)} data-testid="count-threshold" />
        </Group>
        {scope === 'category' && <Select label={t('cn.category')} data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} value={categoryId} onChange={setCategory} searchable />}
        {scope === 'products' && <TextInput label={t('ops.code')} value={codes} onChange={(e) => setCodes(e.currentTarget.value)} placeholder="SKU1 SKU2 8412345678905" />}
        <Group>
          <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!locationId} data-testid="count-start">{t('cn.start')}</Button>
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
        </Group>
      </Stack>
    </Section>
  );
}
