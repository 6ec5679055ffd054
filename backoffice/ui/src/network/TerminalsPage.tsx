/** Terminals with their sync state (refreshed every 5 s), pairing codes, revoking and replacing a till. */
import { Button, Group, Text, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useState } from 'react';
import { api } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { useConfirm, useToast } from '../components/feedback';
import { PageHeader } from '../components/layout';
import type { Page } from '../components/list';
import { messages } from './messages';

/** GET /api/terminals row (back office reports/service.ts TerminalStatus). */
export interface TerminalStatus {
  id: string;
  code: string;
  name: string;
  storeId: string;
  storeCode: string;
  storeName: string;
  paired: boolean;
  revoked: boolean;
  lastSeenAt: string | null;
  lastAckedSeq: number;
  held: number;
  pending: number | null;
  catalogVersion: number;
  appVersion: string | null;
  online: boolean;
  chainBreaks: number;
  rejected: number;
  conflict: { message: string; at: string } | null;
  replacedById: string | null;
  replacesId: string | null;
}

type Code = { code: string; expiresAt: string };

export default function TerminalsPage() {
  const { t, locale } = useT(messages);
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const mayWrite = useCan('terminals.write');
  const [codes, setCodes] = useState<Record<string, Code>>({});
  // The rows on screen, to name a replaced/replacing till by its code.
  const [all, setAll] = useState<TerminalStatus[]>([]);
  const onPage = useCallback((page: Page<TerminalStatus>) => setAll(page.items), []);
  const refresh = () => qc.invalidateQueries({ queryKey: ['list', '/api/terminals'] });

  const pair = useMutation({
    mutationFn: (id: string) => api<Code>('POST', `/api/terminals/${id}/pairing-code`),
    onSuccess: (c, id) => setCodes((x) => ({ ...x, [id]: c })),
    onError: (e) => toast.fail(e),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('POST', `/api/terminals/${id}/revoke`),
    onSuccess: (_r, id) => {
      toast.ok(t('term.revokedMsg', { code: codeOf(id) }));
      void refresh();
    },
    onError: (e) => toast.fail(e),
  });
  // New hardware: a new terminal (own code, series and chain) with its pairing code; the old one is retired.
  const replace = useMutation({
    mutationFn: (id: string) => api<{ terminal: { id: string; code: string }; code: string; expiresAt: string }>('POST', `/api/terminals/${id}/replace`),
    onSuccess: (r, id) => {
      setCodes((x) => ({ ...x, [r.terminal.id]: { code: r.code, expiresAt: r.expiresAt } }));
      toast.ok(t('term.replacedMsg', { code: codeOf(id), next: r.terminal.code }));
      void refresh();
    },
    onError: (e) => toast.fail(e),
  });

  const codeOf = (id: string | null) => all.find((x) => x.id === id)?.code ?? '?';
  const status = (x: TerminalStatus) =>
    x.replacedById ? t('term.replaced', { code: codeOf(x.replacedById) }) : x.revoked ? t('term.revoked') : !x.paired ? t('term.unpaired') : x.online ? t('term.online') : t('term.offline');

  const columns: Array<ColumnDef<TerminalStatus>> = [
    { id: 'code', header: t('term.terminal'), accessorFn: (x) => `${x.storeCode} · ${x.code}`, cell: ({ row: { original: x } }) => `${x.storeCode} · ${x.code} · ${x.name}` },
    {
      id: 'status',
      header: t('term.status'),
      enableSorting: false,
      meta: { testId: 'terminal-status' },
      cell: ({ row: { original: x } }) => (
        <>
          {x.conflict && !x.replacedById ? (
            <Tooltip label={x.conflict.message} multiline w={320}>
              <Text span c="orange.8">{t('term.conflict')}</Text>
            </Tooltip>
          ) : (
            status(x)
          )}
          {x.replacesId && <> · {t('term.replaces', { code: codeOf(x.replacesId) })}</>}
        </>
      ),
    },
    { id: 'lastSeenAt', header: t('org.lastSeen'), accessorKey: 'lastSeenAt', cell: ({ row: { original: x } }) => (x.lastSeenAt ? new Date(x.lastSeenAt).toLocaleString(locale) : t('org.never')) },
    { id: 'lastAckedSeq', header: t('term.acked'), accessorKey: 'lastAckedSeq', meta: { align: 'right' } },
    { id: 'pending', header: t('term.pending'), accessorKey: 'pending', meta: { align: 'right' }, cell: ({ row: { original: x } }) => x.pending ?? '—' },
    { id: 'held', header: t('term.held'), accessorKey: 'held', meta: { align: 'right' } },
    { id: 'version', header: t('term.version'), enableSorting: false, cell: ({ row: { original: x } }) => `${x.appVersion ?? '—'} / ${x.catalogVersion}` },
    {
      id: 'issues',
      header: t('term.issues'),
      enableSorting: false,
      cell: ({ row: { original: x } }) => (
        <>
          {x.chainBreaks > 0 && <Text span c="orange.8">{t('term.breaks', { n: x.chainBreaks })} </Text>}
          {x.rejected > 0 && <Text span c="orange.8">{t('term.rejected', { n: x.rejected })}</Text>}
        </>
      ),
    },
    {
      id: 'actions',
      header: '',
      enableSorting: false,
      cell: ({ row: { original: x } }) =>
        mayWrite && (
          <Group gap={6} wrap="nowrap">
            {codes[x.id] ? (
              <Text span fw={700} className="code">{t('term.code', { code: codes[x.id]!.code, at: new Date(codes[x.id]!.expiresAt).toLocaleTimeString(locale) })}</Text>
            ) : (
              <Button size="xs" variant="light" loading={pair.isPending && pair.variables === x.id} onClick={() => pair.mutate(x.id)}>{t('term.pair')}</Button>
            )}
            {x.paired && !x.revoked && (
              <Button size="xs" variant="subtle" color="red" onClick={() => void confirm.action(t('term.revoke'), t('term.revokeConfirm'), t('term.revoke'), true).then((ok) => ok && revoke.mutate(x.id))}>
                {t('term.revoke')}
              </Button>
            )}
            {!x.replacedById && (
              <Button size="xs" variant="subtle" data-testid="replace" onClick={() => void confirm.action(t('term.replace'), t('term.replaceConfirm'), t('term.replace'), true).then((ok) => ok && replace.mutate(x.id))}>
                {t('term.replace')}
              </Button>
            )}
          </Group>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('term.title')} />
      <DataTable
        testId="terminals"
        endpoint="/api/terminals"
        legacy={{ text: (x) => `${x.storeCode} ${x.code} ${x.name}` }}
        onPage={onPage}
        exportName="terminales"
        columns={columns}
        rowKey={(x) => x.id}
        search
        refetchInterval={5000}
      />
    </>
  );
}
