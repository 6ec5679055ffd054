/** Control de crédito: counterparties blocked for sales on account (why, exposure, limit) and a manager's release. */
import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

interface Row {
  companyId: string; counterpartyKind: string; counterpartyId: string; counterpartyName: string | null; creditLimitCents: number | null; exposureCents: number;
  blocked: boolean; reason: string | null; releasedOn: string | null; releasedUntil: string | null;
}

export default function CreditControlPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const scope = useScopeOptions();
  const canWrite = useCan('collections.write');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [onlyBlocked, setOnlyBlocked] = useState(false);
  const [releasing, setReleasing] = useState<Row | null>(null);
  const [until, setUntil] = useState('');
  const [note, setNote] = useState('');
  const [limitOf, setLimitOf] = useState<Row | null>(null);
  const [limit, setLimit] = useState<number | string>('');
  const saveLimit = useMutation({
    mutationFn: (r: Row) => api<Row>('PUT', '/api/collections/credit-control', { companyId: r.companyId, counterpartyKind: r.counterpartyKind, counterpartyId: r.counterpartyId, creditLimitCents: limit === '' ? null : Math.round(Number(limit) * 100) }),
    onSuccess: () => {
      toast.ok(t('c.limitSaved'));
      setLimitOf(null);
      void qc.invalidateQueries({ queryKey: ['credit-control'] });
    },
  });
  const rows = useQuery({
    queryKey: ['credit-control', companyId, onlyBlocked],
    queryFn: () => get<{ items: Row[] }>(withQuery('/api/collections/credit-control', { companyId, blocked: onlyBlocked ? 'true' : undefined })),
  });
  const release = useMutation({
    mutationFn: (r: Row) => api<Row>('POST', '/api/collections/credit-control/release', { companyId: r.companyId, counterpartyKind: r.counterpartyKind, counterpartyId: r.counterpartyId, until: until || null, note }),
    onSuccess: () => {
      toast.ok(t('c.releasedOk'));
      setReleasing(null);
      setNote('');
      setUntil('');
      void qc.invalidateQueries({ queryKey: ['credit-control'] });
    },
  });
  return (
    <>
      <PageHeader title={t('c.title')} subtitle={t('c.help')} />
      <Stack>
        <Group>
          <Select placeholder={t('d.company')} data={scope.companyOptions} value={companyId} onChange={setCompanyId} clearable searchable data-testid="credit-company" />
          <Checkbox label={t('c.onlyBlocked')} checked={onlyBlocked} onChange={(e) => setOnlyBlocked(e.currentTarget.checked)} data-testid="credit-only-blocked" />
        </Group>
        <Section>
          <QueryState query={rows}>
            {(r) =>
              r.items.length === 0 ? (
                <Text c="dimmed">{t('c.none')}</Text>
              ) : (
                <Table data-testid="credit-rows">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('d.company')}</Table.Th><Table.Th>{t('d.counterparty')}</Table.Th><Table.Th>{t('c.exposure')}</Table.Th><Table.Th>{t('c.limit')}</Table.Th>
                      <Table.Th>{t('c.status')}</Table.Th><Table.Th>{t('c.reason')}</Table.Th><Table.Th>{t('c.released')}</Table.Th><Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.items.map((x) => (
                      <Table.Tr key={`${x.companyId}|${x.counterpartyKind}|${x.counterpartyId}`} data-testid="credit-row">
                        <Table.Td>{scope.companyName(x.companyId)}</Table.Td>
                        <Table.Td>{x.counterpartyName ?? x.counterpartyId}</Table.Td>
                        <Table.Td>{f.money(x.exposureCents)}</Table.Td>
                        <Table.Td>{x.creditLimitCents === null ? '—' : f.money(x.creditLimitCents)}</Table.Td>
                        <Table.Td>{x.blocked ? <Badge color="red">{t('c.blocked')}</Badge> : <Badge color="green">{t('c.free')}</Badge>}</Table.Td>
                        <Table.Td>{x.reason ?? ''}</Table.Td>
                        <Table.Td>{x.releasedOn ? `${f.date(x.releasedOn)}${x.releasedUntil ? ` → ${f.date(x.releasedUntil)}` : ''}` : ''}</Table.Td>
                        <Table.Td>
                          {canWrite && (
                            <Group gap="xs" wrap="nowrap">
                              {x.blocked && <Button size="xs" onClick={() => setReleasing(x)} data-testid="credit-release">{t('c.release')}</Button>}
                              <Button size="xs" variant="default" onClick={() => { setLimitOf(x); setLimit(x.creditLimitCents === null ? '' : x.creditLimitCents / 100); }} data-testid="credit-limit">{t('c.setLimit')}</Button>
                            </Group>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )
            }
          </QueryState>
        </Section>
      </Stack>
      <Modal opened={releasing !== null} onClose={() => setReleasing(null)} title={`${t('c.release')}: ${releasing?.counterpartyName ?? ''}`}>
        <Stack>
          <TextInput label={t('c.until')} type="date" value={until} onChange={(e) => setUntil(e.currentTarget.value)} data-testid="credit-release-until" />
          <TextInput label={t('c.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} required data-testid="credit-release-note" />
          {release.error && <Alert color="red">{release.error.message}</Alert>}
          <Button onClick={() => releasing && release.mutate(releasing)} loading={release.isPending} disabled={note.trim() === ''} data-testid="credit-release-confirm">{t('c.release')}</Button>
        </Stack>
      </Modal>
      <Modal opened={limitOf !== null} onClose={() => setLimitOf(null)} title={`${t('c.setLimit')}: ${limitOf?.counterpartyName ?? ''}`}>
        <Stack>
          <NumberInput label={t('c.limitEur')} description={t('c.limitHelp')} value={limit} onChange={setLimit} min={0} decimalScale={2} decimalSeparator="," thousandSeparator="." data-testid="credit-limit-value" />
          {saveLimit.error && <Alert color="red">{saveLimit.error.message}</Alert>}
          <Button onClick={() => limitOf && saveLimit.mutate(limitOf)} loading={saveLimit.isPending} data-testid="credit-limit-save">{t('c.setLimit')}</Button>
        </Stack>
      </Modal>
    </>
  );
}
