/**
 * A supplier invoice: header, lines with their three-way match (differences highlighted: what was expected
 * and what came), IVA per rate, due dates; post it (no differences), or approve / reject it with a note.
 */
import { Alert, Button, Group, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { SourceEntries } from '../accounting-period-end/SourceEntries';
import { messages } from './messages';
import { Differences, StatusBadge, qtyOf, useInvoice, type Invoice } from './shared';

export default function SupplierInvoicePage() {
  const { id } = useParams();
  const inv = useInvoice(id);
  return <QueryState query={inv}>{(i) => <InvoiceView i={i} />}</QueryState>;
}

function InvoiceView({ i }: { i: Invoice }) {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const canWrite = useCan('invoicing.write');
  const canDecide = useCan('payables.admin');
  const [note, setNote] = useState('');
  const act = useMutation({
    mutationFn: (what: 'post' | 'approve' | 'reject') => api<Invoice>('POST', `/api/supplier-invoices/${i.id}/${what}`, what === 'post' ? undefined : { note }),
    onSuccess: (next, what) => {
      qc.setQueryData(['supplier-invoices', 'invoice', i.id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
      toast.ok(what === 'post' ? t('v.posted', { number: next.registerNumber ?? '' }) : what === 'approve' ? t('v.approved', { number: next.registerNumber ?? '' }) : t('v.rejected'));
    },
  });
  const pending = i.status === 'pending_approval';
  return (
    <DetailLayout
      back={{ to: '/invoicing/supplier-invoices' }}
      title={<span data-testid="si-title">{i.supplierName} · {i.supplierNumber}</span>}
      subtitle={<StatusBadge status={i.status} testId="si-detail-status" />}
      actions={canWrite && i.status === 'recorded' && <Button onClick={() => act.mutate('post')} loading={act.isPending} data-testid="si-post">{t('v.post')}</Button>}
    >
      <Stack>
        <Section>
          <Fields
            items={[
              [t('l.company'), i.companyName],
              [t('l.supplier'), `${i.supplierName}${i.supplierNif ? ` (${i.supplierNif})` : ''}`],
              [t('l.date'), f.date(i.invoiceDate)],
              [t('l.received'), f.date(i.receivedDate)],
              [t('l.period'), i.period],
              [t('l.register'), <span key="r" data-testid="si-register">{i.registerNumber ?? '—'}</span>],
              [t('l.total'), <b key="t" data-testid="si-total">{f.money(i.totalCents)}</b>],
            ]}
          />
        </Section>
        <Section title={t('f.lines')}>
          <Table data-testid="si-detail-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('f.receipt')}</Table.Th><Table.Th>{t('f.description')}</Table.Th><Table.Th ta="right">{t('f.quantity')}</Table.Th><Table.Th ta="right">{t('f.price')}</Table.Th>
                <Table.Th ta="right">{t('f.discount')}</Table.Th><Table.Th ta="right">{t('f.iva')}</Table.Th><Table.Th ta="right">{t('f.base')}</Table.Th><Table.Th>{t('f.match')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {i.lines.map((l) => (
                <Table.Tr key={l.lineNo} data-testid="si-detail-line" data-differences={l.differences.length} bg={l.differences.length ? 'var(--mantine-color-red-light)' : undefined}>
                  <Table.Td>{l.receiptNumber ? `${l.receiptNumber} · ${l.orderNumber ?? ''}` : '—'}</Table.Td>
                  <Table.Td>{l.description}</Table.Td>
                  <Table.Td ta="right">{qtyOf(l.quantityMilli, l.weighed, locale)}</Table.Td>
                  <Table.Td ta="right">{f.money(l.unitPriceCents)}{l.weighed ? '/kg' : ''}</Table.Td>
                  <Table.Td ta="right">{l.discountBp ? f.percentBp(l.discountBp) : '—'}</Table.Td>
                  <Table.Td ta="right">{f.percentBp(l.ivaRateBp)}{l.reRateBp ? ` + ${f.percentBp(l.reRateBp)}` : ''}</Table.Td>
                  <Table.Td ta="right">{f.money(l.baseCents)}</Table.Td>
                  <Table.Td><Differences diffs={l.differences} weighed={l.weighed} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('v.taxes')}>
          <Table data-testid="si-taxes">
            <Table.Tbody>
              {(i.taxes.length ? i.taxes : []).map((x, k) => (
                <Table.Tr key={k}><Table.Td>{f.percentBp(x.ivaRateBp)}{x.reRateBp ? ` + ${f.percentBp(x.reRateBp)}` : ''}</Table.Td><Table.Td ta="right">{f.money(x.baseCents)}</Table.Td><Table.Td ta="right">{f.money(x.ivaCents)}</Table.Td><Table.Td ta="right">{x.reCents ? f.money(x.reCents) : ''}</Table.Td></Table.Tr>
              ))}
              <Table.Tr><Table.Td fw={600}>{t('v.base')} / {t('v.iva')}{i.reCents ? ` / ${t('v.re')}` : ''}{i.irpfCents ? ` / ${t('v.irpf')}` : ''}</Table.Td><Table.Td ta="right">{f.money(i.baseCents)}</Table.Td><Table.Td ta="right">{f.money(i.ivaCents)}</Table.Td><Table.Td ta="right">{i.reCents ? f.money(i.reCents) : ''}{i.irpfCents ? ` −${f.money(i.irpfCents)}` : ''}</Table.Td></Table.Tr>
            </Table.Tbody>
          </Table>
        </Section>
        {i.dues.length > 0 && (
          <Section title={t('v.dues')} testId="si-dues">
            {i.dues.map((d) => <Text key={d.dueDate} data-testid="si-due">{f.date(d.dueDate)} · {f.money(d.amountCents)}</Text>)}
          </Section>
        )}
        {i.status === 'posted' && <SourceEntries type="supplier_invoice" id={i.id} />}
        {i.decisionNote && (
          <Section title={t('v.decision')}><Text data-testid="si-decision-note">{i.decisionNote}</Text><Text size="sm" c="dimmed">{f.dateTime(i.decidedAt)}</Text></Section>
        )}
        {pending && canDecide && (
          <Section title={t('v.decision')} testId="si-decide">
            <Textarea label={t('v.decisionNote')} description={t('v.decisionHelp')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} data-testid="si-decision" />
            <Group justify="flex-end" mt="sm">
              <Button color="red" variant="light" disabled={!note.trim()} loading={act.isPending} onClick={() => act.mutate('reject')} data-testid="si-reject">{t('v.reject')}</Button>
              <Button disabled={!note.trim()} loading={act.isPending} onClick={() => act.mutate('approve')} data-testid="si-approve">{t('v.approve')}</Button>
            </Group>
          </Section>
        )}
        {act.error && <Alert color="red" data-testid="si-action-error">{act.error.message}</Alert>}
      </Stack>
    </DetailLayout>
  );
}
