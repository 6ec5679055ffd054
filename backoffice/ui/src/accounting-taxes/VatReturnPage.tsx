/**
 * Modelo 303 of a company and quarter (or month): the boxes computed from the VAT books, each opening the
 * rows it sums; the reconciliation per rate with the journal's 477 / 4771 / 472; the two books as screens.
 */
import { Alert, Badge, Button, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { VatBookAnswer, VatReturnAnswer } from '@tpv/shared/wire/http/accounting-taxes';
import { get, withQuery } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';
import { BookRows, currentQuarter, Downloads, PeriodPicker } from './shared';

type Tab = 'return' | 'issued' | 'received';

export default function VatReturnPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const { locale } = useLocale();
  const scope = useScopeOptions();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [period, setPeriod] = useState(currentQuarter);
  const [tab, setTab] = useState<Tab>('return');
  const [box, setBox] = useState<string | null>(null);
  useEffect(() => {
    if (!companyId && scope.companyOptions.length > 0) setCompanyId(scope.companyOptions[0]!.value);
  }, [companyId, scope.companyOptions]);
  const base = companyId ? `/api/accounting/companies/${companyId}` : '';
  const ret = useQuery({ queryKey: ['accounting', 'vat-return', companyId, period], queryFn: () => get<VatReturnAnswer>(withQuery(`${base}/vat-return`, { period })), enabled: !!companyId && tab === 'return' });
  const book = useQuery({
    queryKey: ['accounting', 'vat-books', companyId, period, tab],
    queryFn: () => get<VatBookAnswer>(withQuery(`${base}/vat-books`, { book: tab, period })),
    enabled: !!companyId && tab !== 'return',
  });
  const r = ret.data;
  const v = (b: string) => r?.boxes.find((x) => x.box === b)?.value ?? 0;
  const open = r && box ? r.boxes.find((b) => b.box === box) : undefined;
  const right = { textAlign: 'right' } as const;
  return (
    <>
      <PageHeader
        title={t('r.title')}
        subtitle={t('r.help')}
        actions={companyId && (tab === 'return'
          ? <Downloads path={`${base}/vat-return`} query={{ period }} name={`modelo-303-${period}`} />
          : <Downloads path={`${base}/vat-books`} query={{ book: tab, period }} name={`libro-${tab}-${period}`} />)}
      />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Select label={t('c.company')} data={scope.companyOptions} value={companyId} onChange={(c) => (setCompanyId(c), setBox(null))} searchable data-testid="tax-company" />
            <PeriodPicker value={period} onChange={(p) => (setPeriod(p), setBox(null))} />
          </SimpleGrid>
          <SegmentedControl
            mt="md"
            value={tab}
            onChange={(x) => setTab(x as Tab)}
            data={[{ value: 'return', label: t('r.tab.return') }, { value: 'issued', label: t('r.tab.issued') }, { value: 'received', label: t('r.tab.received') }]}
            data-testid="tax-tab"
          />
        </Section>
        {!companyId && <Text c="dimmed">{t('c.pick')}</Text>}
        {(ret.error ?? book.error) && <Alert color="red" data-testid="tax-error">{(ret.error ?? book.error)!.message}</Alert>}
        {tab !== 'return' && book.data && (
          <Section>
            <BookRows rows={book.data.rows} testId="vat-book" />
          </Section>
        )}
        {tab === 'return' && r && (
          <>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {[['k.output', '27'], ['k.input', '45'], ['k.result', '71']].map(([label, b]) => (
                <Paper key={b} withBorder p="md" radius="md" data-testid={`kpi-${b}`}>
                  <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t(label as 'k.output')}</Text>
                  <Text size="xl" fw={700} data-testid={`kpi-${b}-value`}>{f.money(v(b!))}</Text>
                </Paper>
              ))}
            </SimpleGrid>
            <Section>
              <Text size="sm" c="dimmed" mb="xs">{t('r.credit')}</Text>
              <Table striped highlightOnHover data-testid="boxes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('r.box')}</Table.Th>
                    <Table.Th>{t('r.concept')}</Table.Th>
                    <Table.Th style={right}>{t('r.value')}</Table.Th>
                    <Table.Th style={right}>{t('r.rows')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.boxes.map((b) => (
                    <Table.Tr key={b.box} data-testid="box" data-box={b.box} onClick={() => b.rows.length && setBox(b.box)} style={{ cursor: b.rows.length ? 'pointer' : undefined, fontWeight: b.kind === 'total' ? 600 : undefined }}>
                      <Table.Td><Badge variant="light" color={b.kind === 'total' ? 'blue' : 'gray'}>[{b.box}]</Badge></Table.Td>
                      <Table.Td>{locale === 'en' ? b.en : b.es}</Table.Td>
                      <Table.Td style={right} data-testid="box-value">{b.kind === 'rate' ? f.percentBp(b.value) : f.money(b.value)}</Table.Td>
                      <Table.Td style={right}>{b.rows.length || ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {r.notBoxed.length > 0 && <Alert color="yellow" mt="sm" data-testid="not-boxed">{t('r.notBoxed', { count: r.notBoxed.length })}</Alert>}
            </Section>
            {open && (
              <Section title={t('r.rowsOf', { box: open.box })} actions={<Button variant="subtle" size="xs" onClick={() => setBox(null)}>{t('c.close')}</Button>} testId="box-rows">
                <BookRows rows={r.rows.filter((x) => open.rows.includes(x.key))} testId="box-rows-table" />
              </Section>
            )}
            <Section title={t('rc.title')} testId="reconciliation">
              <Table striped data-testid="recon-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('rc.kind')}</Table.Th>
                    <Table.Th>{t('rc.rate')}</Table.Th>
                    <Table.Th>{t('rc.account')}</Table.Th>
                    <Table.Th style={right}>{t('rc.book')}</Table.Th>
                    <Table.Th style={right}>{t('rc.journal')}</Table.Th>
                    <Table.Th style={right}>{t('rc.diff')}</Table.Th>
                    <Table.Th>{t('rc.why')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.reconciliation.map((l) => (
                    <Table.Tr key={`${l.kind}:${l.rateBp}`} data-testid="recon-row" data-account={l.account}>
                      <Table.Td>{t(`rk.${l.kind}`)}</Table.Td>
                      <Table.Td>{f.percentBp(l.rateBp)}</Table.Td>
                      <Table.Td>{l.account}</Table.Td>
                      <Table.Td style={right}>{f.money(l.bookCents)}</Table.Td>
                      <Table.Td style={right}>{f.money(l.journalCents)}</Table.Td>
                      <Table.Td style={right} c={l.differenceCents ? 'orange' : 'green'} data-testid="recon-diff">{f.money(l.differenceCents)}</Table.Td>
                      <Table.Td>
                        {l.differenceCents === 0 && <Badge color="green" variant="light">{t('rc.ok')}</Badge>}
                        {l.explained.map((e) => (
                          <Text key={`${e.reason}${e.detail ?? ''}`} size="sm">{t(`why.${e.reason}`, { amount: f.money(e.cents), count: e.rows.length, period: e.detail ?? '' })}</Text>
                        ))}
                        {l.unexplainedCents !== 0 && <Text size="sm" c="red">{t('rc.unexplained', { amount: f.money(l.unexplainedCents) })}</Text>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          </>
        )}
      </Stack>
    </>
  );
}
