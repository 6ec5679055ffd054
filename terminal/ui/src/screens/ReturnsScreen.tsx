import { useState } from 'react';
import { mulDiv } from '@tpv/shared/money';
import { api, type Receipt, type TicketForReturn, type TicketSummary } from '../api';
import { DoneLayout, FinishButton } from '../components/DoneLayout';
import { TicketLookupHead } from '../components/TicketLookupHead';
import { useI18n } from '../i18n';
import { kg, money, parseKg, quantity } from '../format';
import { useScanHandler, useSession } from '../session';

/**
 * Returns: find the original ticket by its number or by scanning the receipt's barcode/QR, choose lines and
 * quantities, refund in cash or to the card. The credit note's receipt is shown at the end.
 */
export function ReturnsScreen({ onExit }: { onExit: () => void }) {
  const { t, locale } = useI18n();
  const { fail } = useSession();
  const [query, setQuery] = useState('');
  const [ticket, setTicket] = useState<TicketForReturn | null>(null);
  const [picked, setPicked] = useState<Record<number, number>>({});
  const [weights, setWeights] = useState<Record<number, string>>({});
  const [method, setMethod] = useState<'cash' | 'card'>('cash');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ ticket: TicketSummary; receipt: Receipt } | null>(null);

  const lookup = async (text: string) => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      const found = await api.lookupTicket(text.trim());
      setTicket(found);
      setPicked({});
      setWeights({});
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

  const amountOf = (lineNo: number): number => {
    const l = ticket?.lines.find((x) => x.lineNo === lineNo);
    if (!l) return 0;
    const q = l.quantity.kind === 'weight' ? (parseKg(weights[lineNo] ?? '') ?? 0) : (picked[lineNo] ?? 0);
    const sold = Math.abs(l.quantity.kind === 'weight' ? l.quantity.grams : l.quantity.units);
    return sold === 0 ? 0 : mulDiv(l.total, Math.min(q, l.returnable), sold, 'halfUp');
  };
  const chosen = (ticket?.lines ?? [])
    .map((l) => ({ l, q: l.quantity.kind === 'weight' ? (parseKg(weights[l.lineNo] ?? '') ?? 0) : (picked[l.lineNo] ?? 0) }))
    .filter((x) => x.q > 0 && x.q <= x.l.returnable);
  const estimate = chosen.reduce((s, x) => s + amountOf(x.l.lineNo), 0);

  const submit = async () => {
    if (!ticket || chosen.length === 0) return;
    setBusy(true);
    try {
      const r = await api.createReturn(
        ticket.id,
        chosen.map(({ l, q }) => (l.quantity.kind === 'weight' ? { lineNo: l.lineNo, grams: q } : { lineNo: l.lineNo, units: q })),
        method === 'cash' ? { method: 'cash' } : { method: 'card', reference: reference.trim() },
      );
      setDone(r);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <DoneLayout testId="return-done" receipt={done.receipt}>
        <p className="done-number">
          {t('returns.creditNote')} <strong data-testid="return-number">{done.ticket.fiscalNumber}</strong>
        </p>
        <div className="change-box on huge refund">
          <span>{method === 'cash' ? t('returns.giveBack') : t('returns.toCard')}</span>
          <strong data-testid="return-total">{money(Math.abs(done.ticket.total), locale)}</strong>
        </div>
        <FinishButton label={t('returns.finish')} onClick={onExit} testId="return-finish" />
      </DoneLayout>
    );
  }

  return (
    <main className="page returns" data-testid="returns-screen">
      <TicketLookupHead
        title={t('returns.title')}
        hint={t('returns.hint')}
        query={query}
        onQuery={setQuery}
        onFind={(q) => void lookup(q)}
        busy={busy}
        placeholder={t('returns.lookupPlaceholder')}
        findLabel={t('returns.find')}
        testPrefix="return"
      />
      {ticket && (
        <>
          <p className="lead" data-testid="return-original">
            {t('returns.original', { number: ticket.fiscalNumber, total: money(ticket.total, locale) })}
          </p>
          {ticket.gift && (
            <p className={ticket.gift.expired ? 'warn-text' : 'hint'} data-testid="return-gift" data-expired={ticket.gift.expired ? 'yes' : 'no'}>
              {t(ticket.gift.expired ? 'returns.giftExpired' : 'returns.gift', { until: ticket.gift.exchangeUntil })}
            </p>
          )}
          {ticket.soldAt && (
            <p className="hint" data-testid="return-sold-at">
              {t('returns.soldAt', { till: ticket.soldAt })}
            </p>
          )}
          {ticket.localOnly && (
            <p className="hint" data-testid="return-local-only">
              {t('returns.localOnly')}
            </p>
          )}
          <table className="return-lines">
            <thead>
              <tr>
                <th>{t('ticket.item')}</th>
                <th className="num">{t('returns.sold')}</th>
                <th className="num">{t('returns.returnable')}</th>
                <th className="num">{t('ticket.total')}</th>
                <th className="num">{t('returns.toReturn')}</th>
              </tr>
            </thead>
            <tbody>
              {ticket.lines.map((l) => {
                const weighed = l.quantity.kind === 'weight';
                const n = picked[l.lineNo] ?? 0;
                return (
                  <tr key={l.lineNo} data-testid="return-line" data-line-no={l.lineNo} className={l.returnable <= 0 ? 'muted' : ''}>
                    <td>{l.description}</td>
                    <td className="num">{quantity(l.quantity, locale)}</td>
                    <td className="num">{weighed ? kg(l.returnable, locale) : l.returnable}</td>
                    <td className="num">{money(l.total, locale)}</td>
                    <td className="num stepper">
                      {weighed ? (
                        <>
                          <input
                            className="kg-input"
                            inputMode="decimal"
                            placeholder="0,000"
                            value={weights[l.lineNo] ?? ''}
                            onChange={(e) => setWeights({ ...weights, [l.lineNo]: e.target.value })}
                            disabled={l.returnable <= 0}
                          />
                          <button className="small" disabled={l.returnable <= 0} onClick={() => setWeights({ ...weights, [l.lineNo]: kg(l.returnable, locale).replace(' kg', '') })}>
                            {t('returns.all')}
                          </button>
                        </>
                      ) : (
                        <>
                          <button className="step" disabled={n <= 0} onClick={() => setPicked({ ...picked, [l.lineNo]: n - 1 })} aria-label="−">
                            −
                          </button>
                          <span className="count" data-testid="return-count">{n}</span>
                          <button className="step" disabled={n >= l.returnable} onClick={() => setPicked({ ...picked, [l.lineNo]: n + 1 })} aria-label="+" data-testid="return-plus">
                            +
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="return-refund">
            <div className="segmented">
              <button className={method === 'cash' ? 'on' : ''} onClick={() => setMethod('cash')} data-testid="refund-cash">
                {t('pay.method.cash')}
              </button>
              <button className={method === 'card' ? 'on' : ''} onClick={() => setMethod('card')} data-testid="refund-card">
                {t('pay.method.card')}
              </button>
            </div>
            {method === 'card' && (
              <input className="big-input" placeholder={t('pay.cardReference')} value={reference} onChange={(e) => setReference(e.target.value)} data-testid="refund-reference" />
            )}
            <div className="grand-total small-total">
              <span>{t('returns.estimate')}</span>
              <strong data-testid="return-estimate">{money(estimate, locale)}</strong>
            </div>
          </div>
        </>
      )}
      <div className="page-actions">
        <button className="big" onClick={onExit}>
          {t('action.back')}
        </button>
        <button
          className="primary big"
          disabled={!ticket || chosen.length === 0 || busy || (method === 'card' && !reference.trim())}
          onClick={submit}
          data-testid="return-confirm"
        >
          {t('returns.confirm')}
        </button>
      </div>
    </main>
  );
}
