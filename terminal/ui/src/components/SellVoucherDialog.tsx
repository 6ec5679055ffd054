/**
 * Gift vouchers (issue 15): sell a new voucher or load one (scan a pre-printed card or the customer's voucher),
 * paid in cash or by card. Not a ticket (no IVA): its own slip is printed with the code, barcode and QR.
 */
import { useState } from 'react';
import { voucherApi } from '../api';
import { useI18n } from '../i18n';
import { money, parseAmount } from '../format';
import { useSession } from '../session';
import { Dialog } from './Dialog';
import { Keypad } from './Keypad';

export function SellVoucherDialog({ onClose }: { onClose: () => void }) {
  const { t, locale } = useI18n();
  const { fail, flash } = useSession();
  const [kind, setKind] = useState<'issue' | 'load'>('issue');
  const [code, setCode] = useState('');
  const [amountText, setAmountText] = useState('');
  const [method, setMethod] = useState<'cash' | 'card'>('cash');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const amount = parseAmount(amountText, locale);
  const ok = amount !== null && amount > 0 && (kind === 'issue' || code.trim() !== '') && (method === 'cash' || reference.trim() !== '');
  const sell = async () => {
    if (!ok || amount === null || busy) return;
    setBusy(true);
    try {
      const r = await voucherApi.sellVoucher({
        kind, ...(code.trim() ? { code: code.trim() } : {}), amountCents: amount,
        payments: [method === 'cash' ? { method, amountCents: amount } : { method, amountCents: amount, reference: reference.trim() }],
      });
      flash('success', t('voucher.sold', { code: r.code, amount: money(r.amountCents, locale) }));
      onClose();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={kind === 'issue' ? t('voucher.sell') : t('voucher.load')}
      onClose={onClose}
      testId="sell-voucher-dialog"
      actions={
        <>
          <button className="big" onClick={onClose}>{t('action.back')}</button>
          <button className="primary big" onClick={sell} disabled={!ok || busy} data-testid="voucher-confirm">{kind === 'issue' ? t('voucher.sell') : t('voucher.load')}</button>
        </>
      }
    >
      <div className="segmented">
        <button className={kind === 'issue' ? 'on' : ''} onClick={() => setKind('issue')} data-testid="voucher-kind-issue">{t('voucher.sell')}</button>
        <button className={kind === 'load' ? 'on' : ''} onClick={() => setKind('load')} data-testid="voucher-kind-load">{t('voucher.load')}</button>
      </div>
      <label className="field">
        <span>{t('pay.voucherCode')}</span>
        <input className="big-input" value={code} onChange={(e) => setCode(e.target.value)} data-testid="voucher-code" />
      </label>
      <label className="field">
        <span>{t('pay.amount')}</span>
        <input className="big-input" inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} data-testid="voucher-amount" />
      </label>
      <div className="segmented methods">
        {(['cash', 'card'] as const).map((m) => (
          <button key={m} className={m === method ? 'on' : ''} onClick={() => setMethod(m)} data-testid={`voucher-method-${m}`}>{t(`pay.method.${m}`)}</button>
        ))}
      </div>
      {method === 'card' && (
        <label className="field">
          <span>{t('pay.cardReference')}</span>
          <input className="big-input" value={reference} onChange={(e) => setReference(e.target.value)} data-testid="voucher-reference" />
        </label>
      )}
      <Keypad value={amountText} onChange={setAmountText} />
    </Dialog>
  );
}
