/** One company: its data and contacts, its stores, and (franchisees) its franchise contracts with a form to add one. */
import { Badge, Button, Group, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useController, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { ContractInput } from '@tpv/shared/wire/http/organisation';
import { api, get } from '../app/api';
import { Can, useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { field, FormShell, useControlledField, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout, Fields, Section } from '../components/layout';
import { addressLine, percent, type Company, type Contract, type Store } from './common';
import { messages } from './messages';

export default function CompanyPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['company', id], queryFn: () => get<Company>(`/api/companies/${id}`) });
  return <QueryState query={q}>{(c) => <CompanyDetail company={c} />}</QueryState>;
}

function CompanyDetail({ company: c }: { company: Company }) {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const canContracts = useCan('contracts.read');
  const stores = useQuery({ queryKey: ['list', 'company-stores', c.id], queryFn: () => get<{ items: Store[] }>(`/api/stores?companyId=${c.id}&pageSize=200`) });
  const archive = useMutation({
    mutationFn: (archived: boolean) => api<Company>('POST', `/api/companies/${c.id}/archive`, { archived }),
    onSuccess: (r) => {
      toast.ok(t(r.archivedAt ? 'co.archivedMsg' : 'co.unarchivedMsg'));
      void qc.invalidateQueries({ queryKey: ['company', c.id] });
    },
    onError: (e) => toast.fail(e),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/companies/${c.id}`),
    onSuccess: () => {
      toast.ok(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['list'] });
      navigate('/organisation/companies');
    },
    onError: (e) => toast.fail(e),
  });
  return (
    <DetailLayout
      back={{ to: '/organisation/companies' }}
      title={c.tradeName ?? c.legalName}
      subtitle={`${c.legalName} · ${c.nif}`}
      actions={
        <Can permission="organisation.write">
          <Group gap="xs">
            <Button variant="default" onClick={() => navigate('edit')}>{t('common.edit')}</Button>
            <Button variant="default" onClick={() => void confirm.action(t(c.archivedAt ? 'co.unarchive' : 'co.archive'), t('co.archiveConfirm'), t(c.archivedAt ? 'co.unarchive' : 'co.archive')).then((ok) => ok && archive.mutate(!c.archivedAt))}>
              {t(c.archivedAt ? 'co.unarchive' : 'co.archive')}
            </Button>
            <Button color="red" variant="light" onClick={() => void confirm.delete(c.legalName).then((ok) => ok && remove.mutate())}>{t('common.delete')}</Button>
          </Group>
        </Can>
      }
    >
      <Section title={c.legalName} testId="company-detail">
        <Fields
          items={[
            [t('co.kind'), t(c.kind === 'franchisor' ? 'co.franchisor' : 'co.franchisee')],
            [t('co.nif'), c.nif],
            [t('co.iban'), c.iban ?? '—'],
            [t('addr.title'), addressLine(c.address)],
            [t('co.stores'), String(c.storeCount)],
            ...(c.archivedAt ? ([[t('co.archived'), new Date(c.archivedAt).toLocaleDateString()]] as Array<[string, string]>) : []),
          ]}
        />
      </Section>
      <Section title={t('co.contacts')} testId="company-contacts">
        {c.contacts.length === 0 ? (
          <Text c="dimmed">—</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {c.contacts.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.name}</Table.Td>
                  <Table.Td>{k.role}</Table.Td>
                  <Table.Td>{k.email}</Table.Td>
                  <Table.Td>{k.phone}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section title={t('co.stores')} testId="company-stores">
        <QueryState query={stores}>
          {(s) => (
            <Table highlightOnHover>
              <Table.Tbody>
                {s.items.map((x) => (
                  <Table.Tr key={x.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/organisation/stores/${x.id}`)}>
                    <Table.Td>{x.code}</Table.Td>
                    <Table.Td>{x.name}</Table.Td>
                    <Table.Td>{addressLine(x.address)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryState>
      </Section>
      {c.kind === 'franchisee' && canContracts && <Contracts companyId={c.id} />}
    </DetailLayout>
  );
}

function Contracts({ companyId }: { companyId: string }) {
  const { t, locale } = useT(messages);
  const q = useQuery({ queryKey: ['contracts', companyId], queryFn: () => get<Contract[]>(`/api/companies/${companyId}/contracts`) });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Section title={t('k.title')} testId="contracts">
      <QueryState query={q}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">{t('k.none')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('k.startsOn')}</Table.Th>
                  <Table.Th>{t('k.endsOn')}</Table.Th>
                  <Table.Th>{t('k.royalty')}</Table.Th>
                  <Table.Th>{t('k.marketing')}</Table.Th>
                  <Table.Th>{t('k.paymentMethod')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>{k.startsOn}</Table.Td>
                    <Table.Td>{k.endsOn ?? '—'}</Table.Td>
                    <Table.Td>{percent(k.royaltyBp, locale)}</Table.Td>
                    <Table.Td>{percent(k.marketingFeeBp, locale)}</Table.Td>
                    <Table.Td>{`${t(`k.${k.paymentMethod}`)} · ${k.paymentDays} d`}</Table.Td>
                    <Table.Td>{k.startsOn <= today && (k.endsOn === null || k.endsOn >= today) && <Badge color="green">{t('k.inForce')}</Badge>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Can permission="contracts.write">
        <ContractForm companyId={companyId} />
      </Can>
    </Section>
  );
}

/** A percentage input holding basis points in the form (4,50 % ⇄ 450). */
function PercentBp({ form, name, label }: { form: UseFormReturn<FieldValues, unknown, FieldValues>; name: string; label: string }) {
  const { field: f, fieldState } = useController({ control: form.control, name });
  return (
    <NumberInput
      label={label}
      decimalScale={2}
      min={0}
      max={100}
      suffix=" %"
      value={typeof f.value === 'number' ? f.value / 100 : ''}
      onChange={(v) => f.onChange(typeof v === 'number' ? Math.round(v * 100) : undefined)}
      onBlur={f.onBlur}
      error={fieldState.error?.message}
    />
  );
}

function ContractForm({ companyId }: { companyId: string }) {
  const { t } = useT(messages);
  const form = useZodForm(ContractInput, { defaultValues: { startsOn: '', endsOn: null, royaltyBp: 450, marketingFeeBp: 150, paymentDays: 30, paymentMethod: 'direct_debit', notes: '' } });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const submit = useFormSubmit(form, (v) => api<Contract>('POST', `/api/companies/${companyId}/contracts`, v), {
    success: t('k.saved'),
    invalidate: [['contracts', companyId]],
    onSuccess: () => form.reset(),
  });
  const method = useControlledField(f, 'paymentMethod');
  const days = useControlledField(f, 'paymentDays');
  const endsOn = form.register('endsOn', { setValueAs: (v: string | null) => (v ? v : null) });
  return (
    <FormShell testId="contract-form" onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} submitLabel={t('k.new')}>
      <Group grow align="flex-start">
        <TextInput type="date" label={t('k.startsOn')} required {...field(f, 'startsOn')} />
        <TextInput type="date" label={t('k.endsOn')} {...endsOn} error={form.formState.errors.endsOn?.message} />
      </Group>
      <Group grow align="flex-start">
        <PercentBp form={f} name="royaltyBp" label={t('k.royalty')} />
        <PercentBp form={f} name="marketingFeeBp" label={t('k.marketing')} />
        <NumberInput label={t('k.paymentDays')} min={0} max={180} allowDecimal={false} {...(days as object)} />
        <Select label={t('k.paymentMethod')} allowDeselect={false} data={[{ value: 'direct_debit', label: t('k.direct_debit') }, { value: 'transfer', label: t('k.transfer') }]} {...(method as object)} />
      </Group>
      <TextInput label={t('k.notes')} {...field(f, 'notes')} />
    </FormShell>
  );
}
