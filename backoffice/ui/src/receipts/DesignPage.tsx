/**
 * Receipt design (issue 19): choose the company (and optionally one store's override), upload the logo, type
 * header and footer lines, the return policy and a promotion with its dates; the preview beside it is made by
 * the API from what is typed (debounced) through the till's own encoder → decoder → picture, at 58 or 80 mm.
 * Save keeps a draft; Publish saves and sends it down the change feed to the tills. The API's field errors
 * (problem+json) are shown under the fields they name.
 */
import { Alert, Badge, Button, FileInput, Group, Image, NumberInput, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, get, type FieldError } from '../app/api';
import { useT } from '../app/i18n';
import { toast } from '../components/feedback';
import { useFormat } from '../components/format';
import { PageHeader, Section } from '../components/layout';
import { useOrganisation } from '../network/queries';
import { messages } from './messages';

type Fields = {
  logo?: { id: string } | null; logoName?: string | null; headerLines?: string[]; footerLines?: string[]; returnPolicy?: string | null;
  exchangeDays?: number; giftRefund?: 'voucher' | 'exchange_only'; promo?: { text: string; from: string; to: string } | null;
};
interface DesignView { companyId: string; storeId: string | null; draft: Fields; published: Fields | null; revision: number; publishedRevision: number; publishedAt: string | null }
interface Designs { company: DesignView | null; stores: Array<{ storeId: string; code: string; name: string; override: DesignView | null }> }
interface Preview { png: string; width: number; height: number; text: string; logo: { left: number; top: number; widthDots: number; heightDots: number } | null; unknownCommands: number }
type Upload = { fileName: string; contentType: 'image/png' | 'image/svg+xml'; dataBase64: string };
type Inheritable = 'logo' | 'headerLines' | 'footerLines' | 'returnPolicy' | 'exchangeDays' | 'giftRefund' | 'promo';

/** The form as typed: lines as text, one a line. */
interface Form { header: string; footer: string; policy: string; exchangeDays: number | ''; giftRefund: '' | 'voucher' | 'exchange_only'; promoText: string; promoFrom: string; promoTo: string }
const EMPTY: Form = { header: '', footer: '', policy: '', exchangeDays: '', giftRefund: '', promoText: '', promoFrom: '', promoTo: '' };
const formOf = (f: Fields | undefined): Form => ({
  header: (f?.headerLines ?? []).join('\n'), footer: (f?.footerLines ?? []).join('\n'), policy: f?.returnPolicy ?? '', exchangeDays: f?.exchangeDays ?? '', giftRefund: f?.giftRefund ?? '',
  promoText: f?.promo?.text ?? '', promoFrom: f?.promo?.from ?? '', promoTo: f?.promo?.to ?? '',
});
const lines = (s: string) => s.split('\n').map((l) => l.trimEnd()).filter((l, i, all) => l !== '' || all.slice(i).some((x) => x.trim() !== ''));

/** The API body from the form: the company's design sends every field; a store's override sends what it sets and inherits the rest. */
function bodyOf(form: Form, logo: Upload | null | undefined, store: boolean) {
  const header = lines(form.header);
  const footer = lines(form.footer);
  const promo = form.promoText.trim() || form.promoFrom || form.promoTo ? { text: form.promoText.trim(), from: form.promoFrom, to: form.promoTo } : null;
  const body: Record<string, unknown> = {};
  const inherit: Inheritable[] = [];
  const put = (k: Inheritable, v: unknown, empty: boolean) => (store && empty ? inherit.push(k) : (body[k] = v));
  put('headerLines', header, header.length === 0);
  put('footerLines', footer, footer.length === 0);
  put('returnPolicy', form.policy.trim() || null, form.policy.trim() === '');
  if (form.exchangeDays !== '') body.exchangeDays = form.exchangeDays;
  else if (store) inherit.push('exchangeDays');
  if (form.giftRefund !== '') body.giftRefund = form.giftRefund;
  else if (store) inherit.push('giftRefund');
  put('promo', promo, promo === null);
  // undefined: keep the saved logo; null: remove it.
  if (logo !== undefined) body.logo = logo;
  if (inherit.length) body.inherit = inherit;
  return body;
}

async function readUpload(file: File): Promise<Upload> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const svg = file.type === 'image/svg+xml' || file.name.toLowerCase().endsWith('.svg');
  return { fileName: file.name, contentType: svg ? 'image/svg+xml' : 'image/png', dataBase64: btoa(bin) };
}

/** Field errors of a problem answer by the form field they belong to. */
function fieldErrors(error: unknown, t: (k: 'd.lineError', p: Record<string, string | number>) => string): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const add = (k: string, m: string) => (out[k] = out[k] ? `${out[k]} · ${m}` : m);
  for (const e of error.fieldErrors as FieldError[]) {
    const p = e.path.replace(/^(body|design)\./, '').replace(/^design\./, '');
    const [head, idx] = p.split('.');
    if (head === 'headerLines' || head === 'footerLines') add(head, idx !== undefined && /^\d+$/.test(idx) ? t('d.lineError', { n: Number(idx) + 1, message: e.message }) : e.message);
    else if (head === 'promo') add(idx === 'from' ? 'promoFrom' : idx === 'to' ? 'promoTo' : 'promoText', e.message);
    else if (head === 'logo') add('logo', e.message);
    else if (head === 'returnPolicy') add('policy', e.message);
    else if (head === 'exchangeDays' || head === 'giftRefund') add(head, e.message);
    else add('form', e.message);
  }
  return out;
}

export default function DesignPage() {
  const { t } = useT(messages);
  const f = useFormat();
  const qc = useQueryClient();
  const org = useOrganisation();
  const companies = useMemo(() => org.data?.companies ?? [], [org.data]);
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [columns, setColumns] = useState<32 | 48>(48);
  const [form, setForm] = useState<Form>(EMPTY);
  /** A logo chosen in this page (sent with the next preview and save); undefined: keep, null: remove. */
  const [logo, setLogo] = useState<Upload | null | undefined>(undefined);
  const [logoError, setLogoError] = useState<string | null>(null);
  useEffect(() => {
    if (!companyId && companies[0]) setCompanyId(companies[0].id);
  }, [companies, companyId]);

  const designs = useQuery({ queryKey: ['receipt-designs', companyId], enabled: !!companyId, queryFn: () => get<Designs>(`/api/receipt-designs/${companyId}`) });
  const current: DesignView | null = storeId ? (designs.data?.stores.find((s) => s.storeId === storeId)?.override ?? null) : (designs.data?.company ?? null);
  // A different company/store (or its design arriving) puts its saved draft in the form; until then the form
  // is disabled, so nothing typed or uploaded is overwritten by a late answer.
  const key = `${companyId}/${storeId ?? ''}`;
  const [loadedFor, setLoadedFor] = useState('');
  const ready = !!designs.data && loadedFor === key;
  useEffect(() => {
    if (!designs.data || loadedFor === key) return;
    setLoadedFor(key);
    setForm(formOf(current?.draft));
    setLogo(undefined);
  }, [designs.data, key, loadedFor, current]);

  const body = useMemo(() => bodyOf(form, logo, !!storeId), [form, logo, storeId]);
  // The live preview, 400 ms after the last keystroke.
  const [debounced, setDebounced] = useState<string>('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(JSON.stringify(body)), 400);
    return () => clearTimeout(timer);
  }, [body]);
  const preview = useQuery({
    queryKey: ['receipt-preview', companyId, storeId, columns, debounced],
    enabled: !!companyId && debounced !== '' && ready,
    placeholderData: (prev) => prev,
    retry: false,
    queryFn: () => api<Preview>('POST', `/api/receipt-designs/${companyId}/preview`, { columns, ...(storeId ? { storeId } : {}), design: JSON.parse(debounced) as unknown }),
  });

  const save = useMutation({
    mutationFn: () => api<DesignView>('PUT', storeId ? `/api/receipt-designs/${companyId}/stores/${storeId}` : `/api/receipt-designs/${companyId}`, body),
    onSuccess: () => {
      setLogo(undefined);
      void qc.invalidateQueries({ queryKey: ['receipt-designs', companyId] });
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      await save.mutateAsync();
      return api<{ revision: number; stores: Array<{ storeId: string; revision: string }> }>('POST', `/api/receipt-designs/${companyId}/publish`, storeId ? { storeId } : {});
    },
    onSuccess: (r) => {
      toast.ok(t('d.published', { revision: r.revision }));
      void qc.invalidateQueries({ queryKey: ['receipt-designs', companyId] });
    },
  });
  const writeError = save.error ?? publish.error;
  const errors: Record<string, string | undefined> = { ...fieldErrors(preview.error, t), ...fieldErrors(writeError, t), ...(logoError ? { logo: logoError } : {}) };
  const set = (k: keyof Form) => (e: { currentTarget: { value: string } }) => setForm((x) => ({ ...x, [k]: e.currentTarget.value }));
  const company = companies.find((c) => c.id === companyId);
  const savedLogo = current?.draft.logo ? (current.draft.logoName ?? current.draft.logo.id) : null;

  return (
    <>
      <PageHeader title={t('d.title')} subtitle={t('d.help')} />
      <Section>
        <Group align="end" wrap="wrap">
          <Select label={t('d.company')} w={360} data={companies.map((c) => ({ value: c.id, label: c.legalName }))} value={companyId} onChange={(v) => (setCompanyId(v), setStoreId(null))} allowDeselect={false} searchable data-testid="design-company" />
          <Select
            label={t('d.scope')} w={360} allowDeselect={false} data-testid="design-store"
            data={[{ value: '', label: t('d.wholeCompany') }, ...(company?.stores ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))]}
            value={storeId ?? ''} onChange={(v) => setStoreId(v ? v : null)}
          />
          <div data-testid="design-published">
            {current?.publishedAt ? (
              <Badge color="green" variant="light" size="lg">{t('d.publishedInfo', { revision: current.publishedRevision, at: f.dateTime(current.publishedAt) })}</Badge>
            ) : (
              <Badge color="gray" variant="light" size="lg">{t('d.notPublished')}</Badge>
            )}
          </div>
        </Group>
        {current && current.revision !== current.publishedRevision && current.publishedAt && <Text size="sm" c="orange" mt="xs" data-testid="design-draft-newer">{t('d.draftNewer', { revision: current.revision })}</Text>}
        {storeId && <Text size="sm" c="dimmed" mt="xs">{t('d.storeHint')}</Text>}
      </Section>
      <Group align="start" wrap="nowrap" gap="lg">
        <Section title={t('d.title')} testId="design-form">
          <fieldset disabled={!ready} style={{ border: 0, margin: 0, padding: 0 }} data-testid="design-fields" data-ready={ready ? 'yes' : 'no'}>
          <Stack gap="sm" w={460}>
            <FileInput
              label={t('d.logo')} accept="image/png,image/svg+xml" clearable data-testid="design-logo"
              description={logo ? t('d.logoCurrent', { name: logo.fileName }) : logo === null ? t('d.logoNone') : savedLogo ? t('d.logoCurrent', { name: savedLogo }) : t('d.logoNone')}
              error={errors.logo}
              onChange={(file) => {
                setLogoError(null);
                if (!file) return setLogo(undefined);
                readUpload(file).then(setLogo, (e: unknown) => setLogoError(String(e)));
              }}
            />
            {(savedLogo || logo) && <Button variant="subtle" color="red" size="xs" w="fit-content" onClick={() => setLogo(null)} data-testid="design-logo-remove">{t('d.logoRemove')}</Button>}
            <Textarea label={t('d.header')} autosize minRows={2} value={form.header} onChange={set('header')} error={errors.headerLines} data-testid="design-header" />
            <Textarea label={t('d.footer')} autosize minRows={2} value={form.footer} onChange={set('footer')} error={errors.footerLines} data-testid="design-footer" />
            <Textarea label={t('d.policy')} autosize minRows={2} value={form.policy} onChange={set('policy')} error={errors.policy} data-testid="design-policy" />
            <NumberInput label={t('d.exchangeDays')} w={160} min={0} max={365} value={form.exchangeDays} onChange={(v) => setForm((x) => ({ ...x, exchangeDays: typeof v === 'number' ? v : '' }))} error={errors.exchangeDays} data-testid="design-exchange-days" />
            <Select
              label={t('d.giftRefund')} w={300} clearable data-testid="design-gift-refund" value={form.giftRefund || null} error={errors.giftRefund}
              data={[{ value: 'voucher', label: t('d.giftRefund.voucher') }, { value: 'exchange_only', label: t('d.giftRefund.exchange_only') }]}
              onChange={(v) => setForm((x) => ({ ...x, giftRefund: (v ?? '') as Form['giftRefund'] }))}
            />
            <TextInput label={t('d.promo')} value={form.promoText} onChange={set('promoText')} error={errors.promoText} data-testid="design-promo" />
            <Group>
              <TextInput label={t('d.promoFrom')} type="date" value={form.promoFrom} onChange={set('promoFrom')} error={errors.promoFrom} data-testid="design-promo-from" />
              <TextInput label={t('d.promoTo')} type="date" value={form.promoTo} onChange={set('promoTo')} error={errors.promoTo} data-testid="design-promo-to" />
            </Group>
            {errors.form && <Alert color="red" data-testid="design-error">{errors.form}</Alert>}
            {writeError && !(writeError instanceof ApiError && writeError.fieldErrors.length > 0) && <Alert color="red" data-testid="design-error">{writeError.message}</Alert>}
            <Group>
              <Button variant="default" loading={save.isPending && !publish.isPending} disabled={!companyId} onClick={() => save.mutate(undefined, { onSuccess: () => toast.ok(t('d.saved')) })} data-testid="design-save">{t('d.save')}</Button>
              <Button loading={publish.isPending} disabled={!companyId} onClick={() => publish.mutate()} data-testid="design-publish">{t('d.publish')}</Button>
            </Group>
          </Stack>
          </fieldset>
        </Section>
        <Section title={t('d.preview')} testId="design-preview-section">
          <Stack gap="xs">
            <SegmentedControl value={String(columns)} onChange={(v) => setColumns(v === '32' ? 32 : 48)} data={[{ value: '32', label: '58 mm' }, { value: '48', label: '80 mm' }]} data-testid="design-paper" />
            <Text size="xs" c="dimmed">{t('d.previewHelp')}</Text>
            {preview.isFetching && <Text size="xs" c="dimmed" data-testid="design-previewing">{t('d.previewing')}</Text>}
            {preview.error && (
              <Alert color="orange" data-testid="design-preview-error">
                {preview.error instanceof ApiError && preview.error.fieldErrors.length > 0 ? t('d.previewBlocked') : preview.error.message}
              </Alert>
            )}
            {preview.data && (
              <Image src={preview.data.png} w={preview.data.width} maw="100%" alt={preview.data.text} style={{ border: '1px solid #ddd', imageRendering: 'pixelated' }}
                data-testid="design-preview" data-width={preview.data.width} data-height={preview.data.height} data-columns={columns} data-logo={preview.data.logo ? `${preview.data.logo.widthDots}x${preview.data.logo.heightDots}` : ''} />
            )}
          </Stack>
        </Section>
      </Group>
    </>
  );
}
