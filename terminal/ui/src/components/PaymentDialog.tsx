import { useState } from 'react';
import { api, voucherApi, type Cart, type CheckoutResult, type Payment, type VoucherInfo } from '../api';
import { useI18n } from '../i18n';
import { money, parseAmount } from '../format';
import { useSession } from '../session';
import { Dialog } from './Dialog';
import { Keypad } from './Keypad';
import { emptyRecipient, InvoiceRecipientFields, recipientOf } from './InvoiceRecipientFields';

/** Above this a simplified invoice (ticket) is not allowed: the sale must be a full invoice (RD 1619/2012 art. 4). */
const SIMPLIFIED_LIMIT_CENTS = 3000_00;

type Method = Payment['method'];
const QUICK_CASH = [500, 1000, 2000, 5000];

/** Taking payment: cash with quick amounts, card, voucher, on account, or a mix; the change shown big. */
export function PaymentDialog({ cart, onPaid, onClose }: { cart: Cart; onPaid: (r: CheckoutResult) => void; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [payments, setPayments] = useState<Payment[]>([]);
  const [method, setMethod] = useState<Method>('cash');
  const [amountText, setAmountText] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  // Gift vouchers (issue 15): a voucher payment is authorized first (HQ's hold online, the till's cap offline).
  const [voucherInfo, setVoucherInfo] = useState<VoucherInfo | null>(null);
  const [voucherAuths, setVoucherAuths] = useState<Array<string | undefined>>([]); // beside `payments`
  const due = cart.totals.total;
  const invoiceRequired = due > SIMPLIFIED_LIMIT_CENTS;
  const [invoiceOn, setInvoiceOn] = useState(invoiceRequired);
  const [recipient, setRecipient] = useState(() => emptyRecipient(cart.customer));
  // Issue 19: the customer takes the e-receipt (QR) instead of paper.
  const [noPaper, setNoPaper] = useState(false);
  const invoice = invoiceOn ? recipientOf(recipient, cart.customer) : undefined;

  const tendered = payments.reduce((s, p) => s + p.amountCents, 0);
  const remaining = Math.max(0, due - tendered);
  const change = Math.max(0, tendered - due);
  const typed = amountText.trim() === '' ? remaining : parseAmount(amountText, locale);
  const needsRef = method === 'card' || method === 'voucher';
  const canAdd = typed !== null && typed > 0 && (!needsRef || reference.trim() !== '') && (method !== 'on_account' || !!cart.customer);

  const add = (p: Payment, voucherAuth?: string) => {
    setPayments((ps) => [...ps, p]);
    setVoucherAuths((a) => [...a, voucherAuth]);
    setAmountText('');
    setReference('');
  };
  const addTyped = () => {
    if (!canAdd || typed === null) return;
    const amountCents = typed;
    if (method === 'cash') add({ method, amountCents });
    else if (method === 'card') add({ method, amountCents, reference: reference.trim() });
    else if (method === 'voucher') {
      const code = reference.trim();
      voucherApi.authorizeVoucher(code, amountCents).then((a) => {
        setVoucherInfo(a);
        add({ method, amountCents, code }, a.id);
      }, fail);
    }
    else add({ method, amountCents });
  };
  const charge = async () => {
    if (tendered < due || busy || invoice === null) return;
    setBusy(true);
    try {
      onPaid(await api.checkout(payments, invoice, !noPaper));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const methodLabel = (m: Method) => t(`pay.method.${m}`);

  return (
    <Dialog
      title={t('pay.title')}
      onClose={onClose}
      wide
      testId="payment-dialog"
      actions={
        <>
          <button className="big" onClick={onClose}>{t('action.back')}</button>
          <button className="primary big charge" onClick={charge} disabled={tendered < due || busy || invoice === null} data-testid="pay-confirm">
            {t('pay.confirm')}
          </button>
        </>
      }
    >
      <div className="pay-grid">
        <div className="pay-left">
          <div className="pay-figures">
            <div>
              <span>{t('pay.due')}</span>
              <strong data-testid="pay-due">{money(due, locale)}</strong>
            </div>
            <div>
              <span>{t('pay.remaining')}</span>
              <strong data-testid="pay-remaining">{money(remaining, locale)}</strong>
            </div>
          </div>
          <div className={`change-box${change > 0 ? ' on' : ''}`}>
            <span>{t('pay.change')}</span>
            <strong data-testid="pay-change">{money(change, locale)}</strong>
          </div>
          {invoiceRequired && <p className="warn-text" data-testid="invoice-required">{t('invoice.required')}</p>}
          <label className="field inline">
            <input type="checkbox" checked={invoiceOn} disabled={invoiceRequired} onChange={(e) => setInvoiceOn(e.target.checked)} data-testid="pay-invoice" />
            <span>{t('invoice.toggle')}</span>
          </label>
          <label className="field inline">
            <input type="checkbox" checked={noPaper} onChange={(e) => setNoPaper(e.target.checked)} data-testid="pay-no-paper" />
            <span>{t('pay.noPaper')}</span>
          </label>
          {invoiceOn && <InvoiceRecipientFields draft={recipient} onChange={setRecipient} customer={cart.customer} />}
          <ul className="pay-list" data-testid="pay-list">
            {payments.map((p, i) => (
              <li key={i} data-testid="pay-line">
                <span>
                  {methodLabel(p.method)}
                  {p.method === 'card' ? ` · ${p.reference}` : p.method === 'voucher' ? ` · ${p.code}` : ''}
                </span>
                <strong>{money(p.amountCents, locale)}</strong>
                <button className="small" onClick={() => {
                  const auth = voucherAuths[i];
                  if (auth) voucherApi.releaseVoucher(auth).catch(() => undefined);
                  setVoucherAuths((a) => a.filter((_, j) => j !== i));
                  setPayments((ps) => ps.filter((_, j) => j !== i));
                }} aria-label={t('action.remove')}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="pay-right">
          <div className="segmented methods">
            {(['cash', 'card', 'voucher', 'on_account'] as const).map((m) => (
              <button key={m} className={m === method ? 'on' : ''} onClick={() => setMethod(m)} data-testid={`pay-method-${m}`}>
                {methodLabel(m)}
              </button>
            ))}
          </div>
          {method === 'cash' && (
            <div className="quick-cash">
              <button className="quick" disabled={remaining === 0} onClick={() => add({ method: 'cash', amountCents: remaining })} data-testid="cash-exact">
                {t('pay.exact')}
              </button>
              {QUICK_CASH.map((c) => (
                <button key={c} className="quick" disabled={remaining === 0} onClick={() => add({ method: 'cash', amountCents: c })} data-testid={`cash-${c / 100}`}>
                  {money(c, locale).replace(/[.,]00/, '')}
                </button>
              ))}
            </div>
          )}
          {method === 'on_account' && !cart.customer && <p className="warn-text">{t('pay.needsCustomer')}</p>}
          <label className="field">
            <span>{t('pay.amount')}</span>
            <input
              className="big-input"
              inputMode="decimal"
              placeholder={money(remaining, locale)}
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
              data-testid="pay-amount"
            />
          </label>
          {needsRef && (
            <label className="field">
              <span>{method === 'card' ? t('pay.cardReference') : t('pay.voucherCode')}</span>
              <input className="big-input" value={reference} onChange={(e) => setReference(e.target.value)} data-testid="pay-reference" />
            </label>
          )}
          {method === 'voucher' && (
            <p className="hint" data-testid="voucher-info">
              <button className="small" disabled={reference.trim() === ''} onClick={() => voucherApi.voucherBalance(reference.trim()).then(setVoucherInfo, fail)} data-testid="voucher-balance">{t('voucher.balance')}</button>{' '}
              {voucherInfo?.mode === 'online' && t('voucher.available', { amount: money(voucherInfo.availableCents, locale) })}
              {voucherInfo?.mode === 'offline' && t('voucher.offline', { amount: money(voucherInfo.offlineLeftCents, locale), cap: money(voucherInfo.offlineCapCents, locale) })}
            </p>
          )}
          <Keypad value={amountText} onChange={setAmountText} />
          <button className="primary big wide-btn" onClick={addTyped} disabled={!canAdd} data-testid="pay-add">
            {t('pay.add', { method: methodLabel(method) })}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
