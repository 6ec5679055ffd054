/**
 * The one list of back-office modules. Each registers its routes (and, as they arrive, jobs and reactions)
 * here; a deployment switches modules off with `TPV_MODULES_OFF=stock,reports` (their tables stay, their
 * routes, menu entries and jobs go).
 */
import { auditRoutes } from '../audit/route';
import { authRoutes } from '../auth/route';
import { platformRoutes } from '../platform/routes';
import { catalogImportJobs } from '../catalog-import/jobs';
import { catalogImportRoutes } from '../catalog-import/routes';
import { fileRoutes } from '../platform/files/routes';
import { jobRoutes } from '../platform/jobs/routes';
import { masterDataRoutes } from '../catalog/route';
import { organisationRoutes } from '../organisation/route';
import { pairingRoutes } from '../pairing/route';
import { reportRoutes } from '../reports/route';
import { restockingJobs } from '../restocking/jobs';
import { restockingRoutes } from '../restocking/route';
import { reviewRoutes } from '../review/route';
import { stockRoutes } from '../stock/route';
import { replenishmentModule } from '../replenishment/module';
import { qualityModule } from '../quality/module';
import { purchasingRoutes } from '../purchasing/route';
import { verifactuModule } from '../verifactu/module';
import { supplierInvoicesModule } from '../supplier-invoices/module';
import { feesModule } from '../fees/module';
import { collectionsModule } from '../collections/module';
import { accountingModule } from '../accounting/module';
import { promotionsModule } from '../promotions/module';
import { vouchersModule } from '../vouchers/module';
import { privacyModule } from '../privacy/module';
import { loyaltyModule } from '../loyalty/module';
import { crmModule } from '../crm/module';
import { productBlocksModule } from '../product-blocks/module';
import { supplierReturnsModule } from '../supplier-returns/module';
import { officeModule } from '../office/module';
import { receiptsModule } from '../receipts/module';
import { peopleModule } from '../people/module';
import { dashboardModule } from '../dashboard/module';
import { invoicingRoutes } from '../invoicing/route';
import { facturaeRoutes } from '../invoicing/facturae/route';
import type { Router } from 'express';
import { isApiRouter, type RouteDef } from '../platform/api';
import { ticketRoutes } from '../tickets/route';
import { tillInvoicingRoutes } from '../till-invoicing/route';
import { stockUpwardHandlers } from '../till/handlers';
import type { BackofficeModule, ModuleContext, TillRequestHandler } from './types';
import type { TicketStep } from '../sales-ingest/steps';
import { rollupStep } from '../reports/rollups';
import { reportJobs } from '../reports/jobs';
import { cashierEventHandlers } from '../reports/cashier-events';

export type { BackofficeModule, ModuleContext } from './types';

export const BACKOFFICE_MODULES: readonly BackofficeModule[] = [
  // Health, the OpenAPI document and the API docs page.
  { id: 'platform', core: true, routes: (c) => platformRoutes({ ds: c.ds, clock: c.clock, version: c.version, routeDefs: c.routeDefs }) },
  { id: 'auth', core: true, permissionModules: ['users'], routes: (c) => [authRoutes(c.ds, c.clock, c.throttle, { modules: c.enabledModules, permissionModules: c.permissionModules, requireTotpHq: c.requireTotpHq ?? false })] },
  { id: 'audit', routes: (c) => [auditRoutes(c.ds, c.clock)] },
  // Jobs and the files area are platform: other modules' exports and PDFs stand on them.
  { id: 'jobs', core: true, routes: (c) => [jobRoutes(c.ds, c.clock, c.jobs), fileRoutes(c.ds, c.clock, c.files)] },
  { id: 'catalog-import', permissionModules: ['catalog'], routes: (c) => [catalogImportRoutes(c.ds, c.clock, c.jobs, c.files)], jobs: catalogImportJobs },
  { id: 'organisation', permissionModules: ['contracts'], routes: (c) => [organisationRoutes(c.ds, c.clock)] },
  {
    id: 'terminals',
    routes: (c) => [pairingRoutes(c.ds, c.clock, c.throttle, { onRevoked: (id) => c.live.gateway?.disconnectTerminal(id), onPaired: (id) => c.live.gateway?.disconnectTerminal(id) })],
  },
  { id: 'catalog', permissionModules: ['prices', 'customers', 'notices', 'staff'], routes: (c) => [masterDataRoutes(c.ds, c.clock, c.masterData)] },
  {
    id: 'reports',
    permissionModules: ['network'],
    routes: (c) => [reportRoutes(c.ds, c.clock, () => c.live.gateway?.connectedTerminalIds() ?? [], (id) => c.ingest.highestSeenSeq(id), c.jobs)],
    // Issue 18: the management reports' rollups, kept in the ingest transaction; rebuilt by a job.
    ticketSteps: [rollupStep],
    jobs: reportJobs,
    // Issue 18: voids and cash closes sent up by the tills (cashier figures).
    upward: cashierEventHandlers,
  },
  { id: 'stock', permissionModules: ['inventory'], routes: (c) => [stockRoutes(c.ds, c.clock)], upward: stockUpwardHandlers },
  { id: 'tickets', routes: (c) => [ticketRoutes(c.ds, c.clock)] },
  replenishmentModule,
  qualityModule,
  { id: 'purchasing', routes: (c) => [purchasingRoutes(c.ds, c.clock, c.files)] },
  // Invoices issued at HQ (manual, credit notes, anulación, PDFs); the fee run and wholesale invoices post through the same core.
  { id: 'invoicing', permissionModules: ['invoicing'], routes: (c) => [invoicingRoutes(c.ds, c.clock, c.files)] },
  { id: 'restocking', routes: (c) => [restockingRoutes(c.ds, c.clock, c.jobs)], jobs: restockingJobs },
  feesModule,
  collectionsModule,
  // Issue 12: F3 at HQ for a till's ticket (full invoices at the till travel as tickets through the ingest).
  { id: 'till-invoicing', permissionModules: ['invoicing'], routes: (c) => [tillInvoicingRoutes(c.ds, c.clock)] },
  { id: 'facturae', permissionModules: ['invoicing'], routes: (c) => [facturaeRoutes(c.ds, c.clock, c.files)] },
  {
    id: 'review',
    // A till stops resending a batch refused for good until its next connection: after HQ decides on it, make one.
    routes: (c) => [reviewRoutes(c.ds, c.clock, c.ingest, { onDecided: (item) => item.kind === 'batch' && c.live.gateway?.disconnectTerminal(item.terminalId) })],
  },
  verifactuModule,
  supplierInvoicesModule,
  // Issue 14: each company's books, posted from the documents above as they post (document events).
  accountingModule,
  promotionsModule,
  // Issue 15: gift vouchers (sold at the tills, redeemed anywhere: till requests, an ingest step, a ledger).
  vouchersModule,
  // Issue 15: data protection (consents, export, erasure, access log, retention).
  privacyModule,
  loyaltyModule,
  // Issue 15: one customer base (customers created at any till, duplicates and merges, the customer page, segments).
  crmModule,
  // Issue 17: product blocks and recalls (down the change feed to the tills; withdrawals per store).
  productBlocksModule,
  // Issue 17: supplier returns (store → warehouse → supplier, the credit note expected and matched).
  supplierReturnsModule,
  // Issue 16: office administration (notices to the tills with read confirmations, tasks, documents).
  officeModule,
  // Issue 19: receipt design (logo, lines, policy, promotion) published to the tills; gift and e-receipts.
  receiptsModule,
  // Issue 16: employees and the working-time record (clock events up from the tills, hash-chained per store).
  peopleModule,
  // Issue 18: the live dashboard, saved and scheduled report views, the report inbox.
  dashboardModule,
];

/** The modules of this deployment: all but those switched off (core ones cannot be). */
export function enabledModules(off: readonly string[] = []): BackofficeModule[] {
  const unknown = off.filter((id) => !BACKOFFICE_MODULES.some((m) => m.id === id));
  if (unknown.length) throw new Error(`TPV_MODULES_OFF names unknown modules: ${unknown.join(', ')} (known: ${BACKOFFICE_MODULES.map((m) => m.id).join(', ')})`);
  return BACKOFFICE_MODULES.filter((m) => m.core || !off.includes(m.id));
}

/** Permission prefixes a set of modules covers (a module's own id plus the ones its pages use). */
export function permissionModulesOf(modules: readonly BackofficeModule[]): string[] {
  return [...new Set(modules.flatMap((m) => [m.id, ...(m.permissionModules ?? [])]))];
}

export const routesOf = (modules: readonly BackofficeModule[], ctx: ModuleContext) => modules.flatMap((m) => m.routes(ctx));

/** The declarations of every route the routers carry (legacy express routers carry none). */
export const routeDefsOf = (routers: readonly Router[]): RouteDef[] => routers.flatMap((r) => (isApiRouter(r) ? r.routeDefs : []));
/** Handlers of the documents tills send up, by kind, from the enabled modules (a kind has one owner). */
export function upwardHandlersOf(modules: readonly BackofficeModule[]): NonNullable<BackofficeModule['upward']> {
  const out: NonNullable<BackofficeModule['upward']> = {};
  for (const m of modules) {
    for (const [kind, h] of Object.entries(m.upward ?? {}) as Array<[keyof typeof out, NonNullable<BackofficeModule['upward']>[keyof typeof out]]>) {
      if (out[kind]) throw new Error(`two modules handle till documents of kind ${kind}`);
      out[kind] = h;
    }
  }
  return out;
}
/** The posting steps of the enabled modules, in module order (run inside the ingest transaction). */
export function ticketStepsOf(modules: readonly BackofficeModule[]): TicketStep[] {
  return modules.flatMap((m) => m.ticketSteps ?? []);
}

/** The till request handlers of the enabled modules, by kind (one module per kind). */
export function tillRequestsOf(modules: readonly BackofficeModule[]): Record<string, TillRequestHandler> {
  const out: Record<string, TillRequestHandler> = {};
  for (const m of modules) {
    for (const [kind, h] of Object.entries(m.tillRequests ?? {})) {
      if (out[kind]) throw new Error(`two modules answer till requests of kind ${kind}`);
      out[kind] = h;
    }
  }
  return out;
}

/** Listeners of document events of the enabled modules (installed per database by the server). */
export const reactionsOf = (modules: readonly BackofficeModule[]) => modules.flatMap((m) => m.reactions ?? []);
/** Job handlers of the enabled modules, by kind. */
export const jobHandlersOf = (modules: readonly BackofficeModule[]) => Object.assign({}, ...modules.map((m) => m.jobs ?? {})) as Record<string, NonNullable<BackofficeModule['jobs']>[string]>;
