/** The fields of a user's assignment (role, companies or store) shared by the invite and edit forms. */
import { MultiSelect, Select } from '@mantine/core';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { useControlledField } from '../components/form';
import { messages } from './messages';
import { useRoleOptions, useScopeOptions } from './shared';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- both forms (invite, edit) carry these three fields
type AnyForm = UseFormReturn<any, unknown, FieldValues>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Select and MultiSelect take different value types
type Controlled = { name: string; ref: (el: any) => void; onBlur: () => void; error?: string | undefined; value: unknown; onChange: (v: any) => void };

export function AssignmentFields({ form }: { form: AnyForm }) {
  const { t } = useT(messages);
  const me = useUser();
  const roles = useRoleOptions(me.role);
  const scope = useScopeOptions();
  const role = form.watch('role') as string;
  const roleField = useControlledField(form, 'role') as Controlled;
  const companiesField = useControlledField(form, 'companyIds') as Controlled;
  const storeField = useControlledField(form, 'storeId') as Controlled;
  return (
    <>
      <Select label={t('users.role')} data={roles} allowDeselect={false} data-testid="user-role" {...roleField} value={(roleField.value as string) ?? null} />
      {role === 'franchisee_manager' && (
        <MultiSelect label={t('users.companies')} data={scope.companyOptions} searchable data-testid="user-companies" {...companiesField} value={(companiesField.value as string[]) ?? []} />
      )}
      {role === 'store_manager' && (
        <Select label={t('users.store')} data={scope.storeOptions} searchable data-testid="user-store" {...storeField} value={(storeField.value as string) ?? null} />
      )}
    </>
  );
}
