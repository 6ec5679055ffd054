import type { ReactNode } from 'react';
import type { Cashier, TerminalState } from '../api';
import { useI18n } from '../i18n';

export type Screen = 'sell' | 'done' | 'returns' | 'invoice' | 'cash' | 'x' | 'close' | 'receipts' | 'devices' | 'stock' | 'incident' | 'tickets';

/** Store and till, who is logged in, device/sync status, the screen menu, language and lock. */
export function TopBar({ state, cashier, screen, onNavigate, onLock, menu, noticesUnread, onNotices, tasksOpen, tasksOverdue, onTasks }: {
  state: TerminalState | null;
  cashier: Cashier | null;
  screen: Screen;
  onNavigate: (s: Screen) => void;
  onLock: () => void;
  menu: boolean;
  /** HQ's notices the person logged in has not confirmed yet (issue 16), and opening them. */
  noticesUnread?: number;
  onNotices?: () => void;
  /** The store's tasks not done yet and how many of them are overdue (issue 16), and opening them. */
  tasksOpen?: number;
  tasksOverdue?: number;
  onTasks?: () => void;
}) {
  const { t, locale, setLocale } = useI18n();
  const id = state?.identity ?? {};
  const nav: Array<[Screen, string]> = [
    ['sell', t('nav.sell')],
    ['returns', t('nav.returns')],
    ['tickets', t('nav.tickets')],
    ['invoice', t('nav.invoice')],
    ['stock', t('nav.stock')],
    ['incident', t('nav.incident')],
    ['cash', t('nav.cash')],
    ['x', t('nav.x')],
    ['close', t('nav.close')],
  ];
  return (
    <header className="topbar">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <span className="where">{[id['storeName'], id['terminalName']].filter(Boolean).map(String).join(' · ')}</span>
      </div>
      {menu && (
        <nav className="nav">
          {nav.map(([s, label]) => (
            <button key={s} className={screen === s || (s === 'sell' && screen === 'done') ? 'on' : ''} onClick={() => onNavigate(s)} data-testid={`nav-${s}`}>
              {label}
            </button>
          ))}
        </nav>
      )}
      <div className="top-right">
        {state && (
          // Logged in, the device pills open "Últimos tiques" (and from there a manager reaches the device settings).
          <PillsBox
            button={!!cashier}
            on={screen === 'receipts' || screen === 'devices'}
            title={t('nav.receipts')}
            onClick={() => onNavigate('receipts')}
          >
            <span className={`pill ${state.printer.ok ? 'ok' : 'bad'}`} title={state.printer.status} data-testid="pill-printer">
              {t('status.printer')}
            </span>
            <span className={`pill ${state.sync.ok ? 'ok' : 'bad'}`} title={state.sync.status}>
              {t('status.sync')}
            </span>
          </PillsBox>
        )}
        {cashier && onNotices && (
          <button className={`lang${noticesUnread ? ' notices-unread' : ''}`} onClick={onNotices} data-testid="nav-notices" data-unread={noticesUnread ?? 0}>
            {t('notices.button', { n: noticesUnread ?? 0 })}
          </button>
        )}
        {cashier && onTasks && (
          <button className={`lang${tasksOverdue ? ' notices-unread' : ''}`} onClick={onTasks} data-testid="nav-tasks" data-open={tasksOpen ?? 0} data-overdue={tasksOverdue ?? 0}>
            {t('tasks.button', { n: tasksOpen ?? 0 })}
          </button>
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

function PillsBox({ button, on, title, onClick, children }: { button: boolean; on: boolean; title: string; onClick: () => void; children: ReactNode }) {
  if (!button) return <span className="pills">{children}</span>;
  return (
    <button className={`pills pills-btn${on ? ' on' : ''}`} title={title} aria-label={title} onClick={onClick} data-testid="nav-receipts">
      {children}
    </button>
  );
}
