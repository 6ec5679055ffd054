import { useEffect, useState } from 'react';
import { api, type Report } from '../api';
import { ReportView } from '../components/ReportView';
import { useI18n } from '../i18n';
import { useSession } from '../session';

/** X report: the session's figures so far, without closing it. */
export function XReportScreen({ onExit }: { onExit: () => void }) {
  const { t } = useI18n();
  const { fail } = useSession();
  const [report, setReport] = useState<Report | null>(null);
  useEffect(() => {
    api.xReport().then(setReport, fail);
  }, []);
  return (
    <main className="page" data-testid="x-report-screen">
      <div className="page-head">
        <h2>{t('x.title')}</h2>
        <p>{t('x.hint')}</p>
      </div>
      {report ? <ReportView report={report} testId="x-report" /> : <p>{t('status.loading')}</p>}
      <div className="page-actions">
        <button className="primary big" onClick={onExit} data-testid="x-back">
          {t('action.back')}
        </button>
      </div>
    </main>
  );
}
