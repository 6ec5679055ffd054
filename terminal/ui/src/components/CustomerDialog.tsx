import { useEffect, useState } from 'react';
import { validateNif } from '@tpv/shared/nif';
import { api, type CustomerRef, type NewCustomer } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';
import { Dialog } from './Dialog';
import { ConsentBox } from './ConsentBox';

const EMPTY = { name: '', nif: '', phone: '', email: '', loyaltyCard: '' };
type Purpose = 'marketing' | 'loyalty' | 'e-receipt';

/**
 * Attach a customer to the ticket — found by name words, phone, email, NIF or loyalty card (scan the card
 * into the search) — or register a new one here (offline too: the till sends it to HQ when it can), or
 * detach the current one.
 */
export function CustomerDialog({ current, onPick, onClose }: {
  current?: CustomerRef | undefined;
  onPick: (customerId: string | null) => void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CustomerRef[]>([]);
  const [draft, setDraft] = useState<typeof EMPTY | null>(null);
  const [consents, setConsents] = useState<Record<Purpose, boolean>>({ marketing: false, loyalty: false, 'e-receipt': false });
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.searchCustomers(query.trim()).then(setFound, fail);
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  const nifBad = !!draft && draft.nif.trim() !== '' && !validateNif(draft.nif).ok;
  const create = () => {
    if (!draft || busy) return;
    const body: NewCustomer = {
      name: draft.name.trim(),
      ...Object.fromEntries((['nif', 'phone', 'email', 'loyaltyCard'] as const).map((k) => [k, draft[k].trim() || null])),
      consents: (Object.keys(consents) as Purpose[]).filter((p) => consents[p]).map((purpose) => ({ purpose, granted: true })),
    };
    setBusy(true);
    api.createCustomer(body).then((c) => onPick(c.id), fail).finally(() => setBusy(false));
  };
  const field = (key: keyof typeof EMPTY, label: string, type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input className="big-input" type={type} value={draft![key]} onChange={(e) => setDraft({ ...draft!, [key]: e.target.value })} data-testid={`new-customer-${key}`} />
    </label>
  );
  const consent = (p: Purpose, label: string) => (
    <label className="field inline">
      <input type="checkbox" checked={consents[p]} onChange={(e) => setConsents({ ...consents, [p]: e.target.checked })} data-testid={`new-customer-consent-${p}`} />
      <span>{label}</span>
    </label>
  );
  return (
    <Dialog
      title={draft ? t('customer.new') : t('customer.title')}
      onClose={onClose}
      testId="customer-dialog"
      wide
      actions={
        draft ? (
          <>
            <button className="primary big" disabled={busy || !draft.name.trim() || nifBad} onClick={create} data-testid="new-customer-save">{t('customer.create')}</button>
            <button className="big" onClick={() => setDraft(null)}>{t('action.cancel')}</button>
          </>
        ) : (
          <>
            <button className="big" onClick={() => setDraft({ ...EMPTY, name: /\d|@/.test(query) ? '' : query.trim() })} data-testid="customer-new">{t('customer.new')}</button>
            {current && (
              <button className="danger big" onClick={() => onPick(null)} data-testid="customer-remove">
                {t('customer.remove', { name: current.name })}
              </button>
            )}
            <button className="big" onClick={onClose}>{t('action.cancel')}</button>
          </>
        )
      }
    >
      {draft ? (
        <div className="new-customer" data-testid="new-customer">
          {field('name', t('customer.name'))}
          {field('nif', t('customer.nif'))}
          {nifBad && <p className="warn-text" data-testid="new-customer-nif-invalid">{t('invoice.nifInvalid')}</p>}
          {field('phone', t('customer.phone'), 'tel')}
          {field('email', t('customer.email'), 'email')}
          {field('loyaltyCard', t('customer.card'))}
          {consent('marketing', t('customer.consentMarketing'))}
          {consent('loyalty', t('customer.consentLoyalty'))}
          {consent('e-receipt', t('customer.consentReceipt'))}
        </div>
      ) : (
        <>
          <input
            autoFocus
            className="big-input"
            type="search"
            placeholder={t('customer.search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="customer-search"
          />
          <ul className="pick-list">
            {found.map((c) => (
              <li key={c.id}>
                <button className="pick" onClick={() => onPick(c.id)} data-testid="customer-option">
                  <strong>{c.name}</strong>
                  <span>{[c.nif, c.phone, c.email, c.loyaltyCard].filter(Boolean).join(' · ')}</span>
                  {c.creditLimitCents ? <span>{t('customer.credit', { amount: money(c.creditLimitCents, locale) })}</span> : null}
                  {c.reRegime ? <span className="tag">{t('tax.re')}</span> : null}
                </button>
              </li>
            ))}
            {found.length === 0 && <li className="empty">{t('customer.none')}</li>}
          </ul>
          {/* data protection: consents of the attached customer (ConsentBox.tsx) */}
          {current && <ConsentBox customerId={current.id} />}
        </>
      )}
    </Dialog>
  );
}
