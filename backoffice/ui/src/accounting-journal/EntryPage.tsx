/**
 * One entry: its lines (account names, stores), totals, the document it comes from (a link to its page where
 * the admin has one), its attachments (downloads), the entry that reverses it or that it reverses. An
 * accountant reverses it here (date and reason); a posted entry is never deleted.
 */
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { EntryDetail, EntrySummary } from '@tpv/shared/wire/http/accounting-journal';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { KINDS } from './JournalPage';
import { messages } from './messages';
import { sourceLink } from './shared';

export default function EntryPage() {
  const { companyId, entryId } = useParams() as { companyId: string; entryId: string };
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const canWrite = useCan('accounting.write');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [reason, setReason] = useState('');
  const entry = useQuery({ queryKey: ['accounting', 'entry', companyId, entryId], queryFn: () => get<EntryDetail>(`/api/accounting/companies/${companyId}/entries/${entryId}`) });
  const reverse = useMutation({
    mutationFn: () => api<{ entry: EntrySummary }>('POST', `/api/accounting/companies/${companyId}/entries/${entryId}/reverse`, { date, reason }),
    onSuccess: (r) => (toast.ok(t('e.reversedOk', { year: r.entry.year, number: r.entry.number })), void qc.invalidateQueries({ queryKey: ['accounting'] })),
  });
  const e = entry.data;
  const ref = (x: { id: string; year: number; number: number } | null) => x && <Anchor component={Link} to={`/accounting/entries/${companyId}/${x.id}?company=${companyId}`}>{x.year}/{x.number}</Anchor>;
  const link = e ? sourceLink(e, companyId) : null;
  const kind = e && ((KINDS as readonly string[]).includes(e.kind) ? t(`k.${e.kind}` as 'k.manual') : e.kind);
  return (
    <DetailLayout back={{ to: `/accounting/entries?company=${companyId}`, label: t('e.back') }} title={e ? t('e.title', { year: e.year, number: e.number }) : '…'} subtitle={e?.description}>
      {entry.error && <Alert color="red">{errorText(entry.error, locale)}</Alert>}
      {e && (
        <Stack>
          <Section>
            <Fields
              items={[
                [t('e.entryDate'), <span key="d" data-testid="entry-entry-date">{f.date(e.entryDate)}</span>],
                ...(e.documentDate !== e.entryDate ? [[t('e.documentDate'), <span key="dd" data-testid="entry-document-date">{f.date(e.documentDate)}</span>] as [string, ReactNode]] : []),
                [t('j.kind'), <Badge key="k" variant="light" data-testid="entry-kind">{kind}</Badge>],
                ...(e.sourceType ? [[t('e.document'), link ? <Anchor key="s" component={Link} to={link} data-testid="entry-source">{e.sourceRef ?? e.sourceType}</Anchor> : `${e.sourceType} ${e.sourceRef ?? ''}`] as [string, ReactNode]] : []),
                ...(e.reverses ? [[t('e.reverses'), ref(e.reverses)] as [string, ReactNode]] : []),
                ...(e.reversedBy ? [[t('e.reversedBy'), <span key="r" data-testid="entry-reversed-by">{ref(e.reversedBy)}</span>] as [string, ReactNode]] : []),
              ]}
            />
          </Section>
          <Section>
            <Table striped data-testid="entry-detail-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('c.account')}</Table.Th>
                  <Table.Th>{t('c.name')}</Table.Th>
                  <Table.Th>{t('c.store')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('c.debit')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('c.credit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {e.lines.map((l) => (
                  <Table.Tr key={l.lineNo} data-testid="entry-detail-line">
                    <Table.Td>{l.account}</Table.Td>
                    <Table.Td>{l.accountName}{l.description ? <Text size="xs" c="dimmed">{l.description}</Text> : null}</Table.Td>
                    <Table.Td>{l.storeName ?? ''}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{l.debitCents ? f.money(l.debitCents) : ''}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{l.creditCents ? f.money(l.creditCents) : ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={3}>{t('e.totals')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }} data-testid="entry-total-debit">{f.money(e.totalCents)}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{f.money(e.totalCents)}</Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Section>
          {e.attachments.length > 0 && (
            <Section title={t('m.attachments')}>
              <Group>
                {e.attachments.map((a) => (
                  <Button key={a.id} variant="light" size="xs" onClick={() => void download(`/api/files/${a.id}`, a.name).catch((x: unknown) => toast.fail(x))} data-testid="entry-attachment-download">
                    {a.name} ({f.number(Math.ceil(a.sizeBytes / 1024))} KB)
                  </Button>
                ))}
              </Group>
            </Section>
          )}
          {canWrite && !e.reversedById && !e.reversesId && (
            <Section title={t('e.reverse')} testId="entry-reverse">
              <Group align="end">
                <TextInput label={t('c.date')} type="date" value={date} onChange={(x) => setDate(x.currentTarget.value)} w={180} data-testid="reverse-date" />
                <TextInput label={t('e.reason')} value={reason} onChange={(x) => setReason(x.currentTarget.value)} style={{ flex: 1 }} maxLength={200} data-testid="reverse-reason" />
                <Button color="orange" onClick={() => reverse.mutate()} loading={reverse.isPending} disabled={!reason.trim()} data-testid="reverse-save">{t('e.reverse')}</Button>
              </Group>
              {reverse.error && <Alert color="red" mt="sm" data-testid="reverse-error">{errorText(reverse.error, locale)}</Alert>}
              <Text size="xs" c="dimmed" mt="xs">{t('e.noDelete')}</Text>
            </Section>
          )}
        </Stack>
      )}
    </DetailLayout>
  );
}
