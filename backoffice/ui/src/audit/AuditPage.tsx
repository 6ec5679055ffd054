/** Search the audit log (date range, user, action, entity, id) and read one entry's before → after, field by field. */
import { Badge, Table, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { useT } from '../app/i18n';
import { DataTable } from '../components/DataTable';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import type { AuditRow } from '@tpv/shared/wire/http/auth';

export type { AuditRow };

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Field-level differences of two snapshots (objects compared key by key; anything else as a whole). */
export function diffOf(before: unknown, after: unknown): Array<{ field: string; before: unknown; after: unknown }> {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(before) && !isObj(after)) return before === null && after === null ? [] : [{ field: '', before: before ?? undefined, after: after ?? undefined }];
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ field: k, before: b[k], after: a[k] }));
}

export default function AuditPage() {
  const { t, locale } = useT(messages);
  const [selected, setSelected] = useState<AuditRow | null>(null);
  const columns: Array<ColumnDef<AuditRow>> = [
    { id: 'at', header: t('audit.at'), accessorKey: 'at', cell: ({ row: { original: a } }) => new Date(a.at).toLocaleString(locale) },
    { id: 'actor', header: t('audit.actor'), enableSorting: false, cell: ({ row: { original: a } }) => a.actorEmail ?? t('audit.system') },
    { id: 'action', header: t('audit.action'), enableSorting: false, cell: ({ row: { original: a } }) => <Badge variant="light">{a.action}</Badge> },
    { id: 'entity', header: t('audit.entity'), enableSorting: false, cell: ({ row: { original: a } }) => `${a.entity} · ${a.entityId.slice(0, 13)}` },
  ];
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <DataTable
        testId="audit"
        endpoint="/api/audit"
        columns={columns}
        rowKey={(a) => a.id}
        defaults={{ sort: 'at', dir: 'desc' }}
        filters={[
          { name: 'from', label: t('audit.from'), type: 'date' },
          { name: 'to', label: t('audit.to'), type: 'date' },
          { name: 'actor', label: t('audit.search'), testId: 'audit-actor' },
          { name: 'action', label: t('audit.action'), testId: 'audit-action' },
          { name: 'entity', label: t('audit.entity'), testId: 'audit-entity' },
          { name: 'entityId', label: t('audit.entityId'), testId: 'audit-entity-id' },
        ]}
        exportName="auditoria"
        onRowClick={setSelected}
        selectedKey={selected?.id ?? null}
        empty={t('audit.empty')}
      />
      {selected && (
        <Section title={`${t('audit.diff')} · ${selected.action} · ${new Date(selected.at).toLocaleString(locale)}`} testId="audit-diff">
          <Text size="sm" c="dimmed" mb="xs">
            {selected.actorEmail ?? t('audit.system')} · {selected.entity} {selected.entityId}
          </Text>
          <Diff before={selected.before} after={selected.after} />
        </Section>
      )}
    </>
  );
}

function Diff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useT(messages);
  const rows = diffOf(before, after);
  if (rows.length === 0) return <Text size="sm" c="dimmed">{t('audit.noDiff')}</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.field')}</Table.Th>
            <Table.Th>{t('audit.before')}</Table.Th>
            <Table.Th>{t('audit.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.field} data-testid="diff-row">
              <Table.Td><Text size="sm" fw={600}>{r.field || '—'}</Text></Table.Td>
              <Table.Td><Text size="sm" c="red.8" style={{ wordBreak: 'break-all' }}>{show(r.before)}</Text></Table.Td>
              <Table.Td><Text size="sm" c="green.8" style={{ wordBreak: 'break-all' }}>{show(r.after)}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
