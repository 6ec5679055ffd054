/** Suppliers: list (search, export) and a form to create or edit one. */
import { Badge, Button, Group, Modal, NumberInput, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { SupplierProductItem } from '@tpv/shared/wire/http/purchasing';
import { get } from '../app/api';
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
      ? {
          name: supplier.name, nif: supplier.nif, contactName: supplier.contactName, email: supplier.email, phone: supplier.phone, paymentTermsDays: supplier.paymentTermsDays, notes: supplier.notes, active: supplier.active,
          addresses: supplier.addresses, contacts: supplier.contacts, iban: supplier.iban, overReceiptToleranceBp: supplier.overReceiptToleranceBp,
        }
      : { name: '', nif: null, contactName: null, email: null, phone: null, paymentTermsDays: 30, notes: null, active: true, addresses: [], contacts: [], iban: null, overReceiptToleranceBp: 500 },
  });
  // Empty text inputs are "not given" (null), not an empty NIF or e-mail.
  // The billing address is edited in four inputs: kept when its street line is given, dropped otherwise.
  const first = supplier?.addresses[0];
  const [address, setAddress] = useState({ line: first?.line ?? '', postalCode: first?.postalCode ?? '', city: first?.city ?? '', province: first?.province ?? '' });
  const clean = (v: z.output<typeof SupplierBody>) => ({
    ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x])),
    addresses: address.line.trim() ? [{ ...(first ?? { kind: 'billing', country: 'ES' }), ...address }, ...(supplier?.addresses.slice(1) ?? [])] : (supplier?.addresses.slice(1) ?? []),
  });
  const submit = useFormSubmit(form, (v: z.output<typeof SupplierBody>) => (supplier ? api('PUT', `/api/suppliers/${supplier.id}`, clean(v)) : api('POST', '/api/suppliers', clean(v))), {
    success: t('s.saved'), invalidate: [['list'], ['catalog']], onSuccess: onClose,
  });
  const terms = useNumberField(form as never as UseFormReturn<Record<string, unknown>, unknown, Record<string, unknown>>, 'paymentTermsDays');
  const tolerance = useNumberField(form as never as UseFormReturn<Record<string, unknown>, unknown, Record<string, unknown>>, 'overReceiptToleranceBp');
  const addr = (k: keyof typeof address) => ({ value: address[k], onChange: (e: { currentTarget: { value: string } }) => setAddress((a) => ({ ...a, [k]: e.currentTarget.value })) });
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
        <TextInput label={t('s.iban')} data-testid="supplier-iban" {...field(form, 'iban')} {...form.register('iban', opt)} />
        <NumberInput label={t('s.tolerance')} min={0} max={10000} {...tolerance} data-testid="supplier-tolerance" />
        <TextInput label={t('s.address')} {...addr('line')} data-testid="supplier-address" />
        <Group grow>
          <TextInput label={t('s.postalCode')} {...addr('postalCode')} />
          <TextInput label={t('s.city')} {...addr('city')} />
          <TextInput label={t('s.province')} {...addr('province')} />
        </Group>
        {supplier && supplier.contacts.length > 0 && (
          <Text size="sm" c="dimmed">{t('s.contacts')}: {supplier.contacts.map((c) => [c.name, c.role, c.email, c.phone].filter(Boolean).join(' · ')).join(' — ')}</Text>
        )}
        <Textarea label={t('s.notes')} {...field(form, 'notes')} {...form.register('notes', opt)} />
      </FormShell>
      {supplier && <SupplierProducts supplierId={supplier.id} />}
    </Modal>
  );
}

/** What the supplier sells us and on which terms (set through PUT /api/suppliers/:id/products/:productId). */
function SupplierProducts({ supplierId }: { supplierId: string }) {
  const { t } = useT(messages);
  const items = useQuery({ queryKey: ['catalog', 'supplier-products', supplierId], queryFn: async () => (await get<{ items: SupplierProductItem[] }>(`/api/suppliers/${supplierId}/products`)).items });
  if (!items.data?.length) return null;
  return (
    <Table mt="md" data-testid="supplier-products">
      <Table.Thead>
        <Table.Tr><Table.Th>{t('p.sku')}</Table.Th><Table.Th>{t('p.reference')}</Table.Th><Table.Th ta="right">{t('s.cost')}</Table.Th><Table.Th ta="right">{t('s.pack')}</Table.Th><Table.Th ta="right">{t('s.minOrder')}</Table.Th><Table.Th ta="right">{t('s.leadTime')}</Table.Th><Table.Th /></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.data.map((p) => (
          <Table.Tr key={p.productId}>
            <Table.Td>{p.sku} · {p.name}</Table.Td><Table.Td>{p.reference ?? '—'}</Table.Td><Table.Td ta="right">{p.costCents === null ? '—' : (p.costCents / 100).toFixed(2)}</Table.Td>
            <Table.Td ta="right">{p.packSize}</Table.Td><Table.Td ta="right">{p.minOrderQty}</Table.Td><Table.Td ta="right">{p.leadTimeDays ?? '—'}</Table.Td>
            <Table.Td>{p.preferred && <Badge size="xs">{t('s.preferred')}</Badge>}{p.tracksLots && <Badge size="xs" color="grape" ml={4}>{t('s.lots')}</Badge>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
