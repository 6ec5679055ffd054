import { useState } from 'react';
import type { Discount } from '../api';
import { useI18n } from '../i18n';
import { parseAmount, parsePercent } from '../format';
import { Dialog } from './Dialog';
import { Keypad } from './Keypad';

/** A discount as a percentage or an amount; `null` removes it. */
export function DiscountDialog({ title, current, onSubmit, onClose }: {
  title: string;
  current?: Discount | undefined;
  onSubmit: (d: Discount | null) => Promise<void> | void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const [kind, setKind] = useState<Discount['kind']>(current?.kind ?? 'percent');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const parsed = kind === 'percent' ? parsePercent(text, locale) : parseAmount(text, locale);
  const value: Discount | null = parsed === null || parsed <= 0 ? null : kind === 'percent' ? { kind, bp: parsed } : { kind, cents: parsed };
  const run = async (d: Discount | null) => {
    setBusy(true);
    try {
      await onSubmit(d);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId="discount-dialog"
      actions={
        <>
          {current && (
            <button className="danger big" onClick={() => run(null)} disabled={busy} data-testid="discount-remove">
              {t('discount.remove')}
            </button>
          )}
          <button className="big" onClick={onClose}>{t('action.cancel')}</button>
          <button className="primary big" onClick={() => value && run(value)} disabled={!value || busy} data-testid="discount-ok">
            {t('action.apply')}
          </button>
        </>
      }
    >
      <div className="segmented">
        <button className={kind === 'percent' ? 'on' : ''} onClick={() => setKind('percent')} data-testid="discount-percent">
          {t('discount.percent')}
        </button>
        <button className={kind === 'amount' ? 'on' : ''} onClick={() => setKind('amount')} data-testid="discount-amount">
          {t('discount.amount')}
        </button>
      </div>
      <label className="field">
        <span>{kind === 'percent' ? t('discount.percentLabel') : t('discount.amountLabel')}</span>
        <input
          autoFocus
          className="big-input"
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && value && void run(value)}
          data-testid="discount-input"
        />
      </label>
      <Keypad value={text} onChange={setText} />
    </Dialog>
  );
}
