/** One incident: what, where, which document and product, who opened it. */
import { Anchor, Badge } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { IncidentDetail } from '@tpv/shared/wire/http/replenishment';
import { Link, useParams } from 'react-router';
import { get } from '../app/api';
import { useT } from '../app/i18n';
import { QueryState } from '../components/feedback';
import { useFormat } from '../components/format';
import { DetailLayout, Fields, Section } from '../components/layout';
import { messages } from './messages';

export default function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useT(messages);
  const f = useFormat();
  const q = useQuery({ queryKey: ['quality', 'incident', id], queryFn: () => get<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`) });
  return (
    <QueryState query={q}>
      {(i) => (
        <DetailLayout back={{ to: '/quality/incidents', label: t('incident.back') }} title={<span data-testid="incident-heading">{`${i.number} · ${i.title}`}</span>}>
          <Section>
            <Fields
              items={[
                [t('incidents.kind'), t(`kind.${i.kind}`)],
                [t('incidents.state'), <Badge key="s" variant="light">{t(`state.${i.state}`)}</Badge>],
                [t('incident.severity'), i.severity],
                [t('incidents.store'), i.storeName ?? '—'],
                [t('incidents.date'), f.dateTime(i.createdAt)],
                [t('incident.product'), i.productName ?? '—'],
                [t('incidents.quantity'), i.quantity === null ? '—' : String(i.quantity)],
                [
                  t('incidents.document'),
                  i.documentType === 'delivery_note' && i.documentId ? (
                    <Anchor key="d" component={Link} to={`/replenishment/delivery-notes/${i.documentId}`}>{i.documentNumber}</Anchor>
                  ) : (
                    (i.documentNumber ?? '—')
                  ),
                ],
                [t('incident.description'), i.description ?? '—'],
                [t('incident.createdBy'), i.createdBy ?? '—'],
              ]}
            />
          </Section>
        </DetailLayout>
      )}
    </QueryState>
  );
}
