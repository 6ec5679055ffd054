import { useState } from 'react';
import { api, type Denominations, type Report } from '../api';
import { DenominationCount, denominationTotal, nonZero } from '../components/DenominationCount';
import { ReportView } from '../components/ReportView';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';

/**
 * Closing the session: a blind count (the expected amount is not shown), then the Z report. A difference
 * over the threshold needs a supervisor's PIN.
 */
export function CloseSessionScreen({ onExit, onClosed, onFinished }: { onExit: () => void; onClosed: () => void; onFinished: () => void }) {
  const { t, locale } = useI18n();
  const { withSupervisor } = useSession();
  const [counts, setCounts] = useState<Denominations>({});
  const [busy, setBusy] = useState(false);
  const [z, setZ] = useState<Report | null>(null);
  const close = async () => {
    setBusy(true);
    try {
      const report = await withSupervisor((pin) => api.closeCash(nonZero(counts), pin));
      if (report) {
        setZ(report);
        onClosed();
      }
    } finally {
      setBusy(false);
    }
  };
  if (z) {
    return (
      <main className="page" data-testid="z-report-screen">
        <div className="page-head">
          <h2>{t('z.title')}</h2>
          <p>{t('z.hint')}</p>
        </div>
        <ReportView report={z} testId="z-report" />
        <div className="page-actions">
          <button className="primary big" onClick={onFinished} data-testid="z-finish">
            {t('z.finish')}
          </button>
        </div>
      </main>
    );
  }
  return (
    <main className="page" data-testid="close-session-screen">
      <div className="page-head">
        <h2>{t('close.title')}</h2>
        <p>{t('close.hint')}</p>
      </div>
      <DenominationCount counts={counts} onChange={setCounts} testId="close-count" />
      <div className="page-actions">
        <button className="big" onClick={onExit}>{t('action.back')}</button>
        <button className="primary big danger-bg" onClick={close} disabled={busy} data-testid="close-session">
          {t('close.confirm', { amount: money(denominationTotal(counts), locale) })}
        </button>
      </div>
    </main>
  );
}
