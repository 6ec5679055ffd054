import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { parseAmount, parseKg, parsePercent, parseUnits } from '../format';
import { Dialog } from './Dialog';
import { Keypad } from './Keypad';

export type NumberKind = 'units' | 'kg' | 'amount' | 'percent';

const parsers: Record<NumberKind, (text: string, locale: 'es' | 'en') => number | null> = {
  units: (s) => parseUnits(s),
  kg: (s) => parseKg(s),
  amount: (s, l) => {
    const v = parseAmount(s, l);
    return v !== null && v >= 0 ? v : null;
  },
  percent: (s, l) => parsePercent(s, l),
};

/**
 * Asks for one number: units, a weight in kg (→ grams), an amount (→ cents) or a percentage (→ basis points).
 * `onSubmit` gets the parsed integer; a rejected promise keeps the dialog open (the caller shows the error).
 */
export function NumberDialog({ title, label, kind, initial = '', onSubmit, onClose, testId, extra }: {
  title: string;
  label: string;
  kind: NumberKind;
  initial?: string;
  onSubmit: (value: number) => Promise<void> | void;
  onClose: () => void;
  testId?: string;
  extra?: ReactNode;
}) {
  const { t, locale } = useI18n();
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const value = parsers[kind](text, locale);
  const invalid = text.trim() !== '' && value === null;
  const submit = async () => {
    if (value === null || busy) return;
    setBusy(true);
    try {
      await onSubmit(value);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={testId}
      actions={
        <>
          <button className="big" onClick={onClose}>{t('action.cancel')}</button>
          <button className="primary big" onClick={submit} disabled={value === null || busy} data-testid="number-ok">
            {t('action.ok')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{label}</span>
        <input
          autoFocus
          className={`big-input${invalid ? ' invalid' : ''}`}
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
          data-testid="number-input"
        />
      </label>
      {invalid && <p className="field-error">{t('input.invalid')}</p>}
      {extra}
      <Keypad value={text} onChange={setText} decimals={kind !== 'units'} />
    </Dialog>
  );
}
