/**
 * The admin app's modules, in menu order: the ONE list a module adds itself to (one import, one entry).
 * A module whose id the server does not list in `/api/auth/me` → modules is switched off: no menu entry,
 * and its pages answer "not allowed".
 */
import type { UiModule } from './app/module';
import { catalogModule } from './catalog';
import { catalogImportModule } from './catalog-import';
import { jobsModule } from './jobs';
import { networkModule } from './network';
import { organisationModule } from './organisation';
import { reportsModule } from './reports';
import { restockingModule } from './restocking';
import { reviewModule } from './review';
import { stockModule } from './stock';
import { purchasingModule } from './purchasing';
import { invoicingModule } from './invoicing';
import { usersModule } from './users';
import { auditModule } from './audit';

import { ticketsModule } from './tickets';
import { replenishmentModule } from './replenishment';
import { qualityModule } from './quality';
import { verifactuModule } from './verifactu';
import { supplierInvoicesModule } from './supplier-invoices';
import { feesModule } from './fees';
import { facturaeModule } from './facturae';
import { collectionsModule } from './collections';
import { sepaModule } from './sepa';
import { bankStatementsModule } from './bank-statements';
import { dunningModule } from './dunning';
import { agingModule } from './aging';
import { accountingJournalModule } from './accounting-journal';
import { accountingPeriodEndModule } from './accounting-period-end';
import { accountingBooksModule } from './accounting-books';
import { accountingTaxesModule } from './accounting-taxes';
import { accountingExportsModule } from './accounting-exports';
import { accountingSalesModule } from './accounting-sales';
import { promotionsModule } from './promotions';
import { vouchersModule } from './vouchers';
import { privacyModule } from './privacy';
import { loyaltyModule } from './loyalty';
import { customersModule } from './customers';
// Issue 17: product blocks and recalls; supplier returns.
import { productBlocksModule } from './product-blocks';
// Issue 16: office administration (notices to the stores with read confirmations).
import { officeModule } from './office';
import { supplierReturnsModule } from './supplier-returns';
// Issue 16: people and the working-time record.
import { peopleModule } from './people';
// Issue 19: receipt design (logo, lines, policy, promotion) with its live preview, published to the tills.
import { receiptsModule } from './receipts';
// Issue 18: the live dashboard and the report inbox.
import { dashboardModule } from './dashboard';

export const modules: ReadonlyArray<UiModule> = [networkModule, organisationModule, catalogModule, catalogImportModule, customersModule, promotionsModule, ticketsModule, vouchersModule, dashboardModule, reportsModule, stockModule, restockingModule, purchasingModule, replenishmentModule, invoicingModule, feesModule, supplierInvoicesModule, collectionsModule, agingModule, dunningModule, sepaModule, bankStatementsModule, accountingJournalModule, accountingBooksModule, accountingSalesModule, accountingTaxesModule, accountingPeriodEndModule, accountingExportsModule, verifactuModule, facturaeModule, qualityModule, productBlocksModule, supplierReturnsModule, officeModule, peopleModule, receiptsModule, loyaltyModule, reviewModule, usersModule, auditModule, privacyModule, jobsModule] as ReadonlyArray<UiModule>;

/** Every permission a module's menu and routes name (to tell whether the server has it switched on). */
export function permissionsOf(m: UiModule): string[] {
  return [...new Set([...m.menu.map((e) => e.permission), ...m.routes.map((r) => r.permission)])];
}
