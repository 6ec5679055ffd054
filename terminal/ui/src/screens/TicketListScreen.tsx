import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type EReceipt, type ReceiptListRow } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';
import { EReceiptQr, ReceiptActions } from '../components/ReceiptActions';

/**
 * Issue 19, the receipt list: today's tickets at this till, searched by number; for one of them a gift
 * receipt is printed or the e-receipt sent (e-mail or its QR), later than the sale.
 */
export function TicketListScreen({ onExit }: { onExit: () => void }) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [text, setText] = useState('');
  const [rows, setRows] = useState<ReceiptListRow[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [eReceipt, setEReceipt] = useState<EReceipt | null>(null);
  // Only the answer to the latest search is shown: an earlier, slower one must not overwrite it.
  const latest = useRef(0);
  const load = useCallback((q: string) => {
    const n = ++latest.current;
    api.todayReceipts(q).then((r) => n === latest.current && setRows(r), fail);
  }, [fail]);
  // Search as the number is typed (a short pause first).
  useEffect(() => {
    const timer = setTimeout(() => load(text), 250);
    return () => clearTimeout(timer);
  }, [text, load]);
  const choose = (id: string) => {
    setOpen((o) => (o === id ? null : id));
    setEReceipt(null);
    api.eReceipt(id).then(setEReceipt, () => setEReceipt(null));
  };
  return (
    <main className="page" data-testid="ticket-list-screen">
      <div className="page-head">
        <h2>{t('tickets.title')}</h2>
        <p>{t('tickets.hint')}</p>
      </div>
      <label className="field">
        <span>{t('tickets.search')}</span>
        <input className="big-input" value={text} onChange={(e) => setText(e.target.value)} data-testid="ticket-list-search" />
      </label>
      {rows === null ? null : rows.length === 0 ? (
        <p className="empty" data-testid="ticket-list-empty">{t('tickets.none')}</p>
      ) : (
        <ul className="ticket-list" data-testid="ticket-list">
          {rows.map((r) => (
            <li key={r.id} data-testid="ticket-list-row" data-number={r.fiscalNumber}>
              <button className="ticket-list-head" onClick={() => choose(r.id)} data-testid="ticket-list-open">
                <strong>{r.fiscalNumber}</strong>
                <span>{new Date(r.issuedAt).toLocaleTimeString(locale === 'es' ? 'es-ES' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}</span>
                <span>{r.kind === 'return' ? t('tickets.return') : t('tickets.sale')}</span>
                <span>{r.customer?.name ?? ''}</span>
                <span>{r.printed ? '' : t('tickets.noPaper')}</span>
                <strong>{money(r.totalCents, locale)}</strong>
              </button>
              {open === r.id && (
                <div className="ticket-list-body">
                  <ReceiptActions ticketId={r.id} kind={r.kind} customerEmail={r.customer?.email ?? null} printed={r.printed} testPrefix="list-" />
                  {eReceipt && <EReceiptQr eReceipt={eReceipt} />}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="page-actions">
        <button className="big" onClick={onExit}>
          {t('action.back')}
        </button>
      </div>
    </main>
  );
}
