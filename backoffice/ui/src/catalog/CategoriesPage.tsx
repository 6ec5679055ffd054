/** The category tree: create, rename, move (choose another parent), delete (refused with the reason). */
import { ActionIcon, Badge, Button, Group, Modal, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { CategoryBody } from '@tpv/shared/wire/http/catalog';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import type { UseFormReturn } from 'react-hook-form';
import { FormShell, field, useFormSubmit, useZodForm } from '../components/form';
import { useSelectField } from './fields';
import { PageHeader } from '../components/layout';
import { messages } from './messages';
import { categoryPaths, useCategories, type Category } from './queries';

export default function CategoriesPage() {
  const { t } = useT(messages);
  const cats = useCategories();
  const canWrite = useCan('catalog.write');
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const confirm = useConfirm();
  const toast = useToast();
  const qc = useQueryClient();
  const remove = async (c: Category) => {
    if (!(await confirm.delete(c.name))) return;
    try {
      await api('DELETE', `/api/categories/${c.id}`);
      await qc.invalidateQueries({ queryKey: ['catalog'] });
      toast.ok(t('c.deleted'));
    } catch (e) {
      toast.fail(e);
    }
  };
  return (
    <>
      <PageHeader title={t('c.title')} actions={canWrite && <Button onClick={() => setEditing('new')} data-testid="new-category">{t('c.new')}</Button>} />
      <QueryState query={cats}>
        {(data) => (
          <Paper withBorder p="md">
            <Stack gap={4} data-testid="category-tree">
              {categoryPaths(data.items).map((row) => {
                const c = data.items.find((x) => x.id === row.value)!;
                return (
                  <Group key={c.id} justify="space-between" pl={row.depth * 24} data-testid={`category-${c.name}`}>
                    <Group gap="xs">
                      <Text fw={row.depth === 0 ? 600 : 400}>{c.name}</Text>
                      <Badge variant="light" color="gray">{t('c.products', { n: String(c.products) })}</Badge>
                    </Group>
                    {canWrite && (
                      <Group gap="xs">
                        <Button size="xs" variant="subtle" onClick={() => setEditing(c)}>{t('c.rename')}</Button>
                        <ActionIcon variant="subtle" color="red" aria-label={t('c.delete')} onClick={() => void remove(c)} data-testid={`delete-${c.name}`}>×</ActionIcon>
                      </Group>
                    )}
                  </Group>
                );
              })}
            </Stack>
          </Paper>
        )}
      </QueryState>
      {editing && <CategoryForm category={editing === 'new' ? null : editing} all={cats.data?.items ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

function CategoryForm({ category, all, onClose }: { category: Category | null; all: Category[]; onClose: () => void }) {
  const { t } = useT(messages);
  const form = useZodForm(CategoryBody, { defaultValues: { name: category?.name ?? '', parentId: category?.parentId ?? null, sort: category?.sort ?? 0 } });
  const id = category?.id ?? crypto.randomUUID();
  const submit = useFormSubmit(form, (v: z.output<typeof CategoryBody>) => api('PUT', `/api/categories/${id}`, v), { success: t('c.saved'), invalidate: [['catalog']], onSuccess: onClose });
  const parent = useSelectField(form as never as UseFormReturn<Record<string, unknown>, unknown, Record<string, unknown>>, 'parentId');
  // A category cannot move under itself (the server refuses deeper cycles too).
  const options = categoryPaths(all).filter((c) => c.value !== id).map((c) => ({ value: c.value, label: c.label }));
  return (
    <Modal opened onClose={onClose} title={category ? category.name : t('c.new')}>
      <FormShell onSubmit={submit.onSubmit} error={submit.error} pending={submit.pending} onCancel={onClose} testId="category-form">
        <TextInput label={t('c.name')} data-testid="category-name" {...field(form, 'name')} />
        <Select label={t('c.parent')} placeholder={t('c.root')} clearable data={options} {...parent} />
      </FormShell>
    </Modal>
  );
}
