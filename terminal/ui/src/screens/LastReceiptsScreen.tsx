import { useCallback, useEffect, useState } from 'react';
import { api, type LastReceipt } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/**
 * "Últimos tiques": pictures of the last receipts as printed. With a printer that has a preview endpoint
 * (the demo's virtual printer) they are what the printer decoded from the bytes it got; otherwise what the
 * print queue sent, rendered through the same ESC/POS encoder and decoder.
 */
export function LastReceiptsScreen({ onExit, onDevices }: { onExit: () => void; onDevices?: (() => void) | undefined }) {
  const { t } = useI18n();
  const { fail, state } = useSession();
  const [answer, setAnswer] = useState<{ source: string; receipts: LastReceipt[]; previewError?: string | undefined } | null>(null);
  const load = useCallback(() => {
    api.lastReceipts(4).then(setAnswer, fail);
  }, [fail]);
  useEffect(load, [load]);
  // Follow the printer: when the queue prints (pending count changes) the list is fetched again.
  const pending = state?.printer.pending ?? 0;
  useEffect(() => {
    const timer = setTimeout(load, 400);
    return () => clearTimeout(timer);
  }, [pending, load]);
  return (
    <main className="page" data-testid="last-receipts-screen">
      <div className="page-head">
        <h2>{t('receipts.title')}</h2>
        {answer && <p>{t(answer.source === 'printer' ? 'receipts.hint.printer' : 'receipts.hint.queue')}</p>}
        {answer?.previewError && <p className="warn-text">{t('receipts.previewError', { detail: answer.previewError })}</p>}
      </div>
      {!answer ? (
        <p>{t('status.loading')}</p>
      ) : answer.receipts.length === 0 ? (
        <p className="empty" data-testid="last-receipts-empty">{t('receipts.none')}</p>
      ) : (
        <div className="last-receipts" data-testid="last-receipts" data-source={answer.source}>
          {answer.receipts.map((r) => (
            <figure key={r.id} className="last-receipt" data-testid="last-receipt">
              <img className="receipt-svg" alt={r.text} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.svg)}`} />
              <figcaption>{new Date(r.receivedAt).toLocaleTimeString()}</figcaption>
            </figure>
          ))}
        </div>
      )}
      <div className="page-actions">
        {onDevices && (
          <button className="big" onClick={onDevices} data-testid="nav-devices">
            {t('nav.devices')}
          </button>
        )}
        <button className="big" onClick={load} data-testid="last-receipts-refresh">
          {t('receipts.refresh')}
        </button>
        <button className="primary big" onClick={onExit}>
          {t('action.back')}
        </button>
      </div>
    </main>
  );
}
