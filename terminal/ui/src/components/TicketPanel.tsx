import { useEffect, useRef } from 'react';
import type { Cart } from '../api';
import { useI18n } from '../i18n';
import { discount, money, quantity } from '../format';
import { TaxTable } from './TaxTable';

/** One promotion the cart gets, with its saving. */
function PromotionRow({ name, cents }: { name: string; cents: number }) {
  const { t, locale } = useI18n();
  return (
    <>
      <dt data-testid="cart-promotion">{t('ticket.promotion')}: {name}</dt>
      <dd className="discount">-{money(cents, locale)}</dd>
    </>
  );
}

/** The open ticket: lines (qty or weight, price, discount, total), customer, totals and the IVA breakdown. */
export function TicketPanel({ cart, selectedId, onSelect }: { cart: Cart | null; selectedId: string | null; onSelect: (id: string) => void }) {
  const { t, locale } = useI18n();
  const listRef = useRef<HTMLDivElement>(null);
  const lineCount = cart?.lines.length ?? 0;
  useEffect(() => {
    // Keep the newest line in view as the cashier scans.
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [lineCount]);
  return (
    <section className="ticket" aria-label={t('ticket.title')}>
      {cart?.customer && (
        <div className="ticket-customer" data-testid="ticket-customer">
          {t('ticket.customer')}: <strong>{cart.customer.name}</strong>
          {cart.customer.nif ? ` · ${cart.customer.nif}` : ''}
        </div>
      )}
      <div className="ticket-lines" ref={listRef}>
        <table>
          <thead>
            <tr>
              <th className="desc">{t('ticket.item')}</th>
              <th className="num">{t('ticket.qty')}</th>
              <th className="num">{t('ticket.price')}</th>
              <th className="num">{t('ticket.discount')}</th>
              <th className="num">{t('ticket.total')}</th>
            </tr>
          </thead>
          <tbody data-testid="ticket-lines">
            {(cart?.lines ?? []).map((l) => (
              <tr
                key={l.id}
                className={l.id === selectedId ? 'selected' : ''}
                onClick={() => onSelect(l.id)}
                data-testid="ticket-line"
                data-line-id={l.id}
              >
                <td className="desc">
                  {l.description}
                  {l.priceOverridden && <span className="tag">{t('ticket.overridden')}</span>}
                </td>
                <td className="num" data-testid="line-qty">{quantity(l.quantity, locale)}</td>
                <td className="num">
                  {money(l.unitPrice, locale)}
                  {l.quantity.kind === 'weight' ? '/kg' : ''}
                </td>
                <td className="num discount" data-testid="line-discount">
                  {l.discount ? discount(l.discount, locale) : l.lineDiscount ? `-${money(l.lineDiscount, locale)}` : ''}
                  {l.benefitDiscount ? <span className="promo" data-testid="line-promotion">-{money(l.benefitDiscount, locale)}</span> : null}
                </td>
                <td className="num strong" data-testid="line-total">{money(l.total, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {lineCount === 0 && <p className="empty">{t('ticket.empty')}</p>}
      </div>
      <div className="ticket-foot">
        <TaxTable rows={cart?.taxBreakdown ?? []} className="taxes" testId="tax-breakdown" />
        <dl className="totals">
          <dt>{t('ticket.subtotal')}</dt>
          <dd data-testid="subtotal">{money(cart?.totals.subtotal ?? 0, locale)}</dd>
          {(cart?.totals.discountTotal ?? 0) !== 0 && (
            <>
              <dt>
                {t('ticket.discounts')}
                {cart?.ticketDiscount ? ` (${t('ticket.ticketDiscount')} ${discount(cart.ticketDiscount, locale)})` : ''}
              </dt>
              <dd className="discount" data-testid="discount-total">-{money(cart?.totals.discountTotal ?? 0, locale)}</dd>
            </>
          )}
          {(cart?.promotions ?? []).map((p) => (
            <PromotionRow key={p.id} name={p.name} cents={p.cents} />
          ))}
          {(cart?.promotions.length ?? 0) > 0 && (
            <>
              <dt>{t('ticket.promotionSaving')}</dt>
              <dd className="discount" data-testid="promotion-saving">-{money(cart!.promotions.reduce((s, p) => s + p.cents, 0), locale)}</dd>
            </>
          )}
        </dl>
        <div className="grand-total">
          <span>
            {t('ticket.totalToPay')} · {t('ticket.lines', { n: lineCount })}
          </span>
          <strong data-testid="cart-total">{money(cart?.totals.total ?? 0, locale)}</strong>
        </div>
      </div>
    </section>
  );
}

