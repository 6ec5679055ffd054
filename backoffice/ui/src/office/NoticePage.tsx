/**
 * One notice's page: its text (Spanish, English beside it), the stores it reached with people and reads per
 * store, and who has read it — every person it is for, with when and at which store's till they confirmed
 * (readers no longer among its recipients stay listed). office.write withdraws it from the tills.
 */
import { Alert, Badge, Button, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { messages } from './messages';
import { PRIORITY_COLOR, type NoticeSummary, type TillRole } from './NoticesPage';

interface StoreRow { storeId: string; storeCode: string; storeName: string; companyId: string; people: number; read: number }
interface PersonRow { staffId: string; code: string; name: string; role: TillRole; companyId: string; storeId: string | null; storeName: string | null; readAt: string | null; readStoreId: string | null; targeted: boolean }
interface Detail { notice: NoticeSummary; stores: StoreRow[]; people: PersonRow[] }

export default function NoticePage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const canWrite = useCan('office.write');
  const d = useQuery({ queryKey: ['office-notices', id], queryFn: () => get<Detail>(`/api/office/notices/${id}`) });
  const withdraw = useMutation({ mutationFn: () => api('POST', `/api/office/notices/${id}/withdraw`, {}), onSuccess: () => void qc.invalidateQueries({ queryKey: ['office-notices'] }) });
  const org = useOrganisation();
  if (!d.data) return d.error ? <Alert color="red">{d.error.message}</Alert> : null;
  const { notice: n, stores, people } = d.data;
  // What the notice is aimed at, named: the companies or stores (as the caller's organisation knows them).
  const named = (ref: string) => {
    for (const c of org.data?.companies ?? []) {
      if (c.id === ref) return c.legalName;
      const st = c.stores.find((x) => x.id === ref);
      if (st) return `${st.code} · ${st.name}`;
    }
    return ref;
  };
  const storeLabel = (sid: string | null) => (sid ? (stores.find((s) => s.storeId === sid)?.storeName ?? sid) : '');
  return (
    <DetailLayout back={{ to: '/office/notices', label: t('d.back') }} title={n.title} subtitle={n.titleEn ?? undefined}
      actions={<Badge size="lg" variant="light" color={PRIORITY_COLOR[n.priority]}>{t(`prio.${n.priority}`)}</Badge>}>
      <Stack>
        <Section>
          <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="notice-text">{n.body}</Text>
          {n.bodyEn && <Text c="dimmed" mt="xs" style={{ whiteSpace: 'pre-wrap' }} lang="en">{n.bodyEn}</Text>}
          <Fields items={[
            [t('n.target'), `${t(`target.${n.target}`)}${n.targetIds.length ? `: ${n.targetIds.map(named).join(', ')}` : ''}${n.roles.length ? ` · ${n.roles.map((r) => t(`role.${r}`)).join(', ')}` : ''}`],
            [t('d.period'), `${f.dateTime(n.startsAt)} – ${n.endsAt ? f.dateTime(n.endsAt) : t('d.open')}`],
            [t('n.read'), `${n.read} / ${n.people}`],
            ...(n.withdrawnAt ? [[t('n.withdrawn'), f.dateTime(n.withdrawnAt)] as [string, string]] : []),
          ]} />
        </Section>
        <Section title={t('d.people')} testId="notice-people">
          <Table striped data-testid="notice-people-table">
            <Table.Thead><Table.Tr><Table.Th>{t('d.person')}</Table.Th><Table.Th>{t('d.role')}</Table.Th><Table.Th>{t('d.store')}</Table.Th><Table.Th>{t('d.readAt')}</Table.Th><Table.Th>{t('d.readAtStore')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {people.map((p) => (
                <Table.Tr key={p.staffId} data-testid="notice-person" data-read={p.readAt ? 'yes' : 'no'}>
                  <Table.Td data-testid="notice-person-name">{p.name}{!p.targeted && <Text span c="dimmed"> ({t('d.notTargeted')})</Text>}</Table.Td>
                  <Table.Td>{t(`role.${p.role}`)}</Table.Td>
                  <Table.Td>{p.storeName ?? t('d.anyStore')}</Table.Td>
                  <Table.Td data-testid="notice-person-read">{p.readAt ? f.dateTime(p.readAt) : <Badge variant="light" color="gray">{t('d.notRead')}</Badge>}</Table.Td>
                  <Table.Td>{storeLabel(p.readStoreId)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        <Section title={t('d.stores')}>
          <Table striped data-testid="notice-stores-table">
            <Table.Thead><Table.Tr><Table.Th>{t('d.store')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('n.reach')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('n.read')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {stores.map((s) => (
                <Table.Tr key={s.storeId} data-testid="notice-store"><Table.Td>{s.storeCode} · {s.storeName}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.people}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{s.read}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
        {canWrite && !n.withdrawnAt && (
          <Section>
            <Button variant="light" color="red" loading={withdraw.isPending} onClick={() => withdraw.mutate()} data-testid="notice-withdraw">{t('d.withdraw')}</Button>
            {withdraw.error && <Alert color="red" mt="sm">{withdraw.error.message}</Alert>}
          </Section>
        )}
      </Stack>
    </DetailLayout>
  );
}
