import { useI18n } from '../i18n';

/** Touch numeric keypad editing a text value (digits, the locale's decimal separator, backspace, clear). */
export function Keypad({ value, onChange, decimals = true }: { value: string; onChange: (v: string) => void; decimals?: boolean }) {
  const { locale, t } = useI18n();
  const sep = locale === 'es' ? ',' : '.';
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', decimals ? sep : '00', '0', '⌫'];
  const press = (k: string) => {
    if (k === '⌫') onChange(value.slice(0, -1));
    else if (k === sep && value.includes(sep)) return;
    else onChange(value + k);
  };
  return (
    <div className="keypad">
      {keys.map((k) => (
        <button key={k} className="key" aria-label={k === '⌫' ? t('pin.back') : k} onClick={() => press(k)}>
          {k}
        </button>
      ))}
      <button className="key muted span3" onClick={() => onChange('')}>
        {t('pin.clear')}
      </button>
    </div>
  );
}
