/**
 * Aging of balances: what each counterparty owes (or is owed) in buckets by days past due, with the totals
 * and days sales outstanding on top; a row opens that counterparty's open items. Filters: company (the
 * caller's scope), receivable/payable, as-of date.
 */
import { Alert, Badge, Button, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AgingAnswer, AgingItemsAnswer, AgingRow, DsoAnswer } from '@tpv/shared/wire/http/collections-aging';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

const BUCKETS = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
const BUCKET_COLOR: Record<(typeof BUCKETS)[number], string> = { not_due: 'gray', d1_30: 'yellow', d31_60: 'orange', d61_90: 'red', over_90: 'grape' };
type Side = 'receivable' | 'payable';

const todayIso = () => new Date().toISOString().slice(0, 10);
const minusDays = (iso: string, days: number) => new Date(Date.parse(iso) - days * 86_400_000).toISOString().slice(0, 10);

function Kpi({ label, value, hint, testId, color }: { label: string; value: string; hint?: string; testId: string; color?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700} c={color} data-testid={`${testId}-value`}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Paper>
  );
}

export default function AgingPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [side, setSide] = useState<Side>('receivable');
  const [asOf, setAsOf] = useState(todayIso);
  const [open, setOpen] = useState<AgingRow | null>(null);
  const validDay = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const q = { asOf: validDay ? asOf : undefined, side, companyId: companyId ?? undefined };
  const aging = useQuery({ queryKey: ['collections', 'aging', q], queryFn: () => get<AgingAnswer>(withQuery('/api/collections/aging', q)) });
  const dso = useQuery({
    queryKey: ['collections', 'dso', q.asOf, companyId],
    queryFn: () => get<DsoAnswer>(withQuery('/api/collections/dso', { from: minusDays(q.asOf ?? todayIso(), 89), to: q.asOf ?? todayIso(), companyId: companyId ?? undefined })),
    enabled: side === 'receivable',
  });
  const items = useQuery({
    queryKey: ['collections', 'aging-items', q, open?.counterpartyKind, open?.counterpartyId],
    queryFn: () => get<AgingItemsAnswer>(withQuery('/api/collections/aging/items', { ...q, counterpartyKind: open!.counterpartyKind, counterpartyId: open!.counterpartyId })),
    enabled: !!open,
  });
  const a = aging.data;
  const total = a?.total;
  const d = dso.data;
  return (
    <>
      <PageHeader title={t('a.title')} subtitle={t('a.help')} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select
              label={t('a.company')}
              data={[{ value: '', label: t('a.allCompanies') }, ...scope.companyOptions]}
              value={companyId ?? ''}
              onChange={(v) => (setCompanyId(v || null), setOpen(null))}
              searchable
              data-testid="aging-company"
            />
            <Select
              label={t('a.side')}
              data={[{ value: 'receivable', label: t('a.receivable') }, { value: 'payable', label: t('a.payable') }]}
              value={side}
              onChange={(v) => (setSide((v as Side) ?? 'receivable'), setOpen(null))}
              allowDeselect={false}
              data-testid="aging-side"
            />
            <TextInput label={t('a.asOf')} type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} error={!validDay} data-testid="aging-asof" />
          </SimpleGrid>
        </Section>
        {aging.error && <Alert color="red" data-testid="aging-error">{aging.error.message}</Alert>}
        {total && (
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} data-testid="aging-kpis">
            <Kpi testId="kpi-total" label={t('k.total')} value={f.money(total.totalCents)} hint={t('k.counterparties', { count: a.counterparties, items: total.items })} />
            <Kpi testId="kpi-overdue" label={t('k.overdue')} value={f.money(total.overdueCents)} color={total.overdueCents > 0 ? 'orange' : undefined} />
            <Kpi testId="kpi-over90" label={t('k.over90')} value={f.money(total.buckets.over_90)} color={total.buckets.over_90 > 0 ? 'red' : undefined} />
            {side === 'receivable' && (
              <Kpi testId="kpi-dso" label={t('k.dso')} value={d && d.dsoTenths !== null ? t('k.dsoValue', { days: f.number(d.dsoTenths / 10, 1) }) : t('k.noDso')} />
            )}
          </SimpleGrid>
        )}
        {a && (
          <Section>
            {a.rows.length === 0 ? (
              <Text c="dimmed" data-testid="aging-empty">{t('a.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table striped highlightOnHover data-testid="aging-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('a.counterparty')}</Table.Th>
                      <Table.Th>{t('a.kind')}</Table.Th>
                      {BUCKETS.map((b) => <Table.Th key={b} style={{ textAlign: 'right' }}>{t(`b.${b}`)}</Table.Th>)}
                      <Table.Th style={{ textAlign: 'right' }}>{t('a.total')}</Table.Th>
                      <Table.Th style={{ textAlign: 'right' }}>{t('a.maxDays')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.rows.map((r) => (
                      <Table.Tr key={`${r.counterpartyKind}:${r.counterpartyId}`} onClick={() => setOpen(r)} style={{ cursor: 'pointer' }} data-testid="aging-row" data-counterparty={r.counterpartyId}>
                        <Table.Td fw={500}>{r.counterpartyName ?? r.counterpartyId}</Table.Td>
                        <Table.Td><Badge variant="light" color="gray">{t(`ck.${r.counterpartyKind}`)}</Badge></Table.Td>
                        {BUCKETS.map((b) => <Table.Td key={b} style={{ textAlign: 'right' }} c={r.buckets[b] !== 0 && b !== 'not_due' ? BUCKET_COLOR[b] : undefined} data-testid={`cell-${b}`}>{r.buckets[b] ? f.money(r.buckets[b]) : '—'}</Table.Td>)}
                        <Table.Td style={{ textAlign: 'right' }} fw={600} data-testid="cell-total">{f.money(r.totalCents)}</Table.Td>
                        <Table.Td style={{ textAlign: 'right' }}>{r.maxDaysPastDue || '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                  <Table.Tfoot>
                    <Table.Tr data-testid="aging-total">
                      <Table.Th>{t('a.totalRow')}</Table.Th>
                      <Table.Th />
                      {BUCKETS.map((b) => <Table.Th key={b} style={{ textAlign: 'right' }} data-testid={`total-${b}`}>{f.money(a.total.buckets[b])}</Table.Th>)}
                      <Table.Th style={{ textAlign: 'right' }} data-testid="total-total">{f.money(a.total.totalCents)}</Table.Th>
                      <Table.Th style={{ textAlign: 'right' }}>{a.total.maxDaysPastDue || '—'}</Table.Th>
                    </Table.Tr>
                  </Table.Tfoot>
                </Table>
              </Table.ScrollContainer>
            )}
            {a.counterparties > a.rows.length && <Text size="sm" c="dimmed" mt="xs">{t('a.more', { shown: a.rows.length, count: a.counterparties })}</Text>}
          </Section>
        )}
        {open && (
          <Section
            title={t('i.title', { name: open.counterpartyName ?? open.counterpartyId })}
            actions={<Button variant="subtle" size="xs" onClick={() => setOpen(null)} data-testid="aging-items-close">{t('i.close')}</Button>}
            testId="aging-items"
          >
            <Table striped data-testid="aging-items-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('i.document')}</Table.Th>
                  {!companyId && scope.companyOptions.length > 1 && <Table.Th>{t('a.company')}</Table.Th>}
                  <Table.Th>{t('i.issue')}</Table.Th>
                  <Table.Th>{t('i.due')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('i.amount')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('i.balance')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('i.days')}</Table.Th>
                  <Table.Th>{t('i.bucket')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('i.dunning')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(items.data?.items ?? []).map((i) => (
                  <Table.Tr key={i.id} data-testid="aging-item">
                    <Table.Td>{i.documentRef}</Table.Td>
                    {!companyId && scope.companyOptions.length > 1 && <Table.Td>{scope.companyName(i.companyId)}</Table.Td>}
                    <Table.Td>{f.date(i.issueDate)}</Table.Td>
                    <Table.Td>{f.date(i.dueDate)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{f.money(i.amountCents)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} fw={600}>{f.money(i.balanceCents)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{i.daysPastDue || '—'}</Table.Td>
                    <Table.Td><Badge variant="light" color={BUCKET_COLOR[i.bucket]}>{t(`b.${i.bucket}`)}</Badge></Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{i.dunningLevel || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {items.error && <Alert color="red">{items.error.message}</Alert>}
          </Section>
        )}
      </Stack>
    </>
  );
}
