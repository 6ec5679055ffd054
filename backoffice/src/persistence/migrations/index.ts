import { Organisation1795400000001 } from './1795400000001-Organisation';
import { Catalog1795400000002 } from './1795400000002-Catalog';
import { ChangeFeed1795400000003 } from './1795400000003-ChangeFeed';
import { SalesIngest1795400000004 } from './1795400000004-SalesIngest';
import { SessionsAndReview1795400000005 } from './1795400000005-SessionsAndReview';
import { HotPathIndexes1795400000006 } from './1795400000006-HotPathIndexes';
import { TillIdentity1795400000101 } from './1795400000101-TillIdentity';
import { StoreManagers1795400000301 } from './1795400000301-StoreManagers';
import { ScopeLeftovers1795400000302 } from './1795400000302-ScopeLeftovers';
import { PairingSecrets1795400000400 } from './1795400000400-PairingSecrets';
import { ReviewQueue1795400000201 } from './1795400000201-ReviewQueue';
import { RolesAndAudit1795400001000 } from './1795400001000-RolesAndAudit';
import { ProductDetails1795400001001 } from './1795400001001-ProductDetails';
import { UsersAndSessions1795402000001 } from './1795402000001-UsersAndSessions';
import { OrganisationModule1795403000001 } from './1795403000001-OrganisationModule';
import { CatalogPricesSuppliers1795404000001 } from './1795404000001-CatalogPricesSuppliers';
import { JobsAndFiles1795405000001 } from './1795405000001-JobsAndFiles';
import { TicketSearchIndexes1795406000001 } from '../../tickets/migrations/1795406000001-TicketSearchIndexes';
import { SeedMarker1795406000002 } from '../../tickets/migrations/1795406000002-SeedMarker';
import { ReturnsIndex1795406000003 } from '../../tickets/migrations/1795406000003-ReturnsIndex';
import { InventoryLedger1795410000001 } from '../../stock/migrations/1795410000001-InventoryLedger';
import { Purchasing1795411000001 } from '../../purchasing/migrations/1795411000001-Purchasing';
import { Replenishment1795412000001 } from '../../replenishment/migrations/1795412000001-Replenishment';
import { StockOperations1795413000001 } from '../../stock/migrations/1795413000001-StockOperations';
import { StockValuation1795414000001 } from '../../stock/migrations/1795414000001-StockValuation';
import { Restocking1795415000001 } from '../../restocking/migrations/1795415000001-Restocking';
import { SalesWeekCovering1795415000002 } from '../../restocking/migrations/1795415000002-SalesWeekCovering';
import { UpwardDocuments1795416000001 } from '../../till/migrations/1795416000001-UpwardDocuments';
import { Invoicing1795420000001 } from '../../invoicing/migrations/1795420000001-Invoicing';
import { Verifactu1795424000001 } from '../../verifactu/migrations/1795424000001-Verifactu';
import { SupplierInvoices1795426000001 } from '../../supplier-invoices/migrations/1795426000001-SupplierInvoices';
import { FeesSalesDay1795423000001 } from '../../fees/migrations/1795423000001-FeesSalesDay';
import { RestockDemand1795427000001 } from '../../restocking/migrations/1795427000001-RestockDemand';
import { Collections1795430000001 } from '../../collections/migrations/1795430000001-Collections';
import { Payments1795431000001 } from '../../collections/migrations/1795431000001-Payments';
import { SepaRemittances1795432000001 } from '../../collections/migrations/1795432000001-SepaRemittances';
import { BankStatements1795433000001 } from '../../collections/migrations/1795433000001-BankStatements';
import { Dunning1795434000001 } from '../../collections/migrations/1795434000001-Dunning';
import { Aging1795435000001 } from '../../collections/migrations/1795435000001-Aging';
import { Accounting1795440000001 } from '../../accounting/migrations/1795440000001-Accounting';
import { SalesSessionRollups1795440000002 } from '../../accounting/migrations/1795440000002-SalesSessionRollups';
import { TillSessionSourceIds1795441000001 } from '../../accounting/sales/migrations/1795441000001-TillSessionSourceIds';
import { Privacy1795454000001 } from '../../privacy/migrations/1795454000001-Privacy';
import { Loyalty1795452000001 } from '../../loyalty/migrations/1795452000001-Loyalty';
import { TicketSubstitution1795421000001 } from '../../till-invoicing/migrations/1795421000001-TicketSubstitution';
import { Facturae1795425000001 } from '../../invoicing/facturae/migrations/1795425000001-Facturae';
import { Promotions1795450000001 } from '../../promotions/migrations/1795450000001-Promotions';
import { Vouchers1795453000001 } from '../../vouchers/migrations/1795453000001-Vouchers';
import { ProductBlocks1795464000001 } from '../../product-blocks/migrations/1795464000001-ProductBlocks';
import { SupplierReturns1795464100001 } from '../../supplier-returns/migrations/1795464100001-SupplierReturns';
import { OfficeNotices1795468000001 } from '../../office/migrations/1795468000001-OfficeNotices';
import { ReceiptDesigns1795466000001 } from '../../receipts/migrations/1795466000001-ReceiptDesigns';
import { OfficeTasks1795468000002 } from '../../office/migrations/1795468000002-OfficeTasks';
import { QualityIncidents1795465000001 } from '../../quality/migrations/1795465000001-QualityIncidents';
import { StoreAudits1795465000002 } from '../../quality/migrations/1795465000002-StoreAudits';
import { OfficeDocuments1795468000003 } from '../../office/migrations/1795468000003-OfficeDocuments';
import { Crm1795451000001 } from '../../crm/migrations/1795451000001-Crm';
import { People1795467000001 } from '../../people/migrations/1795467000001-People';
import { Absences1795474000001 } from '../../people/migrations/1795474000001-Absences';
import { InspectorAccess1795474000002 } from '../../people/migrations/1795474000002-InspectorAccess';
import { ReportRollups1795470000001 } from '../../reports/migrations/1795470000001-ReportRollups';
import { ReportMonthRollups1795475000001 } from '../../reports/migrations/1795475000001-ReportMonthRollups';
import { ReportMonthCashiersPromotions1795475000002 } from '../../reports/migrations/1795475000002-ReportMonthCashiersPromotions';
import { Rotas1795473000001 } from '../../people/migrations/1795473000001-Rotas';
import { TimeRecordRejection1795480000001 } from '../../people/migrations/1795480000001-TimeRecordRejection';
import { RotaTemplates1795480000002 } from '../../people/migrations/1795480000002-RotaTemplates';
import { Dashboard1795471000001 } from '../../dashboard/migrations/1795471000001-Dashboard';
import { CashierEvents1795478000001 } from '../../reports/migrations/1795478000001-CashierEvents';
import { ReportSalesPairYear1795479000001 } from '../../reports/migrations/1795479000001-ReportSalesPairYear';
import { TicketCancels1795482000001 } from '../../reports/migrations/1795482000001-TicketCancels';
import { ReportStoreDaysHeatmaps1795483000001 } from '../../reports/migrations/1795483000001-ReportStoreDaysHeatmaps';
import { ReportNetworkHeatmap1795483000002 } from '../../reports/migrations/1795483000002-ReportNetworkHeatmap';
import { ReportSalesDayStore1795483000003 } from '../../reports/migrations/1795483000003-ReportSalesDayStore';
import { ReportSalesDayStoreProduct1795483000004 } from '../../reports/migrations/1795483000004-ReportSalesDayStoreProduct';

/** Every back-office migration, oldest first. Append only; never edit one that has shipped. */
export const backofficeMigrations = [
  Organisation1795400000001,
  Catalog1795400000002,
  ChangeFeed1795400000003,
  SalesIngest1795400000004,
  SessionsAndReview1795400000005,
  HotPathIndexes1795400000006,
  TillIdentity1795400000101,
  StoreManagers1795400000301,
  ScopeLeftovers1795400000302,
  PairingSecrets1795400000400,
  ReviewQueue1795400000201,
  RolesAndAudit1795400001000,
  ProductDetails1795400001001,
  UsersAndSessions1795402000001,
  OrganisationModule1795403000001,
  CatalogPricesSuppliers1795404000001,
  JobsAndFiles1795405000001,
  TicketSearchIndexes1795406000001,
  SeedMarker1795406000002,
  ReturnsIndex1795406000003,
  InventoryLedger1795410000001,
  Purchasing1795411000001,
  Replenishment1795412000001,
  StockOperations1795413000001,
  StockValuation1795414000001,
  Restocking1795415000001,
  UpwardDocuments1795416000001,
  SalesWeekCovering1795415000002,
  Invoicing1795420000001,
  Verifactu1795424000001,
  SupplierInvoices1795426000001,
  FeesSalesDay1795423000001,
  RestockDemand1795427000001,
  Collections1795430000001,
  Payments1795431000001,
  SepaRemittances1795432000001,
  BankStatements1795433000001,
  Dunning1795434000001,
  Aging1795435000001,
  Accounting1795440000001,
  SalesSessionRollups1795440000002,
  TicketSubstitution1795421000001,
  Facturae1795425000001,
  TillSessionSourceIds1795441000001,
  Promotions1795450000001,
  Vouchers1795453000001,
  Privacy1795454000001,
  Loyalty1795452000001,
  Crm1795451000001,
  // Issue 17: product blocks and recalls; supplier returns.
  ProductBlocks1795464000001,
  SupplierReturns1795464100001,
  // Issue 16: office administration (notices, tasks, documents).
  OfficeNotices1795468000001,
  // Issue 19: receipt designs.
  ReceiptDesigns1795466000001,
  OfficeTasks1795468000002,
  // Issue 17: quality control (incidents' lifecycle, store audits).
  QualityIncidents1795465000001,
  StoreAudits1795465000002,
  // Issue 16: employees, contracts and the working-time record.
  People1795467000001,
  OfficeDocuments1795468000003,
  // Issue 16: absences and holidays.
  Absences1795474000001,
  InspectorAccess1795474000002,
  // Issue 18: management reports' rollups.
  ReportRollups1795470000001,
  // Issue 16: rotas (weekly shift plans).
  Rotas1795473000001,
  // Issue 18: live dashboard units, saved/scheduled report views, the report inbox.
  Dashboard1795471000001,
  // Issue 18: month rollups of the product dimension, folded from the hour rollups (reports at 10M tickets).
  ReportMonthRollups1795475000001,
  ReportMonthCashiersPromotions1795475000002,
  // Issue 18: cashier figures (voids and cash differences sent up by the tills).
  CashierEvents1795478000001,
  // Issue 18: the months each store/product sold in, per year (stock without sales at 10M tickets).
  ReportSalesPairYear1795479000001,
  // Issue 16: a worker's rejection of a correction (at the till); named rota templates.
  TimeRecordRejection1795480000001,
  RotaTemplates1795480000002,
  // Issue 18: whole tickets cancelled at the till (one document each), apart from line voids.
  TicketCancels1795482000001,
  // Issue 18: a store's days and the heatmap's hour × weekday per month, folded (no report reads hours over folded months).
  ReportStoreDaysHeatmaps1795483000001,
  // Issue 18: the network's heatmap by product or category, folded (one category over a year: 1.5 s → a range per product).
  ReportNetworkHeatmap1795483000002,
  // Issue 18: a store's lines per day, folded (per-store line sums over partial months without the hour rows).
  ReportSalesDayStore1795483000003,
  // Issue 18: a store's product per day, folded (sales by day or week with a store and a product filter).
  ReportSalesDayStoreProduct1795483000004,
];
