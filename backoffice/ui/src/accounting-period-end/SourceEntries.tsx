/**
 * "Asiento contable / Journal entry": the entries a document produced (both companies' for an invoice between
 * companies of the franchise), each linking to the journal. Shown on a document page to users who read the
 * books; renders nothing for others.
 */
import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { BySourceAnswer } from '@tpv/shared/wire/http/accounting-documents';
import { get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { Section } from '../components/layout';
import { messages } from './messages';

/** `version`: the document's status, so a cancellation (a new contra entry) reloads the box. */
export function SourceEntries({ type, id, version }: { type: 'invoice' | 'supplier_invoice'; id: string; version?: string }) {
  const mayRead = useCan('accounting.read');
  return mayRead ? <SourceEntriesBox type={type} id={id} version={version ?? ''} /> : null;
}

function SourceEntriesBox({ type, id, version }: { type: string; id: string; version: string }) {
  const { t } = useT(messages);
  const f = useFormat();
  const q = useQuery({ queryKey: ['accounting', 'by-source', type, id, version], queryFn: () => get<BySourceAnswer>(withQuery('/api/accounting/entries/by-source', { type, id })) });
  if (!q.data) return null;
  const entries = q.data.entries;
  return (
    <Section title={t('se.title')} testId="source-entries">
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">{t('se.none')}</Text>
      ) : (
        <Stack gap="md">
          {entries.map((e) => (
            <div key={e.id} data-testid="source-entry">
              <Group gap="xs" mb={4}>
                <Anchor component={Link} to={`/accounting/entries/${e.companyId}/${e.id}?company=${e.companyId}`} fw={600} data-testid="source-entry-link">
                  {t('se.entry', { year: e.year, number: e.number })}
                </Anchor>
                <Text size="sm">{f.date(e.entryDate)} · {e.companyName}</Text>
                {e.reversesId && <Badge variant="light" color="orange">{t('se.reversal')}</Badge>}
                {e.reversedById && <Badge variant="light" color="gray">{t('se.reversed')}</Badge>}
              </Group>
              <Table withTableBorder fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('se.account')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('se.debit')}</Table.Th>
                    <Table.Th style={{ textAlign: 'right' }}>{t('se.credit')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {e.lines.map((l) => (
                    <Table.Tr key={l.lineNo}>
                      <Table.Td>{l.account}{l.accountName ? ` · ${l.accountName}` : ''}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{l.debitCents ? f.money(l.debitCents) : ''}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{l.creditCents ? f.money(l.creditCents) : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          ))}
        </Stack>
      )}
    </Section>
  );
}
