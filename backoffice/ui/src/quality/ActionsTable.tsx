/** Corrective actions as a table: what to correct, where, owner, due date, state, and closing for who may. */
import { Badge, Table, Text } from '@mantine/core';
import type { CorrectiveAction } from '@tpv/shared/wire/http/quality';
import { Link } from 'react-router';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { useFormat } from '../components/format';
import { ActionCloser } from './ActionCloser';
import { messages } from './messages';

export function ActionsTable({ items, onChanged, showAudit = true }: { items: CorrectiveAction[]; onChanged: () => void; showAudit?: boolean }) {
  const { t } = useT(messages);
  const f = useFormat();
  const canClose = useCan('incidents.write');
  if (items.length === 0) return <Text c="dimmed">{t('actions.empty')}</Text>;
  return (
    <Table striped data-testid="actions-table">
      <Table.Thead>
        <Table.Tr>
          {showAudit && <Table.Th>{t('actions.audit')}</Table.Th>}
          <Table.Th>{t('incidents.store')}</Table.Th><Table.Th>{t('actions.description')}</Table.Th><Table.Th>{t('actions.owner')}</Table.Th>
          <Table.Th>{t('actions.due')}</Table.Th><Table.Th>{t('actions.state')}</Table.Th><Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((a) => (
          <Table.Tr key={a.id} data-testid="action-row">
            {showAudit && <Table.Td><Link to={`/quality/audits/${a.auditId}`}>{a.auditNumber}</Link></Table.Td>}
            <Table.Td>{a.storeName}</Table.Td>
            <Table.Td data-testid="action-description">{a.description}</Table.Td>
            <Table.Td>{a.owner}</Table.Td>
            <Table.Td>{f.date(a.dueDate)}</Table.Td>
            <Table.Td><Badge variant="light" color={a.state === 'open' ? 'orange' : 'green'} data-testid="action-state">{t(a.state === 'open' ? 'actions.open' : 'actions.closed')}</Badge></Table.Td>
            <Table.Td miw={280}>
              {a.state === 'closed' ? <Text size="sm" data-testid="action-close-note">{a.closeNote} · {a.closedBy}</Text> : canClose ? <ActionCloser id={a.id} onClosed={onChanged} /> : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
