import { useState } from 'react';
import { api } from '../api';
import { Keypad } from '../components/Keypad';
import { useI18n } from '../i18n';
import { money, parseAmount } from '../format';
import { useSession } from '../session';

/** Cash paid into or taken out of the drawer outside a sale (change from the bank, paying a supplier). */
export function CashMovementScreen({ onExit }: { onExit: () => void }) {
  const { t, locale } = useI18n();
  const { fail, flash } = useSession();
  const [kind, setKind] = useState<'cash_in' | 'cash_out'>('cash_in');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const amount = parseAmount(amountText, locale);
  const valid = amount !== null && amount > 0 && reason.trim() !== '';
  const submit = async () => {
    if (!valid || amount === null) return;
    setBusy(true);
    try {
      await api.cashMovement(kind, amount, reason.trim());
      flash('success', t(kind === 'cash_in' ? 'cash.doneIn' : 'cash.doneOut', { amount: money(amount, locale) }));
      onExit();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page narrow" data-testid="cash-screen">
      <div className="page-head">
        <h2>{t('cash.title')}</h2>
      </div>
      <div className="segmented">
        <button className={kind === 'cash_in' ? 'on' : ''} onClick={() => setKind('cash_in')} data-testid="cash-in">
          {t('cash.in')}
        </button>
        <button className={kind === 'cash_out' ? 'on' : ''} onClick={() => setKind('cash_out')} data-testid="cash-out">
          {t('cash.out')}
        </button>
      </div>
      <label className="field">
        <span>{t('pay.amount')}</span>
        <input className="big-input" inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} data-testid="cash-amount" />
      </label>
      <label className="field">
        <span>{t('cash.reason')}</span>
        <input className="big-input" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('cash.reasonHint')} data-testid="cash-reason" />
      </label>
      <Keypad value={amountText} onChange={setAmountText} />
      <div className="page-actions">
        <button className="big" onClick={onExit}>{t('action.back')}</button>
        <button className="primary big" disabled={!valid || busy} onClick={submit} data-testid="cash-confirm">
          {t('action.ok')}
        </button>
      </div>
    </main>
  );
}
