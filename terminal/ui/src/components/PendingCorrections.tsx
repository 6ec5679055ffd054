import { useState } from 'react';
import { api, ApiError, type PendingCorrections as Pending } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { useErrorText } from '../session';

/**
 * "Correcciones pendientes · Pending corrections" of the worker whose PIN was just typed (issue 16): each with the
 * original record and the proposed one, the reason and who proposed it; the worker approves or rejects it. The
 * PIN stays in memory only while this panel is open (each decision is sent with it, HQ records it online).
 */
export function PendingCorrections({ pin, pending, onClose }: { pin: string; pending: Pending; onClose: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const when = (iso: string) => (iso ? new Date(iso).toLocaleString('es-ES', { timeZone: pending.timeZone, dateStyle: 'short', timeStyle: 'short' }) : '—');
  const label = (ev: string) => (['clock_in', 'break_start', 'break_end', 'clock_out'].includes(ev) ? t(`clock.${ev}` as MessageKey) : ev);
  const decide = async (id: string, decision: 'approve' | 'reject') => {
    setBusy(id);
    setError(null);
    try {
      const r = await api.decideCorrection(pin, id, decision);
      setDone((d) => ({ ...d, [id]: r.message }));
    } catch (e) {
      // HQ's refusal (already decided, not yours) and "offline" come as Spanish · English.
      setError(e instanceof ApiError && e.problem['detail'] ? String(e.problem['detail']) : errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="pending-corrections" data-testid="pending-corrections" aria-label={t('corrections.title')}>
      <h3>{pending.name}</h3>
      {pending.corrections.length === 0 && <p className="lock-hint" data-testid="corrections-none">{t('corrections.none')}</p>}
      {error && <p className="error" role="alert" data-testid="corrections-error">{error}</p>}
      <ul>
        {pending.corrections.map((c) => (
          <li key={c.id} data-testid="pending-correction" data-id={c.id}>
            <div>
              <strong>{t('corrections.original')}:</strong> {label(c.original.event)} {when(c.original.at)}
              {' → '}
              <strong>{t('corrections.proposed')}:</strong> {label(c.proposed.event)} {when(c.proposed.at)}
            </div>
            <div>{t('corrections.reason')}: {c.reason}</div>
            <div className="muted">{t('corrections.by', { who: c.proposedBy, when: when(c.proposedAt) })}</div>
            {done[c.id] ? (
              <p role="status" data-testid="correction-done">{done[c.id]}</p>
            ) : (
              <div className="clock-buttons">
                <button className="primary" disabled={busy !== null} onClick={() => void decide(c.id, 'approve')} data-testid="correction-approve">{t('corrections.approve')}</button>
                <button disabled={busy !== null} onClick={() => void decide(c.id, 'reject')} data-testid="correction-reject">{t('corrections.reject')}</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <button className="muted" onClick={onClose} data-testid="corrections-close">{t('corrections.close')}</button>
    </section>
  );
}
