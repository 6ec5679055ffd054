/**
 * Gift vouchers sold or loaded at the tills → the selling company's journal (issue 15): the money taken
 * (cash 570, card clearing 555) against the vouchers outstanding (438, a customer advance: no IVA until the
 * voucher pays for goods, and then the till's daily sales entry takes it back from 438 as a voucher payment).
 * Once per sale (source key `voucher_sale:<id>`).
 */
import { signedLine, type DraftLine } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import type { DocumentReaction } from '../../platform/document-events';
import { postEntry } from '../core/journal';
import { rulesOf } from '../core/rules';

export function voucherSaleLines(s: { storeId: string; cashCents: number; cardCents: number }, rules: RuleOverrides): DraftLine[] {
  const at = { storeId: s.storeId };
  return [
    ...signedLine({ account: accountFor(rules, 'cash') }, s.cashCents, at),
    ...signedLine({ account: accountFor(rules, 'card_clearing') }, s.cardCents, at),
    ...signedLine({ account: accountFor(rules, 'vouchers') }, -(s.cashCents + s.cardCents), at),
  ];
}

export const postVoucherSales: DocumentReaction = async (m, clock, e, by) => {
  if (e.type !== 'voucher.sold' || e.cashCents + e.cardCents === 0) return;
  await postEntry(m, clock, {
    companyId: e.companyId,
    date: e.date,
    kind: 'voucher_sale',
    description: `Venta de vale regalo ${e.number}`,
    lines: voucherSaleLines(e, await rulesOf(m, e.companyId)),
    source: { type: 'voucher_sale', id: e.saleId, ref: e.number },
    mode: 'document',
    by,
  });
};
