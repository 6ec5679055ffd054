import { useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';

const PURPOSES = ['marketing', 'loyalty', 'e_receipt'] as const;

/**
 * Data protection at the counter: the customer says yes or no per purpose; "Registrar" records all three as
 * given or withdrawn now (a `privacy.consent` document, sent to HQ exactly once, which keeps the history).
 */
export function ConsentBox({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const { fail } = useSession();
  const [given, setGiven] = useState<Record<(typeof PURPOSES)[number], boolean>>({ marketing: false, loyalty: false, e_receipt: false });
  const [saved, setSaved] = useState(false);
  const save = () => {
    api.recordConsents(customerId, PURPOSES.map((purpose) => ({ purpose, granted: given[purpose] }))).then(() => setSaved(true), fail);
  };
  return (
    <fieldset className="consents" data-testid="customer-consents">
      <legend>{t('consent.title')}</legend>
      {PURPOSES.map((p) => (
        <label key={p}>
          <input type="checkbox" checked={given[p]} onChange={(e) => (setGiven({ ...given, [p]: e.target.checked }), setSaved(false))} data-testid={`consent-${p}`} />
          {' '}{t(`consent.${p}`)}
        </label>
      ))}
      <button onClick={save} data-testid="consent-save">{t('consent.save')}</button>
      {saved && <p className="hint" data-testid="consent-saved">{t('consent.saved')}</p>}
    </fieldset>
  );
}
