/** Create or edit a central warehouse (its company must be the franchisor); archive or delete it. */
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router';
import { WarehouseInput } from '@tpv/shared/wire/http/organisation';
import { api, get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { field, FormShell, useControlledField, useFormSubmit, useZodForm } from '../components/form';
import { DetailLayout } from '../components/layout';
import { AddressFields, EMPTY_ADDRESS, type Company, type Warehouse } from './common';
import { messages } from './messages';

export default function WarehouseFormPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['warehouse', id], queryFn: () => get<Warehouse>(`/api/warehouses/${id}`), enabled: !!id && id !== 'new' });
  if (!id || id === 'new') return <Editor />;
  return <QueryState query={q}>{(w) => <Editor warehouse={w} />}</QueryState>;
}

function Editor({ warehouse }: { warehouse?: Warehouse }) {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const franchisors = useQuery({ queryKey: ['companies-options', 'franchisor'], queryFn: () => get<{ items: Company[] }>('/api/companies?kind=franchisor&pageSize=200') });
  const form = useZodForm(WarehouseInput, {
    defaultValues: warehouse
      ? { code: warehouse.code, name: warehouse.name, companyId: warehouse.companyId, address: warehouse.address ?? EMPTY_ADDRESS }
      : { code: '', name: '', companyId: '', address: EMPTY_ADDRESS },
  });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const submit = useFormSubmit(form, (v) => (warehouse ? api<Warehouse>('PUT', `/api/warehouses/${warehouse.id}`, v) : api<Warehouse>('POST', '/api/warehouses', v)), {
    success: t('common.saved'),
    invalidate: [['list'], ['warehouse']],
    onSuccess: () => navigate('/organisation/warehouses'),
  });
  const archive = useMutation({
    mutationFn: (archived: boolean) => api<Warehouse>('POST', `/api/warehouses/${warehouse!.id}/archive`, { archived }),
    onSuccess: (r) => {
      toast.ok(t(r.archivedAt ? 'co.archivedMsg' : 'co.unarchivedMsg'));
      void qc.invalidateQueries({ queryKey: ['warehouse'] });
    },
    onError: (e) => toast.fail(e),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/warehouses/${warehouse!.id}`),
    onSuccess: () => {
      toast.ok(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['list'] });
      navigate('/organisation/warehouses');
    },
    onError: (e) => toast.fail(e),
  });
  const company = useControlledField(f, 'companyId');
  return (
    <DetailLayout
      back={{ to: '/organisation/warehouses' }}
      title={warehouse ? t('wh.edit') : t('wh.new')}
      actions={
        warehouse && (
          <Group gap="xs">
            <Button variant="default" onClick={() => archive.mutate(!warehouse.archivedAt)}>{t(warehouse.archivedAt ? 'co.unarchive' : 'co.archive')}</Button>
            <Button color="red" variant="light" onClick={() => void confirm.delete(warehouse.name).then((ok) => ok && remove.mutate())}>{t('common.delete')}</Button>
          </Group>
        )
      }
    >
      <FormShell testId="warehouse-form" onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} onCancel={() => navigate(-1)}>
        <Group grow align="flex-start">
          <TextInput label={t('st.code')} required {...field(f, 'code')} />
          <TextInput label={t('st.name')} required {...field(f, 'name')} />
        </Group>
        <Select label={t('st.company')} required allowDeselect={false} data={(franchisors.data?.items ?? []).map((c) => ({ value: c.id, label: c.legalName }))} {...(company as object)} />
        <AddressFields form={f} />
      </FormShell>
    </DetailLayout>
  );
}
