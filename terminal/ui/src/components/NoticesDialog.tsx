import { useState } from 'react';
import type { TillNotice } from '../api';
import { useI18n } from '../i18n';
import { Dialog } from './Dialog';

/**
 * HQ's notices for the person logged in (issue 16): unread first, the most urgent on top; each read with a
 * tap ("Leído"), which the till keeps and sends to HQ once. Spanish with the English beside it when HQ wrote it.
 */
export function NoticesDialog({ notices, onRead, onClose }: { notices: TillNotice[]; onRead: (id: string) => Promise<void>; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const when = (iso: string) => new Date(iso).toLocaleString(locale === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Dialog title={t('notices.title')} onClose={onClose} wide testId="notices-dialog">
      {notices.length === 0 && <p data-testid="notices-none">{t('notices.none')}</p>}
      <ul className="notice-list">
        {notices.map((n) => (
          <li key={n.id} className={`notice notice-${n.priority}${n.readAt ? ' notice-read' : ''}`} data-testid="notice" data-notice-id={n.id} data-read={n.readAt ? 'yes' : 'no'}>
            <header>
              {n.priority !== 'normal' && <span className="pill bad" data-testid="notice-priority">{t(`notices.priority.${n.priority}`)}</span>}{' '}
              <strong data-testid="notice-title">{n.title}</strong>
              {n.titleEn && <em lang="en"> · {n.titleEn}</em>}
            </header>
            <p data-testid="notice-body">{n.body}</p>
            {n.bodyEn && <p lang="en"><em>{n.bodyEn}</em></p>}
            <footer>
              {n.validUntil && <small>{t('notices.until', { at: when(n.validUntil) })} </small>}
              {n.readAt ? (
                <small data-testid="notice-read-at">{t('notices.readAt', { at: when(n.readAt) })}</small>
              ) : (
                <button
                  className="primary"
                  data-testid="notice-read"
                  disabled={busy !== null}
                  onClick={() => {
                    setBusy(n.id);
                    void onRead(n.id).finally(() => setBusy(null));
                  }}
                >
                  {t('notices.read')}
                </button>
              )}
            </footer>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
