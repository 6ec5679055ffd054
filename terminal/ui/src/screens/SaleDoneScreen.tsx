import { useState } from 'react';
import { api, type CheckoutResult } from '../api';
import { DoneLayout } from '../components/DoneLayout';
import { EReceiptQr, ReceiptActions } from '../components/ReceiptActions';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useScanHandler, useSession } from '../session';

/**
 * After the sale: the change to hand back, big, and the receipt preview; gift receipt and e-mail buttons, and
 * the e-receipt QR for the customer to scan (big when the customer took no paper).
 */
export function SaleDoneScreen({ result, onNext }: { result: CheckoutResult; onNext: () => void }) {
  const { t, locale } = useI18n();
  const { fail, flash, setCart } = useSession();
  // Scanning the next customer's first item starts the next sale straight away.
  useScanHandler((code) => {
    onNext();
    api.scan(code).then(setCart, fail);
  });
  const [busy, setBusy] = useState(false);
  // No paper at the sale: the first print is the receipt itself, later ones are copies.
  const [printed, setPrinted] = useState(result.printed !== false);
  const reprint = async () => {
    setBusy(true);
    try {
      await api.reprint(result.ticket.id);
      flash('info', t(printed ? 'done.reprinted' : 'done.printed'));
      setPrinted(true);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <DoneLayout testId="sale-done" receipt={result.receipt} aside={result.eReceipt && <EReceiptQr eReceipt={result.eReceipt} big={result.printed === false} />}>
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
      {result.printed === false && (
        <p className="hint" data-testid="done-no-paper">
          {t('done.noPaper')}
        </p>
      )}
      <ReceiptActions ticketId={result.ticket.id} kind={result.ticket.kind} />
      <div className="page-actions">
        <button className="big" onClick={reprint} disabled={busy} data-testid="reprint">
          {printed ? t('done.reprint') : t('done.printAnyway')}
        </button>
        <button className="primary big" autoFocus onClick={onNext} data-testid="next-sale">
          {t('done.next')}
        </button>
      </div>
    </DoneLayout>
  );
}
