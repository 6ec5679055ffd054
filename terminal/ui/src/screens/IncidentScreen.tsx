import { useCallback, useEffect, useState } from 'react';
import { qualityApi, stockApi, type IncidentReport, type ScannedProduct } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useScanHandler, useSession } from '../session';

const KINDS = ['damaged_goods', 'customer_complaint', 'equipment_failure', 'food_safety', 'cleanliness', 'delivery_discrepancy'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** The till sends one photo of at most ~700 kB (its JSON limit is 1 MB): a camera shot is shrunk to 1280 px JPEG. */
const MAX_SIDE = 1280;

async function photoOf(file: File): Promise<{ mediaType: 'image/jpeg' | 'image/png' | 'image/webp'; base64: string }> {
  let blob: Blob = file;
  if (file.size > 600_000 || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b ?? file), 'image/jpeg', 0.8));
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { mediaType: (blob.type || 'image/jpeg') as 'image/jpeg', base64: btoa(bin) };
}

/**
 * "Incidencia": a cashier reports what went wrong at the store — damaged goods, a customer complaint, a
 * broken scale — with a photo from the till's camera and, optionally, the product scanned. The report is
 * kept at the till and goes up to head office by itself (offline too); HQ's number shows once it arrives.
 */
export function IncidentScreen({ onExit }: { onExit: () => void }) {
  const { t } = useI18n();
  const { fail, flash } = useSession();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('damaged_goods');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('medium');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  // A file input cannot be cleared by state: a new key gives an empty one after each report.
  const [photoKey, setPhotoKey] = useState(0);
  const [product, setProduct] = useState<ScannedProduct | null>(null);
  const [busy, setBusy] = useState(false);
  const [reports, setReports] = useState<IncidentReport[]>([]);
  const load = useCallback(() => void qualityApi.recent().then((r) => setReports(r.items), fail), [fail]);
  useEffect(() => {
    load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [load]);
  useScanHandler((code) => void stockApi.scan(code).then(setProduct, fail));
  const send = async () => {
    setBusy(true);
    try {
      const body = { kind, severity, title: title.trim(), ...(description.trim() ? { description } : {}), ...(product ? { productId: product.productId } : {}), ...(photo ? { photo: await photoOf(photo) } : {}) };
      await qualityApi.report(body);
      flash('success', t('incident.sent'));
      setTitle('');
      setDescription('');
      setPhoto(null);
      setPhotoKey((k) => k + 1);
      setProduct(null);
      load();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page incident" data-testid="incident-screen">
      <div className="page-head">
        <h2>{t('incident.title')}</h2>
      </div>
      <section className="incident-form">
        <div className="choice-row" data-testid="incident-kinds">
          {KINDS.map((k) => (
            <button key={k} className={kind === k ? 'on' : ''} onClick={() => setKind(k)} data-testid={`incident-kind-${k}`}>{t(`incident.kind.${k}` as MessageKey)}</button>
          ))}
        </div>
        <div className="choice-row" data-testid="incident-severities">
          {SEVERITIES.map((s) => (
            <button key={s} className={severity === s ? 'on' : ''} onClick={() => setSeverity(s)} data-testid={`incident-severity-${s}`}>{t(`incident.severity.${s}` as MessageKey)}</button>
          ))}
        </div>
        <label>
          {t('incident.what')}
          <input className="big-input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} data-testid="incident-title" />
        </label>
        <label>
          {t('incident.details')}
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={3} data-testid="incident-description" />
        </label>
        <p data-testid="incident-product">{product ? `${t('incident.product')}: ${product.name}` : t('incident.scanHint')}</p>
        <label className="photo-pick">
          {t('incident.photo')}
          <input key={photoKey} type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} data-testid="incident-photo" />
        </label>
        {photo && <p data-testid="incident-photo-name">{photo.name}</p>}
        <button className="primary big" disabled={busy || !title.trim()} onClick={() => void send()} data-testid="incident-send">{t('incident.send')}</button>
      </section>
      <section className="stock-docs" data-testid="incident-reports">
        <h3>{t('incident.reports')}</h3>
        <ul>
          {reports.map((r) => (
            <li key={r.id} data-testid="incident-report" data-status={r.status}>
              {new Date(r.createdAt).toLocaleString()} · {t(`incident.kind.${r.kind}` as MessageKey)} · {r.title}{r.hasPhoto ? ' 📷' : ''} · <strong>{t(`stock.status.${r.status}` as MessageKey)}</strong>
              {r.reference ? ` · ${r.reference}` : ''}
              {r.message ? ` · ${r.message}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <div className="page-actions">
        <button className="primary big" onClick={onExit}>{t('action.back')}</button>
      </div>
    </main>
  );
}
