/**
 * The twelve months of a year for one company, open or locked; an admin (HQ) locks and unlocks them. Nothing
 * posts into a locked month: late documents go into the next open one, manual entries are refused.
 */
import { Alert, Badge, Button, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { errorText, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';
import { CompanyPicker, useCompany } from './shared';

interface Locks {
  locks: Array<{ period: string; lockedAt: string; lockedBy: string | null }>;
}

export default function PeriodsPage() {
  const { t, locale } = useT(messages);
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const company = useCompany();
  const canAdmin = useCan('accounting.admin');
  const [year, setYear] = useState(new Date().getFullYear());
  const base = `/api/accounting/companies/${company.companyId}/periods`;
  const locks = useQuery({ queryKey: ['accounting', 'periods', company.companyId], queryFn: () => get<Locks>(base), enabled: !!company.companyId });
  const toggle = useMutation({
    mutationFn: (p: { period: string; lock: boolean }) => api(p.lock ? 'POST' : 'DELETE', `${base}/${p.period}/lock`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['accounting'] }),
    onError: (e) => toast.fail(e),
  });
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const monthName = (p: string) => new Date(`${p}-15T12:00:00Z`).toLocaleDateString(locale, { month: 'long', year: 'numeric' });
  return (
    <>
      <PageHeader title={t('p.title')} subtitle={t('p.help')} />
      <Stack>
        <Section>
          <Group align="end">
            <CompanyPicker company={company} />
            <NumberInput label={t('c.year')} value={year} onChange={(v) => typeof v === 'number' && setYear(v)} min={2000} max={2100} w={120} data-testid="periods-year" />
          </Group>
        </Section>
        {locks.error && <Alert color="red">{errorText(locks.error, locale)}</Alert>}
        {locks.data && (
          <Section>
            <Table striped data-testid="periods-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('p.month')}</Table.Th>
                  <Table.Th>{t('p.status')}</Table.Th>
                  <Table.Th />
                  {canAdmin && <Table.Th>{t('c.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {months.map((p) => {
                  const lock = locks.data.locks.find((l) => l.period === p);
                  return (
                    <Table.Tr key={p} data-testid="period-row" data-period={p}>
                      <Table.Td style={{ textTransform: 'capitalize' }}>{monthName(p)}</Table.Td>
                      <Table.Td><Badge color={lock ? 'red' : 'green'} data-testid="period-status">{lock ? t('p.locked') : t('p.open')}</Badge></Table.Td>
                      <Table.Td><Text size="xs" c="dimmed">{lock ? t('p.lockedBy', { at: f.dateTime(lock.lockedAt) }) : ''}</Text></Table.Td>
                      {canAdmin && (
                        <Table.Td>
                          <Button size="compact-xs" variant="light" color={lock ? 'green' : 'red'} loading={toggle.isPending && toggle.variables?.period === p} onClick={() => toggle.mutate({ period: p, lock: !lock })} data-testid={lock ? 'period-unlock' : 'period-lock'}>
                            {lock ? t('p.unlock') : t('p.lock')}
                          </Button>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Section>
        )}
      </Stack>
    </>
  );
}
