import { useState } from 'react';
import { api, type Receipt, type TicketForReturn, type TicketSummary } from '../api';
import { emptyRecipient, InvoiceRecipientFields, recipientOf } from '../components/InvoiceRecipientFields';
import { DoneLayout, FinishButton } from '../components/DoneLayout';
import { TicketLookupHead } from '../components/TicketLookupHead';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useScanHandler, useSession } from '../session';

/**
 * F3: a full invoice for an earlier ticket of this till. Find the ticket (its number typed, or its barcode or
 * QR scanned), give the recipient, issue: the invoice replaces the ticket and prints as FACTURA. Offline too.
 */
export function SubstitutionScreen({ onExit }: { onExit: () => void }) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [query, setQuery] = useState('');
  const [ticket, setTicket] = useState<TicketForReturn | null>(null);
  const [recipient, setRecipient] = useState(emptyRecipient());
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ ticket: TicketSummary; replaced: string; receipt: Receipt } | null>(null);

  const lookup = async (text: string) => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      setTicket(await api.lookupTicket(text.trim()));
      setDone(null);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  useScanHandler((code) => {
    setQuery(code);
    void lookup(code);
  });
  const invoice = recipientOf(recipient);
  const issue = async () => {
    if (!ticket || !invoice) return;
    setBusy(true);
    try {
      setDone(await api.substituteTicket(ticket.id, invoice));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <DoneLayout testId="substitution-done" receipt={done.receipt}>
        <p className="done-number" data-testid="substitution-number">
          {t('substitution.done', { number: done.ticket.fiscalNumber, original: done.replaced })}
        </p>
        <FinishButton label={t('substitution.finish')} onClick={onExit} testId="substitution-finish" />
      </DoneLayout>
    );
  }

  return (
    <main className="page returns" data-testid="substitution-screen">
      <TicketLookupHead
        title={t('substitution.title')}
        hint={t('substitution.hint')}
        query={query}
        onQuery={setQuery}
        onFind={(q) => void lookup(q)}
        busy={busy}
        placeholder={t('substitution.lookupPlaceholder')}
        findLabel={t('substitution.find')}
        testPrefix="substitution"
      />
      {ticket && (
        <>
          <p className="lead" data-testid="substitution-original">
            {t('substitution.original', { number: ticket.fiscalNumber, total: money(ticket.total, locale) })}
          </p>
          <InvoiceRecipientFields draft={recipient} onChange={setRecipient} />
          <div className="page-actions">
            <button className="big" onClick={onExit}>{t('action.back')}</button>
            <button className="primary big" onClick={() => void issue()} disabled={busy || !invoice} data-testid="substitution-issue">
              {t('substitution.issue')}
            </button>
          </div>
        </>
      )}
    </main>
  );
}
