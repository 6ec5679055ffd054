/** A store manager (or HQ) registers a replenishment order: the store, then product + quantity lines. */
import { ActionIcon, Button, Group, NumberInput, Select, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../app/api';
import { useUser } from '../app/auth';
import { useT } from '../app/i18n';
import { ErrorState, useToast } from '../components/feedback';
import { DetailLayout, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { messages } from './messages';
import { ProductPicker } from './ProductPicker';

interface Line { key: number; productId: string | null; quantity: number }

export default function NewOrderPage() {
  const { t } = useT(messages);
  const user = useUser();
  const navigate = useNavigate();
  const toast = useToast();
  const stores = useStoreOptions();
  const [storeId, setStoreId] = useState<string | null>(user.storeId ?? null);
  const [lines, setLines] = useState<Line[]>([{ key: 1, productId: null, quantity: 1 }]);
  const [note, setNote] = useState('');
  const set = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const submit = useMutation({
    mutationFn: () =>
      api<{ id: string; number: string }>('POST', '/api/replenishment-orders', {
        storeId,
        lines: lines.filter((l) => l.productId).map((l) => ({ productId: l.productId, quantity: l.quantity })),
        note: note.trim() || null,
      }),
    onSuccess: (r) => {
      toast.ok(t('new.done', { number: r.number }));
      void navigate(`/replenishment/orders/${r.id}`);
    },
  });
  return (
    <DetailLayout back={{ to: '/replenishment/orders', label: t('order.back') }} title={t('new.title')}>
      <Section>
        <Stack>
          <Select label={t('orders.store')} data={stores.options} value={storeId} onChange={setStoreId} searchable data-testid="new-store" />
          {lines.map((l, i) => (
            <Group key={l.key} align="end" data-testid={`new-line-${i}`}>
              <div style={{ flex: 1 }}>
                <ProductPicker label={t('new.product')} value={l.productId} onChange={(productId) => set(l.key, { productId })} testId={`new-product-${i}`} />
              </div>
              <NumberInput label={t('new.quantity')} min={1} value={l.quantity} onChange={(v) => set(l.key, { quantity: Number(v) || 0 })} w={120} data-testid={`new-quantity-${i}`} />
              <ActionIcon variant="subtle" color="red" aria-label="✕" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))} disabled={lines.length === 1}>
                ✕
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button variant="light" onClick={() => setLines((ls) => [...ls, { key: Math.max(...ls.map((x) => x.key)) + 1, productId: null, quantity: 1 }])} data-testid="new-add-line">
              {t('new.addLine')}
            </Button>
          </Group>
          <Textarea label={t('new.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />
          {submit.error ? <ErrorState error={submit.error} /> : null}
          <Group>
            <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={!storeId || !lines.some((l) => l.productId)} data-testid="new-submit">
              {t('new.submit')}
            </Button>
          </Group>
        </Stack>
      </Section>
    </DetailLayout>
  );
}
