/** Report an incident from the back office: kind, severity, store (HQ may leave it empty), product, complaint form, photo. */
import { Button, FileInput, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { INCIDENT_KINDS, INCIDENT_SEVERITIES, type IncidentDetail } from '@tpv/shared/wire/http/quality';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../app/api';
import { useT } from '../app/i18n';
import { DetailLayout, Section } from '../components/layout';
import { useStoreOptions } from '../network/queries';
import { ProductPicker } from '../replenishment/ProductPicker';
import { messages } from './messages';
import { uploadPhoto } from './photos';
import { ProblemAlert } from './ProblemAlert';

export default function IncidentNewPage() {
  const { t } = useT(messages);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const stores = useStoreOptions();
  const [kind, setKind] = useState<string>('damaged_goods');
  const [severity, setSeverity] = useState<string>('medium');
  const [storeId, setStoreId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [productId, setProductId] = useState<string | null>(null);
  const [form, setForm] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      const photoIds = photo ? [await uploadPhoto(photo, storeId)] : [];
      return api<IncidentDetail>('POST', '/api/incidents', {
        kind, severity, title, ...(description ? { description } : {}), ...(storeId ? { storeId } : {}), ...(productId ? { productId } : {}),
        ...(form ? { complaintFormNumber: form } : {}), photoIds,
      });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['/api/incidents'] });
      navigate(`/quality/incidents/${r.id}`);
    },
  });
  return (
    <DetailLayout back={{ to: '/quality/incidents', label: t('incident.back') }} title={t('new.title')}>
      <Section>
        <Stack maw={640}>
          <Group grow>
            <Select label={t('incidents.kind')} data={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} value={kind} onChange={(v) => setKind(v ?? kind)} data-testid="new-kind" allowDeselect={false} />
            <Select label={t('incidents.severity')} data={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))} value={severity} onChange={(v) => setSeverity(v ?? severity)} data-testid="new-severity" allowDeselect={false} />
          </Group>
          <Select label={t('incidents.store')} placeholder={t('new.noStore')} data={stores.options} value={storeId} onChange={setStoreId} searchable clearable data-testid="new-store" />
          <TextInput label={t('new.titleField')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-testid="new-title" />
          <Textarea label={t('incident.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} data-testid="new-description" />
          <ProductPicker value={productId} onChange={setProductId} label={t('incident.product')} testId="new-product" />
          {kind === 'customer_complaint' && <TextInput label={t('incident.complaintForm')} value={form} onChange={(e) => setForm(e.currentTarget.value)} data-testid="new-complaint-form" />}
          <FileInput label={t('new.photo')} accept="image/*" value={photo} onChange={setPhoto} clearable data-testid="new-photo" />
          <ProblemAlert error={save.error} />
          <Group>
            <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="new-save">{t('new.save')}</Button>
          </Group>
        </Stack>
      </Section>
    </DetailLayout>
  );
}
