/** "Extracto de cuenta": a counterparty's statement for a period (opening, every entry with its running balance, closing) and its PDF. */
import { Alert, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { COUNTERPARTY_KINDS, SIDES, type StatementAnswer } from '@tpv/shared/wire/http/collections-payments';
import { download, get, withQuery } from '../app/api';
import { useLocale, useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

export default function StatementPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const scope = useScopeOptions();
  const year = new Date().getFullYear();
  const [kind, setKind] = useState('company');
  const [counterpartyId, setCounterpartyId] = useState('');
  const [side, setSide] = useState('receivable');
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [asked, setAsked] = useState<Record<string, string> | null>(null);
  const s = useQuery({ queryKey: ['collections', 'statement', asked], queryFn: () => get<StatementAnswer>(withQuery('/api/collections/statements', asked!)), enabled: !!asked });
  const params = { counterpartyKind: kind, counterpartyId: counterpartyId.trim(), side, from, to };
  return (
    <>
      <PageHeader title={t('s.title')} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 5 }}>
            <Select label={t('c.counterpartyKind')} data={COUNTERPARTY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind(v ?? 'company')} data-testid="st-kind" />
            {kind === 'company' ? (
              <Select label={t('c.counterparty')} data={scope.companyOptions} value={counterpartyId || null} onChange={(v) => setCounterpartyId(v ?? '')} searchable data-testid="st-counterparty" />
            ) : (
              <TextInput label={t('c.counterpartyId')} value={counterpartyId} onChange={(e) => setCounterpartyId(e.currentTarget.value)} data-testid="st-counterparty" />
            )}
            <Select label={t('c.side')} data={SIDES.map((x) => ({ value: x, label: t(`side.${x}`) }))} value={side} onChange={(v) => setSide(v ?? 'receivable')} data-testid="st-side" />
            <TextInput label={t('s.from')} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="st-from" />
            <TextInput label={t('s.to')} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="st-to" />
          </SimpleGrid>
          <Group mt="md">
            <Button onClick={() => setAsked(params)} disabled={!params.counterpartyId} data-testid="st-show">{t('s.show')}</Button>
            <Button variant="default" onClick={() => void download(withQuery('/api/collections/statements.pdf', { ...params, lang: locale.startsWith('en') ? 'en' : 'es' }), 'extracto.pdf')} disabled={!params.counterpartyId} data-testid="st-pdf">{t('s.pdf')}</Button>
          </Group>
        </Section>
        {s.error && <Alert color="red">{(s.error as Error).message}</Alert>}
        {s.data && (
          <Section title={s.data.counterpartyName ?? s.data.counterpartyId}>
            <Table data-testid="statement">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('c.date')}</Table.Th><Table.Th>{t('c.document')}</Table.Th><Table.Th>{t('s.concept')}</Table.Th><Table.Th>{t('c.reference')}</Table.Th><Table.Th ta="right">{t('s.debit')}</Table.Th><Table.Th ta="right">{t('s.credit')}</Table.Th><Table.Th ta="right">{t('s.balance')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr><Table.Td colSpan={6}>{t('s.opening')}</Table.Td><Table.Td ta="right" data-testid="st-opening">{f.money(s.data.openingCents)}</Table.Td></Table.Tr>
                {s.data.lines.map((l, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{f.date(l.on)}</Table.Td><Table.Td>{l.documentRef}</Table.Td><Table.Td>{t(`k.${l.kind}` as 'k.invoiced')}</Table.Td><Table.Td>{l.ref ?? ''}</Table.Td>
                    <Table.Td ta="right">{l.debitCents ? f.money(l.debitCents) : ''}</Table.Td><Table.Td ta="right">{l.creditCents ? f.money(l.creditCents) : ''}</Table.Td><Table.Td ta="right">{f.money(l.balanceCents)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr><Table.Td colSpan={4}><b>{t('s.closing')}</b></Table.Td><Table.Td ta="right">{f.money(s.data.debitCents)}</Table.Td><Table.Td ta="right">{f.money(s.data.creditCents)}</Table.Td><Table.Td ta="right"><b data-testid="st-closing">{f.money(s.data.closingCents)}</b></Table.Td></Table.Tr>
              </Table.Tbody>
            </Table>
            <Text mt="sm">{t('s.held')}: {f.money(s.data.creditHeldCents)}</Text>
          </Section>
        )}
      </Stack>
    </>
  );
}
