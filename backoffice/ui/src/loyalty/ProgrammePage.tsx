/** The franchise's loyalty programme: read by every store, edited at HQ (loyalty.write); saving sends it to the tills. */
import { Alert, Button, Checkbox, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DEFAULT_PROGRAMME, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { api, get } from '../app/api';
import { useCan } from '../app/auth';
import { useT } from '../app/i18n';
import { QueryState, useToast } from '../components/feedback';
import { PageHeader, Section } from '../components/layout';
import { messages } from './messages';

type NumKey = 'pointsPerEuro' | 'pointValueCents' | 'minRedeemPoints' | 'expiryMonths' | 'offlineCapPoints' | 'offlineDailyCapPoints' | 'holdMinutes';
const NUMS: Array<[NumKey, 'p.pointsPerEuro' | 'p.pointValue' | 'p.minRedeem' | 'p.expiry' | 'p.offlineCap' | 'p.offlineDaily' | 'p.holdMinutes']> = [
  ['pointsPerEuro', 'p.pointsPerEuro'], ['pointValueCents', 'p.pointValue'], ['minRedeemPoints', 'p.minRedeem'], ['expiryMonths', 'p.expiry'],
  ['offlineCapPoints', 'p.offlineCap'], ['offlineDailyCapPoints', 'p.offlineDaily'], ['holdMinutes', 'p.holdMinutes'],
];
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

export default function ProgrammePage() {
  const { t } = useT(messages);
  const toast = useToast();
  const qc = useQueryClient();
  const canWrite = useCan('loyalty.write');
  const q = useQuery({ queryKey: ['loyalty', 'programme'], queryFn: () => get<{ programme: LoyaltyProgramme | null }>('/api/loyalty/programme') });
  const [p, setP] = useState<LoyaltyProgramme>(DEFAULT_PROGRAMME);
  const [rates, setRates] = useState('');
  const [exP, setExP] = useState('');
  const [exC, setExC] = useState('');
  useEffect(() => {
    const x = q.data?.programme;
    if (!x) return;
    setP(x);
    setRates(x.categoryRates.map((r) => `${r.categoryId}=${r.pointsPerEuro}`).join('\n'));
    setExP(x.excludedProductIds.join('\n'));
    setExC(x.excludedCategoryIds.join('\n'));
  }, [q.data]);
  const save = useMutation({
    mutationFn: () =>
      api('PUT', '/api/loyalty/programme', {
        ...p,
        categoryRates: lines(rates).map((l) => ({ categoryId: l.split('=')[0]!.trim(), pointsPerEuro: Number(l.split('=')[1] ?? 0) })),
        excludedProductIds: lines(exP),
        excludedCategoryIds: lines(exC),
      }),
    onSuccess: () => (toast.ok(t('p.saved')), void qc.invalidateQueries({ queryKey: ['loyalty'] })),
  });
  return (
    <>
      <PageHeader title={t('p.title')} subtitle={t('p.help')} />
      <QueryState query={q}>
        {(d) => (
          <Section>
            <Stack>
              {!d.programme && <Alert>{t('p.none')}</Alert>}
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <TextInput label={t('p.name')} value={p.name} onChange={(e) => setP({ ...p, name: e.currentTarget.value })} disabled={!canWrite} data-testid="loyalty-name" />
                {NUMS.map(([k, label]) => (
                  <TextInput key={k} label={t(label)} type="number" value={String(p[k])} onChange={(e) => setP({ ...p, [k]: Number(e.currentTarget.value) })} disabled={!canWrite} data-testid={`loyalty-${k}`} />
                ))}
                <Checkbox label={t('p.active')} checked={p.active} onChange={(e) => setP({ ...p, active: e.currentTarget.checked })} disabled={!canWrite} mt="lg" />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <Textarea label={t('p.categoryRates')} value={rates} onChange={(e) => setRates(e.currentTarget.value)} disabled={!canWrite} autosize minRows={3} />
                <Textarea label={t('p.excludedProducts')} value={exP} onChange={(e) => setExP(e.currentTarget.value)} disabled={!canWrite} autosize minRows={3} />
                <Textarea label={t('p.excludedCategories')} value={exC} onChange={(e) => setExC(e.currentTarget.value)} disabled={!canWrite} autosize minRows={3} />
              </SimpleGrid>
              {canWrite && <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="loyalty-save">{t('p.save')}</Button>}
            </Stack>
          </Section>
        )}
      </QueryState>
    </>
  );
}
