import { useState } from 'react';
import { api, ApiError, setToken, type Cashier, type TerminalState } from '../api';
import { PinPad } from '../components/PinPad';
import { useI18n } from '../i18n';
import { useErrorText } from '../session';

/** Locked till: who this terminal is, and the big PIN pad. */
export function LockScreen({ state, onLoggedIn }: { state: TerminalState | null; onLoggedIn: (c: Cashier) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = state?.identity ?? {};
  const login = async (pin: string) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(pin);
      setToken(r.token);
      onLoggedIn(r.cashier);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PIN_RATE_LIMITED') {
        const after = Number(e.problem['retryAfterSeconds'] ?? e.problem['retryAfter'] ?? NaN);
        setError(Number.isFinite(after) ? t('error.PIN_RATE_LIMITED_WAIT', { s: after }) : errorText(e));
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="lock" data-testid="lock-screen">
      <div className="lock-info">
        <h2>{String(id['companyTradeName'] ?? t('app.title'))}</h2>
        <p className="lock-store">{[id['storeName'], id['terminalName']].filter(Boolean).map(String).join(' · ')}</p>
        {state?.locked && state.cashier ? (
          <p className="lock-hint" data-testid="locked-by">{t('lock.lockedBy', { name: state.cashier.name })}</p>
        ) : (
          <p className="lock-hint">{t('lock.hint')}</p>
        )}
      </div>
      <div className="lock-pad">
        <h2>{t('lock.title')}</h2>
        <PinPad onSubmit={login} busy={busy} error={error} />
      </div>
    </main>
  );
}
