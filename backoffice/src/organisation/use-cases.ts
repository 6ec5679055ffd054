/**
 * Organisation use cases: each write checks the caller's scope on the row it touches, runs in one
 * transaction (writeTransaction) and records its audit entry in it; refusals are problem+json naming the field.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { Company, CompanyInput, Contract, ContractInput, Store, StoreInput, Warehouse, WarehouseInput } from '@tpv/shared/wire/http/organisation';
import { forbidden } from '../auth/http';
import { canAccessCompany, canAccessStore, visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { offsetOf, pageOf, type ListQuery, type Page } from '../platform/list';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { CompanyRow, StoreRow } from '../persistence/entities';
import type { FranchiseContractRow, WarehouseRow } from './entities';
import * as repo from './repository';
import { appendChanges } from '../catalog/changes';
import { newStoreCatalogChanges } from '../catalog/prices';

export interface Ctx {
  ds: DataSource;
  clock: Clock;
}

const nowIso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const windowOf = (q: ListQuery) => ({ offset: offsetOf(q), limit: q.pageSize, sort: q.sort ?? '', dir: q.dir });
const notFound = (what: string, id: string) => refused(404, 'NOT_FOUND', `${what} ${id} not found`);

/** Companies a user may read: HQ all (null), others their own company. */
const companyScope = (u: AuthUser): string[] | null => visibleCompanyIds(u);
function assertCompanyRead(u: AuthUser, companyId: string): void {
  const scope = companyScope(u);
  if (scope !== null && !scope.includes(companyId)) throw forbidden();
}

function inUse(what: string, refs: Record<string, number>): void {
  const names: Record<string, string> = {
    store: 'tiendas / stores', terminal: 'terminales / terminals', sale_ticket: 'ventas / sales', franchise_contract: 'contratos / contracts',
    warehouse: 'almacenes / warehouses', app_user: 'usuarios / users', staff: 'empleados / staff', store_price: 'precios / prices', notice: 'avisos / notices',
    stock_level: 'existencias / stock', stock_movement: 'movimientos de stock / stock movements', receivable: 'cobros pendientes / receivables',
  };
  const list = Object.entries(refs).map(([t, n]) => `${n} ${names[t] ?? t}`);
  if (list.length) throw refused(409, 'IN_USE', `${what} está en uso / is in use: ${list.join(', ')}. Archívalo en su lugar / archive it instead.`);
}

// ─── companies ───

async function companyView(m: EntityManager, row: CompanyRow, stores?: number): Promise<Company> {
  return {
    id: row.id,
    kind: row.kind,
    legalName: row.legalName,
    tradeName: row.tradeName,
    nif: row.nif,
    address: repo.addressOf(row),
    iban: row.iban ?? null,
    contacts: (await repo.contactsOf(m, row.id)).map(({ id, name, role, email, phone }) => ({ id, name, role, email, phone })),
    archivedAt: row.archivedAt ?? null,
    storeCount: stores ?? (await repo.storeCounts(m, [row.id])).get(row.id) ?? 0,
  };
}

export async function listCompanies(x: Ctx, u: AuthUser, q: ListQuery & { kind?: 'franchisor' | 'franchisee'; archived?: boolean }): Promise<Page<Company>> {
  const [rows, total] = await repo.listCompanies(x.ds.manager, { ids: companyScope(u), ...(q.q ? { q: q.q } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.archived !== undefined ? { archived: q.archived } : {}) }, windowOf(q));
  const counts = await repo.storeCounts(x.ds.manager, rows.map((r) => r.id));
  return pageOf(await Promise.all(rows.map((r) => companyView(x.ds.manager, r, counts.get(r.id) ?? 0))), q, total);
}

export async function getCompany(x: Ctx, u: AuthUser, id: string): Promise<Company> {
  const row = await repo.companyById(x.ds.manager, id);
  if (!row) throw notFound('company', id);
  assertCompanyRead(u, id);
  return companyView(x.ds.manager, row);
}

async function nifFree(m: EntityManager, nif: string, exceptId?: string) {
  const other = await repo.companyByNif(m, nif);
  if (other && other.id !== exceptId) throw refused(409, 'NIF_TAKEN', `NIF ${nif} ya es de / already belongs to ${other.legalName}`, 'nif');
}

const companyColumns = (b: CompanyInput) => ({ kind: b.kind, nif: b.nif, legalName: b.legalName, tradeName: b.tradeName, iban: b.iban, ...repo.addressColumns(b.address) });
const contactRows = (x: Ctx, companyId: string, b: CompanyInput) => b.contacts.map((c, position) => ({ id: newRowId(x.clock), companyId, position, ...c }));

export async function createCompany(x: Ctx, u: AuthUser, b: CompanyInput): Promise<Company> {
  const id = newRowId(x.clock);
  return writeTransaction(x.ds, async (m) => {
    await nifFree(m, b.nif);
    await repo.insertCompany(m, { id, ...companyColumns(b), archivedAt: null });
    await repo.replaceContacts(m, id, contactRows(x, id, b));
    const after = await companyView(m, (await repo.companyById(m, id))!);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'company.create', entity: 'company', entityId: id, companyId: id, after });
    return after;
  });
}

export async function updateCompany(x: Ctx, u: AuthUser, id: string, b: CompanyInput): Promise<Company> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.companyById(m, id);
    if (!row) throw notFound('company', id);
    if (!canAccessCompany(u, id)) throw forbidden();
    const before = await companyView(m, row);
    await nifFree(m, b.nif, id);
    if (b.kind !== row.kind && before.storeCount > 0 && b.kind === 'franchisor') throw refused(409, 'KIND_IN_USE', 'Una franquiciada con tiendas no puede pasar a franquiciadora / a franchisee with stores cannot become the franchisor', 'kind');
    await repo.updateCompany(m, id, companyColumns(b));
    await repo.replaceContacts(m, id, contactRows(x, id, b));
    const after = await companyView(m, (await repo.companyById(m, id))!);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'company.update', entity: 'company', entityId: id, companyId: id, before, after });
    return after;
  });
}

export async function archiveCompany(x: Ctx, u: AuthUser, id: string, archived: boolean): Promise<Company> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.companyById(m, id);
    if (!row) throw notFound('company', id);
    if (!canAccessCompany(u, id)) throw forbidden();
    await repo.updateCompany(m, id, { archivedAt: archived ? (row.archivedAt ?? nowIso(x.clock)) : null });
    const after = await companyView(m, (await repo.companyById(m, id))!);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: archived ? 'company.archive' : 'company.unarchive', entity: 'company', entityId: id, companyId: id, before: { archivedAt: row.archivedAt ?? null }, after: { archivedAt: after.archivedAt } });
    return after;
  });
}

/** Deletes a company nothing refers to; one with stores, contracts, warehouses, users or staff is refused (archive it). */
export async function deleteCompany(x: Ctx, u: AuthUser, id: string): Promise<void> {
  await writeTransaction(x.ds, async (m) => {
    const row = await repo.companyById(m, id);
    if (!row) throw notFound('company', id);
    if (!canAccessCompany(u, id)) throw forbidden();
    inUse(`La empresa / company ${row.legalName}`, await repo.companyReferences(m, id));
    const before = await companyView(m, row);
    await repo.deleteCompany(m, id);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'company.delete', entity: 'company', entityId: id, companyId: id, before });
  });
}

// ─── stores ───

async function storeViews(m: EntityManager, rows: StoreRow[]): Promise<Store[]> {
  const [names, terminals] = await Promise.all([repo.companyNames(m, rows.map((r) => r.companyId)), repo.terminalCounts(m, rows.map((r) => r.id))]);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    companyId: r.companyId,
    companyName: names.get(r.companyId) ?? '',
    address: repo.addressOf(r),
    timezone: r.timezone,
    openingHours: repo.parseHours(r.openingHours),
    salesAreaM2: r.salesAreaM2 ?? null,
    archivedAt: r.archivedAt ?? null,
    terminalCount: terminals.get(r.id) ?? 0,
  }));
}

export async function listStores(x: Ctx, u: AuthUser, q: ListQuery & { companyId?: string; archived?: boolean }): Promise<Page<Store>> {
  const ids = await visibleStoreIds(x.ds, u);
  const [rows, total] = await repo.listStores(x.ds.manager, { ids, ...(q.q ? { q: q.q } : {}), ...(q.companyId ? { companyId: q.companyId } : {}), ...(q.archived !== undefined ? { archived: q.archived } : {}) }, windowOf(q));
  return pageOf(await storeViews(x.ds.manager, rows), q, total);
}

export async function getStore(x: Ctx, u: AuthUser, id: string): Promise<Store> {
  const row = await repo.storeById(x.ds.manager, id);
  if (!row) throw notFound('store', id);
  if (!(await canAccessStore(x.ds, u, id))) throw forbidden();
  return (await storeViews(x.ds.manager, [row]))[0]!;
}

async function storeRules(m: EntityManager, u: AuthUser, b: StoreInput, exceptId?: string): Promise<void> {
  const company = await repo.companyById(m, b.companyId);
  if (!company) throw refused(422, 'COMPANY_NOT_FOUND', `No existe la empresa / no company ${b.companyId}`, 'companyId');
  if (!canAccessCompany(u, b.companyId)) throw forbidden();
  const other = await repo.storeByCode(m, b.code);
  if (other && other.id !== exceptId) throw refused(409, 'CODE_TAKEN', `El código ${b.code} ya es de la tienda / code already used by store ${other.name}`, 'code');
}

const storeColumns = (b: StoreInput) => ({ code: b.code, name: b.name, companyId: b.companyId, timezone: b.timezone, openingHours: JSON.stringify(b.openingHours), salesAreaM2: b.salesAreaM2, ...repo.addressColumns(b.address) });

export async function createStore(x: Ctx, u: AuthUser, b: StoreInput): Promise<Store> {
  const id = newRowId(x.clock);
  return writeTransaction(x.ds, async (m) => {
    await storeRules(m, u, b);
    await repo.insertStore(m, { id, ...storeColumns(b), archivedAt: null });
    // Company prices and scheduled changes are written per existing store: the new store's tills need theirs too.
    await appendChanges(m, await newStoreCatalogChanges(m, id, new Date(x.clock.now()).toISOString()));
    const [after] = await storeViews(m, [(await repo.storeById(m, id))!]);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'store.create', entity: 'store', entityId: id, companyId: b.companyId, storeId: id, after });
    return after!;
  });
}

export async function updateStore(x: Ctx, u: AuthUser, id: string, b: StoreInput): Promise<Store> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.storeById(m, id);
    if (!row) throw notFound('store', id);
    if (!canAccessCompany(u, row.companyId)) throw forbidden();
    await storeRules(m, u, b, id);
    // Code and company name the tills' invoice series and fiscal identity: fixed once the store has sold.
    if ((b.code !== row.code || b.companyId !== row.companyId) && (await repo.storeReferences(m, id)).sale_ticket) {
      throw refused(409, 'STORE_HAS_SALES', 'La tienda ya tiene ventas: su código y su empresa no cambian / the store has sales: its code and company are fixed', b.code !== row.code ? 'code' : 'companyId');
    }
    const [before] = await storeViews(m, [row]);
    await repo.updateStore(m, id, storeColumns(b));
    const [after] = await storeViews(m, [(await repo.storeById(m, id))!]);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'store.update', entity: 'store', entityId: id, companyId: b.companyId, storeId: id, before, after });
    return after!;
  });
}

export async function archiveStore(x: Ctx, u: AuthUser, id: string, archived: boolean): Promise<Store> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.storeById(m, id);
    if (!row) throw notFound('store', id);
    if (!canAccessCompany(u, row.companyId)) throw forbidden();
    await repo.updateStore(m, id, { archivedAt: archived ? (row.archivedAt ?? nowIso(x.clock)) : null });
    const [after] = await storeViews(m, [(await repo.storeById(m, id))!]);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: archived ? 'store.archive' : 'store.unarchive', entity: 'store', entityId: id, companyId: row.companyId, storeId: id, before: { archivedAt: row.archivedAt ?? null }, after: { archivedAt: after!.archivedAt } });
    return after!;
  });
}

/** Deletes a store nothing refers to; one with terminals or sales (or staff, prices, stock…) is refused (archive it). */
export async function deleteStore(x: Ctx, u: AuthUser, id: string): Promise<void> {
  await writeTransaction(x.ds, async (m) => {
    const row = await repo.storeById(m, id);
    if (!row) throw notFound('store', id);
    if (!canAccessCompany(u, row.companyId)) throw forbidden();
    inUse(`La tienda / store ${row.code}`, await repo.storeReferences(m, id));
    const [before] = await storeViews(m, [row]);
    await repo.deleteStore(m, id);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'store.delete', entity: 'store', entityId: id, companyId: row.companyId, storeId: id, before });
  });
}

// ─── warehouses (the franchisor's central ones) ───

async function warehouseViews(m: EntityManager, rows: WarehouseRow[]): Promise<Warehouse[]> {
  const names = await repo.companyNames(m, rows.map((r) => r.companyId));
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, companyId: r.companyId, companyName: names.get(r.companyId) ?? '', address: repo.addressOf(r), archivedAt: r.archivedAt }));
}

export async function listWarehouses(x: Ctx, q: ListQuery & { archived?: boolean }): Promise<Page<Warehouse>> {
  const [rows, total] = await repo.listWarehouses(x.ds.manager, { ...(q.q ? { q: q.q } : {}), ...(q.archived !== undefined ? { archived: q.archived } : {}) }, windowOf(q));
  return pageOf(await warehouseViews(x.ds.manager, rows), q, total);
}

export async function getWarehouse(x: Ctx, id: string): Promise<Warehouse> {
  const row = await repo.warehouseById(x.ds.manager, id);
  if (!row) throw notFound('warehouse', id);
  return (await warehouseViews(x.ds.manager, [row]))[0]!;
}

async function warehouseRules(m: EntityManager, b: WarehouseInput, exceptId?: string): Promise<void> {
  const company = await repo.companyById(m, b.companyId);
  if (!company) throw refused(422, 'COMPANY_NOT_FOUND', `No existe la empresa / no company ${b.companyId}`, 'companyId');
  if (company.kind !== 'franchisor') throw refused(422, 'NOT_FRANCHISOR', 'Los almacenes centrales son de la franquiciadora / central warehouses belong to the franchisor', 'companyId');
  const other = await repo.warehouseByCode(m, b.code);
  if (other && other.id !== exceptId) throw refused(409, 'CODE_TAKEN', `El código ${b.code} ya es del almacén / code already used by warehouse ${other.name}`, 'code');
}

export async function saveWarehouse(x: Ctx, u: AuthUser, id: string | null, b: WarehouseInput): Promise<Warehouse> {
  return writeTransaction(x.ds, async (m) => {
    const row = id ? await repo.warehouseById(m, id) : null;
    if (id && !row) throw notFound('warehouse', id);
    await warehouseRules(m, b, id ?? undefined);
    const wid = id ?? newRowId(x.clock);
    const cols = { code: b.code, name: b.name, companyId: b.companyId, ...repo.addressColumns(b.address) };
    if (row) await repo.updateWarehouse(m, wid, cols);
    else await repo.insertWarehouse(m, { id: wid, ...cols, archivedAt: null });
    const [after] = await warehouseViews(m, [(await repo.warehouseById(m, wid))!]);
    const before = row ? (await warehouseViews(m, [row]))[0] : undefined;
    await recordAudit(m, x.clock, { actor: actorOf(u), action: row ? 'warehouse.update' : 'warehouse.create', entity: 'warehouse', entityId: wid, companyId: b.companyId, before, after });
    return after!;
  });
}

export async function archiveWarehouse(x: Ctx, u: AuthUser, id: string, archived: boolean): Promise<Warehouse> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.warehouseById(m, id);
    if (!row) throw notFound('warehouse', id);
    await repo.updateWarehouse(m, id, { archivedAt: archived ? (row.archivedAt ?? nowIso(x.clock)) : null });
    const [after] = await warehouseViews(m, [(await repo.warehouseById(m, id))!]);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: archived ? 'warehouse.archive' : 'warehouse.unarchive', entity: 'warehouse', entityId: id, companyId: row.companyId, before: { archivedAt: row.archivedAt }, after: { archivedAt: after!.archivedAt } });
    return after!;
  });
}

/** A warehouse that never held stock is deleted outright; one with stock history is refused (archive it). */
export async function deleteWarehouse(x: Ctx, u: AuthUser, id: string): Promise<void> {
  await writeTransaction(x.ds, async (m) => {
    const row = await repo.warehouseById(m, id);
    if (!row) throw notFound('warehouse', id);
    inUse(`El almacén / warehouse ${row.code}`, await repo.stockReferences(m, id));
    await repo.deleteWarehouse(m, id);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'warehouse.delete', entity: 'warehouse', entityId: id, companyId: row.companyId, before: row });
  });
}

// ─── franchise contracts ───

const contractView = (r: FranchiseContractRow): Contract => ({
  id: r.id, companyId: r.companyId, startsOn: r.startsOn, endsOn: r.endsOn, royaltyBp: r.royaltyBp, marketingFeeBp: r.marketingFeeBp,
  paymentDays: r.paymentDays, paymentMethod: r.paymentMethod, notes: r.notes, createdAt: r.createdAt,
});

/** Every contract of the company, newest first (history is kept: contracts are ended, never deleted). */
export async function listContracts(x: Ctx, u: AuthUser, companyId: string): Promise<Contract[]> {
  if (!(await repo.companyById(x.ds.manager, companyId))) throw notFound('company', companyId);
  if (!canAccessCompany(u, companyId)) throw forbidden();
  return (await repo.contractsOf(x.ds.manager, companyId)).map(contractView);
}

async function noOverlap(m: EntityManager, companyId: string, b: ContractInput, exceptId?: string): Promise<void> {
  const clash = await repo.overlappingContracts(m, companyId, b.startsOn, b.endsOn, exceptId);
  if (clash.length) {
    const k = clash[0]!;
    throw refused(409, 'CONTRACT_OVERLAP', `Se solapa con el contrato / overlaps the contract ${k.startsOn} – ${k.endsOn ?? '…'}`, 'startsOn');
  }
}

export async function createContract(x: Ctx, u: AuthUser, companyId: string, b: ContractInput): Promise<Contract> {
  return writeTransaction(x.ds, async (m) => {
    const company = await repo.companyById(m, companyId);
    if (!company) throw notFound('company', companyId);
    if (!canAccessCompany(u, companyId)) throw forbidden();
    if (company.kind !== 'franchisee') throw refused(422, 'NOT_FRANCHISEE', 'Solo las franquiciadas tienen contrato de franquicia / only franchisees have franchise contracts', 'companyId');
    await noOverlap(m, companyId, b);
    const now = nowIso(x.clock);
    const row: FranchiseContractRow = { id: newRowId(x.clock), companyId, ...b, createdAt: now, updatedAt: now };
    await repo.insertContract(m, row);
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'contract.create', entity: 'franchise_contract', entityId: row.id, companyId, after: contractView(row) });
    return contractView(row);
  });
}

/** Changes a contract's terms (ending it included); the audit log keeps every earlier version. */
export async function updateContract(x: Ctx, u: AuthUser, id: string, b: ContractInput): Promise<Contract> {
  return writeTransaction(x.ds, async (m) => {
    const row = await repo.contractById(m, id);
    if (!row) throw notFound('contract', id);
    if (!canAccessCompany(u, row.companyId)) throw forbidden();
    await noOverlap(m, row.companyId, b, id);
    const next: FranchiseContractRow = { ...row, ...b, updatedAt: nowIso(x.clock) };
    await repo.updateContract(m, id, { ...b, updatedAt: next.updatedAt });
    await recordAudit(m, x.clock, { actor: actorOf(u), action: 'contract.update', entity: 'franchise_contract', entityId: id, companyId: row.companyId, before: contractView(row), after: contractView(next) });
    return contractView(next);
  });
}

/** The contract in force for a franchisee on a date (yyyy-mm-dd), or null: what the invoicing module bills. */
export async function activeContractOn(ds: DataSource, companyId: string, date: string): Promise<Contract | null> {
  const row = await repo.contractOn(ds.manager, companyId, date);
  return row ? contractView(row) : null;
}
