import type { ReactNode } from 'react';
import type { Receipt } from '../api';
import { ReceiptView } from './ReceiptView';

/**
 * The screen after a document is issued (sale, return, substitution invoice): what the cashier must act on at
 * the left, big, the receipt as printed at the right (`aside` goes above it: the e-receipt QR).
 */
export function DoneLayout({ testId, receipt, aside, children }: { testId: string; receipt: Receipt; aside?: ReactNode; children: ReactNode }) {
  return (
    <main className="done" data-testid={testId}>
      <div className="done-left">{children}</div>
      <div className="done-right">
        {aside}
        <ReceiptView receipt={receipt} />
      </div>
    </main>
  );
}

/** The "finished, back to the sale" button of a done screen. */
export function FinishButton({ label, onClick, testId }: { label: string; onClick: () => void; testId: string }) {
  return (
    <div className="page-actions">
      <button className="primary big" onClick={onClick} data-testid={testId}>
        {label}
      </button>
    </div>
  );
}
