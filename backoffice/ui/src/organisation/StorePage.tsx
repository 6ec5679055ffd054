/**
 * One store: its data and opening hours, and its tills — add one (its pairing code shown to type into the
 * till), a new pairing code, replace (new hardware), retire (for good, after a confirmation).
 */
import { Alert, Badge, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { WEEKDAYS } from '@tpv/shared/wire/http/organisation';
import { api, get } from '../app/api';
import { Can, useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { DetailLayout, Fields, Section } from '../components/layout';
import type { TerminalStatus } from '../network/TerminalsPage';
import { addressLine, type Store } from './common';
import { messages } from './messages';

type Code = { code: string; expiresAt: string };

export default function StorePage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['store', id], queryFn: () => get<Store>(`/api/stores/${id}`) });
  return <QueryState query={q}>{(s) => <StoreDetail store={s} />}</QueryState>;
}

function StoreDetail({ store: s }: { store: Store }) {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const archive = useMutation({
    mutationFn: (archived: boolean) => api<Store>('POST', `/api/stores/${s.id}/archive`, { archived }),
    onSuccess: (r) => {
      toast.ok(t(r.archivedAt ? 'co.archivedMsg' : 'co.unarchivedMsg'));
      void qc.invalidateQueries({ queryKey: ['store', s.id] });
    },
    onError: (e) => toast.fail(e),
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/stores/${s.id}`),
    onSuccess: () => {
      toast.ok(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['list'] });
      navigate('/organisation/stores');
    },
    onError: (e) => toast.fail(e),
  });
  const hours = s.openingHours;
  return (
    <DetailLayout
      back={{ to: '/organisation/stores' }}
      title={`${s.code} · ${s.name}`}
      subtitle={s.companyName}
      actions={
        <Can permission="organisation.write">
          <Group gap="xs">
            <Button variant="default" onClick={() => navigate('edit')}>{t('common.edit')}</Button>
            <Button variant="default" onClick={() => void confirm.action(t(s.archivedAt ? 'co.unarchive' : 'co.archive'), t('co.archiveConfirm'), t(s.archivedAt ? 'co.unarchive' : 'co.archive')).then((ok) => ok && archive.mutate(!s.archivedAt))}>
              {t(s.archivedAt ? 'co.unarchive' : 'co.archive')}
            </Button>
            <Button color="red" variant="light" onClick={() => void confirm.delete(`${s.code} · ${s.name}`).then((ok) => ok && remove.mutate())}>{t('common.delete')}</Button>
          </Group>
        </Can>
      }
    >
      <Section testId="store-detail">
        <Fields
          items={[
            [t('st.company'), s.companyName],
            [t('addr.title'), addressLine(s.address)],
            [t('st.timezone'), s.timezone],
            [t('st.area'), s.salesAreaM2 === null ? '—' : `${s.salesAreaM2} m²`],
            ...(s.archivedAt ? ([[t('co.archived'), new Date(s.archivedAt).toLocaleDateString()]] as Array<[string, string]>) : []),
          ]}
        />
      </Section>
      <Section title={t('st.hours')} testId="store-hours">
        <Table>
          <Table.Tbody>
            {WEEKDAYS.map((d) => (
              <Table.Tr key={d}>
                <Table.Td w={140}>{t(`day.${d}`)}</Table.Td>
                <Table.Td>{hours && hours[d].length ? hours[d].map((iv) => `${iv.from}–${iv.to}`).join(', ') : t('st.closed')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Terminals store={s} />
    </DetailLayout>
  );
}

function Terminals({ store }: { store: Store }) {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const mayWrite = useCan('terminals.write');
  const [name, setName] = useState('');
  const [codes, setCodes] = useState<Record<string, Code>>({});
  const list = useQuery({ queryKey: ['store-terminals', store.id], queryFn: async () => (await get<TerminalStatus[]>('/api/terminals')).filter((x) => x.storeId === store.id) });
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['store-terminals', store.id] }), qc.invalidateQueries({ queryKey: ['list'] }), qc.invalidateQueries({ queryKey: ['organisation'] })]);
  const add = useMutation({
    mutationFn: () => api<{ terminal: { id: string; code: string }; code: string; expiresAt: string }>('POST', '/api/terminals', { storeId: store.id, name }),
    onSuccess: (r) => {
      setCodes((x) => ({ ...x, [r.terminal.id]: { code: r.code, expiresAt: r.expiresAt } }));
      setName('');
      toast.ok(t('t.added', { code: r.terminal.code }));
      void refresh();
    },
    onError: (e) => toast.fail(e),
  });
  const pair = useMutation({
    mutationFn: (id: string) => api<Code>('POST', `/api/terminals/${id}/pairing-code`),
    onSuccess: (c, id) => setCodes((x) => ({ ...x, [id]: c })),
    onError: (e) => toast.fail(e),
  });
  const replace = useMutation({
    mutationFn: (id: string) => api<{ terminal: { id: string; code: string }; code: string; expiresAt: string }>('POST', `/api/terminals/${id}/replace`),
    onSuccess: (r) => {
      setCodes((x) => ({ ...x, [r.terminal.id]: { code: r.code, expiresAt: r.expiresAt } }));
      void refresh();
    },
    onError: (e) => toast.fail(e),
  });
  const retire = useMutation({
    mutationFn: (x: TerminalStatus) => api('POST', `/api/terminals/${x.id}/retire`),
    onSuccess: (_r, x) => {
      toast.ok(t('t.retiredMsg', { code: x.code }));
      void refresh();
    },
    onError: (e) => toast.fail(e),
  });
  const status = (x: TerminalStatus) => (x.replacedById ? t('t.replaced') : x.revoked ? t('t.retired') : x.paired ? t('t.paired') : t('t.unpaired'));
  return (
    <Section title={t('t.title')} testId="store-terminals">
      <QueryState query={list}>
        {(rows) =>
          rows.length === 0 ? (
            <Text c="dimmed">{t('t.none')}</Text>
          ) : (
            <Table>
              <Table.Tbody>
                {rows.map((x) => {
                  const live = !x.replacedById && !x.revoked;
                  const code = codes[x.id];
                  return (
                    <Table.Tr key={x.id} data-testid={`terminal-${x.code}`}>
                      <Table.Td>{`${x.code} · ${x.name}`}</Table.Td>
                      <Table.Td>
                        <Badge color={live ? (x.paired ? 'green' : 'yellow') : 'gray'} data-testid="terminal-state">{status(x)}</Badge>
                      </Table.Td>
                      <Table.Td>
                        {code && live && (
                          <Alert color="blue" p="xs" title={t('t.code')}>
                            <Text fw={700} ff="monospace" size="lg" data-testid="pairing-code">{code.code}</Text>
                            <Text size="xs">{t('t.codeHelp', { at: new Date(code.expiresAt).toLocaleTimeString(locale) })}</Text>
                          </Alert>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {mayWrite && live && (
                          <Group gap={6} wrap="nowrap">
                            {!code && <Button size="xs" variant="light" onClick={() => pair.mutate(x.id)}>{t('t.pair')}</Button>}
                            <Button size="xs" variant="subtle" onClick={() => void confirm.action(t('t.replace'), t('t.replaceConfirm'), t('t.replace'), true).then((ok) => ok && replace.mutate(x.id))}>{t('t.replace')}</Button>
                            <Button size="xs" variant="subtle" color="red" onClick={() => void confirm.action(t('t.retire'), t('t.retireConfirm', { code: x.code }), t('t.retire'), true).then((ok) => ok && retire.mutate(x))}>{t('t.retire')}</Button>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      {mayWrite && !store.archivedAt && (
        <Group mt="sm" align="flex-end">
          <TextInput label={t('t.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="Caja 1" />
          <Button disabled={!name.trim()} loading={add.isPending} onClick={() => add.mutate()}>{t('t.add')}</Button>
        </Group>
      )}
    </Section>
  );
}
