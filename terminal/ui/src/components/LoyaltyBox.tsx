import { useEffect, useState } from 'react';
import { api, type Cart, type LoyaltyBalance } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';
import { NumberDialog } from './NumberDialog';

/**
 * Loyalty on the sale screen, for a member on the cart: the points balance (online from HQ; offline, what
 * may still be redeemed here), "Canjear puntos / Redeem points", and the points redeemed with a way to undo.
 * `run` is the screen's cart action runner (errors in the banner, the cart applied on success).
 */
export function LoyaltyBox({ cart, run }: { cart: Cart; run: (action: () => Promise<Cart>) => Promise<void> }) {
  const { t, locale } = useI18n();
  const [balance, setBalance] = useState<LoyaltyBalance | null>(null);
  const [asking, setAsking] = useState(false);
  const customerId = cart.customer?.id;
  const redeemed = cart.loyalty?.points ?? 0;
  useEffect(() => {
    if (!customerId) return setBalance(null);
    let live = true;
    api.loyaltyBalance(customerId).then((b) => live && setBalance(b), () => live && setBalance(null));
    return () => void (live = false);
  }, [customerId, redeemed]);
  if (!balance?.member) return null;
  return (
    <div className="ticket-customer" data-testid="loyalty-box">
      <span data-testid="loyalty-balance">
        {balance.online
          ? t('loyalty.points', { points: String(balance.points ?? 0), available: String(balance.available ?? 0) })
          : t('loyalty.offline', { allowance: String(balance.offlineAllowance) })}
      </span>
      {cart.loyalty ? (
        <>
          {' · '}
          <strong data-testid="loyalty-redeemed">
            {t('loyalty.redeemed', { points: String(cart.loyalty.points), amount: money(cart.loyalty.cents, locale) })} {cart.loyalty.offline ? t('loyalty.redeemedOffline') : ''}
          </strong>{' '}
          <button className="act" onClick={() => void run(() => api.cancelPoints())} data-testid="loyalty-remove">{t('loyalty.remove')}</button>
        </>
      ) : (
        <>
          {' '}
          <button className="act" disabled={cart.lines.length === 0} onClick={() => setAsking(true)} data-testid="loyalty-redeem">{t('loyalty.redeem')}</button>
        </>
      )}
      {asking && (
        <NumberDialog
          title={t('loyalty.redeemTitle', { value: money(balance.pointValueCents * 100, locale) })}
          label={t('loyalty.pointsLabel', { min: String(balance.minRedeemPoints) })}
          kind="units"
          testId="loyalty-dialog"
          onClose={() => setAsking(false)}
          onSubmit={async (points) => {
            await run(() => api.redeemPoints(points));
            setAsking(false);
          }}
        />
      )}
    </div>
  );
}
