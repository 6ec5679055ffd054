/**
 * HR's page of the labour inspectorate's access (issue 16): grant a key for one company (inspector, the request's
 * reference, days valid) — shown once, with the address of the inspector's page —, the grants with expiry and
 * last use, and revoking one at once.
 */
import { Alert, Badge, Button, Code, Group, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { inspectorMessages } from './inspector-messages';

interface Grant { id: string; companyId: string; inspectorName: string; reference: string; createdAt: string; expiresAt: string; revokedAt: string | null; lastUsedAt: string | null }
const fieldError = (e: unknown, path: string) => (e instanceof ApiError ? e.fieldErrors.find((x) => x.path === path)?.message : undefined);

export default function InspectorAccessPage() {
  const { t } = useT(inspectorMessages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('hr.write');
  const org = useOrganisation();
  const companies = (org.data?.companies ?? []).map((c) => ({ value: c.id, label: c.legalName }));
  const list = useQuery({ queryKey: ['inspector-access'], queryFn: () => get<{ items: Grant[] }>('/api/people/inspector-access') });
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [inspectorName, setInspectorName] = useState('');
  const [reference, setReference] = useState('');
  const [validDays, setValidDays] = useState<number>(30);
  const grant = useMutation({
    mutationFn: () => api<Grant & { key: string }>('POST', '/api/people/inspector-access', { companyId, inspectorName, reference, validDays }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['inspector-access'] }),
  });
  const revoke = useMutation({ mutationFn: (id: string) => api<Grant>('POST', `/api/people/inspector-access/${id}/revoke`, {}), onSuccess: () => void qc.invalidateQueries({ queryKey: ['inspector-access'] }) });
  const company = (id: string) => companies.find((c) => c.value === id)?.label ?? id;
  const now = new Date().toISOString();
  return (
    <>
      <PageHeader title={t('i.title')} subtitle={t('i.help')} />
      {canWrite && (
        <Section title={t('i.grant')} testId="inspector-grant">
          <Group align="end" wrap="wrap">
            <Select label={t('i.company')} w={300} data={companies} value={companyId} onChange={setCompanyId} error={fieldError(grant.error, 'companyId')} data-testid="inspector-company" />
            <TextInput label={t('i.inspector')} w={240} value={inspectorName} onChange={(e) => setInspectorName(e.currentTarget.value)} error={fieldError(grant.error, 'inspectorName')} data-testid="inspector-name" />
            <TextInput label={t('i.reference')} w={220} value={reference} onChange={(e) => setReference(e.currentTarget.value)} error={fieldError(grant.error, 'reference')} data-testid="inspector-reference" />
            <NumberInput label={t('i.days')} w={120} min={1} max={90} value={validDays} onChange={(v) => setValidDays(Number(v) || 30)} error={fieldError(grant.error, 'validDays')} />
            <Button disabled={!companyId || !inspectorName.trim() || !reference.trim()} loading={grant.isPending} onClick={() => grant.mutate()} data-testid="inspector-give">{t('i.give')}</Button>
          </Group>
          {grant.data && (
            <Alert color="green" mt="sm" data-testid="inspector-key-shown">
              <Text size="sm">{t('i.keyOnce', { url: `${window.location.origin}/inspector` })}</Text>
              <Code block mt="xs" data-testid="inspector-key">{grant.data.key}</Code>
            </Alert>
          )}
          {grant.error && !(grant.error instanceof ApiError && grant.error.fieldErrors.length) && <Alert color="red" mt="sm">{grant.error.message}</Alert>}
        </Section>
      )}
      <Section>
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('i.none')}</Text> : (
          <Table striped data-testid="inspector-grants">
            <Table.Thead><Table.Tr><Table.Th>{t('i.company')}</Table.Th><Table.Th>{t('i.inspector')}</Table.Th><Table.Th>{t('i.reference')}</Table.Th><Table.Th>{t('i.granted')}</Table.Th><Table.Th>{t('i.expires')}</Table.Th><Table.Th>{t('i.lastUsed')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((g) => (
                <Table.Tr key={g.id} data-testid="inspector-grant-row">
                  <Table.Td>{company(g.companyId)}</Table.Td>
                  <Table.Td>{g.inspectorName}</Table.Td>
                  <Table.Td>{g.reference}</Table.Td>
                  <Table.Td>{f.dateTime(g.createdAt)}</Table.Td>
                  <Table.Td>{f.dateTime(g.expiresAt)}</Table.Td>
                  <Table.Td>{g.lastUsedAt ? f.dateTime(g.lastUsedAt) : '—'}</Table.Td>
                  <Table.Td>
                    {g.revokedAt ? <Badge color="gray" variant="light">{t('i.revoked')}</Badge> : g.expiresAt > now && canWrite && (
                      <Button size="xs" variant="light" color="red" onClick={() => revoke.mutate(g.id)} data-testid="inspector-revoke">{t('i.revoke')}</Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
