/** Pieces the organisation pages share: the API's shapes, the address fields, the company form schema. */
import { Group, TextInput } from '@mantine/core';
import { isValidIBAN } from 'ibantools';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { CompanyInput, type Address } from '@tpv/shared/wire/http/organisation';
import { useT } from '../app/i18n';
import { field } from '../components/form';
import { messages } from './messages';

export type { Company, Contract, Store, Warehouse } from '@tpv/shared/wire/http/organisation';

/** The API's company body plus the IBAN check digits, as the server checks them (ibantools). */
export const CompanyForm = CompanyInput.superRefine((c, ctx) => {
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(c.iban) && !isValidIBAN(c.iban)) ctx.addIssue({ code: 'custom', path: ['iban'], message: 'IBAN no válido (dígitos de control) / invalid IBAN (check digits)' });
});

export const EMPTY_ADDRESS: Address = { street: '', postalCode: '', city: '', province: '', country: 'ES' };

export const addressLine = (a: Address | null) => (a ? `${a.street}, ${a.postalCode} ${a.city} (${a.province})${a.country === 'ES' ? '' : ` ${a.country}`}` : '—');

/** Street, postal code, city, province, country of `address` in any form whose values hold one. */
export function AddressFields({ form }: { form: UseFormReturn<FieldValues, unknown, FieldValues> }) {
  const { t } = useT(messages);
  return (
    <>
      <TextInput label={t('addr.street')} required {...field(form, 'address.street')} />
      <Group grow align="flex-start">
        <TextInput label={t('addr.postalCode')} required {...field(form, 'address.postalCode')} />
        <TextInput label={t('addr.city')} required {...field(form, 'address.city')} />
      </Group>
      <Group grow align="flex-start">
        <TextInput label={t('addr.province')} required {...field(form, 'address.province')} />
        <TextInput label={t('addr.country')} {...field(form, 'address.country')} />
      </Group>
    </>
  );
}

/** Basis points as a percentage with two decimals (450 → "4,50 %"). */
export const percent = (bp: number, locale: string) => `${(bp / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %`;
