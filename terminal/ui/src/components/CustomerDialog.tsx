import { useEffect, useState } from 'react';
import { api, type CustomerRef } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useSession } from '../session';
import { Dialog } from './Dialog';
import { ConsentBox } from './ConsentBox';

/** Attach a customer to the ticket (search by name or NIF), or detach the current one. */
export function CustomerDialog({ current, onPick, onClose }: {
  current?: CustomerRef | undefined;
  onPick: (customerId: string | null) => void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<CustomerRef[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => {
      api.searchCustomers(query.trim()).then(setFound, fail);
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <Dialog
      title={t('customer.title')}
      onClose={onClose}
      testId="customer-dialog"
      wide
      actions={
        <>
          {current && (
            <button className="danger big" onClick={() => onPick(null)} data-testid="customer-remove">
              {t('customer.remove', { name: current.name })}
            </button>
          )}
          <button className="big" onClick={onClose}>{t('action.cancel')}</button>
        </>
      }
    >
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
              <span>{c.nif ?? ''}</span>
              {c.creditLimitCents ? <span>{t('customer.credit', { amount: money(c.creditLimitCents, locale) })}</span> : null}
              {c.reRegime ? <span className="tag">{t('tax.re')}</span> : null}
            </button>
          </li>
        ))}
        {found.length === 0 && <li className="empty">{t('customer.none')}</li>}
      </ul>
      {/* data protection: consents of the attached customer (ConsentBox.tsx) */}
      {current && <ConsentBox customerId={current.id} />}
    </Dialog>
  );
}
