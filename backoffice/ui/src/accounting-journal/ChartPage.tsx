/**
 * The chart of accounts of one company: PGC headings and sub-accounts with the year's debit, credit and
 * balance; customer and supplier sub-accounts name their counterparty. An accountant opens sub-accounts
 * (8 digits under a PGC account), renames, blocks and unblocks them.
 */
import { Alert, Badge, Button, Checkbox, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { CompanyPicker, useChart, useCompany } from './shared';

export default function ChartPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const company = useCompany();
  const canWrite = useCan('accounting.write');
  const [year, setYear] = useState(new Date().getFullYear());
  const [search, setSearch] = useState('');
  const [onlySub, setOnlySub] = useState(false);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ code: string; name: string } | null>(null);
  const chart = useChart(company.companyId, year);
  const refresh = () => qc.invalidateQueries({ queryKey: ['accounting', 'chart'] });
  const base = `/api/accounting/companies/${company.companyId}`;
  const create = useMutation({
    mutationFn: () => api('POST', `${base}/accounts`, { code: code.trim(), name: name.trim() }),
    onSuccess: () => (toast.ok(t('ch.created', { code })), setCode(''), setName(''), void refresh()),
  });
  const patch = useMutation({
    mutationFn: (p: { code: string; body: { name?: string; blocked?: boolean } }) => api('PATCH', `${base}/accounts/${p.code}`, p.body),
    onSuccess: () => (setRenaming(null), void refresh()),
    onError: (e) => toast.fail(e),
  });
  const q = search.trim().toLowerCase();
  const rows = (chart.data?.accounts ?? []).filter((a) => (!onlySub || a.postable) && (!q || a.code.startsWith(q) || a.name.toLowerCase().includes(q)));
  return (
    <>
      <PageHeader title={t('ch.title')} subtitle={t('ch.help')} />
      <Stack>
        <Section>
          <Group align="end">
            <CompanyPicker company={company} />
            <NumberInput label={t('c.year')} value={year} onChange={(v) => typeof v === 'number' && setYear(v)} min={2000} max={2100} w={120} data-testid="chart-year" />
            <TextInput label={t('ch.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} data-testid="chart-search" />
            <Checkbox label={t('ch.onlyUsed')} checked={onlySub} onChange={(e) => setOnlySub(e.currentTarget.checked)} data-testid="chart-only-sub" />
          </Group>
        </Section>
        {canWrite && company.companyId && (
          <Section title={t('ch.new')} testId="chart-new">
            <Group align="end">
              <TextInput label={t('ch.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} maxLength={8} w={160} data-testid="chart-new-code" />
              <TextInput label={t('c.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={320} data-testid="chart-new-name" />
              <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!code.trim() || !name.trim()} data-testid="chart-new-save">{t('c.save')}</Button>
            </Group>
            {create.error && <Alert color="red" mt="sm" data-testid="chart-new-error">{errorText(create.error, locale)}</Alert>}
          </Section>
        )}
        {chart.error && <Alert color="red">{errorText(chart.error, locale)}</Alert>}
        {chart.data && (
          <Section>
            {rows.length === 0 ? (
              <Text c="dimmed">{t('c.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table striped highlightOnHover data-testid="chart-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('c.account')}</Table.Th>
                      <Table.Th>{t('c.name')}</Table.Th>
                      <Table.Th>{t('ch.counterparty')}</Table.Th>
                      <Table.Th style={{ textAlign: 'right' }}>{t('c.debit')}</Table.Th>
                      <Table.Th style={{ textAlign: 'right' }}>{t('c.credit')}</Table.Th>
                      <Table.Th style={{ textAlign: 'right' }}>{t('c.balance')}</Table.Th>
                      {canWrite && <Table.Th>{t('c.actions')}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((a) => (
                      <Table.Tr key={a.code} data-testid="chart-row" data-code={a.code}>
                        <Table.Td fw={a.postable ? 400 : 700} style={{ paddingLeft: a.postable ? 24 : Math.min(a.code.length, 4) * 4 }}>{a.code}</Table.Td>
                        <Table.Td fw={a.postable ? 400 : 600}>
                          {renaming?.code === a.code ? (
                            <Group gap="xs">
                              <TextInput size="xs" value={renaming.name} onChange={(e) => setRenaming({ code: a.code, name: e.currentTarget.value })} data-testid="chart-rename-input" />
                              <Button size="xs" onClick={() => patch.mutate({ code: a.code, body: { name: renaming.name } })} data-testid="chart-rename-save">{t('c.save')}</Button>
                              <Button size="xs" variant="subtle" onClick={() => setRenaming(null)}>{t('c.cancel')}</Button>
                            </Group>
                          ) : (
                            <span data-testid="chart-name">{locale === 'en' && !a.postable && a.nameEn ? a.nameEn : a.name}</span>
                          )}
                          {a.blocked && <Badge ml="xs" color="red" variant="light" data-testid="chart-blocked">{t('ch.blocked')}</Badge>}
                        </Table.Td>
                        <Table.Td>{a.counterparty && <Badge variant="light" color="gray">{t(`ck.${a.counterparty.kind}` as 'ck.customer')}{a.counterparty.nif ? ` · ${a.counterparty.nif}` : ''}</Badge>}</Table.Td>
                        <Table.Td style={{ textAlign: 'right' }}>{a.debitCents ? f.money(a.debitCents) : '—'}</Table.Td>
                        <Table.Td style={{ textAlign: 'right' }}>{a.creditCents ? f.money(a.creditCents) : '—'}</Table.Td>
                        <Table.Td style={{ textAlign: 'right' }} fw={600} data-testid="chart-balance">{a.debitCents || a.creditCents ? f.money(a.balanceCents) : '—'}</Table.Td>
                        {canWrite && (
                          <Table.Td>
                            {a.postable && (
                              <Group gap={4} wrap="nowrap">
                                <Button size="compact-xs" variant="subtle" onClick={() => setRenaming({ code: a.code, name: a.name })} data-testid="chart-rename">{t('ch.rename')}</Button>
                                <Button size="compact-xs" variant="subtle" color={a.blocked ? 'green' : 'red'} onClick={() => patch.mutate({ code: a.code, body: { blocked: !a.blocked } })} data-testid={a.blocked ? 'chart-unblock' : 'chart-block'}>
                                  {a.blocked ? t('ch.unblock') : t('ch.block')}
                                </Button>
                              </Group>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Section>
        )}
      </Stack>
    </>
  );
}
