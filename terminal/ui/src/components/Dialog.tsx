import type { ReactNode } from 'react';

/** A modal sheet over the till screen: title, content, actions along the bottom. */
export function Dialog({ title, children, actions, onClose, wide, testId }: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  onClose?: () => void;
  wide?: boolean;
  testId?: string;
}) {
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <section className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="dialog-head">
          <h2>{title}</h2>
          {onClose && (
            <button className="icon" aria-label="×" onClick={onClose}>
              ×
            </button>
          )}
        </header>
        <div className="dialog-body">{children}</div>
        {actions && <footer className="dialog-actions">{actions}</footer>}
      </section>
    </div>
  );
}
