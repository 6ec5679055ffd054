import { useEffect, useState } from 'react';
import { api, type ParkedTicket } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';
import { Dialog } from './Dialog';

/** Parked tickets waiting to be resumed. */
export function ParkedDialog({ onResume, onClose, canResume }: { onResume: (id: string) => void; onClose: () => void; canResume: boolean }) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [list, setList] = useState<ParkedTicket[] | null>(null);
  useEffect(() => {
    api.parked().then(setList, (e) => {
      setList([]);
      fail(e);
    });
  }, []);
  const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString(locale === 'es' ? 'es-ES' : 'en-GB', { hour: '2-digit', minute: '2-digit' }) : '');
  return (
    <Dialog title={t('parked.title')} onClose={onClose} testId="parked-dialog" wide actions={<button className="big" onClick={onClose}>{t('action.close')}</button>}>
      {!canResume && <p className="lead warn-text">{t('parked.finishFirst')}</p>}
      <ul className="pick-list">
        {(list ?? []).map((p) => (
          <li key={p.id}>
            <button className="pick" disabled={!canResume} onClick={() => onResume(p.id)} data-testid="parked-option">
              <strong>{p.label || t('parked.unnamed')}</strong>
              <span>{time(p.createdAt)}</span>
              {p.lineCount !== undefined && <span>{t('ticket.lines', { n: p.lineCount })}</span>}
              {p.total !== undefined && <span className="strong">{money(p.total, locale)}</span>}
            </button>
          </li>
        ))}
        {list && list.length === 0 && <li className="empty">{t('parked.none')}</li>}
      </ul>
    </Dialog>
  );
}
