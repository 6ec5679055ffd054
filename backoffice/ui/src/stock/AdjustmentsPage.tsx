/** Adjustments: the list, and a form posting one (location, cause allowed to the user's role, lines ±). */
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { ADJUSTMENT_CAUSES, type AdjustmentCause } from '@tpv/shared/inventory/movements';
import type { Adjustment, AdjustmentItem } from '@tpv/shared/wire/http/stock-operations';
import { api } from '../app/api';
import { Can, useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { DocumentLinesEditor, type EditorLine } from './DocumentLinesEditor';
import { useLocationOptions } from './operations-common';
import { opsMessages, type OpsKey } from './operations-messages';

export default function AdjustmentsPage() {
  const { t } = useT(opsMessages);
  const f = useFormat();
  const [creating, setCreating] = useState(false);
  const columns: Array<ColumnDef<AdjustmentItem>> = [
    { id: 'number', header: t('ops.number'), accessorKey: 'number' },
    { id: 'location', header: t('ops.location'), accessorKey: 'locationName' },
    { id: 'cause', header: t('rg.cause'), accessorFn: (a) => t(`cause.${a.cause}` as OpsKey) },
    { id: 'postedAt', header: t('ops.date'), accessorFn: (a) => f.dateTime(a.postedAt) },
    { id: 'value', header: t('rg.value'), meta: { align: 'right' }, accessorFn: (a) => f.money(a.valueCents) },
  ];
  return (
    <>
      <PageHeader title={t('rg.title')} actions={<Can permission="inventory.write"><Button data-testid="adjustment-new" onClick={() => setCreating(true)}>{t('rg.new')}</Button></Can>} />
      {creating && <NewAdjustment onDone={() => setCreating(false)} />}
      <DataTable testId="adjustments" endpoint="/api/stock/adjustments" columns={columns} rowKey={(a) => a.id} empty={t('ops.none')} exportName={false} />
    </>
  );
}

function NewAdjustment({ onDone }: { onDone: () => void }) {
  const { t } = useT(opsMessages);
  const toast = useToast();
  const qc = useQueryClient();
  const granted = { 'inventory.write': useCan('inventory.write'), 'inventory.admin': useCan('inventory.admin') };
  const causes = (Object.keys(ADJUSTMENT_CAUSES) as AdjustmentCause[]).filter((c) => granted[ADJUSTMENT_CAUSES[c]]);
  const locations = useLocationOptions();
  const [locationId, setLocation] = useState<string | null>(null);
  const [cause, setCause] = useState<AdjustmentCause | null>(null);
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<EditorLine[]>([]);
  // The document's id is made once per form: a retried click is answered "already posted", never posted twice.
  const [id] = useState(() => crypto.randomUUID());
  const post = useMutation({
    mutationFn: () => api<Adjustment>('POST', '/api/stock/adjustments', { id, locationId, cause, note: note || null, lines: lines.map((l) => ({ productId: l.productId, delta: l.quantity })) }),
    onSuccess: (a) => {
      toast.ok(`${a.number}: ${t('common.saved')}`);
      void qc.invalidateQueries({ queryKey: ['list'] });
      onDone();
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <Section title={t('rg.new')} testId="adjustment-form">
      <Stack>
        <Group grow>
          <Select label={t('ops.location')} data={locations} value={locationId} onChange={setLocation} searchable data-testid="adjustment-location" />
          <Select label={t('rg.cause')} data={causes.map((c) => ({ value: c, label: t(`cause.${c}` as OpsKey) }))} value={cause} onChange={(v) => setCause(v as AdjustmentCause | null)} data-testid="adjustment-cause" />
          <TextInput label={t('ops.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        </Group>
        <DocumentLinesEditor lines={lines} onChange={setLines} quantityLabel={t('rg.delta')} allowNegative />
        <Group>
          <Button onClick={() => post.mutate()} loading={post.isPending} disabled={!locationId || !cause || lines.length === 0} data-testid="adjustment-post">{t('rg.post')}</Button>
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
        </Group>
      </Stack>
    </Section>
  );
}
