import { useState } from 'react';
import { api, type Denominations } from '../api';
import { DenominationCount, denominationTotal, nonZero } from '../components/DenominationCount';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';

/** Opening the cash session: count the float in the drawer, note by note. */
export function OpenSessionScreen({ onOpened }: { onOpened: () => void }) {
  const { t, locale } = useI18n();
  const { fail, cashier, logout } = useSession();
  const [counts, setCounts] = useState<Denominations>({});
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    try {
      await api.openCash(nonZero(counts));
      onOpened();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page" data-testid="open-session-screen">
      <div className="page-head">
        <h2>{t('open.title')}</h2>
        <p>{t('open.hint', { name: cashier?.name ?? '' })}</p>
      </div>
      <DenominationCount counts={counts} onChange={setCounts} />
      <div className="page-actions">
        <button className="big" onClick={() => void logout()}>
          {t('action.logout')}
        </button>
        <button className="primary big" onClick={open} disabled={busy} data-testid="open-session">
          {t('open.confirm', { amount: money(denominationTotal(counts), locale) })}
        </button>
      </div>
    </main>
  );
}
