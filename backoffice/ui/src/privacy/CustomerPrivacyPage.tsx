/** One customer's data protection: personal data (the read is logged), consents (state + history, grant/withdraw), export and erasure. */
import { Badge, Button, Group, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { CONSENT_PURPOSES, type ConsentPurpose } from '@tpv/shared/privacy/consent';
import type { ConsentsAnswer, RequestItem } from '@tpv/shared/wire/http/privacy';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { ErrorState, QueryState, useConfirm, useToast } from '../components/feedback';
import { Fields, PageHeader, Section } from '../components/layout';
import { FileLinks } from './RequestsPage';
import { messages } from './messages';

interface PersonalData { id: string; name: string; nif: string | null; email: string | null; phone: string | null; erasedAt: string | null }

export default function CustomerPrivacyPage() {
  const { t, locale } = useT(messages);
  const [params, setParams] = useSearchParams();
  const id = params.get('customerId') ?? '';
  const [typed, setTyped] = useState(id);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const person = useQuery({ queryKey: ['privacy', 'person', id], queryFn: () => get<PersonalData>(`/api/privacy/customers/${id}`), enabled: id !== '' });
  const consents = useQuery({ queryKey: ['privacy', 'consents', id], queryFn: () => get<ConsentsAnswer>(`/api/privacy/customers/${id}/consents`), enabled: id !== '' });
  const refresh = () => qc.invalidateQueries({ queryKey: ['privacy'] });
  const consent = useMutation({
    mutationFn: (c: { purpose: ConsentPurpose; granted: boolean }) => api('POST', `/api/privacy/customers/${id}/consents`, { consents: [c] }),
    onSuccess: refresh,
  });
  const [last, setLast] = useState<RequestItem | null>(null);
  const exporter = useMutation({ mutationFn: () => api<RequestItem>('POST', `/api/privacy/customers/${id}/export`), onSuccess: (r) => (setLast(r), toast.ok(t('actions.done')), refresh()) });
  const [reason, setReason] = useState('');
  // An erasure changes what the customer and loyalty pages show: their cached answers go too.
  const eraser = useMutation({
    mutationFn: () => api<RequestItem>('POST', `/api/privacy/customers/${id}/erasure`, { reason }),
    onSuccess: (r) => {
      setLast(r);
      toast.ok(t('actions.done'));
      for (const queryKey of [['crm'], ['loyalty']]) void qc.invalidateQueries({ queryKey });
      return refresh();
    },
  });
  const when = (s: string) => new Date(s).toLocaleString(locale);

  return (
    <>
      <PageHeader title={t('customers.title')} subtitle={t('customers.subtitle')} />
      <Group mb="md" align="end">
        <TextInput label={t('customers.id')} value={typed} onChange={(e) => setTyped(e.currentTarget.value.trim())} data-testid="privacy-customer-id" w={360} />
        <Button onClick={() => setParams({ customerId: typed })} data-testid="privacy-open">{t('customers.open')}</Button>
      </Group>
      {id !== '' && (
        <Stack>
          <QueryState query={person}>
            {(p) => (
              <Section title={p.name} testId="privacy-person">
                <Fields items={[[t('customers.nif'), p.nif ?? '—'], [t('customers.email'), p.email ?? '—'], [t('customers.phone'), p.phone ?? '—'], [t('customers.erased'), p.erasedAt ? when(p.erasedAt) : '—']]} />
              </Section>
            )}
          </QueryState>
          <QueryState query={consents}>
            {(c) => (
              <Section title={t('consents.title')} testId="privacy-consents">
                <Table>
                  <Table.Tbody>
                    {CONSENT_PURPOSES.map((purpose) => {
                      const s = c.current.find((x) => x.purpose === purpose);
                      return (
                        <Table.Tr key={purpose} data-testid={`consent-${purpose}`}>
                          <Table.Td>{t(`purpose.${purpose}`)}</Table.Td>
                          <Table.Td><Badge variant="light" color={s?.granted ? 'green' : 'gray'}>{s ? t(s.granted ? 'consents.granted' : 'consents.withdrawn') : '—'}</Badge></Table.Td>
                          <Table.Td>{s ? `${t(`source.${s.source}`)} · ${when(s.givenAt)}` : ''}</Table.Td>
                          <Table.Td>
                            <Button size="xs" variant="light" disabled={person.data?.erasedAt != null} onClick={() => consent.mutate({ purpose, granted: !s?.granted })}>
                              {t(s?.granted ? 'consents.withdraw' : 'consents.grant')}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
                {consent.error != null && <ErrorState error={consent.error} />}
                <Table mt="md" data-testid="privacy-consent-history">
                  <Table.Thead>
                    <Table.Tr><Table.Th>{t('consents.date')}</Table.Th><Table.Th>{t('consents.purpose')}</Table.Th><Table.Th>{t('consents.state')}</Table.Th><Table.Th>{t('consents.source')}</Table.Th><Table.Th>{t('consents.by')}</Table.Th></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {c.history.map((h) => (
                      <Table.Tr key={h.id}>
                        <Table.Td>{when(h.givenAt)}</Table.Td><Table.Td>{t(`purpose.${h.purpose}`)}</Table.Td>
                        <Table.Td>{t(h.granted ? 'consents.granted' : 'consents.withdrawn')}</Table.Td><Table.Td>{t(`source.${h.source}`)}</Table.Td><Table.Td>{h.recordedBy ?? '—'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
            )}
          </QueryState>
          <Section title={`${t('actions.export')} · ${t('actions.erase')}`}>
            <Group align="end">
              <Button onClick={() => exporter.mutate()} loading={exporter.isPending} data-testid="privacy-export">{t('actions.export')}</Button>
              <TextInput label={t('actions.eraseReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="privacy-erase-reason" />
              <Button color="red" disabled={reason.trim().length < 3 || person.data?.erasedAt != null} loading={eraser.isPending} data-testid="privacy-erase"
                onClick={async () => (await confirm.action(t('actions.erase'), t('actions.eraseConfirm'), t('actions.erase'), true)) && eraser.mutate()}>
                {t('actions.erase')}
              </Button>
            </Group>
            {exporter.error != null && <ErrorState error={exporter.error} />}
            {eraser.error != null && <ErrorState error={eraser.error} />}
            {last && <Group mt="sm" data-testid="privacy-last-request"><Badge>{t(`kind.${last.kind}`)}</Badge><FileLinks r={last} /></Group>}
          </Section>
        </Stack>
      )}
    </>
  );
}
