/** Who read customers' personal data (newest first), optionally for one customer. */
import { Anchor, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { get, withQuery } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { PageHeader } from '../components/layout';
import { messages } from './messages';

interface AccessRow { id: string; customerId: string; customerName: string | null; userEmail: string | null; what: string; at: string }

export default function AccessLogPage() {
  const { t, locale } = useT(messages);
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customerId') ?? '';
  const log = useQuery({ queryKey: ['privacy', 'access', customerId], queryFn: () => get<{ items: AccessRow[] }>(withQuery('/api/privacy/access-log', { customerId: customerId || undefined })) });
  return (
    <>
      <PageHeader title={t('access.title')} subtitle={t('access.subtitle')} />
      <TextInput mb="md" w={360} label={t('customers.id')} defaultValue={customerId} onBlur={(e) => setParams(e.currentTarget.value.trim() ? { customerId: e.currentTarget.value.trim() } : {})} data-testid="privacy-access-customer" />
      <QueryState query={log}>
        {(d) => d.items.length === 0 ? <Text c="dimmed">{t('access.empty')}</Text> : (
          <Table data-testid="privacy-access-log">
            <Table.Thead><Table.Tr><Table.Th>{t('access.at')}</Table.Th><Table.Th>{t('requests.customer')}</Table.Th><Table.Th>{t('access.user')}</Table.Th><Table.Th>{t('access.what')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {d.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{new Date(a.at).toLocaleString(locale)}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/privacy/customers?customerId=${a.customerId}`}>{a.customerName ?? a.customerId}</Anchor></Table.Td>
                  <Table.Td>{a.userEmail ?? '—'}</Table.Td>
                  <Table.Td>{a.what}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </>
  );
}
