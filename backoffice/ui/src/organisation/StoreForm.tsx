/** Create or edit a store: code, name, company, address, time zone, sales area and the weekly opening hours. */
import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useFieldArray, useFormState, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { StoreInput, WEEKDAYS, type Weekday } from '@tpv/shared/wire/http/organisation';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { field, FormShell, useControlledField, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout, Section } from '../components/layout';
import { AddressFields, EMPTY_ADDRESS, type Company, type Store } from './common';
import { messages } from './messages';

export default function StoreFormPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['store', id], queryFn: () => get<Store>(`/api/stores/${id}`), enabled: !!id });
  if (!id) return <Editor />;
  return <QueryState query={q}>{(s) => <Editor store={s} />}</QueryState>;
}

const DEFAULT_HOURS = Object.fromEntries(WEEKDAYS.map((d) => [d, d === 'sun' ? [] : [{ from: '09:00', to: '21:00' }]])) as Record<Weekday, Array<{ from: string; to: string }>>;

function Editor({ store }: { store?: Store }) {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const companies = useQuery({ queryKey: ['companies-options'], queryFn: () => get<{ items: Company[] }>('/api/companies?pageSize=200&sort=legalName') });
  const form = useZodForm(StoreInput, {
    defaultValues: store
      ? { code: store.code, name: store.name, companyId: store.companyId, address: store.address ?? EMPTY_ADDRESS, timezone: store.timezone, openingHours: store.openingHours ?? DEFAULT_HOURS, salesAreaM2: store.salesAreaM2 }
      : { code: '', name: '', companyId: search.get('companyId') ?? '', address: EMPTY_ADDRESS, timezone: 'Europe/Madrid', openingHours: DEFAULT_HOURS, salesAreaM2: null },
  });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const submit = useFormSubmit(form, (v) => (store ? api<Store>('PUT', `/api/stores/${store.id}`, v) : api<Store>('POST', '/api/stores', v)), {
    success: t('common.saved'),
    // ['organisation'] feeds the store pickers of other pages (ticket search, stock…).
    invalidate: [['list'], ['store'], ['organisation']],
    onSuccess: (s) => navigate(`/organisation/stores/${s.id}`),
  });
  const company = useControlledField(f, 'companyId');
  const area = useControlledField(f, 'salesAreaM2');
  return (
    <DetailLayout back={{ to: store ? `/organisation/stores/${store.id}` : '/organisation/stores' }} title={store ? t('st.edit') : t('st.new')}>
      <FormShell testId="store-form" onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} onCancel={() => navigate(-1)}>
        <Group grow align="flex-start">
          <TextInput label={t('st.code')} required {...field(f, 'code')} />
          <TextInput label={t('st.name')} required {...field(f, 'name')} />
        </Group>
        <Select
          label={t('st.company')}
          required
          searchable
          allowDeselect={false}
          data={(companies.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.tradeName ?? c.legalName} (${c.nif})` }))}
          {...(company as object)}
        />
        <AddressFields form={f} />
        <Group grow align="flex-start">
          <TextInput label={t('st.timezone')} {...field(f, 'timezone')} />
          <NumberInput label={t('st.area')} min={1} allowDecimal={false} {...(area as object)} onChange={(v) => (area as { onChange: (x: unknown) => void }).onChange(typeof v === 'number' ? v : null)} />
        </Group>
        <Section title={t('st.hours')} testId="hours">
          <Stack gap={6}>
            {WEEKDAYS.map((d) => (
              <DayHours key={d} form={f} day={d} />
            ))}
          </Stack>
        </Section>
      </FormShell>
    </DetailLayout>
  );
}

/** One weekday's intervals: add, remove, edit (the schema refuses overlaps and closing before opening). */
function DayHours({ form, day }: { form: UseFormReturn<FieldValues, unknown, FieldValues>; day: Weekday }) {
  const { t } = useT(messages);
  const list = useFieldArray({ control: form.control, name: `openingHours.${day}` });
  const { errors } = useFormState({ control: form.control, name: `openingHours.${day}` });
  const dayErrors = (errors.openingHours as Record<string, Array<{ from?: { message?: string }; to?: { message?: string } }> | undefined> | undefined)?.[day];
  return (
    <Group gap="xs" align="flex-start" data-testid={`hours-${day}`}>
      <Text w={100} mt={6} fw={500}>{t(`day.${day}`)}</Text>
      {list.fields.length === 0 && <Text c="dimmed" mt={6}>{t('st.closed')}</Text>}
      {list.fields.map((iv, i) => (
        <Group key={iv.id} gap={4} align="flex-start" wrap="nowrap">
          <TextInput w={90} aria-label={`${t(`day.${day}`)} ${t('st.from')} ${i + 1}`} placeholder="09:00" {...form.register(`openingHours.${day}.${i}.from`)} error={dayErrors?.[i]?.from?.message} />
          <Text mt={6}>–</Text>
          <TextInput w={90} aria-label={`${t(`day.${day}`)} ${t('st.to')} ${i + 1}`} placeholder="14:00" {...form.register(`openingHours.${day}.${i}.to`)} error={dayErrors?.[i]?.to?.message} />
          <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('co.remove')} onClick={() => list.remove(i)}>✕</ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" mt={4} onClick={() => list.append({ from: '', to: '' })}>{t('st.addInterval')}</Button>
    </Group>
  );
}
