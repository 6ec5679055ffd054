import type { Report, TaxRow } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { messages, type MessageKey } from '../messages';
import { useSession } from '../session';
import { TaxTable } from './TaxTable';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * An X or Z report (terminal `CashReport`): header, sales and returns, payments per method, IVA per rate and
 * the drawer reconciliation (float + cash sales − refunds + in − out = expected; counted; difference).
 */
export function ReportView({ report, testId = 'report' }: { report: Report; testId?: string }) {
  const { t, locale } = useI18n();
  const { cashier } = useSession();
  /** Reports name staff by id; the logged-in cashier at least gets their name. */
  const who = (v: unknown) => (text(v) && cashier && text(v) === cashier.id ? cashier.name : (text(v) ?? '—'));
  const m = (v: unknown) => (num(v) === undefined ? '—' : money(num(v)!, locale));
  const when = (v: unknown) =>
    text(v) ? new Date(text(v)!).toLocaleString(locale === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '—';
  const methodLabel = (method: string) => {
    const key = `pay.method.${method}` as MessageKey;
    return key in messages.es ? t(key) : method;
  };
  const tickets = obj(report['tickets']);
  const sales = obj(report['sales']);
  const returns = obj(report['returns']);
  const discounts = obj(report['discounts']);
  const voids = obj(report['voids']);
  const cash = obj(report['cash']);
  const payments = Array.isArray(report['payments']) ? report['payments'].map(obj) : [];
  const taxes: TaxRow[] = (Array.isArray(report['taxes']) ? report['taxes'].map(obj) : []).map((r) => ({
    rate: num(r['rate']) ?? 0,
    reRate: num(r['reRate']) ?? 0,
    gross: num(r['gross']) ?? 0,
    base: num(r['base']) ?? 0,
    ivaCuota: num(r['ivaCuota']) ?? 0,
    reCuota: num(r['reCuota']) ?? 0,
  }));
  const difference = num(cash['difference']);

  const Row = ({ label, value, id, strong }: { label: string; value: string; id?: string; strong?: boolean }) => (
    <div className={`report-field${strong ? ' strong' : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={id ? `${testId}-${id}` : undefined}>{value}</dd>
    </div>
  );

  return (
    <div className="report" data-testid={testId}>
      <dl className="report-fields">
        <Row label={t('report.kind')} value={`${text(report['kind']) ?? ''} ${t('report.numberShort')} ${num(report['number']) ?? ''}`} id="number" strong />
        <Row label={t('report.openedAt')} value={when(report['openedAt'])} />
        <Row label={report['kind'] === 'Z' ? t('report.closedAt') : t('report.at')} value={when(report['at'])} />
        <Row label={t('report.openedBy')} value={who(report['openedBy'])} />
        {text(report['closedBy']) && <Row label={t('report.closedBy')} value={who(report['closedBy'])} />}
        <Row
          label={t('report.ticketRange')}
          value={`${num(tickets['count']) ?? 0}${text(tickets['first']) ? ` · ${text(tickets['first'])} – ${text(tickets['last']) ?? ''}` : ''}`}
          id="tickets"
        />
      </dl>

      <section className="report-section">
        <h3>{t('report.drawer')}</h3>
        <dl className="report-fields">
          <Row label={t('report.float')} value={m(cash['float'])} id="float" />
          <Row label={t('report.cashSales')} value={m(cash['sales'])} id="cash-sales" />
          <Row label={t('report.cashRefunds')} value={m(cash['refunds'])} id="cash-refunds" />
          <Row label={t('report.cashIn')} value={m(cash['cashIn'])} id="cash-in" />
          <Row label={t('report.cashOut')} value={m(cash['cashOut'])} id="cash-out" />
          <Row label={t('report.expected')} value={m(cash['expected'])} id="expected" strong />
          {num(cash['counted']) !== undefined && <Row label={t('report.counted')} value={m(cash['counted'])} id="counted" strong />}
          {difference !== undefined && (
            <div className={`report-field strong ${difference === 0 ? 'even' : 'off'}`}>
              <dt>{t('report.difference')}</dt>
              <dd data-testid={`${testId}-difference`}>{m(difference)}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className="report-section">
        <h3>{t('report.salesTitle')}</h3>
        <dl className="report-fields">
          <Row label={t('report.sales', { n: num(sales['count']) ?? 0 })} value={m(sales['total'])} id="sales" />
          <Row label={t('report.returns', { n: num(returns['count']) ?? 0 })} value={m(returns['total'])} id="returns" />
          <Row label={t('report.netSales')} value={m(report['netSales'])} id="net-sales" strong />
          <Row label={t('report.discounts', { n: num(discounts['count']) ?? 0 })} value={m(discounts['cents'])} id="discounts" />
          <Row label={t('report.voids', { n: num(voids['count']) ?? 0 })} value={m(voids['cents'])} id="voids" />
        </dl>
      </section>

      <div className="report-columns">
        <section className="report-section">
          <h3>{t('report.byMethod')}</h3>
          <table className="report-table" data-testid={`${testId}-payments`}>
            <tbody>
              {payments.map((p) => (
                <tr key={String(p['method'])} data-method={String(p['method'])}>
                  <td>{methodLabel(String(p['method']))}</td>
                  <td className="num">{m(p['amountCents'] ?? p['amount'])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="report-section">
          <h3>{t('report.taxBreakdown')}</h3>
          <TaxTable rows={taxes} className="report-table" testId={`${testId}-taxes`} />
        </section>
      </div>

    </div>
  );
}
