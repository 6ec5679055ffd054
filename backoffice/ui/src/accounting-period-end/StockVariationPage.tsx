/**
 * Stock variation of a month (610/300): choose the company and the month, see the stock valued at the month's
 * end, the stock account's balance and the difference, and post it (HQ, accounting.write) — once per month.
 * Company and month live in the URL (`?company=…&period=2026-11`).
 */
import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { StockVariationFigures } from '@tpv/shared/wire/http/accounting-documents';
import { api, get, withQuery } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useConfirm, useToast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useScopeOptions } from '../users/shared';
import { messages } from './messages';

/** The last 12 ended months, newest first (yyyy-mm). */
function lastMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1)).toISOString().slice(0, 7));
}

function Figure({ label, value, hint, testId, color }: { label: string; value: string; hint?: string | undefined; testId: string; color?: string | undefined }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700} c={color} data-testid={`${testId}-value`}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Paper>
  );
}

export default function StockVariationPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const mayPost = useCan('accounting.write');
  const scope = useScopeOptions();
  const [params, setParams] = useSearchParams();
  const months = lastMonths();
  const companyId = params.get('company') ?? scope.companyOptions[0]?.value ?? null;
  const period = params.get('period') ?? months[0]!;
  const set = (p: { company?: string; period?: string }) => setParams({ ...(companyId ? { company: companyId } : {}), period, ...p });

  const url = companyId ? `/api/accounting/companies/${companyId}/stock-variation` : null;
  const figures = useQuery({
    queryKey: ['accounting', 'stock-variation', companyId, period],
    queryFn: () => get<StockVariationFigures>(withQuery(url!, { period })),
    enabled: url !== null,
  });
  const post = useMutation({
    mutationFn: () => api<StockVariationFigures>('POST', url!, { period }),
    onSuccess: (r) => {
      toast.ok(r.entry ? t('sv.done') : t('sv.nothing'));
      qc.setQueryData(['accounting', 'stock-variation', companyId, period], r);
      void qc.invalidateQueries({ queryKey: ['accounting'] });
    },
    onError: (e) => toast.fail(e),
  });
  const askPost = async (v: StockVariationFigures) => {
    if (await confirm.action(t('sv.confirmTitle'), t('sv.confirmBody', { amount: f.money(Math.abs(v.variationCents)), date: f.date(v.date) }), t('sv.post'))) post.mutate();
  };

  return (
    <>
      <PageHeader title={t('sv.title')} subtitle={t('sv.help')} />
      <Stack>
        <Group align="end">
          <Select label={t('sv.company')} data={scope.companyOptions} value={companyId} onChange={(v) => v && set({ company: v })} searchable allowDeselect={false} w={320} data-testid="sv-company" />
          <Select label={t('sv.period')} data={months} value={period} onChange={(v) => v && set({ period: v })} allowDeselect={false} w={160} data-testid="sv-period" />
        </Group>
        {url && (
          <QueryState query={figures}>
            {(v) => (
              <Section testId="sv-figures">
                <Text size="sm" c="dimmed" mb="sm">{t('sv.valuedAt', { at: f.dateTime(v.valuedAt) })}</Text>
                <SimpleGrid cols={{ base: 1, md: 3 }}>
                  <Figure
                    testId="sv-stock"
                    label={t('sv.stockValue')}
                    value={f.money(v.stockValueCents)}
                    hint={[v.inTransitCents ? t('sv.inTransit', { amount: f.money(v.inTransitCents) }) : '', v.productsWithoutCost ? t('sv.withoutCost', { count: v.productsWithoutCost }) : ''].filter(Boolean).join(' · ') || undefined}
                  />
                  <Figure testId="sv-booked" label={t('sv.booked', { account: v.stockAccount })} value={f.money(v.bookedCents)} />
                  <Figure
                    testId="sv-variation"
                    label={t('sv.variation')}
                    value={f.money(v.variationCents)}
                    color={v.variationCents > 0 ? 'green' : v.variationCents < 0 ? 'red' : undefined}
                    hint={
                      v.variationCents > 0
                        ? t('sv.up', { stock: v.stockAccount, variation: v.variationAccount })
                        : v.variationCents < 0
                          ? t('sv.down', { stock: v.stockAccount, variation: v.variationAccount })
                          : t('sv.zero')
                    }
                  />
                </SimpleGrid>
                <Group mt="md">
                  {v.entry ? (
                    <Alert color="green" data-testid="sv-posted">{t('sv.posted', { year: v.entry.year, number: v.entry.number, date: f.date(v.entry.entryDate) })}</Alert>
                  ) : !v.ended ? (
                    <Alert color="yellow" data-testid="sv-not-ended">{t('sv.notEnded')}</Alert>
                  ) : (
                    mayPost && (
                      <Button onClick={() => void askPost(v)} loading={post.isPending} disabled={v.variationCents === 0} data-testid="sv-post">
                        {t('sv.post')}
                      </Button>
                    )
                  )}
                </Group>
              </Section>
            )}
          </QueryState>
        )}
      </Stack>
    </>
  );
}
