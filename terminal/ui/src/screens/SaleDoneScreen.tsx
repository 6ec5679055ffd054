import { useState } from 'react';
import { api, type CheckoutResult } from '../api';
import { ReceiptView } from '../components/ReceiptView';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useScanHandler, useSession } from '../session';

/** After the sale: the change to hand back, big, and the receipt preview. */
export function SaleDoneScreen({ result, onNext }: { result: CheckoutResult; onNext: () => void }) {
  const { t, locale } = useI18n();
  const { fail, flash, setCart } = useSession();
  // Scanning the next customer's first item starts the next sale straight away.
  useScanHandler((code) => {
    onNext();
    api.scan(code).then(setCart, fail);
  });
  const [busy, setBusy] = useState(false);
  const reprint = async () => {
    setBusy(true);
    try {
      await api.reprint(result.ticket.id);
      flash('info', t('done.reprinted'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="done" data-testid="sale-done">
      <div className="done-left">
        <p className="done-number">
          {t('done.ticket')} <strong data-testid="done-number">{result.ticket.fiscalNumber}</strong>
        </p>
        <p className="done-total">
          {t('done.total')} <strong data-testid="done-total">{money(result.ticket.total, locale)}</strong>
        </p>
        <div className="change-box on huge">
          <span>{t('pay.change')}</span>
          <strong data-testid="done-change">{money(result.change, locale)}</strong>
        </div>
        <div className="page-actions">
          <button className="big" onClick={reprint} disabled={busy} data-testid="reprint">
            {t('done.reprint')}
          </button>
          <button className="primary big" autoFocus onClick={onNext} data-testid="next-sale">
            {t('done.next')}
          </button>
        </div>
      </div>
      <div className="done-right">
        <ReceiptView receipt={result.receipt} />
      </div>
    </main>
  );
}
