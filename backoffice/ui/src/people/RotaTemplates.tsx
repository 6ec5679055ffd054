/**
 * Named rota templates on the rota page (issue 16): save the week shown as a template, apply one to the week
 * shown (HQ checks every shift; a refusal lists each employee and day), rename and delete them.
 */
import { Alert, Button, Checkbox, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, get } from '../app/api';
import { useT } from '../app/i18n';
import { Section } from '../components/layout';
import { messages } from './messages';

interface Template { id: string; name: string; shifts: Array<{ employeeName: string; weekday: number; start: string; end: string }> }
interface Applied { created: number; skipped: Array<{ employeeName: string; date: string; reason: string }> }

const problemOf = (e: Error | null) => (e instanceof ApiError && e.fieldErrors.length ? e.fieldErrors.map((f) => f.message) : e ? [e.message] : []);

export function RotaTemplates({ storeId, week, onApplied }: { storeId: string; week: string; onApplied: () => void }) {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['rota-templates', storeId], queryFn: () => get<{ items: Template[] }>(`/api/rotas/templates?storeId=${storeId}`) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['rota-templates', storeId] });
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [skipMissing, setSkipMissing] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const save = useMutation({ mutationFn: () => api<Template>('POST', '/api/rotas/templates', { storeId, name, week }), onSuccess: () => (setName(''), refresh()) });
  const apply = useMutation({ mutationFn: () => api<Applied>('POST', `/api/rotas/templates/${picked}/apply`, { week, skipMissing }), onSuccess: onApplied });
  const rename = useMutation({ mutationFn: (r: { id: string; name: string }) => api('PATCH', `/api/rotas/templates/${r.id}`, { name: r.name }), onSuccess: () => (setRenaming(null), refresh()) });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/rotas/templates/${id}`), onSuccess: refresh });
  const items = list.data?.items ?? [];
  return (
    <Section title={t('rt.title')} testId="rota-templates">
      <Text size="sm" c="dimmed" mb="sm">{t('rt.help')}</Text>
      <Group align="end" wrap="wrap">
        <TextInput label={t('rt.name')} placeholder="Semana estándar" value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="rota-template-name" />
        <Button variant="light" disabled={!name.trim()} loading={save.isPending} onClick={() => save.mutate()} data-testid="rota-template-save">{t('rt.saveAs')}</Button>
        <Select label={t('rt.pick')} w={220} data={items.map((x) => ({ value: x.id, label: x.name }))} value={picked} onChange={setPicked} data-testid="rota-template-select" />
        <Checkbox label={t('rt.skip')} checked={skipMissing} onChange={(e) => setSkipMissing(e.currentTarget.checked)} data-testid="rota-template-skip" />
        <Button disabled={!picked} loading={apply.isPending} onClick={() => apply.mutate()} data-testid="rota-template-apply">{t('rt.apply')}</Button>
      </Group>
      {save.data && <Alert color="green" mt="xs" data-testid="rota-template-saved">{t('rt.saved', { name: save.data.name, n: save.data.shifts.length })}</Alert>}
      {apply.data && (
        <Alert color="green" mt="xs" data-testid="rota-template-applied">
          {t('rt.applied', { n: apply.data.created })}
          {apply.data.skipped.map((s) => <div key={`${s.employeeName}${s.date}`}>{t('rt.skipped', { name: s.employeeName, date: s.date, reason: s.reason })}</div>)}
        </Alert>
      )}
      {[...problemOf(save.error), ...problemOf(apply.error), ...problemOf(rename.error), ...problemOf(remove.error)].map((m) => (
        <Alert key={m} color="red" mt="xs" data-testid="rota-template-error">{m}</Alert>
      ))}
      {items.length === 0 ? (
        <Text c="dimmed" mt="sm">{t('rt.none')}</Text>
      ) : (
        <Table mt="sm" data-testid="rota-template-list">
          <Table.Tbody>
            {items.map((x) => (
              <Table.Tr key={x.id} data-testid="rota-template-row" data-name={x.name}>
                <Table.Td>
                  {renaming?.id === x.id ? (
                    <TextInput size="xs" value={renaming.name} onChange={(e) => setRenaming({ id: x.id, name: e.currentTarget.value })} data-testid="rota-template-rename-input" />
                  ) : x.name}
                </Table.Td>
                <Table.Td>{t('rt.shifts', { n: x.shifts.length })}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="end">
                    {renaming?.id === x.id ? (
                      <Button size="xs" onClick={() => rename.mutate(renaming)} loading={rename.isPending} data-testid="rota-template-rename-save">{t('rt.rename')}</Button>
                    ) : (
                      <Button size="xs" variant="default" onClick={() => setRenaming({ id: x.id, name: x.name })} data-testid="rota-template-rename">{t('rt.rename')}</Button>
                    )}
                    <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(x.id)} data-testid="rota-template-delete">{t('rt.delete')}</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
