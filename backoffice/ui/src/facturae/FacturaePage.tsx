/**
 * Facturae settings: per company, its signing certificate (an HQ admin uploads a .p12/.pfx with its password,
 * replaces or removes it; subject, issuer and expiry shown), and per recipient whether it wants Facturae, its
 * DIR3 centres when it is a public body, and the structured address Facturae needs.
 */
import { Alert, Badge, Button, Checkbox, FileInput, Group, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { CertificateList, RecipientSearchAnswer, RecipientView } from '@tpv/shared/wire/http/facturae';
import type { z } from 'zod';
import { api, ApiError, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useLocale, useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

type Row = z.output<typeof CertificateList>['items'][number];
type Found = z.output<typeof RecipientSearchAnswer>['items'][number];

const base64Of = async (f: File) => {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const fieldError = (e: unknown, path: string) => (e instanceof ApiError ? e.fieldErrors.find((f) => f.path === path)?.message : undefined);

export default function FacturaePage() {
  const { t } = useT(messages);
  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Stack gap="lg">
        <Certificates />
        <Recipients />
      </Stack>
    </>
  );
}

function Certificates() {
  const { t } = useT(messages);
  const { locale } = useLocale();
  const q = useQuery({ queryKey: ['facturae', 'certificates'], queryFn: () => get<z.output<typeof CertificateList>>('/api/facturae/certificates') });
  const mayAdmin = useCan('invoicing.admin');
  const [editing, setEditing] = useState<string | null>(null);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const remove = useMutation({
    mutationFn: (companyId: string) => api('DELETE', `/api/companies/${companyId}/facturae-certificate`),
    onSuccess: () => (toast.ok(t('c.removed')), void qc.invalidateQueries({ queryKey: ['facturae'] })),
    onError: (e) => toast.fail(e),
  });
  const date = (iso: string) => new Date(iso).toLocaleDateString(locale);
  return (
    <Section title={t('c.title')} testId="facturae-certificates">
      <QueryState query={q}>
        {(data) => (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('c.company')}</Table.Th>
                <Table.Th>{t('c.subject')}</Table.Th>
                <Table.Th>{t('c.issuer')}</Table.Th>
                <Table.Th>{t('c.expires')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((r: Row) => (
                <Table.Tr key={r.companyId} data-testid={`cert-${r.nif}`}>
                  <Table.Td>
                    {r.legalName} <Text span c="dimmed" size="sm">{r.nif}</Text>
                  </Table.Td>
                  <Table.Td>{r.certificate?.subject ?? <Text c="dimmed">{t('c.none')}</Text>}</Table.Td>
                  <Table.Td>{r.certificate?.issuer ?? ''}</Table.Td>
                  <Table.Td>
                    {r.certificate && (
                      <Group gap="xs">
                        {date(r.certificate.notAfter)}
                        <Badge color={r.certificate.expired ? 'red' : 'green'}>{t(r.certificate.expired ? 'c.expired' : 'c.valid')}</Badge>
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {mayAdmin && (
                      <Group gap="xs" justify="flex-end">
                        <Button size="xs" variant="light" onClick={() => setEditing(editing === r.companyId ? null : r.companyId)}>{t(r.certificate ? 'c.replace' : 'c.upload')}</Button>
                        {r.certificate && (
                          <Button size="xs" color="red" variant="subtle" onClick={() => void confirm.delete(r.certificate!.subject).then((ok) => ok && remove.mutate(r.companyId))}>{t('c.remove')}</Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {editing && <UploadForm companyId={editing} onDone={() => setEditing(null)} />}
    </Section>
  );
}

function UploadForm({ companyId, onDone }: { companyId: string; onDone: () => void }) {
  const { t } = useT(messages);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const qc = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: async () => api('PUT', `/api/companies/${companyId}/facturae-certificate`, { p12Base64: await base64Of(file!), password }),
    onSuccess: () => {
      toast.ok(t('c.saved'));
      void qc.invalidateQueries({ queryKey: ['facturae'] });
      onDone();
    },
  });
  const error = save.error;
  return (
    <form
      data-testid="certificate-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (file) save.mutate();
      }}
    >
      <Stack gap="sm" mt="md" maw={520}>
        <FileInput label={t('c.file')} accept=".p12,.pfx,application/x-pkcs12" required value={file} onChange={setFile} error={fieldError(error, 'p12')} data-testid="certificate-file" />
        <PasswordInput label={t('c.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fieldError(error, 'password')} data-testid="certificate-password" />
        {error && !fieldError(error, 'p12') && !fieldError(error, 'password') && <Alert color="red">{(error as Error).message}</Alert>}
        <Text size="sm" c="dimmed">{t('c.keyNote')}</Text>
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!file}>{t('c.save')}</Button>
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function Recipients() {
  const { t } = useT(messages);
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const found = useQuery({ queryKey: ['facturae', 'recipients', q], queryFn: () => get<z.output<typeof RecipientSearchAnswer>>(withQuery('/api/facturae/recipients', { q })) });
  const options = (found.data?.items ?? []).map((r: Found) => ({ value: `${r.kind}/${r.id}`, label: `${r.name}${r.nif ? ` · ${r.nif}` : ''}${r.publicBody ? ' · DIR3' : ''}` }));
  return (
    <Section title={t('r.title')} testId="facturae-recipients">
      <Select
        label={t('r.search')}
        searchable
        searchValue={q}
        onSearchChange={setQ}
        data={options}
        value={picked}
        onChange={setPicked}
        filter={({ options: o }) => o}
        nothingFoundMessage="—"
        maw={520}
        data-testid="recipient-search"
      />
      {picked ? <RecipientForm key={picked} path={picked} /> : <Text c="dimmed" mt="sm">{t('r.pick')}</Text>}
    </Section>
  );
}

function RecipientForm({ path }: { path: string }) {
  const mayWrite = useCan('invoicing.write');
  const q = useQuery({ queryKey: ['facturae', 'recipient', path], queryFn: () => get<RecipientView>(`/api/facturae/recipients/${path}`) });
  return <QueryState query={q}>{(r) => <RecipientEditor r={r} path={path} readOnly={!mayWrite} />}</QueryState>;
}

function RecipientEditor({ r, path, readOnly }: { r: RecipientView; path: string; readOnly: boolean }) {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const toast = useToast();
  const [v, setV] = useState(r);
  useEffect(() => setV(r), [r]);
  const text = (k: keyof RecipientView) => ({
    value: (v[k] as string | null) ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.currentTarget.value === '' ? null : e.currentTarget.value }),
    error: fieldError(save.error, k),
    disabled: readOnly,
  });
  const save = useMutation({
    mutationFn: () =>
      api<RecipientView>('PUT', `/api/facturae/recipients/${path}`, {
        wantsFacturae: v.wantsFacturae, personType: v.personType, oficinaContable: v.oficinaContable, organoGestor: v.organoGestor, unidadTramitadora: v.unidadTramitadora,
        organoProponente: v.organoProponente, street: v.street, postalCode: v.postalCode, town: v.town, province: v.province, country: v.country,
      }),
    onSuccess: () => (toast.ok(t('r.saved')), void qc.invalidateQueries({ queryKey: ['facturae'] })),
  });
  return (
    <form
      data-testid="recipient-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm" mt="md" maw={720}>
        <Text fw={600}>{r.name} {r.nif && <Text span c="dimmed">{r.nif}</Text>}</Text>
        <Checkbox label={t('r.wants')} checked={v.wantsFacturae} onChange={(e) => setV({ ...v, wantsFacturae: e.currentTarget.checked })} disabled={readOnly} data-testid="wants-facturae" />
        <Select
          label={t('r.personType')}
          data={[{ value: '', label: t('r.personAuto') }, { value: 'F', label: t('r.personF') }, { value: 'J', label: t('r.personJ') }]}
          value={v.personType ?? ''}
          onChange={(x) => setV({ ...v, personType: x === 'F' || x === 'J' ? x : null })}
          allowDeselect={false}
          disabled={readOnly}
          maw={260}
        />
        <Text fw={600} size="sm">{t('r.public')}</Text>
        <Group grow align="flex-start">
          <TextInput label={t('r.oficinaContable')} {...text('oficinaContable')} data-testid="dir3-oc" />
          <TextInput label={t('r.organoGestor')} {...text('organoGestor')} data-testid="dir3-og" />
          <TextInput label={t('r.unidadTramitadora')} {...text('unidadTramitadora')} data-testid="dir3-ut" />
          <TextInput label={t('r.organoProponente')} {...text('organoProponente')} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('r.street')} {...text('street')} />
          <TextInput label={t('r.postalCode')} {...text('postalCode')} maw={140} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('r.town')} {...text('town')} />
          <TextInput label={t('r.province')} {...text('province')} />
          <TextInput label={t('r.country')} value={v.country} onChange={(e) => setV({ ...v, country: e.currentTarget.value.toUpperCase() })} error={fieldError(save.error, 'country')} disabled={readOnly} maw={120} />
        </Group>
        {save.error && !(save.error instanceof ApiError && save.error.fieldErrors.length) && <Alert color="red">{(save.error as Error).message}</Alert>}
        {!readOnly && (
          <Group>
            <Button type="submit" loading={save.isPending}>{t('r.save')}</Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
