import type { TaxRow } from '../api';
import { money, percent } from '../format';
import { useI18n } from '../i18n';

/** The IVA table (rate, base, cuota, total) of the ticket panel and of the X/Z reports. */
export function TaxTable({ rows, className, testId }: { rows: readonly TaxRow[]; className: string; testId: string }) {
  const { t, locale } = useI18n();
  return (
    <table className={className} data-testid={testId}>
      <thead>
        <tr>
          <th>{t('tax.rate')}</th>
          <th className="num">{t('tax.base')}</th>
          <th className="num">{t('tax.iva')}</th>
          <th className="num">{t('tax.total')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.rate}-${r.reRate}`}>
            <td>
              {percent(r.rate, locale)}
              {r.reRate ? ` + ${t('tax.re')} ${percent(r.reRate, locale)}` : ''}
            </td>
            <td className="num">{money(r.base, locale)}</td>
            <td className="num">{money(r.ivaCuota + r.reCuota, locale)}</td>
            <td className="num">{money(r.gross, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
