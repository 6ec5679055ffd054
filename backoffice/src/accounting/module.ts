/**
 * Accounting (issue 14): each company's double-entry books, posted from its documents as they post. The core
 * (core/: chart, rules, periods, the journal's one way in) is used by the parts, each in its folder: the
 * documents' entries (documents/, collections/), the tills' daily sales (sales/), the journal, chart, manual
 * and recurring entries (journal/), the books and statements (books/), VAT books and returns (taxes/), exports
 * for a gestoría (exports/). Listeners of other modules' documents: reactions.ts.
 */
import type { BackofficeModule } from '../modules/types';
import { accountingBooksRoutes } from './books/routes';
import { catchUpJobs, catchUpRoutes } from './catch-up-routes';
import { accountingCoreRoutes } from './core/routes';
import { accountingDocumentRoutes } from './documents/routes';
import { accountingExportRoutes } from './exports/routes';
import { enqueueDueRecurringAtStart, journalJobs } from './journal/jobs';
import { journalRoutes } from './journal/routes';
import { accountingReactions } from './reactions';
import { accountingSalesJobs } from './sales/jobs';
import { accountingSalesRoutes } from './sales/routes';
import { accountingTaxesRoutes } from './taxes/routes';

export const accountingModule: BackofficeModule = {
  id: 'accounting',
  permissionModules: ['accounting'],
  routes: (c) => (
    // No scheduler yet: recurring entries already due are enqueued when the server starts.
    enqueueDueRecurringAtStart(c),
    [
      accountingCoreRoutes(c.ds, c.clock),
      journalRoutes(c.ds, c.clock, c.files),
      accountingDocumentRoutes(c.ds, c.clock),
      accountingBooksRoutes(c.ds, c.clock),
      accountingTaxesRoutes(c.ds, c.clock),
      accountingExportRoutes(c.ds, c.clock),
      accountingSalesRoutes(c),
      catchUpRoutes(c),
    ]
  ),
  jobs: { ...journalJobs, ...accountingSalesJobs, ...catchUpJobs },
  reactions: accountingReactions,
};
