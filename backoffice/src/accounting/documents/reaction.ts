/**
 * The documents' part of the accounting module's reaction to document events (in the document's own
 * transaction): the recipient's books of an invoice between companies of the franchise (the issuer's entry
 * is posted by the module's core reaction, before this one), a cancelled invoice's contra entries, and a
 * supplier invoice's entry.
 */
import type { DocumentReaction } from '../../platform/document-events';
import { cancelInvoiceEntries, postReceivedInvoice } from './invoices';
import { postSupplierInvoice } from './supplier-invoices';

export const postDocumentEntries: DocumentReaction = async (m, clock, e, by) => {
  switch (e.type) {
    case 'invoice.posted':
      await postReceivedInvoice(m, clock, e.invoiceId, by);
      return;
    case 'invoice.cancelled':
      await cancelInvoiceEntries(m, clock, e.invoiceId, by);
      return;
    case 'supplier_invoice.posted':
      await postSupplierInvoice(m, clock, e.invoiceId, by);
      return;
    default:
      return;
  }
};
