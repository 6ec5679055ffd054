/**
 * Record a collection received or a payment made: company, side, counterparty, method, amount, date,
 * reference, allocation oldest first or by hand (the counterparty's open items with an amount each); the
 * preview asks the server how it would be split (nothing written) before recording.
 */
import { Alert, Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { COUNTERPARTY_KINDS, PAYMENT_METHODS, SIDES, type OpenItemRow, type PaymentDetail } from '@tpv/shared/wire/http/collections-payments';
import { api, get, withQuery, ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { centsOf, messages } from './messages';

type Preview = { lines: Array<{ itemId: string; documentRef: string; dueDate: string; balanceCents: number; amountCents: number }>; allocatedCents: number; creditCents: number };

export default function PaymentFormPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [side, setSide] = useState<string>('receivable');
  const [kind, setKind] = useState<string>('company');
  const [counterpartyId, setCounterpartyId] = useState('');
  const [method, setMethod] = useState<string>('transfer');
  const [amount, setAmount] = useState('');
  const [receivedOn, setReceivedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [reference, setReference] = useState('');
  const [mode, setMode] = useState<'oldest_first' | 'manual'>('oldest_first');
  const [manual, setManual] = useState<Record<string, string>>({});
  const company = companyId ?? scope.companyOptions[0]?.value ?? null;
  const ready = !!company && counterpartyId.trim().length > 0;
  const open = useQuery({
    queryKey: ['collections', 'open-of', company, side, kind, counterpartyId],
    queryFn: () => get<{ items: OpenItemRow[] }>(withQuery('/api/collections/items', { companyId: company, side, counterpartyKind: kind, counterpartyId: counterpartyId.trim(), pageSize: 200, sort: 'dueDate' })),
    enabled: ready,
  });
  const owed = (open.data?.items ?? []).filter((i) => i.balanceCents > 0 && !i.cancelled);
  const body = (dryRun: boolean) => ({
    companyId: company, side, counterpartyKind: kind, counterpartyId: counterpartyId.trim(), method, amountCents: centsOf(amount) ?? -1, receivedOn,
    reference: reference.trim() || null, dryRun,
    allocation: mode === 'oldest_first' ? { mode } : { mode, lines: Object.entries(manual).map(([itemId, v]) => ({ itemId, amountCents: centsOf(v) ?? -1 })).filter((l) => l.amountCents !== 0 && manual[l.itemId]!.trim() !== '') },
  });
  const preview = useMutation({ mutationFn: () => api<Preview>('POST', '/api/collections/payments', body(true)) });
  const save = useMutation({
    mutationFn: () => api<PaymentDetail>('POST', '/api/collections/payments', body(false)),
    onSuccess: (p) => {
      toast.ok(t('f.saved', { number: p.number }));
      void navigate(`/collections/payments/${p.id}`);
    },
  });
  const error = (save.error ?? preview.error) as ApiError | null;
  return (
    <DetailLayout back={{ to: '/collections/items' }} title={t('f.title')}>
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select label={t('c.company')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable data-testid="pay-company" />
            <Select label={t('c.side')} data={SIDES.map((s) => ({ value: s, label: t(`side.${s}`) }))} value={side} onChange={(v) => setSide(v ?? 'receivable')} data-testid="pay-side" />
            <Select label={t('c.method')} data={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`m.${m}`) }))} value={method} onChange={(v) => setMethod(v ?? 'transfer')} data-testid="pay-method" />
            <Select label={t('c.counterpartyKind')} data={COUNTERPARTY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind(v ?? 'company')} data-testid="pay-kind" />
            {kind === 'company' ? (
              <Select label={t('c.counterparty')} data={scope.companyOptions} value={counterpartyId || null} onChange={(v) => setCounterpartyId(v ?? '')} searchable data-testid="pay-counterparty" />
            ) : (
              <TextInput label={t('c.counterpartyId')} value={counterpartyId} onChange={(e) => setCounterpartyId(e.currentTarget.value)} data-testid="pay-counterparty" />
            )}
            <TextInput label={t('f.amount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={amount && centsOf(amount) === null ? t('f.badAmount') : undefined} data-testid="pay-amount" />
            <TextInput label={t('c.date')} type="date" value={receivedOn} onChange={(e) => setReceivedOn(e.currentTarget.value)} data-testid="pay-date" />
            <TextInput label={t('c.reference')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} data-testid="pay-reference" />
          </SimpleGrid>
        </Section>
        <Section title={t('f.mode')}>
          <SegmentedControl value={mode} onChange={(v) => setMode(v as 'oldest_first' | 'manual')} data={[{ value: 'oldest_first', label: t('f.oldest') }, { value: 'manual', label: t('f.manual') }]} data-testid="pay-mode" />
          {ready && owed.length === 0 && <Text mt="sm" c="dimmed">{t('f.noItems')}</Text>}
          {owed.length > 0 && (
            <Table mt="sm" data-testid="pay-items">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('c.document')}</Table.Th><Table.Th>{t('c.dueDate')}</Table.Th><Table.Th ta="right">{t('c.balance')}</Table.Th>{mode === 'manual' && <Table.Th>{t('f.apply')}</Table.Th>}<Table.Th ta="right">{t('c.allocated')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {owed.map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>{i.documentRef}</Table.Td>
                    <Table.Td>{f.date(i.dueDate)}</Table.Td>
                    <Table.Td ta="right">{f.money(i.balanceCents)}</Table.Td>
                    {mode === 'manual' && <Table.Td><TextInput size="xs" value={manual[i.id] ?? ''} onChange={(e) => setManual({ ...manual, [i.id]: e.currentTarget.value })} data-testid={`pay-line-${i.documentRef}`} /></Table.Td>}
                    <Table.Td ta="right" data-testid="pay-preview-amount">{preview.data ? f.money(preview.data.lines.find((l) => l.itemId === i.id)?.amountCents ?? 0) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {preview.data && <Text mt="sm" fw={600} data-testid="pay-preview">{t('f.previewHelp', { allocated: f.money(preview.data.allocatedCents), credit: f.money(preview.data.creditCents) })}</Text>}
        </Section>
        {error && (
          <Alert color="red" data-testid="pay-error">
            {error.message}
            {error.fieldErrors?.map((e) => <div key={e.path}>{e.path}: {e.message}</div>)}
          </Alert>
        )}
        <Group>
          <Button variant="default" onClick={() => preview.mutate()} loading={preview.isPending} disabled={!ready} data-testid="pay-preview-button">{t('f.preview')}</Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!ready || centsOf(amount) === null} data-testid="pay-save">{t('f.save')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
