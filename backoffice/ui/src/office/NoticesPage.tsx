/**
 * Notices to the stores: the list (the notices that reached the caller's stores, with people reached and read)
 * and, for office.write (HQ; a franchisee for their own companies' stores), a new notice — Spanish text with
 * English beside it or not, priority, dates, the network / companies / stores it is for, and the till roles.
 */
import { Alert, Badge, Button, Group, MultiSelect, Select, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { AudiencePicker, useAudience, type Target } from './AudiencePicker';

export type Priority = 'normal' | 'high' | 'urgent';
export type { Target };
export type TillRole = 'cashier' | 'supervisor' | 'manager';
export interface NoticeSummary {
  id: string; title: string; body: string; titleEn: string | null; bodyEn: string | null; priority: Priority; startsAt: string; endsAt: string | null;
  target: Target; targetIds: string[]; roles: TillRole[]; createdAt: string; createdBy: string | null; withdrawnAt: string | null;
  stores: number; people: number; read: number;
}
export const PRIORITY_COLOR: Record<Priority, string> = { normal: 'blue', high: 'orange', urgent: 'red' };
/** Datetime-local input value → ISO instant in the browser's zone (empty: none). */
const instant = (v: string) => (v ? new Date(v).toISOString() : null);

export default function NoticesPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('office.write');
  const list = useQuery({ queryKey: ['office-notices'], queryFn: () => get<{ items: NoticeSummary[] }>('/api/office/notices') });
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [bodyEn, setBodyEn] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const audience = useAudience('company');
  const [roles, setRoles] = useState<TillRole[]>([]);
  const post = useMutation({
    mutationFn: () => api<{ notice: NoticeSummary }>('POST', '/api/office/notices', {
      title, body, titleEn: titleEn || null, bodyEn: bodyEn || null, priority, startsAt: instant(startsAt), endsAt: instant(endsAt),
      ...audience.body, roles,
    }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['office-notices'] });
      navigate(`/office/notices/${r.notice.id}`);
    },
  });
  const now = new Date().toISOString();
  const status = (n: NoticeSummary) => (n.withdrawnAt ? ['gray', t('n.withdrawn')] : n.endsAt && n.endsAt < now ? ['gray', t('n.ended')] : ['green', t('n.current')]) as [string, string];
  return (
    <>
      <PageHeader title={t('n.title')} subtitle={t('n.help')} />
      {canWrite && (
        <Section title={t('n.new')} testId="notice-new">
          <Group align="end" wrap="wrap">
            <TextInput label={t('n.titleEs')} w={360} value={title} onChange={(e) => setTitle(e.currentTarget.value)} data-testid="notice-title" />
            <TextInput label={t('n.titleEn')} w={360} value={titleEn} onChange={(e) => setTitleEn(e.currentTarget.value)} data-testid="notice-title-en" />
          </Group>
          <Group align="start" mt="sm" wrap="wrap">
            <Textarea label={t('n.bodyEs')} w={360} autosize minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} data-testid="notice-body" />
            <Textarea label={t('n.bodyEn')} w={360} autosize minRows={3} value={bodyEn} onChange={(e) => setBodyEn(e.currentTarget.value)} data-testid="notice-body-en" />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <Select label={t('n.priority')} w={160} data={(['normal', 'high', 'urgent'] as const).map((p) => ({ value: p, label: t(`prio.${p}`) }))} value={priority} onChange={(v) => setPriority((v ?? 'normal') as Priority)} data-testid="notice-priority" />
            <TextInput label={t('n.startsAt')} type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} />
            <TextInput label={t('n.endsAt')} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.currentTarget.value)} data-testid="notice-ends" />
            <MultiSelect label={t('n.roles')} w={300} data={(['cashier', 'supervisor', 'manager'] as const).map((r) => ({ value: r, label: t(`role.${r}`) }))} value={roles} onChange={(v) => setRoles(v as TillRole[])} clearable data-testid="notice-roles" />
          </Group>
          <Group align="end" mt="sm" wrap="wrap">
            <AudiencePicker audience={audience} testId="notice" />
            <Button disabled={!title.trim() || !body.trim() || !audience.chosen} loading={post.isPending} onClick={() => post.mutate()} data-testid="notice-post">{t('n.post')}</Button>
          </Group>
          {post.error && <Alert color="red" mt="sm" data-testid="notice-error">{post.error.message}</Alert>}
        </Section>
      )}
      <Section>
        {list.error && <Alert color="red">{list.error.message}</Alert>}
        {list.data && list.data.items.length === 0 ? <Text c="dimmed">{t('n.none')}</Text> : (
          <Table striped highlightOnHover data-testid="notices-table">
            <Table.Thead><Table.Tr><Table.Th>{t('n.created')}</Table.Th><Table.Th>{t('n.titleEs')}</Table.Th><Table.Th>{t('n.priority')}</Table.Th><Table.Th>{t('n.target')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('n.read')}</Table.Th><Table.Th>{t('n.status')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((n) => {
                const [color, label] = status(n);
                return (
                  <Table.Tr key={n.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/office/notices/${n.id}`)} data-testid="notice-row">
                    <Table.Td>{f.dateTime(n.createdAt)}</Table.Td>
                    <Table.Td>{n.title}{n.titleEn ? <Text span c="dimmed"> · {n.titleEn}</Text> : null}</Table.Td>
                    <Table.Td><Badge variant="light" color={PRIORITY_COLOR[n.priority]}>{t(`prio.${n.priority}`)}</Badge></Table.Td>
                    <Table.Td>{t(`target.${n.target}`)}{n.target !== 'all' ? ` (${n.stores})` : ''}{n.roles.length ? ` · ${n.roles.map((r) => t(`role.${r}`)).join(', ')}` : ''}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} data-testid="notice-row-read">{n.read} / {n.people}</Table.Td>
                    <Table.Td><Badge variant="light" color={color}>{label}</Badge></Table.Td>
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
