import { useState } from 'react';
import { useI18n } from '../i18n';

/** Big touch PIN pad: dots for the digits typed, 0–9, clear, backspace, enter. */
export function PinPad({ onSubmit, busy, error, maxLength = 8, testId = 'pinpad' }: {
  onSubmit: (pin: string) => void | Promise<void>;
  busy?: boolean;
  error?: string | null;
  maxLength?: number;
  testId?: string;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const press = (d: string) => setPin((p) => (p.length < maxLength ? p + d : p));
  const submit = async () => {
    if (!pin || busy) return;
    const value = pin;
    setPin('');
    await onSubmit(value);
  };
  return (
    <div className="pinpad" data-testid={testId}>
      <div className="pin-dots" aria-label={t('pin.entered', { n: pin.length })} data-testid="pin-dots">
        {pin.length === 0 ? <span className="pin-placeholder">{t('pin.placeholder')}</span> : '●'.repeat(pin.length)}
      </div>
      {error && <div className="pin-error" role="alert" data-testid="pin-error">{error}</div>}
      <div className="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} className="key" onClick={() => press(d)} disabled={busy}>
            {d}
          </button>
        ))}
        <button className="key muted" onClick={() => setPin('')} disabled={busy}>
          {t('pin.clear')}
        </button>
        <button className="key" onClick={() => press('0')} disabled={busy}>
          0
        </button>
        <button className="key muted" aria-label={t('pin.back')} onClick={() => setPin((p) => p.slice(0, -1))} disabled={busy}>
          ⌫
        </button>
      </div>
      <button className="primary big wide-btn" onClick={submit} disabled={busy || pin.length === 0} data-testid="pin-ok">
        {t('pin.enter')}
      </button>
    </div>
  );
}
