import { useState } from 'react';
import { api, ApiError, setToken, type Cashier, type PendingCorrections as Pending, type TerminalState } from '../api';
import { PinPad } from '../components/PinPad';
import { PendingCorrections } from '../components/PendingCorrections';
import { useI18n } from '../i18n';
import { useErrorText } from '../session';

const CLOCK_EVENTS = ['clock_in', 'break_start', 'break_end', 'clock_out'] as const;
type ClockEvent = (typeof CLOCK_EVENTS)[number];

/** Locked till: who this terminal is, and the big PIN pad (to sign in, or to clock in/out with the PIN). */
export function LockScreen({ state, onLoggedIn }: { state: TerminalState | null; onLoggedIn: (c: Cashier) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Clocking (issue 16): an event chosen, the same PIN pad records it instead of signing in.
  // 'corrections': the PIN pad opens the worker's pending corrections (online, issue 16).
  const [clockEvent, setClockEvent] = useState<ClockEvent | 'corrections' | null>(null);
  const [clocked, setClocked] = useState<string | null>(null);
  const [pending, setPending] = useState<{ pin: string; list: Pending } | null>(null);
  const id = state?.identity ?? {};
  const clock = async (pin: string) => {
    if (!clockEvent) return;
    setBusy(true);
    setError(null);
    try {
      if (clockEvent === 'corrections') {
        setPending({ pin, list: await api.pendingCorrections(pin) });
        setClockEvent(null);
        return;
      }
      const r = await api.clock(pin, clockEvent);
      setClocked(r.message);
      setClockEvent(null);
      // After clocking, whatever waits for this worker's approval is shown too (silently skipped offline).
      const list = await api.pendingCorrections(pin).catch(() => null);
      if (list && list.corrections.length > 0) setPending({ pin, list });
    } catch (e) {
      // The rule broken comes from the till as Spanish · English (shared/src/people/time-clock.ts).
      setError(e instanceof ApiError && e.problem['detail'] ? String(e.problem['detail']) : errorText(e));
    } finally {
      setBusy(false);
    }
  };
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
        <h2>{clockEvent === 'corrections' || pending ? t('clock.corrections') : clockEvent ? `${t('clock.title')}: ${t(`clock.${clockEvent}`)}` : t('lock.title')}</h2>
        {clocked && <p className="lock-hint" role="status" data-testid="clock-done">{clocked}</p>}
        {pending ? (
          <PendingCorrections pin={pending.pin} pending={pending.list} onClose={() => setPending(null)} />
        ) : (
          <PinPad onSubmit={clockEvent ? clock : login} busy={busy} error={error} />
        )}
        <div className="clock-buttons" data-testid="clock-buttons" aria-label={t('clock.hint')}>
          {[...CLOCK_EVENTS, 'corrections' as const].map((ev) => (
            <button key={ev} className={clockEvent === ev ? 'primary' : ''} onClick={() => (setClockEvent(ev), setClocked(null), setError(null), setPending(null))} disabled={busy} data-testid={`clock-${ev}`}>
              {t(`clock.${ev}`)}
            </button>
          ))}
          {clockEvent && <button className="muted" onClick={() => setClockEvent(null)} data-testid="clock-cancel">{t('clock.cancel')}</button>}
        </div>
      </div>
    </main>
  );
}
