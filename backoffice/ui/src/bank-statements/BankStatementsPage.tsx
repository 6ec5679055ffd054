/**
 * Bank statements: upload a Norma 43 / camt.053 file (matched automatically on import), the statements, the
 * movements of the one picked with their status and match, and by hand: match a movement to open items of one
 * counterparty (the rest is credit) or ignore it with a reason.
 */
import { Alert, Badge, Button, FileInput, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { MOVEMENT_STATUSES, type BankMovementItem, type BankStatementDetail, type BankStatementItem, type MatchCandidate } from '@tpv/shared/wire/http/bank-statements';
import { api, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { toast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

const STATUS_COLOR: Record<string, string> = { unmatched: 'orange', matched: 'green', ignored: 'gray' };

/** The bank's bytes as text: UTF-8 when valid, else Latin-1 (what Spanish banks send Norma 43 in). */
async function fileText(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export default function BankStatementsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('collections.write');
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const company = companyId ?? scope.companyOptions[0]?.value ?? null;

  const upload = useMutation({
    mutationFn: async () => api<{ statements: BankStatementDetail[]; matched: number }>('POST', '/api/collections/bank-statements', { companyId: company, content: await fileText(file!), fileName: file!.name }),
    onSuccess: (r) => {
      setFile(null);
      setPicked(r.statements[0]?.id ?? null);
      void qc.invalidateQueries({ queryKey: ['list'] });
      // Matched items are collected: credit control (a block lifted) and the aging change too.
      void qc.invalidateQueries({ queryKey: ['credit-control'] });
      void qc.invalidateQueries({ queryKey: ['collections'] });
      toast.ok(t('b.imported', { n: r.statements.length, matched: r.matched }));
    },
  });

  const columns: Array<ColumnDef<BankStatementItem>> = [
    { id: 'to', header: t('b.period'), cell: ({ row: { original: s } }) => `${f.date(s.from)} – ${f.date(s.to)}` },
    { id: 'company', header: t('b.company'), enableSorting: false, accessorKey: 'companyName' },
    { id: 'account', header: t('b.account'), enableSorting: false, cell: ({ row: { original: s } }) => <span data-testid="statement-iban">{s.iban}</span> },
    { id: 'opening', header: t('b.opening'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => f.money(s.openingBalanceCents) },
    { id: 'closing', header: t('b.closing'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => f.money(s.closingBalanceCents) },
    { id: 'movements', header: t('b.movements'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => s.movementCount },
    { id: 'matched', header: t('b.matched'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => s.matchedCount },
    { id: 'unmatched', header: t('b.unmatched'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => (s.unmatchedCount > 0 ? <Badge color="orange" variant="light">{s.unmatchedCount}</Badge> : 0) },
  ];

  return (
    <>
      <PageHeader title={t('b.title')} subtitle={t('b.subtitle')} />
      <Stack>
        {canWrite && (
          <Section testId="bank-upload">
            <Group align="end">
              {scope.companyOptions.length > 1 && <Select label={t('b.company')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable data-testid="bank-company" />}
              <FileInput label={t('b.file')} placeholder={t('b.filePlaceholder')} accept=".n43,.txt,.xml,.aeb,.q43" value={file} onChange={setFile} style={{ minWidth: 320 }} clearable data-testid="bank-file" />
              <Button disabled={!file || !company} loading={upload.isPending} onClick={() => upload.mutate()} data-testid="bank-upload-go">{t('b.upload')}</Button>
            </Group>
            {upload.error && <Alert color="red" mt="sm" data-testid="bank-upload-error">{upload.error.message}</Alert>}
          </Section>
        )}
        <Section title={t('b.statements')}>
          <DataTable
            testId="bank-statements"
            endpoint="/api/collections/bank-statements"
            defaults={{ sort: 'to', dir: 'desc' }}
            columns={columns}
            rowKey={(s) => s.id}
            filters={scope.companyOptions.length > 1 ? [{ name: 'companyId', label: t('b.company'), options: scope.companyOptions }] : []}
            onRowClick={(s) => setPicked(s.id)}
            selectedKey={picked}
            exportName={false}
          />
        </Section>
        <Section title={t('m.title')}>{picked ? <Movements statementId={picked} canWrite={canWrite} /> : <Text c="dimmed">{t('m.pick')}</Text>}</Section>
      </Stack>
    </>
  );
}

function Movements({ statementId, canWrite }: { statementId: string; canWrite: boolean }) {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const [matching, setMatching] = useState<BankMovementItem | null>(null);
  const [ignoring, setIgnoring] = useState<BankMovementItem | null>(null);
  const rematch = useMutation({
    mutationFn: () => api<{ matched: number }>('POST', `/api/collections/bank-statements/${statementId}/match`),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['list'] });
      // Matched items are collected: credit control (a block lifted) and the aging change too.
      void qc.invalidateQueries({ queryKey: ['credit-control'] });
      void qc.invalidateQueries({ queryKey: ['collections'] });
      toast.ok(t('b.rematched', { n: r.matched }));
    },
  });
  const matchText = (m: BankMovementItem) => {
    if (!m.matchKind) return m.note ?? '—';
    const parts = [t(`k.${m.matchKind}`)];
    if (m.paymentNumber) parts.push(m.paymentNumber);
    if (m.expectedCents !== null) parts.push(t('k.expected', { expected: f.money(m.expectedCents) }));
    if (m.note) parts.push(m.note);
    return parts.join(' · ');
  };
  const columns: Array<ColumnDef<BankMovementItem>> = [
    { id: 'operationDate', header: t('m.date'), cell: ({ row: { original: m } }) => f.date(m.operationDate) },
    { id: 'concept', header: t('m.concept'), enableSorting: false, cell: ({ row: { original: m } }) => m.concepts.join(' · ') || '—' },
    { id: 'reference', header: t('m.reference'), enableSorting: false, cell: ({ row: { original: m } }) => [m.reference1, m.reference2].filter((r) => r && !/^0+$/.test(r)).join(' · ') || '—' },
    { id: 'amountCents', header: t('m.amount'), meta: { align: 'right' }, cell: ({ row: { original: m } }) => <Text size="sm" c={m.amountCents < 0 ? 'red' : undefined} data-testid="movement-amount">{f.money(m.amountCents)}</Text> },
    { id: 'status', header: t('m.status'), enableSorting: false, cell: ({ row: { original: m } }) => <Badge color={STATUS_COLOR[m.status]} variant="light" data-testid="movement-status">{t(`st.${m.status}`)}</Badge> },
    { id: 'match', header: t('m.match'), enableSorting: false, cell: ({ row: { original: m } }) => <Text size="sm">{matchText(m)}</Text> },
    {
      id: 'actions', header: '', enableSorting: false,
      cell: ({ row: { original: m } }) =>
        canWrite && m.status === 'unmatched' ? (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" onClick={() => setMatching(m)} data-testid="movement-match">{t('m.doMatch')}</Button>
            <Button size="xs" variant="default" onClick={() => setIgnoring(m)} data-testid="movement-ignore">{t('m.doIgnore')}</Button>
          </Group>
        ) : null,
    },
  ];
  return (
    <>
      {canWrite && (
        <Group mb="sm">
          <Button variant="default" size="xs" loading={rematch.isPending} onClick={() => rematch.mutate()} data-testid="statement-rematch">{t('b.rematch')}</Button>
        </Group>
      )}
      <DataTable
        testId="bank-movements"
        queryKey={['bank-movements', statementId]}
        endpoint={() => withQuery('/api/collections/bank-movements', { statementId })}
        paramPrefix="m"
        defaults={{ sort: 'operationDate', dir: 'asc' }}
        columns={columns}
        rowKey={(m) => m.id}
        filters={[{ name: 'status', label: t('m.status'), options: MOVEMENT_STATUSES.map((s) => ({ value: s, label: t(`st.${s}`) })), testId: 'movement-filter-status' }]}
        exportName={false}
      />
      {matching && <MatchDialog movement={matching} onClose={() => setMatching(null)} />}
      {ignoring && <IgnoreDialog movement={ignoring} onClose={() => setIgnoring(null)} />}
    </>
  );
}

function MatchDialog({ movement, onClose }: { movement: BankMovementItem; onClose: () => void }) {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [amounts, setAmounts] = useState<Record<string, number>>({});
  const [counterparty, setCounterparty] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const amount = Math.abs(movement.amountCents);
  const candidates = useQuery({
    queryKey: ['bank-movements', 'candidates', movement.id, q],
    queryFn: () => get<{ items: MatchCandidate[] }>(withQuery(`/api/collections/bank-movements/${movement.id}/candidates`, { q: q || undefined })),
  });
  const allocated = Object.values(amounts).reduce((s, v) => s + v, 0);
  const save = useMutation({
    mutationFn: () => api('POST', `/api/collections/bank-movements/${movement.id}/match`, { lines: Object.entries(amounts).filter(([, v]) => v > 0).map(([itemId, amountCents]) => ({ itemId, amountCents })), ...(note ? { note } : {}) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['list'] });
      // Matched items are collected: credit control (a block lifted) and the aging change too.
      void qc.invalidateQueries({ queryKey: ['credit-control'] });
      void qc.invalidateQueries({ queryKey: ['collections'] });
      toast.ok(t('d.saved'));
      onClose();
    },
  });
  const set = (c: MatchCandidate, cents: number) => {
    const next = { ...amounts, [c.id]: Math.max(0, Math.min(cents, c.balanceCents)) };
    if (next[c.id] === 0) delete next[c.id];
    setAmounts(next);
    setCounterparty(Object.keys(next).length > 0 ? `${c.counterpartyKind}:${c.counterpartyId}` : null);
  };
  const items = candidates.data?.items ?? [];
  return (
    <Modal opened onClose={onClose} size="xl" title={t('d.title', { amount: f.money(movement.amountCents) })}>
      <Stack>
        <Text size="sm" c="dimmed">{movement.concepts.join(' · ')}</Text>
        <TextInput label={t('d.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="match-search" />
        {items.length === 0 ? (
          <Text c="dimmed">{t('d.none')}</Text>
        ) : (
          <Table data-testid="match-candidates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('d.document')}</Table.Th>
                <Table.Th>{t('d.counterparty')}</Table.Th>
                <Table.Th>{t('d.due')}</Table.Th>
                <Table.Th ta="right">{t('d.balance')}</Table.Th>
                <Table.Th ta="right">{t('d.apply')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => {
                const other = counterparty !== null && counterparty !== `${c.counterpartyKind}:${c.counterpartyId}`;
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.documentRef}{c.exactAmount && <Badge ml="xs" size="xs" color="green" variant="light">=</Badge>}</Table.Td>
                    <Table.Td>{c.counterpartyName ?? c.counterpartyId}</Table.Td>
                    <Table.Td>{f.date(c.dueDate)}</Table.Td>
                    <Table.Td ta="right">{f.money(c.balanceCents)}</Table.Td>
                    <Table.Td ta="right">
                      <NumberInput
                        size="xs" w={130} min={0} decimalScale={2} fixedDecimalScale disabled={other}
                        value={(amounts[c.id] ?? 0) / 100}
                        onChange={(v) => set(c, Math.round(Number(v || 0) * 100))}
                        rightSection={<Button size="compact-xs" variant="subtle" disabled={other} onClick={() => set(c, Math.min(c.balanceCents, amount - allocated + (amounts[c.id] ?? 0)))}>↵</Button>}
                        data-testid="match-amount"
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        <Text size="sm" c={allocated > amount ? 'red' : undefined} data-testid="match-preview">{t('d.allocated', { allocated: f.money(allocated), amount: f.money(amount), credit: f.money(Math.max(0, amount - allocated)) })}</Text>
        <Textarea label={t('d.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
        {save.error && <Alert color="red" data-testid="match-error">{save.error.message}</Alert>}
        <Group justify="end">
          <Button disabled={allocated <= 0 || allocated > amount} loading={save.isPending} onClick={() => save.mutate()} data-testid="match-save">{t('d.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function IgnoreDialog({ movement, onClose }: { movement: BankMovementItem; onClose: () => void }) {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => api('POST', `/api/collections/bank-movements/${movement.id}/ignore`, { note }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(t('i.saved'));
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('i.title')}>
      <Stack>
        <Text size="sm" c="dimmed">{movement.concepts.join(' · ')}</Text>
        <Textarea label={t('i.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} required data-testid="ignore-note" />
        {save.error && <Alert color="red">{save.error.message}</Alert>}
        <Group justify="end">
          <Button disabled={note.trim() === ''} loading={save.isPending} onClick={() => save.mutate()} data-testid="ignore-save">{t('i.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
