import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, type Cart, type CheckoutResult, type QuickKey } from '../api';
import { CustomerDialog } from '../components/CustomerDialog';
import { Dialog } from '../components/Dialog';
import { DiscountDialog } from '../components/DiscountDialog';
import { NumberDialog } from '../components/NumberDialog';
import { ParkedDialog } from '../components/ParkedDialog';
import { PaymentDialog } from '../components/PaymentDialog';
import { fromProduct, fromQuickKey, ProductGrid, type GridItem } from '../components/ProductGrid';
import { TicketPanel } from '../components/TicketPanel';
import { LoyaltyBox } from '../components/LoyaltyBox';
import { useI18n } from '../i18n';
import { money } from '../format';
import { useErrorText, useScanHandler, useSession } from '../session';
import { SellVoucherDialog } from '../components/SellVoucherDialog';

type DialogKind = 'qty' | 'lineDiscount' | 'ticketDiscount' | 'price' | 'customer' | 'parked' | 'pay' | 'cancelTicket' | null;

/** The selling screen: ticket on the left, quick keys and search on the right, actions under the ticket. */
export function SellScreen({ onSold }: { onSold: (r: CheckoutResult) => void }) {
  const { t, locale } = useI18n();
  const { cart, setCart, fail, flash, withSupervisor, clearScanErrors } = useSession();
  const errorText = useErrorText();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [voucherOpen, setVoucherOpen] = useState(false); // gift vouchers (issue 15)
  const [quickKeys, setQuickKeys] = useState<QuickKey[]>([]);
  const [page, setPage] = useState(1);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<GridItem[] | null>(null);
  const [weighing, setWeighing] = useState<GridItem | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    api.cart().then(setCart, fail);
    api.quickKeys().then(setQuickKeys, fail);
  }, []);

  // Search by name or code, a moment after the cashier stops typing.
  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setResults(null);
      return;
    }
    const timer = setTimeout(() => {
      api.searchProducts(text).then((ps) => setResults(ps.map(fromProduct)), fail);
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  const lines = cart?.lines ?? [];
  const selected = lines.find((l) => l.id === selectedId) ?? lines[lines.length - 1] ?? null;

  /** Applies a cart answer; selects the line that appeared (or the last one). */
  const apply = (next: Cart, selectNew = false) => {
    const before = new Set(lines.map((l) => l.id));
    setCart(next);
    if (selectNew) {
      const added = next.lines.find((l) => !before.has(l.id)) ?? next.lines[next.lines.length - 1];
      setSelectedId(added?.id ?? null);
    }
    return next;
  };

  /**
   * Runs a cart action (with the supervisor flow when the API asks for one); on success applies the cart and
   * closes the dialog; on failure the banner explains and the dialog stays open.
   */
  const act = async (action: (supervisorPin?: string) => Promise<Cart>, selectNew = false): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    try {
      const next = await withSupervisor(action);
      if (next) {
        apply(next, selectNew);
        setDialog(null);
      }
    } finally {
      busy.current = false;
    }
  };
  const pin = (supervisorPin?: string) => (supervisorPin ? { supervisorPin } : {});

  useScanHandler((code) => {
    if (dialog === 'pay') {
      // The total is being paid: a stray scan must not change it under the cashier's feet.
      flash('error', t('scan.whilePaying', { code }));
      return;
    }
    api.scan(code).then(
      (c) => {
        clearScanErrors();
        apply(c, true);
      },
      (e: unknown) => (e instanceof ApiError && e.code.startsWith('BARCODE_') ? flash('error', t('scan.failed', { message: errorText(e), code }), e.code) : fail(e)),
    );
  });

  const pick = (item: GridItem) => {
    if (results) setQuery(''); // back to the quick keys once the article is found
    if (item.weighed) setWeighing(item);
    else void act(() => api.addLine(item.productId, { units: 1 }), true);
  };

  /** A weighed article keyed by hand (no scale label): the cashier types the weight. */
  const addWeighed = async (grams: number) => {
    const item = weighing;
    if (!item) return;
    await act(() => api.addLine(item.productId, { grams }), true);
    setWeighing(null);
  };

  const items = useMemo(() => {
    if (results) return results;
    return quickKeys.filter((k) => k.page === page).sort((a, b) => a.position - b.position).map(fromQuickKey);
  }, [results, quickKeys, page]);
  const pages = [...new Set(quickKeys.map((k) => k.page))].sort((a, b) => a - b);

  const noLine = selected === null;
  const empty = lines.length === 0;

  return (
    <main className="sell" data-testid="sell-screen">
      <div className="sell-left">
        <TicketPanel cart={cart} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
        {cart?.customer && <LoyaltyBox cart={cart} run={(action) => act(action)} />}
        <div className="line-actions">
          <button className="act" disabled={noLine} onClick={() => setDialog('qty')} data-testid="action-qty">
            {selected?.quantity.kind === 'weight' ? t('action.weight') : t('action.qty')}
          </button>
          <button className="act" disabled={noLine} onClick={() => setDialog('lineDiscount')} data-testid="action-line-discount">
            {t('action.lineDiscount')}
          </button>
          <button className="act" disabled={noLine} onClick={() => setDialog('price')} data-testid="action-price">
            {t('action.price')}
          </button>
          <button
            className="act danger"
            disabled={noLine}
            onClick={() => selected && void act((p) => api.voidLine(selected.id, p))}
            data-testid="action-void"
          >
            {t('action.voidLine')}
          </button>
          <button className="act danger" disabled={empty} onClick={() => setDialog('cancelTicket')} data-testid="action-cancel-ticket">
            {t('action.cancelTicket')}
          </button>
          <button className="act" disabled={empty} onClick={() => setDialog('ticketDiscount')} data-testid="action-ticket-discount">
            {t('action.ticketDiscount')}
          </button>
          <button className="act" onClick={() => setDialog('customer')} data-testid="action-customer">
            {cart?.customer ? t('action.changeCustomer') : t('action.customer')}
          </button>
          <button
            className="act"
            disabled={empty}
            onClick={() =>
                void act(async () => {
                await api.park(cart?.customer?.name);
                flash('success', t('park.done'));
                return api.cart();
              })
            }
            data-testid="action-park"
          >
            {t('action.park')}
          </button>
          <button className="act" onClick={() => setDialog('parked')} data-testid="action-resume">
            {t('action.resume')}
          </button>
          <button className="act" onClick={() => setVoucherOpen(true)} data-testid="action-sell-voucher">
            {t('voucher.sell')}
          </button>
        </div>
        <button className="pay" disabled={empty} onClick={() => setDialog('pay')} data-testid="action-pay">
          {t('action.pay')}
        </button>
      </div>

      <div className="sell-right">
        <div className="search">
          <input
            type="search"
            placeholder={t('search.placeholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="product-search"
          />
          {query && (
            <button onClick={() => setQuery('')} aria-label={t('action.clear')}>
              ×
            </button>
          )}
        </div>
        {!results && pages.length > 1 && (
          <div className="segmented pages">
            {pages.map((p) => (
              <button key={p} className={p === page ? 'on' : ''} onClick={() => setPage(p)}>
                {t('quick.page', { n: p })}
              </button>
            ))}
          </div>
        )}
        <ProductGrid items={items} onPick={pick} emptyText={results ? t('search.none') : t('quick.none')} />
      </div>

      {dialog === 'qty' && selected && (
        selected.quantity.kind === 'weight' ? (
          <NumberDialog
            title={t('qty.weightTitle', { item: selected.description })}
            label={t('qty.kg')}
            kind="kg"
            onClose={() => setDialog(null)}
            onSubmit={(grams) => act((p) => api.patchLine(selected.id, { grams, ...pin(p) }))}
          />
        ) : (
          <NumberDialog
            title={t('qty.title', { item: selected.description })}
            label={t('qty.units')}
            kind="units"
            onClose={() => setDialog(null)}
            onSubmit={(units) => act((p) => api.patchLine(selected.id, { units, ...pin(p) }))}
          />
        )
      )}
      {dialog === 'price' && selected && (
        <NumberDialog
          title={t('price.title', { item: selected.description })}
          label={selected.quantity.kind === 'weight' ? t('price.labelKg') : t('price.label')}
          kind="amount"
          testId="price-dialog"
          onClose={() => setDialog(null)}
          onSubmit={(unitPriceCents) => act((p) => api.patchLine(selected.id, { unitPriceCents, ...pin(p) }))}
        />
      )}
      {dialog === 'lineDiscount' && selected && (
        <DiscountDialog
          title={t('discount.lineTitle', { item: selected.description })}
          current={selected.discount}
          onClose={() => setDialog(null)}
          onSubmit={(discount) => act((p) => api.patchLine(selected.id, { discount, ...pin(p) }))}
        />
      )}
      {dialog === 'ticketDiscount' && (
        <DiscountDialog
          title={t('discount.ticketTitle')}
          current={cart?.ticketDiscount}
          onClose={() => setDialog(null)}
          onSubmit={(discount) => act((p) => api.ticketDiscount(discount, p))}
        />
      )}
      {dialog === 'customer' && (
        <CustomerDialog
          current={cart?.customer}
          onClose={() => setDialog(null)}
          onPick={(customerId) => act(() => api.setCustomer(customerId))}
        />
      )}
      {dialog === 'parked' && (
        <ParkedDialog
          onClose={() => setDialog(null)}
          onResume={(id) => act(() => api.resume(id), true)}
          canResume={empty}
        />
      )}
      {dialog === 'pay' && cart && (
        <PaymentDialog
          cart={cart}
          onClose={() => setDialog(null)}
          onPaid={(r) => {
            setDialog(null);
            setSelectedId(null);
            onSold(r);
          }}
        />
      )}
      {dialog === 'cancelTicket' && cart && (
        <Dialog
          title={t('cancelTicket.title')}
          testId="cancel-ticket-dialog"
          onClose={() => setDialog(null)}
          actions={
            <>
              <button onClick={() => setDialog(null)} data-testid="cancel-ticket-no">
                {t('action.no')}
              </button>
              <button
                className="danger"
                onClick={() =>
                  void act(async (p) => {
                    const next = await api.cancelTicket(cart.id, p);
                    setSelectedId(null);
                    flash('success', t('cancelTicket.done'));
                    return next;
                  })
                }
                data-testid="cancel-ticket-yes"
              >
                {t('action.cancelTicket')}
              </button>
            </>
          }
        >
          <p>{t('cancelTicket.confirm', { lines: cart.lines.length, amount: money(cart.totals.total, locale) })}</p>
        </Dialog>
      )}
      {voucherOpen && <SellVoucherDialog onClose={() => setVoucherOpen(false)} />}
      {weighing && (
        <NumberDialog
          title={t('qty.weightTitle', { item: weighing.label })}
          label={t('qty.kg')}
          kind="kg"
          testId="weight-dialog"
          onClose={() => setWeighing(null)}
          onSubmit={addWeighed}
        />
      )}
    </main>
  );
}
