/**
 * Record a supplier invoice: the receiving company and the supplier, the supplier's number and dates, the
 * goods receipts it invoices (their lines are loaded at the order's prices and IVA, for what is left to
 * invoice), lines edited as the paper says and lines without a receipt added; "Check" shows the three-way
 * match line by line (differences in red: what was expected and what came) before recording.
 */
import { Alert, Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { MatchDifference, SupplierInvoiceLineBody } from '@tpv/shared/wire/http/supplier-invoices';
import { api, ApiError, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { TAX_OPTIONS, useSupplierOptions } from '../catalog/queries';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';
import { Differences, type Invoice } from './shared';

type Receipt = { id: string; number: string; orderNumber: string | null; postedAt: string; baseCents: number };
/** A line as edited: quantity in units or kg (the API takes thousandths), prices and percentages as typed. */
interface Row { receiptId: string | null; receiptLineNo: number | null; receiptNumber: string | null; description: string; qty: number; price: number; discount: number; iva: string; re: number }
const today = () => new Date().toISOString().slice(0, 10);
const cents = (euros: number) => Math.round(euros * 100);

export default function SupplierInvoiceFormPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const suppliers = useSupplierOptions();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const [invoiceDate, setInvoiceDate] = useState(today());
  const [receivedDate, setReceivedDate] = useState(today());
  const [irpf, setIrpf] = useState(0);
  const [note, setNote] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [match, setMatch] = useState<Invoice | null>(null);
  const company = companyId ?? (scope.companyOptions.length === 1 ? scope.companyOptions[0]!.value : null);

  const receipts = useQuery({
    queryKey: ['supplier-invoices', 'receipts', supplierId, company],
    queryFn: async () => (await api<{ items: Receipt[] }>('GET', withQuery('/api/supplier-invoices/receipts', { supplierId, companyId: company }))).items,
    enabled: !!supplierId && !!company,
  });
  const receiptNumber = (id: string | null) => receipts.data?.find((r) => r.id === id)?.number ?? null;

  const load = useMutation({
    mutationFn: () => api<{ lines: SupplierInvoiceLineBody[] }>('POST', '/api/supplier-invoices/prefill', { companyId: company, supplierId, receiptIds: picked }),
    onSuccess: ({ lines }) => {
      setMatch(null);
      setRows((prev) => [
        ...prev.filter((r) => r.receiptId === null),
        ...lines.map((l) => ({
          receiptId: l.receiptId, receiptLineNo: l.receiptLineNo, receiptNumber: receiptNumber(l.receiptId), description: l.description ?? '', qty: l.quantityMilli / 1000,
          price: l.unitPriceCents / 100, discount: l.discountBp / 100, iva: String(l.ivaRateBp), re: l.reRateBp / 100,
        })),
      ]);
    },
    onError: (e) => toast.fail(e),
  });

  const body = () => ({
    companyId: company ?? undefined, supplierId, supplierNumber: number, invoiceDate, receivedDate, irpfBp: Math.round(irpf * 100), note: note || null,
    lines: rows.map((r) => ({
      receiptId: r.receiptId, receiptLineNo: r.receiptLineNo, description: r.description || null, quantityMilli: Math.round(r.qty * 1000), unitPriceCents: cents(r.price),
      discountBp: Math.round(r.discount * 100), ivaRateBp: Number(r.iva), reRateBp: Math.round(r.re * 100),
    })),
  });
  const check = useMutation({ mutationFn: () => api<Invoice>('POST', '/api/supplier-invoices/check', body()), onSuccess: setMatch });
  const save = useMutation({
    mutationFn: () => api<Invoice>('POST', '/api/supplier-invoices', body()),
    onSuccess: (inv) => {
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(t('f.saved'));
      void navigate(`/invoicing/supplier-invoices/${inv.id}`);
    },
  });
  const error = save.error ?? check.error;
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
  const errorOf = (path: string) => fieldErrors.find((e) => e.path === path)?.message;
  const set = (i: number, patch: Partial<Row>) => (setMatch(null), setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r))));
  const diffsOf = (i: number): MatchDifference[] | null => match?.lines[i]?.differences ?? null;

  return (
    <DetailLayout back={{ to: '/invoicing/supplier-invoices' }} title={t('f.title')}>
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {scope.companyOptions.length > 1 && (
              <Select label={t('l.company')} data={scope.companyOptions} value={company} onChange={(v) => (setCompanyId(v), setPicked([]))} searchable data-testid="si-company" error={errorOf('companyId')} />
            )}
            <Select label={t('l.supplier')} data={suppliers.data ?? []} value={supplierId} onChange={(v) => (setSupplierId(v), setPicked([]))} searchable data-testid="si-supplier" error={errorOf('supplierId')} />
            <TextInput label={t('l.number')} value={number} onChange={(e) => setNumber(e.currentTarget.value)} data-testid="si-number" error={errorOf('supplierNumber')} />
            <TextInput type="date" label={t('f.invoiceDate')} value={invoiceDate} onChange={(e) => setInvoiceDate(e.currentTarget.value)} data-testid="si-invoice-date" error={errorOf('invoiceDate')} />
            <TextInput type="date" label={t('f.receivedDate')} value={receivedDate} onChange={(e) => setReceivedDate(e.currentTarget.value)} data-testid="si-received-date" error={errorOf('receivedDate')} />
            <NumberInput label={t('f.irpf')} value={irpf} min={0} max={47} decimalScale={2} onChange={(v) => (setMatch(null), setIrpf(Number(v) || 0))} data-testid="si-irpf" error={errorOf('irpfBp')} />
          </SimpleGrid>
        </Section>
        {supplierId && company && (
          <Section title={t('f.receipts')} testId="si-receipts">
            {receipts.data?.length === 0 && <Text c="dimmed" size="sm">{t('f.noReceipts')}</Text>}
            <Stack gap={4}>
              {receipts.data?.map((r) => (
                <Checkbox
                  key={r.id} data-testid={`si-receipt-${r.number}`} checked={picked.includes(r.id)}
                  label={`${r.number} · ${r.orderNumber ?? ''} · ${f.date(r.postedAt)} · ${f.money(r.baseCents)}`}
                  onChange={(e) => setPicked((p) => (e.currentTarget.checked ? [...p, r.id] : p.filter((x) => x !== r.id)))}
                />
              ))}
            </Stack>
            <Group mt="sm">
              <Button variant="default" disabled={picked.length === 0} loading={load.isPending} onClick={() => load.mutate()} data-testid="si-load">{t('f.load')}</Button>
            </Group>
          </Section>
        )}
        <Section
          title={t('f.lines')}
          actions={<Button variant="subtle" onClick={() => (setMatch(null), setRows((rs) => [...rs, { receiptId: null, receiptLineNo: null, receiptNumber: null, description: '', qty: 1, price: 0, discount: 0, iva: '2100', re: 0 }]))} data-testid="si-add-line">{t('f.addLine')}</Button>}
        >
          <Table data-testid="si-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('f.receipt')}</Table.Th><Table.Th>{t('f.description')}</Table.Th><Table.Th>{t('f.quantity')}</Table.Th><Table.Th>{t('f.price')}</Table.Th>
                <Table.Th>{t('f.discount')}</Table.Th><Table.Th>{t('f.iva')}</Table.Th><Table.Th>{t('f.re')}</Table.Th><Table.Th ta="right">{t('f.base')}</Table.Th><Table.Th>{t('f.match')}</Table.Th><Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => {
                const diffs = diffsOf(i);
                return (
                  <Table.Tr key={i} data-testid="si-line" data-differences={diffs ? diffs.length : undefined} bg={diffs && diffs.length > 0 ? 'var(--mantine-color-red-light)' : undefined}>
                    <Table.Td>{r.receiptNumber ?? (r.receiptId ? `${r.receiptLineNo}` : '—')}</Table.Td>
                    <Table.Td><TextInput value={r.description} onChange={(e) => set(i, { description: e.currentTarget.value })} data-testid="si-line-description" error={errorOf(`lines.${i}.description`)} /></Table.Td>
                    <Table.Td w={110}><NumberInput value={r.qty} min={0} decimalScale={3} onChange={(v) => set(i, { qty: Number(v) || 0 })} data-testid="si-line-qty" error={errorOf(`lines.${i}.quantityMilli`)} /></Table.Td>
                    <Table.Td w={120}><NumberInput value={r.price} min={0} decimalScale={2} onChange={(v) => set(i, { price: Number(v) || 0 })} data-testid="si-line-price" error={errorOf(`lines.${i}.unitPriceCents`)} /></Table.Td>
                    <Table.Td w={90}><NumberInput value={r.discount} min={0} max={100} decimalScale={2} onChange={(v) => set(i, { discount: Number(v) || 0 })} data-testid="si-line-discount" /></Table.Td>
                    <Table.Td w={100}><Select data={TAX_OPTIONS} value={r.iva} onChange={(v) => set(i, { iva: v ?? '2100' })} data-testid="si-line-iva" error={errorOf(`lines.${i}.ivaRateBp`)} /></Table.Td>
                    <Table.Td w={90}><NumberInput value={r.re} min={0} max={10} decimalScale={2} onChange={(v) => set(i, { re: Number(v) || 0 })} data-testid="si-line-re" error={errorOf(`lines.${i}.reRateBp`)} /></Table.Td>
                    <Table.Td ta="right">{match?.lines[i] ? f.money(match.lines[i].baseCents) : '—'}</Table.Td>
                    <Table.Td>{diffs ? <Differences diffs={diffs} weighed={match?.lines[i]?.weighed ?? false} /> : null}{errorOf(`lines.${i}.receiptId`) && <Text c="red" size="sm">{errorOf(`lines.${i}.receiptId`)}</Text>}</Table.Td>
                    <Table.Td><Button variant="subtle" color="red" size="xs" onClick={() => (setMatch(null), setRows((rs) => rs.filter((_, j) => j !== i)))}>{t('f.remove')}</Button></Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {match && (
            <Stack gap={4} mt="sm" data-testid="si-match-summary">
              <Text fw={600} c={match.differenceCount ? 'orange' : 'green'}>{match.differenceCount ? t('f.matchSummary', { n: match.differenceCount }) : t('f.matchClean')}</Text>
              <Text size="sm">{t('v.base')} {f.money(match.baseCents)} · {t('v.iva')} {f.money(match.ivaCents)}{match.reCents ? ` · ${t('v.re')} ${f.money(match.reCents)}` : ''}{match.irpfCents ? ` · ${t('v.irpf')} −${f.money(match.irpfCents)}` : ''} · {t('l.total')} <b data-testid="si-check-total">{f.money(match.totalCents)}</b></Text>
            </Stack>
          )}
        </Section>
        <Section><Textarea label={t('f.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} /></Section>
        {error && <Alert color="red" data-testid="si-error">{error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => check.mutate()} loading={check.isPending} disabled={rows.length === 0 || !supplierId} data-testid="si-check">{t('f.check')}</Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={rows.length === 0 || !supplierId} data-testid="si-save">{t('f.save')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
