/** Suppliers: list (search, export) and a form to create or edit one. */
import { Button, Modal, NumberInput, TextInput, Textarea } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { z } from 'zod';
import { SupplierBody } from '@tpv/shared/wire/http/catalog';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import type { UseFormReturn } from 'react-hook-form';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { useNumberField } from './fields';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import type { Supplier } from './queries';

export default function SuppliersPage() {
  const { t } = useT(messages);
  const canWrite = useCan('catalog.write');
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  const columns: Array<ColumnDef<Supplier>> = [
    { id: 'name', header: t('s.name'), accessorKey: 'name' },
    { id: 'nif', header: t('s.nif'), accessorKey: 'nif', cell: ({ row: { original: s } }) => s.nif ?? '—' },
    { id: 'contact', header: t('s.contact'), enableSorting: false, cell: ({ row: { original: s } }) => [s.contactName, s.email, s.phone].filter(Boolean).join(' · ') || '—' },
    { id: 'terms', header: t('s.terms'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => s.paymentTermsDays },
    { id: 'products', header: t('s.products'), enableSorting: false, meta: { align: 'right' }, cell: ({ row: { original: s } }) => s.products ?? 0 },
  ];
  return (
    <>
      <PageHeader title={t('s.title')} actions={canWrite && <Button onClick={() => setEditing('new')} data-testid="new-supplier">{t('s.new')}</Button>} />
      <DataTable testId="suppliers" endpoint="/api/suppliers" defaults={{ sort: 'name' }} columns={columns} rowKey={(s) => s.id} search={t('s.search')} exportName="proveedores" onRowClick={canWrite ? setEditing : undefined} />
      {editing && <SupplierForm supplier={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function SupplierForm({ supplier, onClose }: { supplier: Supplier | null; onClose: () => void }) {
  const { t } = useT(messages);
  const form = useZodForm(SupplierBody, {
    defaultValues: supplier
      ? { name: supplier.name, nif: supplier.nif, contactName: supplier.contactName, email: supplier.email, phone: supplier.phone, paymentTermsDays: supplier.paymentTermsDays, notes: supplier.notes, active: supplier.active }
      : { name: '', nif: null, contactName: null, email: null, phone: null, paymentTermsDays: 30, notes: null, active: true },
  });
  // Empty text inputs are "not given" (null), not an empty NIF or e-mail.
  const clean = (v: z.output<typeof SupplierBody>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x]));
  const submit = useFormSubmit(form, (v: z.output<typeof SupplierBody>) => (supplier ? api('PUT', `/api/suppliers/${supplier.id}`, clean(v)) : api('POST', '/api/suppliers', clean(v))), {
    success: t('s.saved'), invalidate: [['list'], ['catalog']], onSuccess: onClose,
  });
  const terms = useNumberField(form as never as UseFormReturn<Record<string, unknown>, unknown, Record<string, unknown>>, 'paymentTermsDays');
  const opt = { setValueAs: (x: string) => (x === '' ? null : x) };
  return (
    <Modal opened onClose={onClose} title={supplier ? supplier.name : t('s.new')}>
      <FormShell onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} onCancel={onClose} testId="supplier-form">
        <TextInput label={t('s.name')} data-testid="supplier-name" {...field(form, 'name')} />
        <TextInput label={t('s.nif')} data-testid="supplier-nif" {...field(form, 'nif')} {...form.register('nif', opt)} />
        <TextInput label={t('s.contact')} {...field(form, 'contactName')} {...form.register('contactName', opt)} />
        <TextInput label={t('s.email')} {...field(form, 'email')} {...form.register('email', opt)} />
        <TextInput label={t('s.phone')} {...field(form, 'phone')} {...form.register('phone', opt)} />
        <NumberInput label={t('s.terms')} min={0} max={365} {...terms} />
        <Textarea label={t('s.notes')} {...field(form, 'notes')} {...form.register('notes', opt)} />
      </FormShell>
    </Modal>
  );
}
