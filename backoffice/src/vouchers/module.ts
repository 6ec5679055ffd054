/**
 * Gift vouchers (issue 15): sold and loaded at the tills (upward `vouchers.sale`: a multi-purpose voucher is
 * no fiscal ticket line), redeemed anywhere as the `voucher` payment method (online hold `vouchers.hold`,
 * consumed by the ingest step `vouchers.redeem`; offline within the till's cap), with an append-only ledger,
 * the outstanding balance per company and expiry.
 */
import type { BackofficeModule } from '../modules/types';
import { voucherRoutes } from './route';
import { expireDue, holdVoucher, redeemStep, releaseHold, voucherBalance, voucherSaleFromTill } from './service';

export const vouchersModule: BackofficeModule = {
  id: 'vouchers',
  routes: (c) => [voucherRoutes(c.ds, c.clock)],
  upward: { 'vouchers.sale': voucherSaleFromTill },
  ticketSteps: [redeemStep],
  tillRequests: { 'vouchers.balance': voucherBalance, 'vouchers.hold': holdVoucher, 'vouchers.release': releaseHold },
  jobs: { 'vouchers.expire': async (_job, ctx) => void (await expireDue(ctx.ds, ctx.clock)) },
};
