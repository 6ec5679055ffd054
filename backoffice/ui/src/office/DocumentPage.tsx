/**
 * One document's page: its versions (file, size, note, when; each downloadable), acknowledging the current
 * version when it is meant for the caller, and who acknowledged which version. office.write uploads a new
 * version, which everyone in the audience has to acknowledge again.
 */
import { Alert, Badge, Button, FileInput, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { DocumentDetail } from '@tpv/shared/wire/http/office-documents';
import { api, download, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import type { CommonKey } from '../app/messages';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { categoryLabel, fieldError, fileBody } from './DocumentsPage';
import { messages } from './messages';

export default function DocumentPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('office.write');
  const key = ['office-documents', id];
  const d = useQuery({ queryKey: key, queryFn: () => get<DocumentDetail>(`/api/office/documents/${id}`) });
  const settle = (r: DocumentDetail) => {
    qc.setQueryData(key, r);
    void qc.invalidateQueries({ queryKey: ['office-documents'], exact: true });
  };
  const ack = useMutation({ mutationFn: (version: number) => api<DocumentDetail>('POST', `/api/office/documents/${id}/acknowledge`, { version }), onSuccess: settle });
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const version = useMutation({
    mutationFn: async () => api<DocumentDetail>('POST', `/api/office/documents/${id}/versions`, { ...(note.trim() ? { note } : {}), file: await fileBody(file!) }),
    onSuccess: (r) => (settle(r), setFile(null), setNote('')),
  });
  if (!d.data) return d.error ? <Alert color="red">{d.error.message}</Alert> : null;
  const { document: doc, versions, acknowledgements } = d.data;
  const pending = doc.forMe && doc.acknowledgedVersion !== doc.currentVersion;
  return (
    <DetailLayout back={{ to: '/office/documents', label: t('doc.back') }} title={doc.title} subtitle={`v${doc.currentVersion}`}>
      <Stack>
        <Section>
          <Fields items={[
            [t('doc.category'), categoryLabel(t, doc.category)],
            [t('n.target'), t(`target.${doc.target}`)],
            [t('doc.roles'), doc.roles.length ? doc.roles.map((r) => t(`role.${r}` as CommonKey)).join(', ') : t('doc.everyone')],
            [t('doc.updated'), f.dateTime(doc.updatedAt)],
          ]} />
          {doc.forMe && (
            <Group mt="md">
              {pending ? (
                <Button loading={ack.isPending} onClick={() => ack.mutate(doc.currentVersion)} data-testid="document-acknowledge">{t('doc.acknowledge', { v: doc.currentVersion })}</Button>
              ) : (
                <Badge color="green" variant="light" size="lg" data-testid="document-acknowledged">{t('doc.acknowledged', { v: doc.currentVersion })}</Badge>
              )}
            </Group>
          )}
          {ack.error && <Alert color="red" mt="sm">{ack.error.message}</Alert>}
        </Section>
        <Section title={t('doc.versions')}>
          <Table striped data-testid="document-versions">
            <Table.Thead><Table.Tr><Table.Th>{t('doc.version')}</Table.Th><Table.Th>{t('doc.file')}</Table.Th><Table.Th>{t('doc.note')}</Table.Th><Table.Th>{t('doc.updated')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.version} data-testid="document-version">
                  <Table.Td>v{v.version}</Table.Td>
                  <Table.Td>{v.fileName} <Text span c="dimmed" size="sm">· {f.number(Math.ceil(v.sizeBytes / 1024))} KiB</Text></Table.Td>
                  <Table.Td>{v.note ?? ''}</Table.Td>
                  <Table.Td>{f.dateTime(v.createdAt)}</Table.Td>
                  <Table.Td><Button size="xs" variant="subtle" onClick={() => void download(`/api/office/documents/${id}/versions/${v.version}/file`, v.fileName)} data-testid="document-download">{t('doc.download')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {canWrite && (
            <Group align="end" mt="md" wrap="wrap">
              <FileInput label={t('doc.newVersion')} w={300} value={file} onChange={setFile} clearable error={fieldError(version.error, 'file')} data-testid="document-version-file" />
              <TextInput label={t('doc.note')} w={360} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              <Button disabled={!file} loading={version.isPending} onClick={() => version.mutate()} data-testid="document-version-publish">{t('doc.publishVersion')}</Button>
            </Group>
          )}
          {version.error && <Alert color="red" mt="sm">{version.error.message}</Alert>}
        </Section>
        <Section title={t('doc.who')}>
          {acknowledgements.length === 0 ? <Text c="dimmed">{t('doc.nobody')}</Text> : (
            <Table striped data-testid="document-acks">
              <Table.Thead><Table.Tr><Table.Th>{t('d.person')}</Table.Th><Table.Th>{t('d.role')}</Table.Th><Table.Th>{t('doc.version')}</Table.Th><Table.Th>{t('doc.when')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {acknowledgements.map((a) => (
                  <Table.Tr key={`${a.userId}:${a.version}`} data-testid="document-ack">
                    <Table.Td>{a.name}</Table.Td>
                    <Table.Td>{t(`role.${a.role}` as CommonKey)}</Table.Td>
                    <Table.Td>v{a.version}{a.version !== doc.currentVersion && <Badge ml="xs" color="gray" variant="light">{t('doc.old')}</Badge>}</Table.Td>
                    <Table.Td>{f.dateTime(a.acknowledgedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Section>
      </Stack>
    </DetailLayout>
  );
}
