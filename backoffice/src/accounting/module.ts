/**
 * Accounting (issue 14): each company's double-entry books, posted from its documents as they post. The core
 * (core/: chart, rules, periods, the journal's one way in) is used by the parts, each in its folder: the
 * documents' entries (documents/), the daily sales of the tills (sales/), the books and statements (books/),
 * VAT books and returns (taxes/), exports for a gestoría (exports/).
 */
import type { BackofficeModule } from '../modules/types';
import type { DocumentReaction } from '../platform/document-events';
import { accountingCoreRoutes } from './core/routes';
import { postIssuedInvoice } from './documents/invoices';
import { accountingSalesJobs } from './sales/jobs';
import { accountingSalesRoutes } from './sales/routes';

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
  routes: (c) => [accountingCoreRoutes(c.ds, c.clock), accountingSalesRoutes(c)],
  jobs: { ...accountingSalesJobs },
  reactions: [postDocuments],
};
