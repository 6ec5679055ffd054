import type { TerminalState } from '../api';
import type { Flash } from '../session';
import { useI18n } from '../i18n';
import { messages, type MessageKey } from '../messages';

/** Banners along the top: local service unreachable, printer offline, back office unreachable, notices, errors. */
export function Banners({ state, unreachable, flashes, onDismiss }: {
  state: TerminalState | null;
  unreachable: boolean;
  flashes: Flash[];
  onDismiss: (id: number) => void;
}) {
  const { t } = useI18n();
  /** What is wrong with the printer, in words, or the raw status when the catalogue has no sentence for it. */
  const printerProblem = (p: TerminalState['printer']) => {
    const key = `printer.problem.${p.status}` as MessageKey;
    return key in messages.es ? t(key, { detail: p.detail ?? p.status }) : t('status.printerOffline', { status: p.status });
  };
  return (
    <div className="banners">
      {unreachable && (
        <div className="banner error" role="alert" data-testid="banner-unreachable">
          {t('status.unreachable')}
        </div>
      )}
      {state && !state.printer.ok && (
        <div className="banner warn" role="status" data-testid="banner-printer" data-status={state.printer.status} data-pending={state.printer.pending ?? 0}>
          {printerProblem(state.printer)}{' '}
          {state.printer.pending ? t('printer.queued', { n: state.printer.pending }) : t('printer.noneQueued')}
        </div>
      )}
      {state && state.printer.ok && state.printer.paperNearEnd && (
        <div className="banner info" role="status" data-testid="banner-paper-low">
          {t('printer.paperLow')}
        </div>
      )}
      {state && !state.sync.ok && (
        <div className="banner warn" role="status" data-testid="banner-sync">
          {state.sync.status === 'unpaired'
            ? t('status.syncUnpaired')
            : state.sync.status === 'revoked'
              ? t('status.syncRevoked')
              : state.sync.status === 'conflict'
                ? t('status.syncConflict')
                : t('status.backofficeUnreachable')}
          {state.sync.pending ? ` ${t('status.pending', { n: state.sync.pending })}` : ''}
        </div>
      )}
      {state?.notices.map((n) => (
        <div key={n.id} className="banner info" data-testid="banner-notice">
          <strong>{n.title}</strong>
          {n.body ? ` — ${n.body}` : ''}
        </div>
      ))}
      {flashes.map((f) => (
        <div key={f.id} className={`banner ${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'} data-testid={`flash-${f.kind}`} data-code={f.code}>
          <span>{f.text}</span>
          <button className="banner-close" onClick={() => onDismiss(f.id)} aria-label={t('action.close')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
