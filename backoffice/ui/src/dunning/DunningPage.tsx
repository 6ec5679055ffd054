/**
 * Reclamaciones: run dunning for a company on a date (letters as PDF per customer and level, interest where
 * the level claims it), the company's levels, and the letters sent with their PDFs.
 */
import { Alert, Anchor, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

interface Level { level: number; name: { es: string; en: string }; minDaysPastDue: number; blocks: boolean; claimsInterest: boolean }
interface LetterItem { itemId: string; documentRef: string; dueDate: string; balanceCents: number; daysPastDue: number; interestCents: number }
interface Letter {
  id: string; companyId: string; counterpartyId: string; counterpartyName: string | null; level: number; letterDate: string;
  principalCents: number; interestCents: number; compensationCents: number; fileId: string | null; items: LetterItem[];
}

export default function DunningPage() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const f = useFormat();
  const qc = useQueryClient();
  const scope = useScopeOptions();
  const canWrite = useCan('collections.write');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));
  const [language, setLanguage] = useState<'es' | 'en'>('es');
  const company = companyId ?? scope.companyOptions[0]?.value ?? null;
  const levels = useQuery({ queryKey: ['dunning', 'levels', company], queryFn: () => get<{ isDefault: boolean; levels: Level[] }>(withQuery('/api/collections/dunning-levels', { companyId: company })), enabled: !!company });
  const letters = useQuery({ queryKey: ['dunning', 'letters', company], queryFn: () => get<{ items: Letter[] }>(withQuery('/api/collections/dunning/letters', { companyId: company })), enabled: !!company });
  const run = useMutation({
    mutationFn: () => api<{ letters: Letter[]; blocked: number; unblocked: number }>('POST', '/api/collections/dunning/run', { companyId: company, asOf, language }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['dunning'] }),
  });
  const lang = locale === 'en' ? 'en' : 'es';
  return (
    <>
      <PageHeader title={t('d.title')} subtitle={t('d.help')} />
      <Stack>
        <Section>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select label={t('d.company')} data={scope.companyOptions} value={company} onChange={setCompanyId} searchable data-testid="dunning-company" />
            <TextInput label={t('d.asOf')} type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} data-testid="dunning-asof" />
            <Select label={t('d.language')} data={[{ value: 'es', label: 'Español' }, { value: 'en', label: 'English' }]} value={language} onChange={(v) => setLanguage(v === 'en' ? 'en' : 'es')} data-testid="dunning-language" />
          </SimpleGrid>
          {canWrite && (
            <Group mt="md">
              <Button onClick={() => run.mutate()} loading={run.isPending} disabled={!company} data-testid="dunning-run">{t('d.run')}</Button>
            </Group>
          )}
          {run.data && <Text mt="sm" data-testid="dunning-ran">{t('d.ran', { letters: run.data.letters.length, blocked: run.data.blocked, unblocked: run.data.unblocked })}</Text>}
          {run.error && <Alert mt="sm" color="red" data-testid="dunning-error">{run.error.message}</Alert>}
        </Section>
        <Section title={t('d.levels')}>
          <QueryState query={levels}>
            {(l) => (
              <Table data-testid="dunning-levels">
                <Table.Thead>
                  <Table.Tr><Table.Th>{t('d.level')}</Table.Th><Table.Th>{t('d.days')}</Table.Th><Table.Th>{t('d.blocks')}</Table.Th><Table.Th>{t('d.claims')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {l.levels.map((x) => (
                    <Table.Tr key={x.level}>
                      <Table.Td>{x.level} · {x.name[lang]}</Table.Td>
                      <Table.Td>{x.minDaysPastDue}</Table.Td>
                      <Table.Td>{x.blocks ? t('yes') : t('no')}</Table.Td>
                      <Table.Td>{x.claimsInterest ? t('yes') : t('no')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryState>
          {levels.data?.isDefault && <Badge mt="xs" variant="light">{t('d.default')}</Badge>}
        </Section>
        <Section title={t('d.letters')}>
          <QueryState query={letters}>
            {(l) =>
              l.items.length === 0 ? (
                <Text c="dimmed">{t('d.noLetters')}</Text>
              ) : (
                <Table data-testid="dunning-letters">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('d.date')}</Table.Th><Table.Th>{t('d.counterparty')}</Table.Th><Table.Th>{t('d.level')}</Table.Th><Table.Th>{t('d.items')}</Table.Th>
                      <Table.Th>{t('d.principal')}</Table.Th><Table.Th>{t('d.interest')}</Table.Th><Table.Th>{t('d.compensation')}</Table.Th><Table.Th>{t('d.pdf')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {l.items.map((x) => (
                      <Table.Tr key={x.id} data-testid="dunning-letter-row">
                        <Table.Td>{f.date(x.letterDate)}</Table.Td>
                        <Table.Td>{x.counterpartyName ?? x.counterpartyId}</Table.Td>
                        <Table.Td>{x.level}</Table.Td>
                        <Table.Td>{x.items.map((i) => i.documentRef).join(', ')}</Table.Td>
                        <Table.Td>{f.money(x.principalCents)}</Table.Td>
                        <Table.Td>{f.money(x.interestCents)}</Table.Td>
                        <Table.Td>{f.money(x.compensationCents)}</Table.Td>
                        <Table.Td>{x.fileId && <Anchor component="button" onClick={() => void download(`/api/files/${x.fileId}`, `reclamacion-${x.letterDate}.pdf`)} data-testid="dunning-letter-pdf">{t('d.pdf')}</Anchor>}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )
            }
          </QueryState>
        </Section>
      </Stack>
    </>
  );
}
