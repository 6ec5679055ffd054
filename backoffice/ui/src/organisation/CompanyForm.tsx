/** Create or edit a company: identity, NIF, address, IBAN and its contacts (validated as the API validates). */
import { ActionIcon, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useFieldArray, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { field, FormShell, useControlledField, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout, Section } from '../components/layout';
import { AddressFields, CompanyForm as Schema, EMPTY_ADDRESS, type Company } from './common';
import { messages } from './messages';

export default function CompanyFormPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['company', id], queryFn: () => get<Company>(`/api/companies/${id}`), enabled: !!id });
  if (!id) return <Editor />;
  return <QueryState query={q}>{(c) => <Editor company={c} />}</QueryState>;
}

function Editor({ company }: { company?: Company }) {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const form = useZodForm(Schema, {
    defaultValues: company
      ? { kind: company.kind, legalName: company.legalName, tradeName: company.tradeName ?? '', nif: company.nif, address: company.address ?? EMPTY_ADDRESS, iban: company.iban ?? '', contacts: company.contacts.map(({ name, role, email, phone }) => ({ name, role, email, phone })) }
      : { kind: 'franchisee', legalName: '', tradeName: '', nif: '', address: EMPTY_ADDRESS, iban: '', contacts: [] },
  });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const contacts = useFieldArray({ control: f.control, name: 'contacts' });
  const submit = useFormSubmit(form, (v) => (company ? api<Company>('PUT', `/api/companies/${company.id}`, v) : api<Company>('POST', '/api/companies', v)), {
    success: t('common.saved'),
    invalidate: [['list'], ['company'], ['organisation']],
    onSuccess: (c) => navigate(`/organisation/companies/${c.id}`),
  });
  const kind = useControlledField(f, 'kind');
  return (
    <DetailLayout back={{ to: company ? `/organisation/companies/${company.id}` : '/organisation/companies' }} title={company ? t('co.edit') : t('co.new')}>
      <FormShell testId="company-form" onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} onCancel={() => navigate(-1)}>
        <Select
          label={t('co.kind')}
          data={[{ value: 'franchisee', label: t('co.franchisee') }, { value: 'franchisor', label: t('co.franchisor') }]}
          allowDeselect={false}
          {...(kind as object)}
        />
        <TextInput label={t('co.legalName')} required {...field(f, 'legalName')} />
        <TextInput label={t('co.tradeName')} {...field(f, 'tradeName')} />
        <Group grow align="flex-start">
          <TextInput label={t('co.nif')} required {...field(f, 'nif')} />
          <TextInput label={t('co.iban')} required {...field(f, 'iban')} />
        </Group>
        <AddressFields form={f} />
        <Section title={t('co.contacts')} testId="contacts">
          <Stack gap="xs">
            {contacts.fields.map((c, i) => (
              <Paper key={c.id} withBorder p="xs">
                <Group grow align="flex-start">
                  <TextInput label={t('co.contactName')} {...field(f, `contacts.${i}.name`)} />
                  <TextInput label={t('co.contactRole')} {...field(f, `contacts.${i}.role`)} />
                  <TextInput label={t('co.contactEmail')} {...field(f, `contacts.${i}.email`)} />
                  <TextInput label={t('co.contactPhone')} {...field(f, `contacts.${i}.phone`)} />
                  <ActionIcon variant="subtle" color="red" mt={28} maw={28} aria-label={t('co.remove')} onClick={() => contacts.remove(i)}>
                    ✕
                  </ActionIcon>
                </Group>
              </Paper>
            ))}
            {contacts.fields.length === 0 && <Text c="dimmed" size="sm">—</Text>}
            <Group>
              <Button variant="light" size="xs" onClick={() => contacts.append({ name: '', role: '', email: '', phone: '' })}>
                {t('co.addContact')}
              </Button>
            </Group>
          </Stack>
        </Section>
      </FormShell>
    </DetailLayout>
  );
}
