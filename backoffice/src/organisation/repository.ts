/**
 * The organisation module's only access to the database (TypeORM and SQL): companies and their contacts,
 * stores, central warehouses, terminals and franchise contracts. Use cases pass a transaction's manager for
 * writes and `ds.manager` for reads.
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Address, OpeningHours } from '@tpv/shared/wire/http/organisation';
import { CompanyEntity, StoreEntity, TerminalEntity, type CompanyRow, type StoreRow, type TerminalRow } from '../persistence/entities';
import { engineOfManager, placeholders } from '../persistence/raw';
import { CompanyContactEntity, FranchiseContractEntity, WarehouseEntity, type CompanyContactRow, type FranchiseContractRow, type WarehouseRow } from './entities';

export interface Window {
  offset: number;
  limit: number;
  sort: string;
  dir: 'asc' | 'desc';
}

// ─── addresses ───

export interface AddressColumns {
  address: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
}

/** The structured address and the one-line text the tills print on tickets. */
export function addressColumns(a: Address): AddressColumns {
  return { address: `${a.street}, ${a.postalCode} ${a.city} (${a.province})${a.country === 'ES' ? '' : `, ${a.country}`}`, street: a.street, postalCode: a.postalCode, city: a.city, province: a.province, country: a.country };
}

export function addressOf(r: Partial<AddressColumns>): Address | null {
  if (!r.street) return null;
  return { street: r.street, postalCode: r.postalCode ?? '', city: r.city ?? '', province: r.province ?? '', country: r.country ?? 'ES' };
}

function page<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, w: Window, sortColumns: Record<string, string>): Promise<[T[], number]> {
  const col = sortColumns[w.sort] ?? Object.values(sortColumns)[0]!;
  return qb.orderBy(col, w.dir === 'desc' ? 'DESC' : 'ASC').addOrderBy(`${qb.alias}.id`, 'ASC').skip(w.offset).take(w.limit).getManyAndCount();
}

const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Rows of other tables referencing `column = id`, by table (the reasons a delete is refused). */
async function referencesTo(m: EntityManager, id: string, column: string, tables: readonly string[]): Promise<Record<string, number>> {
  const p = placeholders(engineOfManager(m), 1);
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = (await m.query(`SELECT COUNT(*) AS n FROM "${t}" WHERE "${column}" = ${p}`, [id])) as Array<{ n: number | string }>;
    const n = Number(row?.n ?? 0);
    if (n > 0) out[t] = n;
  }
  return out;
}

// ─── companies ───

export interface CompanyFilter {
  q?: string;
  kind?: 'franchisor' | 'franchisee';
  archived?: boolean;
  /** null: every company (franchise-wide roles). */
  ids: string[] | null;
}

export async function listCompanies(m: EntityManager, f: CompanyFilter, w: Window): Promise<[CompanyRow[], number]> {
  const qb = m.getRepository(CompanyEntity).createQueryBuilder('c');
  if (f.ids !== null) qb.andWhere(f.ids.length ? 'c.id IN (:...ids)' : '1 = 0', { ids: f.ids });
  if (f.kind) qb.andWhere('c.kind = :kind', { kind: f.kind });
  if (f.archived !== undefined) qb.andWhere(f.archived ? 'c.archived_at IS NOT NULL' : 'c.archived_at IS NULL');
  if (f.q) qb.andWhere(`(LOWER(c.legal_name) LIKE :q ESCAPE '\\' OR LOWER(c.trade_name) LIKE :q ESCAPE '\\' OR LOWER(c.nif) LIKE :q ESCAPE '\\' OR LOWER(c.city) LIKE :q ESCAPE '\\')`, { q: like(f.q) });
  return page(qb, w, { legalName: 'c.legal_name', nif: 'c.nif', kind: 'c.kind', city: 'c.city' });
}

export const companyById = (m: EntityManager, id: string) => m.getRepository(CompanyEntity).findOneBy({ id });
export const companyByNif = (m: EntityManager, nif: string) => m.getRepository(CompanyEntity).findOneBy({ nif });
export const contactsOf = (m: EntityManager, companyId: string) => m.getRepository(CompanyContactEntity).find({ where: { companyId }, order: { position: 'ASC' } });

export async function storeCounts(m: EntityManager, companyIds: string[]): Promise<Map<string, number>> {
  if (!companyIds.length) return new Map();
  const rows = await m
    .getRepository(StoreEntity)
    .createQueryBuilder('s')
    .select('s.company_id', 'companyId')
    .addSelect('COUNT(*)', 'n')
    .where('s.company_id IN (:...ids)', { ids: companyIds })
    .groupBy('s.company_id')
    .getRawMany<{ companyId: string; n: string | number }>();
  return new Map(rows.map((r) => [r.companyId, Number(r.n)]));
}

export const insertCompany = (m: EntityManager, row: CompanyRow) => m.getRepository(CompanyEntity).insert(row);
export const updateCompany = (m: EntityManager, id: string, row: Partial<CompanyRow>) => m.getRepository(CompanyEntity).update({ id }, row);

export async function replaceContacts(m: EntityManager, companyId: string, contacts: CompanyContactRow[]): Promise<void> {
  await m.getRepository(CompanyContactEntity).delete({ companyId });
  if (contacts.length) await m.getRepository(CompanyContactEntity).insert(contacts);
}

/** What keeps a company from being deleted: its stores, contracts, warehouses, users, staff. */
export const companyReferences = (m: EntityManager, id: string) => referencesTo(m, id, 'company_id', ['store', 'franchise_contract', 'warehouse', 'app_user', 'staff']);

export async function deleteCompany(m: EntityManager, id: string): Promise<void> {
  await m.getRepository(CompanyContactEntity).delete({ companyId: id });
  await m.getRepository(CompanyEntity).delete({ id });
}

// ─── stores ───

export interface StoreFilter {
  q?: string;
  companyId?: string;
  archived?: boolean;
  /** null: every store. */
  ids: string[] | null;
}

export type StoreWithCompany = StoreRow & { companyName: string };

export async function listStores(m: EntityManager, f: StoreFilter, w: Window): Promise<[StoreRow[], number]> {
  const qb = m.getRepository(StoreEntity).createQueryBuilder('s');
  if (f.ids !== null) qb.andWhere(f.ids.length ? 's.id IN (:...ids)' : '1 = 0', { ids: f.ids });
  if (f.companyId) qb.andWhere('s.company_id = :companyId', { companyId: f.companyId });
  if (f.archived !== undefined) qb.andWhere(f.archived ? 's.archived_at IS NOT NULL' : 's.archived_at IS NULL');
  if (f.q) qb.andWhere(`(LOWER(s.code) LIKE :q ESCAPE '\\' OR LOWER(s.name) LIKE :q ESCAPE '\\' OR LOWER(s.city) LIKE :q ESCAPE '\\')`, { q: like(f.q) });
  return page(qb, w, { code: 's.code', name: 's.name', city: 's.city', timezone: 's.timezone', salesAreaM2: 's.sales_area_m2' });
}

export const storeById = (m: EntityManager, id: string) => m.getRepository(StoreEntity).findOneBy({ id });
export const storeByCode = (m: EntityManager, code: string) => m.getRepository(StoreEntity).findOneBy({ code });
export const insertStore = (m: EntityManager, row: StoreRow) => m.getRepository(StoreEntity).insert(row);
export const updateStore = (m: EntityManager, id: string, row: Partial<StoreRow>) => m.getRepository(StoreEntity).update({ id }, row);
export const deleteStore = (m: EntityManager, id: string) => m.getRepository(StoreEntity).delete({ id });

/** What keeps a store from being deleted: terminals and sales first (the reasons a manager understands), then the rest. */
export const storeReferences = async (m: EntityManager, id: string) => ({
  ...(await referencesTo(m, id, 'store_id', ['terminal', 'sale_ticket', 'staff', 'app_user', 'store_price', 'notice', 'receivable'])),
  ...(await stockReferences(m, id)),
});

/** Stock ever held at a location (store or warehouse): its movements are history, so it is archived, not deleted. */
export const stockReferences = (m: EntityManager, locationId: string) => referencesTo(m, locationId, 'location_id', ['stock_level', 'stock_movement']);

export async function terminalCounts(m: EntityManager, storeIds: string[]): Promise<Map<string, number>> {
  if (!storeIds.length) return new Map();
  const rows = await m
    .getRepository(TerminalEntity)
    .createQueryBuilder('t')
    .select('t.store_id', 'storeId')
    .addSelect('COUNT(*)', 'n')
    .where('t.store_id IN (:...ids)', { ids: storeIds })
    .andWhere('t.retired_at IS NULL AND t.replaced_by_id IS NULL')
    .groupBy('t.store_id')
    .getRawMany<{ storeId: string; n: string | number }>();
  return new Map(rows.map((r) => [r.storeId, Number(r.n)]));
}

export async function companyNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await m.getRepository(CompanyEntity).createQueryBuilder('c').select(['c.id', 'c.legalName', 'c.tradeName']).where('c.id IN (:...ids)', { ids: unique }).getMany();
  return new Map(rows.map((c) => [c.id, c.tradeName ?? c.legalName]));
}

export const parseHours = (json: string | null | undefined): OpeningHours | null => (json ? (JSON.parse(json) as OpeningHours) : null);

// ─── warehouses ───

export async function listWarehouses(m: EntityManager, f: { q?: string; archived?: boolean }, w: Window): Promise<[WarehouseRow[], number]> {
  const qb = m.getRepository(WarehouseEntity).createQueryBuilder('w');
  if (f.archived !== undefined) qb.andWhere(f.archived ? 'w.archived_at IS NOT NULL' : 'w.archived_at IS NULL');
  if (f.q) qb.andWhere(`(LOWER(w.code) LIKE :q ESCAPE '\\' OR LOWER(w.name) LIKE :q ESCAPE '\\' OR LOWER(w.city) LIKE :q ESCAPE '\\')`, { q: like(f.q) });
  return page(qb, w, { code: 'w.code', name: 'w.name', city: 'w.city' });
}
export const warehouseById = (m: EntityManager, id: string) => m.getRepository(WarehouseEntity).findOneBy({ id });
export const warehouseByCode = (m: EntityManager, code: string) => m.getRepository(WarehouseEntity).findOneBy({ code });
export const insertWarehouse = (m: EntityManager, row: WarehouseRow) => m.getRepository(WarehouseEntity).insert(row);
export const updateWarehouse = (m: EntityManager, id: string, row: Partial<WarehouseRow>) => m.getRepository(WarehouseEntity).update({ id }, row);
export const deleteWarehouse = (m: EntityManager, id: string) => m.getRepository(WarehouseEntity).delete({ id });

// ─── terminals ───

export const terminalById = (m: EntityManager, id: string) => m.getRepository(TerminalEntity).findOneBy({ id });
export const terminalCodesOf = async (m: EntityManager, storeId: string) =>
  new Set((await m.getRepository(TerminalEntity).find({ where: { storeId }, select: { code: true } })).map((t) => t.code));
export const installationTaken = (m: EntityManager, installation: string) => m.getRepository(TerminalEntity).existsBy({ installation });
export const insertTerminal = (m: EntityManager, row: TerminalRow) => m.getRepository(TerminalEntity).insert(row);

/** Retires a live terminal (token and pairing code gone); false when it was retired or replaced meanwhile. */
export async function retireTerminal(m: EntityManager, id: string, at: string): Promise<boolean> {
  const r = await m
    .getRepository(TerminalEntity)
    .createQueryBuilder()
    .update()
    .set({ retiredAt: at, revokedAt: at, tokenHash: null, pairingCodeHash: null, pairingSelector: null, pairingExpiresAt: null })
    .where('id = :id AND retired_at IS NULL AND replaced_by_id IS NULL', { id })
    .execute();
  return (r.affected ?? 0) > 0;
}

/** Tickets of a terminal HQ still holds back: out of order (waiting for earlier seqs) or open in the review queue. */
export async function heldTickets(m: EntityManager, terminalId: string): Promise<{ held: number; inReview: number }> {
  const p = placeholders(engineOfManager(m), 1);
  const [h] = (await m.query(`SELECT COUNT(*) AS n FROM ingest_hold WHERE terminal_id = ${p}`, [terminalId])) as Array<{ n: string | number }>;
  const [r] = (await m.query(`SELECT COUNT(*) AS n FROM ingest_review WHERE terminal_id = ${p} AND status = 'open'`, [terminalId])) as Array<{ n: string | number }>;
  return { held: Number(h?.n ?? 0), inReview: Number(r?.n ?? 0) };
}

// ─── contracts ───

export const contractsOf = (m: EntityManager, companyId: string) => m.getRepository(FranchiseContractEntity).find({ where: { companyId }, order: { startsOn: 'DESC' } });
export const contractById = (m: EntityManager, id: string) => m.getRepository(FranchiseContractEntity).findOneBy({ id });
export const insertContract = (m: EntityManager, row: FranchiseContractRow) => m.getRepository(FranchiseContractEntity).insert(row);
export const updateContract = (m: EntityManager, id: string, row: Partial<FranchiseContractRow>) => m.getRepository(FranchiseContractEntity).update({ id }, row);

/** Contracts of the company whose [start, end] meets [startsOn, endsOn] (null end: open-ended), but `exceptId`. */
export async function overlappingContracts(m: EntityManager, companyId: string, startsOn: string, endsOn: string | null, exceptId?: string): Promise<FranchiseContractRow[]> {
  const qb = m
    .getRepository(FranchiseContractEntity)
    .createQueryBuilder('k')
    .where('k.company_id = :companyId', { companyId })
    .andWhere('(k.ends_on IS NULL OR k.ends_on >= :startsOn)', { startsOn });
  if (endsOn !== null) qb.andWhere('k.starts_on <= :endsOn', { endsOn });
  if (exceptId) qb.andWhere('k.id <> :exceptId', { exceptId });
  return qb.orderBy('k.starts_on', 'ASC').getMany();
}

export async function contractOn(m: EntityManager, companyId: string, date: string): Promise<FranchiseContractRow | null> {
  return m
    .getRepository(FranchiseContractEntity)
    .createQueryBuilder('k')
    .where('k.company_id = :companyId AND k.starts_on <= :date AND (k.ends_on IS NULL OR k.ends_on >= :date)', { companyId, date })
    .orderBy('k.starts_on', 'DESC')
    .getOne();
}
