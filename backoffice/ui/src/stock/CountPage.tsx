/**
 * One count: while counting, the blind counting screen (a scan field adding one per read, typed quantities,
 * no expected quantity anywhere); on a recount, only the lines asked for; once submitted, the results with
 * expected, difference and their value, approval and posting (inventory.admin), and the valuation difference.
 */
import { Alert, Button, Group, NumberInput, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import type { Count, CountingLine, CountResultLine } from '@tpv/shared/wire/http/stock-operations';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { StatusBadge } from './operations-common';
import { opsMessages, type OpsKey } from './operations-messages';

export default function CountPage() {
  const { id } = useParams();
  const q = useQuery({ queryKey: ['stock-count', id], queryFn: () => get<Count>(`/api/stock/counts/${id}`) });
  return <QueryState query={q}>{(c) => <CountView count={c} />}</QueryState>;
}

function CountView({ count: c }: { count: Count }) {
  const { t } = useT(opsMessages);
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const mayAdmin = useCan('inventory.admin');
  const mayWrite = useCan('inventory.write');
  const refresh = (next: Count) => qc.setQueryData(['stock-count', c.id], next);
  const submit = useCountStep(c.id, 'submit');
  const approve = useCountStep(c.id, 'approve');
  const post = useCountStep(c.id, 'post', () => toast.ok(t('cn.posted')));
  const cancel = useCountStep(c.id, 'cancel');
  const open = c.status === 'counting' || c.status === 'recount';
  return (
    <DetailLayout
      back={{ to: '/stock/counts' }}
      title={<span data-testid="count-title">{t('cn.detail', { number: c.number })}</span>}
      subtitle={<Group gap="xs"><StatusBadge status={c.status} /><Text size="sm">{c.locationName} · {t(`cn.scope.${c.scope}` as OpsKey)}</Text></Group>}
      actions={
        <Group gap="xs">
          {open && mayWrite && <Button onClick={() => submit.mutate()} loading={submit.isPending} data-testid="count-submit">{t('cn.submit')}</Button>}
          {c.status === 'submitted' && mayAdmin && <Button onClick={() => approve.mutate()} loading={approve.isPending} data-testid="count-approve">{t('cn.approve')}</Button>}
          {c.status === 'approved' && mayAdmin && <Button color="green" onClick={() => post.mutate()} loading={post.isPending} data-testid="count-post">{t('cn.post')}</Button>}
          {c.status !== 'posted' && c.status !== 'cancelled' && mayWrite && <Button variant="default" color="red" onClick={() => cancel.mutate()} data-testid="count-cancel">{t('ops.cancel')}</Button>}
        </Group>
      }
    >
      <Fields items={[
        [t('ops.date'), f.dateTime(c.startedAt)],
        [t('cn.threshold'), f.number(c.recountThreshold)],
        ...(c.valueDifferenceCents !== null ? [[t('cn.valueDifference'), <b key="v" data-testid="count-value-difference">{f.money(c.valueDifferenceCents)}</b>] as [ReactNode, ReactNode]] : []),
      ]} />
      {open ? <Counting count={c} onChange={refresh} /> : <Results count={c} />}
    </DetailLayout>
  );
}

/** A step of the count's life (submit, approve, post, cancel): the answer replaces the page's count. */
function useCountStep(id: string, what: 'submit' | 'approve' | 'post' | 'cancel', done?: () => void) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => api<Count>('POST', `/api/stock/counts/${id}/${what}`),
    onSuccess: (next) => {
      qc.setQueryData(['stock-count', id], next);
      void qc.invalidateQueries({ queryKey: ['list'] });
      done?.();
    },
    onError: (e) => toast.fail(e),
  });
}

function Counting({ count: c, onChange }: { count: Count; onChange: (c: Count) => void }) {
  const { t } = useT(opsMessages);
  const toast = useToast();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [typed, setTyped] = useState<Record<string, number>>({});
  const [last, setLast] = useState<CountingLine | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const lines = (c.lines as CountingLine[]).filter((l) => c.status !== 'recount' || l.recount);
  const scan = useMutation({
    mutationFn: (value: string) => api<CountingLine>('POST', `/api/stock/counts/${c.id}/scan`, { code: value }),
    onSuccess: (line) => {
      setLast(line);
      setCode('');
      void qc.invalidateQueries({ queryKey: ['stock-count', c.id] });
      scanRef.current?.focus();
    },
    onError: (e) => (toast.fail(e), setCode(''), scanRef.current?.focus()),
  });
  const save = useMutation({
    mutationFn: () => api<Count>('PUT', `/api/stock/counts/${c.id}/counted`, { lines: Object.entries(typed).map(([productId, counted]) => ({ productId, counted })) }),
    onSuccess: (next) => (setTyped({}), onChange(next), toast.ok(t('common.saved'))),
    onError: (e) => toast.fail(e),
  });
  return (
    <>
      {c.status === 'recount' && <Alert color="orange" mb="md" data-testid="count-recount-help">{t('cn.recountHelp')}</Alert>}
      <Section title={t('cn.scan')}>
        <Text size="sm" c="dimmed" mb="xs">{t('cn.scanHelp')}</Text>
        <Group align="flex-end">
          <TextInput
            ref={scanRef} autoFocus label={t('ops.code')} value={code} data-testid="count-scan"
            onChange={(e) => setCode(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && code.trim()) { e.preventDefault(); scan.mutate(code.trim()); } }}
          />
          {last && <Text data-testid="count-last-scan">{last.sku} · {last.name}: <b>{last.counted}</b></Text>}
        </Group>
      </Section>
      <Section title={t('ops.lines')} actions={<Button onClick={() => save.mutate()} disabled={Object.keys(typed).length === 0} loading={save.isPending} data-testid="count-save">{t('cn.save')}</Button>}>
        <Table striped data-testid="count-lines">
          <Table.Thead><Table.Tr><Table.Th>{t('ops.product')}</Table.Th><Table.Th ta="right">{t('cn.counted')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.productId} data-testid={`count-line-${l.sku}`}>
                <Table.Td>{l.sku} · {l.name}{l.weighed ? ' (g)' : ''}</Table.Td>
                <Table.Td ta="right">
                  <NumberInput
                    size="xs" w={120} ml="auto" min={0} allowDecimal={false} data-testid={`counted-${l.sku}`}
                    value={typed[l.productId] ?? l.counted ?? ''}
                    onChange={(v) => setTyped((x) => ({ ...x, [l.productId]: Number(v) || 0 }))}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </>
  );
}

function Results({ count: c }: { count: Count }) {
  const { t } = useT(opsMessages);
  const f = useFormat();
  if (c.status === 'cancelled') return null;
  const lines = c.lines as CountResultLine[];
  return (
    <Section title={t('ops.lines')}>
      <Table striped data-testid="count-results">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ops.product')}</Table.Th><Table.Th ta="right">{t('cn.expected')}</Table.Th><Table.Th ta="right">{t('cn.counted')}</Table.Th>
            <Table.Th ta="right">{t('cn.first')}</Table.Th><Table.Th ta="right">{t('cn.difference')}</Table.Th><Table.Th ta="right">{t('cn.value')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((l) => (
            <Table.Tr key={l.productId} data-testid={`count-result-${l.sku}`} c={l.difference === 0 ? 'dimmed' : undefined}>
              <Table.Td>{l.sku} · {l.name}</Table.Td>
              <Table.Td ta="right">{f.number(l.expected)}</Table.Td>
              <Table.Td ta="right">{f.number(l.counted ?? 0)}</Table.Td>
              <Table.Td ta="right">{l.firstCounted === null ? '—' : f.number(l.firstCounted)}</Table.Td>
              <Table.Td ta="right">{l.difference > 0 ? '+' : ''}{f.number(l.difference)}</Table.Td>
              <Table.Td ta="right">{f.money(l.differenceCents)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
