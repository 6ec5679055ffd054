/** Duplicate candidates (same normalised NIF, email or phone) and their merge: pick who stays, confirm. */
import { Alert, Badge, Button, Group, Modal, Radio, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CustomerSummary } from '@tpv/shared/wire/http/crm';
import { api, get, type ApiError } from '../app/api';
import { useT } from '../app/i18n';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

interface Pair { a: CustomerSummary; b: CustomerSummary; reasons: Array<'nif' | 'email' | 'phone'> }
const who = (c: CustomerSummary) => [c.name, c.nif, c.phone, c.email].filter(Boolean).join(' · ');

export default function DuplicatesPage() {
  const { t } = useT(messages);
  const qc = useQueryClient();
  const [open, setOpen] = useState<Pair | null>(null);
  const [keep, setKeep] = useState<'a' | 'b'>('a');
  const [done, setDone] = useState<string | null>(null);
  const pairs = useQuery({ queryKey: ['crm', 'duplicates'], queryFn: () => get<{ pairs: Pair[] }>('/api/crm/duplicates') });
  const merge = useMutation({
    mutationFn: (p: Pair) => {
      const [into, merged] = keep === 'a' ? [p.a, p.b] : [p.b, p.a];
      return api<{ moved: Record<string, number> }>('POST', '/api/crm/merges', { intoId: into.id, mergedId: merged.id });
    },
    onSuccess: (r) => {
      setOpen(null);
      setDone(Object.entries(r.moved).map(([k, v]) => `${k} ${v}`).join(', ') || '—');
      void qc.invalidateQueries({ queryKey: ['crm'] });
    },
  });
  const kept = open ? (keep === 'a' ? open.a : open.b) : null;
  const gone = open ? (keep === 'a' ? open.b : open.a) : null;
  return (
    <>
      <PageHeader title={t('d.title')} subtitle={t('d.help')} />
      {done && <Alert color="green" mb="md" data-testid="merge-done">{t('d.done', { moved: done })}</Alert>}
      <Section>
        {pairs.data && pairs.data.pairs.length === 0 ? <Text c="dimmed" data-testid="duplicates-none">{t('d.none')}</Text> : (
          <Table data-testid="duplicates-table">
            <Table.Tbody>
              {(pairs.data?.pairs ?? []).map((p) => (
                <Table.Tr key={`${p.a.id}|${p.b.id}`} data-testid="duplicate-row">
                  <Table.Td>{who(p.a)}</Table.Td><Table.Td>{who(p.b)}</Table.Td>
                  <Table.Td>{p.reasons.map((r) => <Badge key={r} mr={4}>{t(`r.${r}`)}</Badge>)}</Table.Td>
                  <Table.Td><Button size="xs" onClick={() => (setKeep('a'), setOpen(p))} data-testid="duplicate-merge">{t('d.mergeInto', { a: p.a.name, b: p.b.name })}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Modal opened={!!open} onClose={() => setOpen(null)} title={t('d.title')}>
        {open && kept && gone && (
          <Stack>
            <Radio.Group label={t('d.keep')} value={keep} onChange={(v) => setKeep(v as 'a' | 'b')}>
              <Stack gap={4} mt={4}><Radio value="a" label={who(open.a)} data-testid="merge-keep-a" /><Radio value="b" label={who(open.b)} data-testid="merge-keep-b" /></Stack>
            </Radio.Group>
            <Text>{t('d.confirm', { a: kept.name, b: gone.name })}</Text>
            {merge.error && <Alert color="red">{(merge.error as ApiError).message}</Alert>}
            <Group justify="end"><Button variant="default" onClick={() => setOpen(null)}>{t('c.cancel')}</Button><Button color="red" onClick={() => merge.mutate(open)} loading={merge.isPending} data-testid="merge-confirm">{t('d.mergeInto', { a: kept.name, b: gone.name })}</Button></Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
