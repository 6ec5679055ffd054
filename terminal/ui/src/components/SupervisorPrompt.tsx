import { Dialog } from './Dialog';
import { PinPad } from './PinPad';
import { useI18n } from '../i18n';

/** The supervisor types their PIN on the cashier's screen to authorise one action. */
export function SupervisorPrompt({ reason, error, busy, onSubmit, onCancel }: {
  reason: string;
  error: string | null;
  busy: boolean;
  onSubmit: (pin: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog title={t('supervisor.title')} onClose={onCancel} testId="supervisor-prompt">
      <p className="lead">{reason}</p>
      <PinPad onSubmit={onSubmit} busy={busy} error={error} testId="supervisor-pinpad" />
    </Dialog>
  );
}
