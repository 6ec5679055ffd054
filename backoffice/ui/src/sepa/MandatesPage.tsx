/** SEPA mandates: the list of the caller's companies' mandates (revoke / reactivate) and the form to record one. */
import { Alert, Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Mandate } from '@tpv/shared/wire/http/sepa-remittances';
import { api, ApiError, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useCompanyOptions } from '../invoicing/queries';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

const today = () => new Date().toISOString().slice(0, 10);

export default function MandatesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('collections.write');
  const scope = useScopeOptions();
  const companies = useCompanyOptions();
  const list = useQuery({ queryKey: ['collections', 'mandates'], queryFn: () => get<{ items: Mandate[] }>('/api/collections/mandates') });
  const [form, setForm] = useState({ companyId: '', counterpartyKind: 'company', counterpartyId: '', reference: '', signedOn: today(), scheme: 'CORE', recurrence: 'recurrent', debtorIban: '', debtorBic: '', rechargeReturnFee: false });
  const set = (k: keyof typeof form) => (v: string | boolean | null) => setForm((s) => ({ ...s, [k]: v ?? '' }));
  const creditor = form.companyId || scope.companyOptions[0]?.value || '';
  const save = useMutation({
    mutationFn: () =>
      api<Mandate>('POST', '/api/collections/mandates', { ...form, companyId: creditor, debtorBic: form.debtorBic || null }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['collections', 'mandates'] }),
  });
  const toggle = useMutation({
    mutationFn: (m: Mandate) => api<Mandate>('PATCH', `/api/collections/mandates/${m.id}`, { status: m.status === 'active' ? 'revoked' : 'active' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['collections', 'mandates'] }),
  });
  const fieldError = (path: string) => (save.error instanceof ApiError ? save.error.fieldErrors.find((e) => e.path === path)?.message : undefined);
  const rows = list.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('m.title')} subtitle={t('m.help')} />
      <Stack>
        <Section testId="mandates">
          {rows.length === 0 ? (
            <Text c="dimmed">{t('m.none')}</Text>
          ) : (
            <Table striped data-testid="mandates-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('m.reference')}</Table.Th>
                  <Table.Th>{t('m.debtor')}</Table.Th>
                  <Table.Th>{t('m.iban')}</Table.Th>
                  <Table.Th>{t('m.scheme')}</Table.Th>
                  <Table.Th>{t('m.signedOn')}</Table.Th>
                  <Table.Th>{t('m.usage')}</Table.Th>
                  <Table.Th>{t('m.last')}</Table.Th>
                  <Table.Th>{t('m.status')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((m) => (
                  <Table.Tr key={m.id} data-testid="mandate-row">
                    <Table.Td>{m.reference}</Table.Td>
                    <Table.Td>{m.counterpartyName ?? m.debtorName}</Table.Td>
                    <Table.Td>{m.debtorIban}</Table.Td>
                    <Table.Td>{m.scheme}</Table.Td>
                    <Table.Td>{f.date(m.signedOn)}</Table.Td>
                    <Table.Td>{m.collections}</Table.Td>
                    <Table.Td>{f.date(m.lastCollectionOn)}</Table.Td>
                    <Table.Td><Badge color={m.status === 'active' ? 'green' : 'gray'} variant="light">{t(`st.${m.status}`)}</Badge></Table.Td>
                    <Table.Td>{canWrite && <Button size="xs" variant="default" onClick={() => toggle.mutate(m)}>{m.status === 'active' ? t('m.revoke') : t('m.activate')}</Button>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
        {canWrite && (
          <Section title={t('m.new')} testId="mandate-form">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <Select label={t('m.company')} data={scope.companyOptions} value={creditor} onChange={set('companyId')} />
              <Select label={t('m.kind')} data={[{ value: 'company', label: t('m.kind.company') }, { value: 'customer', label: t('m.kind.customer') }]} value={form.counterpartyKind} onChange={set('counterpartyKind')} />
              {form.counterpartyKind === 'company' ? (
                <Select label={t('m.debtor')} data={companies.data ?? []} value={form.counterpartyId || null} onChange={set('counterpartyId')} searchable error={fieldError('counterpartyId')} />
              ) : (
                <TextInput label={t('m.customerId')} value={form.counterpartyId} onChange={(e) => set('counterpartyId')(e.currentTarget.value)} error={fieldError('counterpartyId')} />
              )}
              <TextInput label={t('m.reference')} value={form.reference} onChange={(e) => set('reference')(e.currentTarget.value)} error={fieldError('reference')} data-testid="mandate-reference" />
              <TextInput label={t('m.signedOn')} type="date" value={form.signedOn} onChange={(e) => set('signedOn')(e.currentTarget.value)} error={fieldError('signedOn')} />
              <Select label={t('m.scheme')} data={['CORE', 'B2B']} value={form.scheme} onChange={set('scheme')} />
              <Select label={t('m.recurrence')} data={[{ value: 'recurrent', label: t('m.recurrent') }, { value: 'one-off', label: t('m.oneOff') }]} value={form.recurrence} onChange={set('recurrence')} />
              <TextInput label={t('m.iban')} value={form.debtorIban} onChange={(e) => set('debtorIban')(e.currentTarget.value)} error={fieldError('debtorIban')} data-testid="mandate-iban" />
              <TextInput label={t('m.bic')} value={form.debtorBic} onChange={(e) => set('debtorBic')(e.currentTarget.value)} error={fieldError('debtorBic')} />
            </SimpleGrid>
            <Group mt="md">
              <Checkbox label={t('m.recharge')} checked={form.rechargeReturnFee} onChange={(e) => set('rechargeReturnFee')(e.currentTarget.checked)} />
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!creditor || !form.counterpartyId} data-testid="mandate-save">{t('m.save')}</Button>
            </Group>
            {save.isSuccess && <Alert color="green" mt="sm">{t('m.saved')}</Alert>}
            {save.error && <Alert color="red" mt="sm" data-testid="mandate-error">{save.error.message}</Alert>}
          </Section>
        )}
      </Stack>
    </>
  );
}
