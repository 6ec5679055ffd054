/** Transfers between a company's stores and warehouses: the list and a form for a new one (a draft). */
import { Button, Group, Select, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Transfer, TransferItem } from '@tpv/shared/wire/http/stock-operations';
import { api } from '../app/api';
import { Can } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { DocumentLinesEditor, type EditorLine } from './DocumentLinesEditor';
import { StatusBadge, useLocationOptions } from './operations-common';
import { opsMessages } from './operations-messages';

export default function TransfersPage() {
  const { t } = useT(opsMessages);
  const f = useFormat();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns: Array<ColumnDef<TransferItem>> = [
    { id: 'number', header: t('ops.number'), accessorKey: 'number' },
    { id: 'from', header: t('ops.from'), accessorKey: 'fromName' },
    { id: 'to', header: t('ops.to'), accessorKey: 'toName' },
    { id: 'status', header: t('ops.status'), cell: ({ row: { original: x } }) => <StatusBadge status={x.status} /> },
    { id: 'createdAt', header: t('ops.date'), accessorFn: (x) => f.dateTime(x.createdAt) },
    { id: 'lines', header: t('ops.lines'), meta: { align: 'right' }, accessorKey: 'lineCount' },
  ];
  return (
    <>
      <PageHeader title={t('tr.title')} actions={<Can permission="inventory.write"><Button data-testid="transfer-new" onClick={() => setCreating(true)}>{t('tr.new')}</Button></Can>} />
      {creating && <NewTransfer onDone={(id) => navigate(id)} onCancel={() => setCreating(false)} />}
      <DataTable testId="transfers" endpoint="/api/stock/transfers" columns={columns} rowKey={(x) => x.id} onRowClick={(x) => navigate(x.id)} empty={t('ops.none')} exportName={false} />
    </>
  );
}

function NewTransfer({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t } = useT(opsMessages);
  const toast = useToast();
  const locations = useLocationOptions();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [lines, setLines] = useState<EditorLine[]>([]);
  const create = useMutation({
    mutationFn: () => api<Transfer>('POST', '/api/stock/transfers', { fromLocationId: from, toLocationId: to, lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) }),
    onSuccess: (x) => onDone(x.id),
    onError: (e) => toast.fail(e),
  });
  return (
    <Section title={t('tr.new')} testId="transfer-form">
      <Stack>
        <Group grow>
          <Select label={t('ops.from')} data={locations} value={from} onChange={setFrom} searchable data-testid="transfer-from" />
          <Select label={t('ops.to')} data={locations} value={to} onChange={setTo} searchable data-testid="transfer-to" />
        </Group>
        <DocumentLinesEditor lines={lines} onChange={setLines} quantityLabel={t('ops.quantity')} />
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!from || !to || lines.length === 0} data-testid="transfer-create">{t('tr.create')}</Button>
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
        </Group>
      </Stack>
    </Section>
  );
}
