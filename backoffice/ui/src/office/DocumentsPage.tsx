/**
 * The documents library: procedures and manuals for an audience (the network, companies or stores, optionally
 * some back-office roles), each in versions. Everyone sees the documents meant for them and whether they have
 * acknowledged the current version; office.write (HQ; a franchisee for their own companies) uploads a new one.
 */
import { Alert, Badge, Button, FileInput, Group, MultiSelect, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { DocumentDetail, DocumentListAnswer } from '@tpv/shared/wire/http/office-documents';
import { ROLES } from '@tpv/shared/permissions';
import { api, ApiError, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import type { CommonKey } from '../app/messages';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { AudiencePicker, useAudience } from './AudiencePicker';

/** A file for the JSON body: base64 of its bytes (the API's limit is about 650 KiB of file). */
export async function fileBody(f: File) {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: f.name, mediaType: f.type || 'application/octet-stream', contentBase64: btoa(s) };
}
export const CATEGORIES = ['procedimiento', 'manual', 'seguridad', 'calidad', 'rrhh'] as const;
/** A category's label; one typed through the API that the page does not know is shown as written. */
export const categoryLabel = (t: (k: `cat.${(typeof CATEGORIES)[number]}`) => string, c: string) => ((CATEGORIES as readonly string[]).includes(c) ? t(`cat.${c as (typeof CATEGORIES)[number]}`) : c);
export const fieldError = (e: unknown, path: string) => (e instanceof ApiError ? e.fieldErrors.find((x) => x.path === path || x.path.startsWith(`${path}.`))?.message : undefined);

export default function DocumentsPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('office.write');
  const list = useQuery({ queryKey: ['office-documents'], queryFn: () => get<z.output<typeof DocumentListAnswer>>('/api/office/documents') });
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('procedimiento');
  const audience = useAudience('all');
  const [roles, setRoles] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const post = useMutation({
    mutationFn: async () => api<DocumentDetail>('POST', '/api/office/documents', {
      title, category, ...audience.body, roles, ...(note.trim() ? { note } : {}), file: await fileBody(file!),
    }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['office-documents'] });
      navigate(`/office/documents/${r.document.id}`);
    },
  });
  return (
    <>
      <PageHeader title={t('doc.title')} subtitle={t('doc.help')} />
      {canWrite && (
        <Section title={t('doc.new')} testId="document-new">
          <Group align="end" wrap="wrap">
            <TextInput label={t('doc.titleField')} w={360} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(post.error, 'title')} data-testid="document-title" />
            <Select label={t('doc.category')} w={220} data={CATEGORIES.map((c) => ({ value: c, label: t(`cat.${c}`) }))} value={category} onChange={(v) => setCategory(v ?? 'procedimiento')} data-testid="document-category" />
            <FileInput label={t('doc.file')} w={300} value={file} onChange={setFile} clearable error={fieldError(post.error, 'file')} data-testid="document-file" />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <AudiencePicker audience={audience} testId="document" error={fieldError(post.error, 'targetIds')} />
            <MultiSelect label={t('doc.roles')} w={360} data={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as CommonKey) }))} value={roles} onChange={setRoles} clearable data-testid="document-roles" />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <TextInput label={t('doc.note')} w={480} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="document-note" />
            <Button disabled={!title.trim() || !file || !audience.chosen} loading={post.isPending} onClick={() => post.mutate()} data-testid="document-publish">{t('doc.publish')}</Button>
          </Group>
          {post.error && <Alert color="red" mt="sm" data-testid="document-error">{post.error.message}</Alert>}
        </Section>
      )}
      <Section>
        {list.error && <Alert color="red">{list.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('doc.none')}</Text> : (
          <Table striped highlightOnHover data-testid="documents-table">
            <Table.Thead><Table.Tr><Table.Th>{t('doc.titleField')}</Table.Th><Table.Th>{t('doc.category')}</Table.Th><Table.Th>{t('doc.version')}</Table.Th><Table.Th>{t('doc.updated')}</Table.Th><Table.Th>{t('doc.mine')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((d) => {
                const pending = d.forMe && d.acknowledgedVersion !== d.currentVersion;
                return (
                  <Table.Tr key={d.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/office/documents/${d.id}`)} data-testid="document-row">
                    <Table.Td>{d.title}</Table.Td>
                    <Table.Td>{categoryLabel(t, d.category)}</Table.Td>
                    <Table.Td>v{d.currentVersion}</Table.Td>
                    <Table.Td>{f.dateTime(d.updatedAt)}</Table.Td>
                    <Table.Td data-testid="document-row-ack">
                      {!d.forMe ? <Text c="dimmed" size="sm">{t('doc.notForMe')}</Text> : pending ? <Badge color="orange" variant="light">{t('doc.toAcknowledge')}</Badge> : <Badge color="green" variant="light">{t('doc.acknowledged', { v: d.currentVersion })}</Badge>}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </>
  );
}
