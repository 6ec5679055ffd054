import { validateNif } from '@tpv/shared/nif';
import type { CustomerRef, InvoiceRecipient } from '../api';
import { useI18n } from '../i18n';

export interface RecipientDraft {
  nif: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
}

export const emptyRecipient = (c?: CustomerRef): RecipientDraft => ({ nif: c?.nif ?? '', name: c?.name ?? '', street: '', postalCode: '', city: '' });

/** The draft as the API wants it (null while incomplete or the NIF fails its control character — checked offline). */
export function recipientOf(d: RecipientDraft, customer?: CustomerRef): InvoiceRecipient | null {
  if (!validateNif(d.nif).ok || !d.name.trim() || !d.street.trim() || !d.postalCode.trim() || !d.city.trim()) return null;
  return {
    ...(customer ? { customerId: customer.id } : {}),
    nif: d.nif.trim(),
    name: d.name.trim(),
    address: { street: d.street.trim(), postalCode: d.postalCode.trim(), city: d.city.trim() },
  };
}

/** NIF, name and address of a full invoice's recipient; prefilled from the ticket's customer. */
export function InvoiceRecipientFields({ draft, onChange, customer }: { draft: RecipientDraft; onChange: (d: RecipientDraft) => void; customer?: CustomerRef | undefined }) {
  const { t } = useI18n();
  const nifBad = draft.nif.trim() !== '' && !validateNif(draft.nif).ok;
  const field = (key: keyof RecipientDraft, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input className="big-input" value={draft[key]} onChange={(e) => onChange({ ...draft, [key]: e.target.value })} data-testid={`invoice-${key}`} />
    </label>
  );
  return (
    <fieldset className="invoice-recipient" data-testid="invoice-recipient">
      <legend>{t('invoice.recipient')}</legend>
      {customer && <p className="lead">{t('invoice.fromCustomer', { name: customer.name })}</p>}
      {field('nif', t('invoice.nif'))}
      {nifBad && <p className="warn-text" data-testid="invoice-nif-invalid">{t('invoice.nifInvalid')}</p>}
      {field('name', t('invoice.name'))}
      {field('street', t('invoice.street'))}
      {field('postalCode', t('invoice.postalCode'))}
      {field('city', t('invoice.city'))}
    </fieldset>
  );
}
