/**
 * What other back-office modules use of the organisation module. Invoicing bills franchisees by the
 * contract in force on a date: `activeContractOn(ds, companyId, '2026-11-30')` → royalty and marketing-fee
 * basis points of net sales, payment days and method, or null when the company has none that day.
 */
export { activeContractOn } from './use-cases';
export type { Contract, Company, Store, Warehouse, OpeningHours } from '@tpv/shared/wire/http/organisation';
export { WarehouseEntity, FranchiseContractEntity, type WarehouseRow, type FranchiseContractRow } from './entities';
