/**
 * Accounting (issue 14): each company's double-entry books, posted from its documents as they post. The core
 * (core/: chart, rules, periods, the journal's one way in) is used by the parts, each in its folder: the
 * documents' entries (documents/), the daily sales of the tills (sales/), the books and statements (books/),
 * VAT books and returns (taxes/), exports for a gestoría (exports/).
 */
import type { BackofficeModule } from '../modules/types';
import type { DocumentReaction } from '../platform/document-events';
import { accountingBooksRoutes } from './books/routes';
import { accountingCoreRoutes } from './core/routes';
import { accountingExportRoutes } from './exports/routes';
import { postIssuedInvoice } from './documents/invoices';
import { postCollections } from './collections';
import { enqueueDueRecurringAtStart, journalJobs } from './journal/jobs';
import { journalRoutes } from './journal/routes';
import { postDocumentEntries } from './documents/reaction';
import { accountingDocumentRoutes } from './documents/routes';
import { accountingTaxesRoutes } from './taxes/routes';

/** Documents → entries, in the document's transaction. */
const postDocuments: DocumentReaction = async (m, clock, e, by) => {
  switch (e.type) {
    case 'invoice.posted':
      await postIssuedInvoice(m, clock, e.invoiceId, by);
      return;
    default:
      return;
  }
};

export const accountingModule: BackofficeModule = {
  id: 'accounting',
  permissionModules: ['accounting'],
  routes: (c) => (enqueueDueRecurringAtStart(c), [accountingCoreRoutes(c.ds, c.clock), journalRoutes(c.ds, c.clock, c.files), accountingDocumentRoutes(c.ds, c.clock), accountingBooksRoutes(c.ds, c.clock), accountingTaxesRoutes(c.ds, c.clock), accountingExportRoutes(c.ds, c.clock)]),
  jobs: { ...journalJobs },
  reactions: [postDocuments, postDocumentEntries, postCollections],
};
