/**
 * The accounting module's listeners of document events (platform/document-events.ts), in the order they run in
 * a document's transaction: the issuer's entry of an invoice first, then the recipient company's books of an
 * invoice within the franchise, cancellations and supplier invoices, then collections and payments. The
 * catch-up job replays past documents through the same list.
 */
import type { DocumentReaction } from '../platform/document-events';
import { postCollections } from './collections';
import { postIssuedInvoice } from './documents/invoices';
import { postDocumentEntries } from './documents/reaction';
import { postVoucherSales } from './documents/vouchers';

const postIssuerEntries: DocumentReaction = async (m, clock, e, by) => {
  if (e.type === 'invoice.posted') await postIssuedInvoice(m, clock, e.invoiceId, by);
};

export const accountingReactions: readonly DocumentReaction[] = [postIssuerEntries, postDocumentEntries, postCollections, postVoucherSales];
