/** A draft manual invoice, new or edited: issuing company, recipient (a company of the network or typed with its NIF), lines, IRPF, due dates. */
import { ActionIcon, Alert, Button, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { invoiceAmounts } from '@tpv/shared/invoicing/amounts';
import { RE_RATES, type IvaRate } from '@tpv/shared/tax';
import { api, ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { TAX_OPTIONS } from '../catalog/queries';
import { useFormat } from '../components/format';
import { DetailLayout, Section } from '../components/layout';
import { messages } from './messages';
import { useCompanyOptions, useInvoice, type Invoice } from './queries';

interface Line { description: string; quantity: number; priceCents: number; discountBp: number; ivaRateBp: number }

export default function InvoiceFormPage() {
  const { id } = useParams();
  const inv = useInvoice(id);
  if (id && !inv.data) return null;
  return <InvoiceForm key={id ?? 'new'} inv={inv.data ?? null} />;
}

function InvoiceForm({ inv }: { inv: Invoice | null }) {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const companies = useCompanyOptions();
  const [companyId, setCompanyId] = useState<string | null>(inv?.companyId ?? null);
  const [kind, setKind] = useState<'company' | 'typed'>(inv?.recipient.companyId ? 'company' : 'typed');
  const [recipientCompany, setRecipientCompany] = useState<string | null>(inv?.recipient.companyId ?? null);
  const [nif, setNif] = useState(inv?.recipient.nif ?? '');
  const [name, setName] = useState(inv?.recipient.name ?? '');
  const [address, setAddress] = useState(inv?.recipient.address ?? '');
  const [reRegime, setReRegime] = useState(inv?.reRegime ?? false);
  const [irpf, setIrpf] = useState<number>(inv ? inv.irpfBp / 100 : 0);
  const [days, setDays] = useState((inv?.paymentDays ?? [30]).join(', '));
  const [language, setLanguage] = useState<'es' | 'en'>(inv?.language ?? 'es');
  const [notes, setNotes] = useState(inv?.notes ?? '');
  const [lines, setLines] = useState<Line[]>(
    inv?.lines.map((l) => ({ description: l.description, quantity: l.quantityMilli / 1000, priceCents: l.unitPriceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp })) ?? [{ description: '', quantity: 1, priceCents: 0, discountBp: 0, ivaRateBp: 2100 }],
  );
  const set = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const re = kind === 'typed' && reRegime;
  const amounts = invoiceAmounts(lines.map((l) => ({ quantityMilli: Math.round(l.quantity * 1000) || 1, unitPriceCents: l.priceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: re ? RE_RATES[l.ivaRateBp as IvaRate] : 0 })), Math.round(irpf * 100));

  const save = useMutation({
    mutationFn: () => {
      const body = {
        companyId,
        recipient: kind === 'company' ? { kind, companyId: recipientCompany } : { kind, nif, name, address: address || null, reRegime },
        lines: lines.map((l) => ({ description: l.description, quantityMilli: Math.round(l.quantity * 1000), unitPriceCents: l.priceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp })),
        irpfBp: Math.round(irpf * 100),
        paymentDays: days.split(/[,\s]+/).filter(Boolean).map(Number),
        language,
        notes: notes || null,
      };
      return inv ? api<Invoice>('PUT', `/api/invoices/${inv.id}`, body) : api<Invoice>('POST', '/api/invoices', body);
    },
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: ['list'] });
      void qc.invalidateQueries({ queryKey: ['invoicing'] });
      void navigate(`/invoices/${o.id}`);
    },
  });
  const fieldError = (path: string) => (save.error instanceof ApiError ? save.error.fieldErrors.find((e) => e.path === path)?.message : undefined);

  return (
    <DetailLayout back={{ to: inv ? `/invoices/${inv.id}` : '/invoices' }} title={inv ? t('i.draft') : t('i.new')}>
      <Stack>
        <Section title={t('i.recipient')}>
          <Group grow align="flex-start">
            <Select label={t('i.company')} data={companies.data ?? []} value={companyId} onChange={setCompanyId} disabled={!!inv} searchable data-testid="inv-company" error={fieldError('companyId')} />
            <Select label={t('f.language')} data={[{ value: 'es', label: 'Español' }, { value: 'en', label: 'English' }]} value={language} onChange={(v) => setLanguage(v === 'en' ? 'en' : 'es')} />
          </Group>
          <SegmentedControl mt="sm" value={kind} onChange={(v) => setKind(v as 'company' | 'typed')} data={[{ value: 'company', label: t('f.kindCompany') }, { value: 'typed', label: t('f.kindTyped') }]} data-testid="inv-recipient-kind" />
          {kind === 'company' ? (
            <Select mt="sm" label={t('i.recipient')} data={companies.data ?? []} value={recipientCompany} onChange={setRecipientCompany} searchable data-testid="inv-recipient-company" error={fieldError('recipient.companyId')} />
          ) : (
            <Group grow align="flex-start" mt="sm">
              <TextInput label={t('f.nif')} value={nif} onChange={(e) => setNif(e.currentTarget.value)} data-testid="inv-nif" error={fieldError('recipient.nif')} />
              <TextInput label={t('f.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="inv-name" error={fieldError('recipient.name')} />
              <TextInput label={t('f.address')} value={address} onChange={(e) => setAddress(e.currentTarget.value)} data-testid="inv-address" />
              <Checkbox mt="xl" label={t('f.reRegime')} checked={reRegime} onChange={(e) => setReRegime(e.currentTarget.checked)} data-testid="inv-re" />
            </Group>
          )}
        </Section>
        <Section title={t('f.lines')} actions={<Button variant="light" onClick={() => setLines((ls) => [...ls, { description: '', quantity: 1, priceCents: 0, discountBp: 0, ivaRateBp: 2100 }])} data-testid="inv-add-line">{t('f.addLine')}</Button>}>
          <Table data-testid="inv-lines">
            <Table.Thead><Table.Tr><Table.Th>{t('f.description')}</Table.Th><Table.Th>{t('f.quantity')}</Table.Th><Table.Th>{t('f.price')}</Table.Th><Table.Th>{t('f.discount')}</Table.Th><Table.Th>{t('i.iva')}</Table.Th><Table.Th ta="right">{t('i.base')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={i} data-testid="inv-line">
                  <Table.Td miw={240}><TextInput value={l.description} onChange={(e) => set(i, { description: e.currentTarget.value })} data-testid="inv-line-desc" error={fieldError(`lines.${i}.description`)} /></Table.Td>
                  <Table.Td><NumberInput value={l.quantity} min={0.001} decimalScale={3} onChange={(v) => set(i, { quantity: Number(v) || 0 })} data-testid="inv-line-qty" error={fieldError(`lines.${i}.quantityMilli`)} /></Table.Td>
                  <Table.Td><NumberInput value={l.priceCents / 100} min={0} decimalScale={2} onChange={(v) => set(i, { priceCents: Math.round(Number(v) * 100) })} data-testid="inv-line-price" error={fieldError(`lines.${i}.unitPriceCents`)} /></Table.Td>
                  <Table.Td><NumberInput value={l.discountBp / 100} min={0} max={100} decimalScale={2} onChange={(v) => set(i, { discountBp: Math.round(Number(v) * 100) })} data-testid="inv-line-discount" /></Table.Td>
                  <Table.Td><Select data={TAX_OPTIONS} value={String(l.ivaRateBp)} onChange={(v) => set(i, { ivaRateBp: Number(v ?? 2100) })} data-testid="inv-line-iva" w={90} /></Table.Td>
                  <Table.Td ta="right">{amounts.ok ? f.money(amounts.value.lineBases[i]!) : '—'}</Table.Td>
                  <Table.Td><ActionIcon variant="subtle" color="red" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))} aria-label={t('f.remove')}>×</ActionIcon></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group grow mt="sm" align="flex-start">
            <NumberInput label={t('f.irpf')} value={irpf} min={0} max={47} decimalScale={2} onChange={(v) => setIrpf(Number(v) || 0)} data-testid="inv-irpf" error={fieldError('irpfBp')} />
            <TextInput label={t('f.paymentDays')} value={days} onChange={(e) => setDays(e.currentTarget.value)} data-testid="inv-days" error={fieldError('paymentDays')} />
          </Group>
          <Textarea label={t('f.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} mt="sm" />
          {amounts.ok && (
            <Text ta="right" fw={600} mt="sm" data-testid="inv-form-total">
              {t('i.base')} {f.money(amounts.value.baseCents)} · {t('i.iva')} {f.money(amounts.value.ivaCents)}{amounts.value.reCents ? ` · ${t('re')} ${f.money(amounts.value.reCents)}` : ''}{amounts.value.irpfCents ? ` · ${t('i.irpf')} −${f.money(amounts.value.irpfCents)}` : ''} · {t('i.total')} {f.money(amounts.value.totalCents)}
            </Text>
          )}
        </Section>
        {save.error && <Alert color="red" data-testid="inv-form-error">{save.error.message}</Alert>}
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="inv-save">{t('f.save')}</Button>
        </Group>
      </Stack>
    </DetailLayout>
  );
}
