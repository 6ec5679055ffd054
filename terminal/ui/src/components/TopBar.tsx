import type { Cashier, TerminalState } from '../api';
import { useI18n } from '../i18n';

export type Screen = 'sell' | 'done' | 'returns' | 'cash' | 'x' | 'close' | 'receipts' | 'devices';

/** Store and till, who is logged in, device/sync status, the screen menu, language and lock. */
export function TopBar({ state, cashier, screen, onNavigate, onLock, menu, session = true }: {
  state: TerminalState | null;
  cashier: Cashier | null;
  screen: Screen;
  onNavigate: (s: Screen) => void;
  onLock: () => void;
  menu: boolean;
  /** A cash session is open: the selling entries are shown (without one only receipts and devices are). */
  session?: boolean;
}) {
  const { t, locale, setLocale } = useI18n();
  const id = state?.identity ?? {};
  const nav: Array<[Screen, string]> = [
    ...(session
      ? ([
          ['sell', t('nav.sell')],
          ['returns', t('nav.returns')],
          ['cash', t('nav.cash')],
          ['x', t('nav.x')],
          ['close', t('nav.close')],
        ] as Array<[Screen, string]>)
      : ([['sell', t('nav.open')]] as Array<[Screen, string]>)),
    ['receipts', t('nav.receipts')],
  ];
  // The device settings are the manager's (the login role; the API refuses anyone else too): reached from
  // the device status pills, so the menu keeps one row on a 1280 px till.
  const devicesEntry = menu && cashier?.role === 'manager';
  return (
    <header className="topbar">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <span className="where">{[id['storeName'], id['terminalName']].filter(Boolean).map(String).join(' · ')}</span>
      </div>
      {menu && (
        <nav className={`nav${nav.length > 5 ? ' long' : ''}`}>
          {nav.map(([s, label]) => (
            <button key={s} className={screen === s || (s === 'sell' && screen === 'done') ? 'on' : ''} onClick={() => onNavigate(s)} data-testid={`nav-${s}`}>
              {label}
            </button>
          ))}
        </nav>
      )}
      <div className="top-right">
        {state && devicesEntry && (
          <button className={`devices-btn${screen === 'devices' ? ' on' : ''}`} onClick={() => onNavigate('devices')} data-testid="nav-devices" title={t('nav.devices')}>
            <span className="devices-btn-label">{t('nav.devices')}</span>
            <span className={`pill ${state.printer.ok ? 'ok' : 'bad'}`} data-testid="pill-printer">
              {t('status.printer')}
            </span>
          </button>
        )}
        {state && (
          <span className="pills">
            {!devicesEntry && (
              <span className={`pill ${state.printer.ok ? 'ok' : 'bad'}`} title={state.printer.status} data-testid="pill-printer">
                {t('status.printer')}
              </span>
            )}
            <span className={`pill ${state.sync.ok ? 'ok' : 'bad'}`} title={state.sync.status}>
              {t('status.sync')}
            </span>
          </span>
        )}
        {cashier && (
          <span className="who" data-testid="cashier-name">
            {cashier.name}
          </span>
        )}
        <button className="lang" onClick={() => setLocale(locale === 'es' ? 'en' : 'es')} data-testid="lang-switch">
          {t('lang.switch')}
        </button>
        {cashier && (
          <button className="lang" onClick={onLock} data-testid="lock">
            {t('action.lock')}
          </button>
        )}
      </div>
    </header>
  );
}
