/** Order and delivery-note states as coloured badges (the same words in lists and detail pages). */
import { Badge } from '@mantine/core';
import { useT } from '../app/i18n';
import { messages } from './messages';

const COLOR: Record<string, string> = { registered: 'gray', approved: 'blue', picking: 'yellow', shipped: 'orange', received: 'teal', closed: 'green', cancelled: 'red' };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useT(messages);
  return (
    <Badge color={COLOR[status] ?? 'gray'} variant="light" data-testid="status">
      {t(`status.${status}` as 'status.registered')}
    </Badge>
  );
}

export const ORDER_STATUS_KEYS = ['registered', 'approved', 'picking', 'shipped', 'received', 'closed', 'cancelled'] as const;
