import { useEffect, useState } from 'react';
import { api, type EReceipt, type EReceiptMail } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/**
 * Issue 19, what a cashier can do with a ticket's receipt, after the sale or from the receipt list: print a
 * gift receipt (no prices, with the gift code), e-mail the e-receipt (to the address typed, else the one in
 * the customer's record; queued in the outbox, so offline it is sent once the back office is reachable).
 */
export function ReceiptActions({ ticketId, kind, customerEmail, printed, testPrefix = '' }: {
  ticketId: string; kind?: string | undefined; customerEmail?: string | null | undefined;
  /** Given (the receipt list): a button prints the receipt — itself when none was printed (no paper), else a copy. */
  printed?: boolean | undefined;
  testPrefix?: string;
}) {
  const { t } = useI18n();
  const { fail, flash } = useSession();
  const [busy, setBusy] = useState(false);
  const [emailOpen, setEmailOpen] = useState(false);
  const [to, setTo] = useState(customerEmail ?? '');
  const [mail, setMail] = useState<EReceiptMail | null>(null);
  const tid = (s: string) => `${testPrefix}${s}`;

  // A queued e-mail's state follows the outbox: pending (offline or not yet taken), sent, or refused with HQ's reason.
  useEffect(() => {
    if (!mail || mail.status !== 'pending') return;
    const timer = setTimeout(() => {
      api.receiptEmails(ticketId).then((all) => setMail(all.find((m) => m.id === mail.id) ?? mail), () => undefined);
    }, 1000);
    return () => clearTimeout(timer);
  }, [mail, ticketId]);

  const gift = async () => {
    setBusy(true);
    try {
      const r = await api.giftReceipt(ticketId);
      flash('success', t('gift.printed', { code: r.giftCode }));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const print = async () => {
    setBusy(true);
    try {
      await api.reprint(ticketId);
      flash('info', t(printed ? 'done.reprinted' : 'done.printed'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    setBusy(true);
    try {
      setMail(await api.emailReceipt(ticketId, to.trim() || undefined));
      setEmailOpen(false);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="receipt-actions">
      <div className="page-actions">
        {printed !== undefined && (
          <button className="big" onClick={print} disabled={busy} data-testid={tid('print')}>
            {printed ? t('done.reprint') : t('done.printAnyway')}
          </button>
        )}
        {kind !== 'return' && (
          <button className="big" onClick={gift} disabled={busy} data-testid={tid('gift-receipt')}>
            {t('done.gift')}
          </button>
        )}
        <button className="big" onClick={() => setEmailOpen((o) => !o)} disabled={busy} data-testid={tid('email-receipt')}>
          {t('done.email')}
        </button>
      </div>
      {emailOpen && (
        <div className="email-box">
          <label className="field">
            <span>{t('email.to')}</span>
            <input type="email" value={to} placeholder={t('email.fromRecord')} onChange={(e) => setTo(e.target.value)} data-testid={tid('email-to')} />
          </label>
          <button className="primary big" onClick={send} disabled={busy} data-testid={tid('email-send')}>
            {t('email.send')}
          </button>
        </div>
      )}
      {mail && (
        <p className={mail.status === 'rejected' ? 'warn-text' : 'hint'} data-testid={tid('email-status')} data-status={mail.status}>
          {mail.status === 'pending' ? t('email.queued') : mail.status === 'applied' ? (mail.reference ?? t('email.sent')) : t('email.refused', { reason: mail.message ?? '' })}
        </p>
      )}
    </div>
  );
}

/** The e-receipt QR (the link the customer scans) with the link under it. */
export function EReceiptQr({ eReceipt, big = false }: { eReceipt: EReceipt; big?: boolean }) {
  const { t } = useI18n();
  return (
    <figure className={`e-receipt${big ? ' big' : ''}`} data-testid="e-receipt">
      <img alt={t('eReceipt.scan')} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(eReceipt.qrSvg)}`} data-testid="e-receipt-qr" />
      <figcaption>
        {t('eReceipt.scan')}
        <br />
        <a href={eReceipt.url} target="_blank" rel="noreferrer" data-testid="e-receipt-link">
          {eReceipt.url}
        </a>
      </figcaption>
    </figure>
  );
}
