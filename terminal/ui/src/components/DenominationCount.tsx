import type { Denominations } from '../api';
import { useI18n } from '../i18n';
import { DENOMINATIONS, denominationLabel, money } from '../format';

export function denominationTotal(counts: Denominations): number {
  return Object.entries(counts).reduce((sum, [d, n]) => sum + Number(d) * n, 0);
}

/** Only the denominations with a count (the API takes denomination cents → count). */
export function nonZero(counts: Denominations): Denominations {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Count of notes and coins, 500 € … 0,01 €, with − / + buttons and the running total. */
export function DenominationCount({ counts, onChange, testId = 'denominations' }: {
  counts: Denominations;
  onChange: (c: Denominations) => void;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const set = (d: number, n: number) => onChange({ ...counts, [String(d)]: Math.max(0, Math.min(9999, n)) });
  const total = denominationTotal(counts);
  return (
    <div className="denominations" data-testid={testId}>
      <div className="denom-grid">
        {DENOMINATIONS.map((d) => {
          const n = counts[String(d)] ?? 0;
          return (
            <div key={d} className={`denom ${d >= 500 ? 'note' : 'coin'}`} data-denomination={d}>
              <span className="denom-label">{denominationLabel(d, locale)}</span>
              <button className="step" aria-label={t('count.less', { d: denominationLabel(d, locale) })} onClick={() => set(d, n - 1)}>
                −
              </button>
              <input
                className="denom-count"
                inputMode="numeric"
                aria-label={t('count.of', { d: denominationLabel(d, locale) })}
                value={n === 0 ? '' : String(n)}
                placeholder="0"
                onChange={(e) => set(d, Number(e.target.value.replace(/\D/g, '') || 0))}
              />
              <button className="step" aria-label={t('count.more', { d: denominationLabel(d, locale) })} onClick={() => set(d, n + 1)}>
                +
              </button>
              <span className="denom-sub">{n > 0 ? money(d * n, locale) : ''}</span>
            </div>
          );
        })}
      </div>
      <div className="denom-total">
        <span>{t('count.total')}</span>
        <strong data-testid="count-total">{money(total, locale)}</strong>
      </div>
    </div>
  );
}
