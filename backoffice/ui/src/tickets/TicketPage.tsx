/** One ticket: header data, lines with discounts, taxes per rate, totals, payments, the Veri*Factu record and returns. */
import { Anchor, Badge, Button, Code, Grid, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TicketDetail } from '@tpv/shared/wire/http/tickets';
import { Link, useParams } from 'react-router';
import { download, get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';

export default function TicketPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const q = useQuery({ queryKey: ['ticket', id], queryFn: () => get<TicketDetail>(`/api/tickets/${encodeURIComponent(id)}`) });
  const ref = (r: { id: string; fiscalNumber: string; issuedAt: string; totalCents: number }) => (
    <Anchor component={Link} to={`/tickets/${r.id}`} key={r.id}>
      {r.fiscalNumber} · {f.dateTime(r.issuedAt)} · {f.money(r.totalCents)}
    </Anchor>
  );
  return (
    <QueryState query={q}>
      {(d) => (
        <DetailLayout
          back={{ to: '/tickets', label: t('ticket.back') }}
          title={<span data-testid="ticket-title">{t('ticket.title', { number: d.fiscalNumber })}</span>}
          subtitle={`${d.store.code} · ${d.store.name} — ${f.dateTime(d.issuedAt)}`}
          actions={
            <Button data-testid="ticket-pdf" onClick={() => download(`/api/tickets/${d.id}/pdf`, `ticket-${d.fiscalNumber}.pdf`).catch((e: unknown) => toast.fail(e))}>
              {t('ticket.pdf')}
            </Button>
          }
        >
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t('ticket.data')}>
                <Fields
                  items={[
                    [
                      t('tickets.kind'),
                      <span key="kind" data-testid="ticket-kind">
                        {d.kind === 'return' ? t('tickets.kind.return') : t('tickets.kind.sale')}
                        {invoiceTypeLabel(d.fiscal?.invoiceType ?? null, t)}
                      </span>,
                    ],
                    [t('ticket.company'), `${d.company.legalName} · ${t('ticket.nif')} ${d.company.nif}`],
                    [t('tickets.store'), `${d.store.code} · ${d.store.name}`],
                    [t('tickets.till'), `${d.terminal.name} (${t('ticket.installation')} ${d.terminal.installation})`],
                    [t('tickets.cashier'), d.cashier?.name ?? '—'],
                    [t('tickets.customer'), d.customer ? `${d.customer.name}${d.customer.nif ? ` · ${d.customer.nif}` : ''}` : '—'],
                    [t('ticket.received'), f.dateTime(d.receivedAt)],
                    ...(d.original ? ([[t('ticket.original'), ref(d.original)]] as Array<[string, React.ReactNode]>) : []),
                  ]}
                />
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t('ticket.fiscal')} testId="ticket-fiscal">
                {d.fiscal ? (
                  <Fields
                    items={[
                      [t('ticket.hash'), <Code data-testid="ticket-hash" key="h" style={{ wordBreak: 'break-all' }}>{d.fiscal.hash}</Code>],
                      [t('ticket.previousHash'), d.fiscal.previousHash ? <Code key="p" style={{ wordBreak: 'break-all' }}>{d.fiscal.previousHash}</Code> : t('ticket.firstRecord')],
                      [t('ticket.chainPosition'), String(d.fiscal.chainPosition)],
                      [t('ticket.verified'), d.fiscal.verified ? <Badge color="green" key="v">{t('tickets.chainOk')}</Badge> : <Badge color="red" key="v">{`${t('tickets.chainBroken')}: ${d.fiscal.breakReason ?? ''}`}</Badge>],
                      [t('ticket.qr'), d.fiscal.qrUrl ? <Anchor href={d.fiscal.qrUrl} target="_blank" rel="noreferrer" size="xs" data-testid="ticket-qr" key="q" style={{ wordBreak: 'break-all' }}>{d.fiscal.qrUrl}</Anchor> : '—'],
                    ]}
                  />
                ) : (
                  <Text size="sm">{t('ticket.noFiscal')}</Text>
                )}
              </Section>
            </Grid.Col>
          </Grid>
          <Section title={t('ticket.lines')} testId="ticket-lines">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ticket.article')}</Table.Th>
                  <Table.Th ta="right">{t('ticket.qty')}</Table.Th>
                  <Table.Th ta="right">{t('ticket.unitPrice')}</Table.Th>
                  <Table.Th ta="right">{t('ticket.discount')}</Table.Th>
                  <Table.Th ta="right">{t('ticket.rate')}</Table.Th>
                  <Table.Th ta="right">{t('ticket.amount')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.lines.map((l) => (
                  <Table.Tr key={l.lineNo}>
                    <Table.Td>{l.description}{l.sku ? <Text span c="dimmed" size="xs"> {l.sku}</Text> : null}</Table.Td>
                    <Table.Td ta="right">{l.grams !== null ? `${f.number(l.grams / 1000, 3)} kg` : l.units}</Table.Td>
                    <Table.Td ta="right">{l.unitPriceCents === null ? '—' : f.money(l.unitPriceCents)}</Table.Td>
                    <Table.Td ta="right">{l.discountCents ? `${f.money(-l.discountCents)}${l.discountLabel ? ` (${l.discountLabel})` : ''}` : ''}</Table.Td>
                    <Table.Td ta="right">{f.percentBp(l.taxRateBp)}</Table.Td>
                    <Table.Td ta="right">{f.money(l.totalCents)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t('ticket.taxes')} testId="ticket-taxes">
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('ticket.rate')}</Table.Th>
                      <Table.Th ta="right">{t('ticket.base')}</Table.Th>
                      <Table.Th ta="right">{t('ticket.iva')}</Table.Th>
                      <Table.Th ta="right">{t('ticket.re')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.taxes.map((x) => (
                      <Table.Tr key={`${x.rateBp}-${x.reRateBp}-${x.exemption ?? ''}`}>
                        <Table.Td>{x.exemption ? `0 % (${x.exemption})` : f.percentBp(x.rateBp)}{x.reRateBp ? ` + ${f.percentBp(x.reRateBp)}` : ''}</Table.Td>
                        <Table.Td ta="right">{f.money(x.baseCents)}</Table.Td>
                        <Table.Td ta="right">{f.money(x.ivaCents)}</Table.Td>
                        <Table.Td ta="right">{f.money(x.reCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t('ticket.totals')} testId="ticket-totals">
                <Fields
                  items={[
                    [t('ticket.subtotal'), f.money(d.totals.subtotalCents)],
                    [t('ticket.discounts'), f.money(-d.totals.discountCents)],
                    [t('tickets.tax'), f.money(d.totals.taxCents)],
                    [t('tickets.total'), <strong data-testid="ticket-total" key="t">{f.money(d.totals.totalCents)}</strong>],
                    ...d.payments.map((p): [string, string] => [`${t(`ticket.method.${p.method}` as 'ticket.method.cash')}${p.reference ? ` (${p.reference})` : ''}`, f.money(p.amountCents)]),
                    ...(d.totals.changeCents ? ([[t('ticket.change'), f.money(d.totals.changeCents)]] as Array<[string, string]>) : []),
                  ]}
                />
              </Section>
            </Grid.Col>
          </Grid>
          {d.kind === 'sale' && (
            <Section title={t('ticket.returns')} testId="ticket-returns">
              {d.returns.length ? d.returns.map((r) => <div key={r.id}>{ref(r)}</div>) : <Text size="sm">{t('ticket.noReturns')}</Text>}
            </Section>
          )}
        </DetailLayout>
      )}
    </QueryState>
  );
}

const INVOICE_TYPES = ['F1', 'F2', 'F3', 'R1', 'R2', 'R3', 'R4', 'R5'] as const;
/** " · F1 (factura completa)": the Veri*Factu type beside the kind, so a full invoice reads as one. */
function invoiceTypeLabel(type: string | null, t: (key: `ticket.invoiceType.${(typeof INVOICE_TYPES)[number]}`) => string): string {
  const known = INVOICE_TYPES.find((x) => x === type);
  return known ? ` · ${known} (${t(`ticket.invoiceType.${known}`)})` : '';
}
