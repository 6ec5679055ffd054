/**
 * An invoice or credit note: header, recipient, lines, tax breakdown, due dates, its Veri*Factu record (huella,
 * QR link), the credit notes issued against it, and its actions (post, edit/delete a draft, PDF, credit note,
 * anulación).
 */
import { Alert, Anchor, Badge, Button, Group, Modal, NumberInput, Radio, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { CREDIT_NOTE_REASONS, CREDIT_NOTE_TYPES } from '@tpv/shared/invoicing/documents';
import { api, ApiError, download } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { SourceEntries } from '../accounting-period-end/SourceEntries';
import { messages } from './messages';
import { STATUS_COLOR, useInvoice, type Invoice } from './queries';

export default function InvoicePage() {
  const { id } = useParams();
  const inv = useInvoice(id);
  return <QueryState query={inv}>{(o) => <InvoiceView key={o.id} o={o} />}</QueryState>;
}

const qty = (milli: number, locale: string) => (milli / 1000).toLocaleString(locale, { maximumFractionDigits: 3 });

function InvoiceView({ o }: { o: Invoice }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('invoicing.write');
  const [crediting, setCrediting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const refresh = (next: Invoice) => {
    qc.setQueryData(['invoicing', 'invoice', next.id], next);
    void qc.invalidateQueries({ queryKey: ['list'] });
    void qc.invalidateQueries({ queryKey: ['invoicing'] });
  };
  const post = useMutation({
    mutationFn: () => api<Invoice>('POST', `/api/invoices/${o.id}/post`, {}),
    onSuccess: (next) => (refresh(next), toast.ok(t('d.posted', { number: next.number ?? '' }))),
    onError: (e) => toast.fail(e),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/invoices/${o.id}`),
    onSuccess: () => (void qc.invalidateQueries({ queryKey: ['list'] }), void navigate('/invoices')),
    onError: (e) => toast.fail(e),
  });
  const isCredit = o.invoiceType.startsWith('R');
  const gross = o.baseCents + o.ivaCents + o.reCents;
  return (
    <DetailLayout
      back={{ to: '/invoices' }}
      title={<span data-testid="invoice-number">{o.number ?? t('i.draft')}</span>}
      subtitle={
        <Group gap="xs">
          <Badge variant="light">{o.invoiceType}</Badge>
          <Badge color={STATUS_COLOR[o.status]} variant="light" data-testid="invoice-status">{t(`st.${o.status}` as 'st.draft')}</Badge>
        </Group>
      }
      actions={
        <Group>
          <Button variant="default" onClick={() => void download(`/api/invoices/${o.id}/pdf`, `factura-${o.number ?? o.id}.pdf`).catch((e: unknown) => toast.fail(e))} data-testid="invoice-pdf">{t('d.pdf')}</Button>
          {canWrite && o.status === 'draft' && o.source === 'manual' && <Button variant="default" onClick={() => void navigate(`/invoices/${o.id}/edit`)} data-testid="invoice-edit">{t('d.edit')}</Button>}
          {canWrite && o.status === 'draft' && <Button color="red" variant="light" onClick={() => remove.mutate()} data-testid="invoice-delete">{t('d.delete')}</Button>}
          {canWrite && o.status === 'draft' && <Button onClick={() => post.mutate()} loading={post.isPending} data-testid="invoice-post">{t('d.post')}</Button>}
          {canWrite && o.status === 'posted' && !isCredit && <Button onClick={() => setCrediting(true)} data-testid="invoice-credit">{t('d.credit')}</Button>}
          {canWrite && o.status === 'posted' && <Button color="red" variant="light" onClick={() => setCancelling(true)} data-testid="invoice-cancel">{t('d.cancel')}</Button>}
        </Group>
      }
    >
      <Stack>
        <Section>
          <Fields
            items={[
              [t('i.company'), `${o.company.legalName} · ${o.company.nif}`],
              [t('i.recipient'), <span key="r" data-testid="invoice-recipient">{`${o.recipient.name}${o.recipient.nif ? ` · ${o.recipient.nif}` : ''}${o.recipient.address ? ` · ${o.recipient.address}` : ''}`}</span>],
              [t('i.issueDate'), o.issueDate ?? '—'],
              ...(o.rectifies ? [[t('d.rectifies'), <Anchor key="x" component={Link} to={`/invoices/${o.rectifies.invoiceId}`} data-testid="invoice-rectifies">{`${o.rectifies.number ?? ''} · ${o.rectifies.method === 'S' ? t('c.bySubstitution') : t('c.byDifference')} · ${o.rectifies.reason ?? ''}`}</Anchor>] as [string, ReactNode]] : []),
              ...(o.cancelReason ? [[t('d.cancelReason'), o.cancelReason] as [string, string]] : []),
              ...(o.remainingCents !== null ? [[t('d.remaining'), <span key="m" data-testid="invoice-remaining">{f.money(o.remainingCents)}</span>] as [string, ReactNode]] : []),
            ]}
          />
        </Section>
        <Section title={t('d.lines')}>
          <Table data-testid="invoice-lines">
            <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('f.description')}</Table.Th><Table.Th ta="right">{t('f.quantity')}</Table.Th><Table.Th ta="right">{t('f.price')}</Table.Th><Table.Th ta="right">{t('f.discount')}</Table.Th><Table.Th ta="right">{t('i.iva')}</Table.Th><Table.Th ta="right">{t('i.base')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {o.lines.map((l) => (
                <Table.Tr key={l.lineNo}>
                  <Table.Td>{l.lineNo}</Table.Td><Table.Td>{l.description}</Table.Td><Table.Td ta="right">{qty(l.quantityMilli, locale)}</Table.Td><Table.Td ta="right">{f.money(l.unitPriceCents)}</Table.Td>
                  <Table.Td ta="right">{l.discountBp ? f.percentBp(l.discountBp) : ''}</Table.Td><Table.Td ta="right">{l.exemption ?? f.percentBp(l.ivaRateBp)}{l.reRateBp ? ` + ${f.percentBp(l.reRateBp)}` : ''}</Table.Td><Table.Td ta="right">{f.money(l.baseCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('d.taxes')}>
          <Table>
            <Table.Tbody>
              {o.taxes.map((x, i) => (
                <Table.Tr key={i}><Table.Td>{x.exemption ?? `${t('i.iva')} ${f.percentBp(x.ivaRateBp)}`}{x.reRateBp ? ` · ${t('re')} ${f.percentBp(x.reRateBp)}` : ''}</Table.Td><Table.Td ta="right">{f.money(x.baseCents)}</Table.Td><Table.Td ta="right">{f.money(x.ivaCents)}</Table.Td><Table.Td ta="right">{x.reRateBp ? f.money(x.reCents) : ''}</Table.Td></Table.Tr>
              ))}
              {o.irpfCents !== 0 && <Table.Tr><Table.Td>{t('i.irpf')} {f.percentBp(o.irpfBp)}</Table.Td><Table.Td /><Table.Td /><Table.Td ta="right">{f.money(-o.irpfCents)}</Table.Td></Table.Tr>}
            </Table.Tbody>
          </Table>
          <Text ta="right">{t('i.total')}: {f.money(gross)}</Text>
          <Text ta="right" fw={700} size="lg" data-testid="invoice-total">{t('d.toPay')}: {f.money(o.totalCents)}</Text>
        </Section>
        {o.dues.length > 0 && (
          <Section title={t('d.dues')}>
            {o.dues.map((d) => <Text key={d.dueDate} size="sm" data-testid="invoice-due">{d.dueDate} · {f.money(d.amountCents)}</Text>)}
          </Section>
        )}
        {o.records.length > 0 && (
          <Section title={t('d.record')} testId="invoice-record">
            {o.records.map((r) => <Text key={r.hash} size="xs" ff="monospace">{r.kind} · {t('d.hash')} <span data-testid="invoice-hash">{r.hash}</span></Text>)}
            {o.qrUrl && <Anchor href={o.qrUrl} target="_blank" size="xs" data-testid="invoice-qr">{o.qrUrl}</Anchor>}
          </Section>
        )}
        {o.creditNotes.length > 0 && (
          <Section title={t('d.credits')} testId="invoice-credit-notes">
            {o.creditNotes.map((c) => (
              <Text key={c.id} size="sm" data-testid="invoice-credit-note">
                <Anchor component={Link} to={`/invoices/${c.id}`}>{c.number ?? t('i.draft')}</Anchor> · {c.invoiceType} · {c.method} · {c.issueDate ?? ''} · {f.money(c.totalCents)}
              </Text>
            ))}
          </Section>
        )}
        {o.status !== 'draft' && <SourceEntries type="invoice" id={o.id} version={o.status} />}
      </Stack>
      {crediting && <CreditNoteModal o={o} onClose={() => setCrediting(false)} onDone={(n) => (setCrediting(false), toast.ok(t('c.issued', { number: n.number ?? '' })), void qc.invalidateQueries({ queryKey: ['invoicing'] }), void navigate(`/invoices/${n.id}`))} />}
      {cancelling && <CancelModal o={o} onClose={() => setCancelling(false)} onDone={(n) => (setCancelling(false), refresh(n), toast.ok(t('d.cancelled')))} />}
    </DetailLayout>
  );
}

function CreditNoteModal({ o, onClose, onDone }: { o: Invoice; onClose: () => void; onDone: (n: Invoice) => void }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const [type, setType] = useState<string>('R1');
  const [method, setMethod] = useState<'I' | 'S'>(o.creditNotes.some((c) => c.method === 'S' && c.status === 'posted') ? 'S' : 'I');
  const [scope, setScope] = useState<'whole' | 'partial'>('partial');
  const [reason, setReason] = useState('');
  const [units, setUnits] = useState<Record<number, number>>({});
  const [amounts, setAmounts] = useState<Record<number, number>>({});
  const issue = useMutation({
    mutationFn: () => {
      const lines = o.lines.flatMap((l) => [
        ...(units[l.lineNo] ? [{ lineNo: l.lineNo, quantityMilli: Math.round(units[l.lineNo]! * 1000) }] : []),
        ...(amounts[l.lineNo] ? [{ lineNo: l.lineNo, baseCents: Math.round(amounts[l.lineNo]! * 100) }] : []),
      ]);
      return api<Invoice>('POST', `/api/invoices/${o.id}/credit-notes`, { type, method, scope, reason, ...(scope === 'partial' ? { lines } : {}) });
    },
    onSuccess: onDone,
  });
  const err = issue.error instanceof ApiError ? issue.error : null;
  return (
    <Modal opened onClose={onClose} title={t('c.title')} size="xl">
      <Stack>
        <Select label={t('c.type')} data={CREDIT_NOTE_TYPES.map((x) => ({ value: x, label: `${x} · ${CREDIT_NOTE_REASONS[x][locale === 'en' ? 'en' : 'es']}` }))} value={type} onChange={(v) => setType(v ?? 'R1')} data-testid="credit-type" />
        <Radio.Group label={t('c.method')} value={method} onChange={(v) => setMethod(v as 'I' | 'S')}>
          <Group mt="xs"><Radio value="I" label={t('c.byDifference')} data-testid="credit-method-I" /><Radio value="S" label={t('c.bySubstitution')} data-testid="credit-method-S" /></Group>
        </Radio.Group>
        <Radio.Group label={t('c.scope')} value={scope} onChange={(v) => setScope(v as 'whole' | 'partial')}>
          <Group mt="xs"><Radio value="whole" label={t('c.whole')} data-testid="credit-whole" /><Radio value="partial" label={t('c.partial')} data-testid="credit-partial" /></Group>
        </Radio.Group>
        {scope === 'partial' && (
          <Table data-testid="credit-lines">
            <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('f.description')}</Table.Th><Table.Th ta="right">{t('f.quantity')}</Table.Th><Table.Th>{t('c.units')}</Table.Th><Table.Th>{t('c.amount')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {o.lines.map((l) => (
                <Table.Tr key={l.lineNo} data-testid={`credit-line-${l.lineNo}`}>
                  <Table.Td>{l.lineNo}</Table.Td><Table.Td>{l.description}</Table.Td><Table.Td ta="right">{qty(l.quantityMilli, locale)}</Table.Td>
                  <Table.Td><NumberInput value={units[l.lineNo] ?? ''} min={0} decimalScale={3} onChange={(v) => setUnits((u) => ({ ...u, [l.lineNo]: Number(v) || 0 }))} data-testid="credit-units" /></Table.Td>
                  <Table.Td><NumberInput value={amounts[l.lineNo] ?? ''} min={0} decimalScale={2} onChange={(v) => setAmounts((a) => ({ ...a, [l.lineNo]: Number(v) || 0 }))} data-testid="credit-amount" /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <TextInput label={t('c.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="credit-reason" error={err?.fieldErrors.find((e) => e.path === 'reason')?.message} />
        {err && <Alert color="red" data-testid="credit-error">{err.fieldErrors.map((e) => `${e.path}: ${e.message}`).join(' · ') || err.message}</Alert>}
        <Group justify="flex-end"><Button onClick={() => issue.mutate()} loading={issue.isPending} data-testid="credit-issue">{t('c.issue')}</Button></Group>
      </Stack>
    </Modal>
  );
}

function CancelModal({ o, onClose, onDone }: { o: Invoice; onClose: () => void; onDone: (n: Invoice) => void }) {
  const { t } = useT(messages);
  const [reason, setReason] = useState('');
  const cancel = useMutation({ mutationFn: () => api<Invoice>('POST', `/api/invoices/${o.id}/cancel`, { reason }), onSuccess: onDone });
  return (
    <Modal opened onClose={onClose} title={t('d.cancel')}>
      <Stack>
        <TextInput label={t('d.cancelReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="cancel-reason" />
        {cancel.error && <Alert color="red" data-testid="cancel-error">{cancel.error.message}</Alert>}
        <Group justify="flex-end"><Button color="red" onClick={() => cancel.mutate()} loading={cancel.isPending} data-testid="cancel-confirm">{t('d.cancel')}</Button></Group>
      </Stack>
    </Modal>
  );
}
