/** HTTP edge of the organisation module: thin routes (zod parse → use case → answer), one declaration each. */
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { isValidIBAN } from 'ibantools';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/organisation';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { EXPORT_MEDIA, listQuery, MAX_EXPORT_ROWS, pageSchema, sendExport, type ExportColumn, type Page } from '../platform/list';
import { organisationFor } from './service';
import * as uc from './use-cases';
import { addTerminal, retireTerminal } from './terminals';

const TAGS = ['organisation'];
const IdParams = z.object({ id: z.guid() });
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The shared body plus the IBAN's check digits (ibantools lives in the back office, not in `shared`). */
export const CompanyBody = W.CompanyInput.superRefine((c, ctx) => {
  // Only a well-formed IBAN gets a second message about its check digits.
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(c.iban) && !isValidIBAN(c.iban)) ctx.addIssue({ code: 'custom', path: ['iban'], message: 'IBAN no válido (dígitos de control) / invalid IBAN (check digits)' });
});

const CompaniesQuery = listQuery(['legalName', 'nif', 'kind', 'city'], { kind: W.CompanyKind.optional(), archived: Flag.optional() });
const StoresQuery = listQuery(['code', 'name', 'city', 'timezone', 'salesAreaM2'], { companyId: z.guid().optional(), archived: Flag.optional() });
const WarehousesQuery = listQuery(['code', 'name', 'city'], { archived: Flag.optional() });

/** A list answered as JSON, or the same filtered rows as CSV/XLSX (`?format=`). */
async function listOrExport<T, Q extends { format: 'json' | 'csv' | 'xlsx'; page: number; pageSize: number }>(
  res: Response,
  q: Q,
  name: string,
  columns: ReadonlyArray<ExportColumn<T>>,
  load: (q: Q) => Promise<Page<T>>,
): Promise<Page<T> | undefined> {
  if (q.format === 'json') return load(q);
  const all = await load({ ...q, page: 1, pageSize: MAX_EXPORT_ROWS });
  await sendExport(res, q.format, name, columns, all.items);
  return undefined;
}

const addressText = (a: W.Address | null) => (a ? `${a.street}, ${a.postalCode} ${a.city} (${a.province}) ${a.country}` : '');

export function organisationRoutes(ds: DataSource, clock: Clock): ApiRouter {
  const x: uc.Ctx = { ds, clock };
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/organisation', tags: TAGS, access: 'user',
      summary: 'The franchise tree in the caller’s scope (companies → stores → terminals)',
      handler: ({ user }) => organisationFor(ds, user),
    }),
    // ─── companies ───
    defineRoute({
      method: 'get', path: '/api/companies', tags: TAGS, access: 'organisation.read', query: CompaniesQuery, response: pageSchema(W.Company), produces: EXPORT_MEDIA,
      summary: 'Companies (franchisor and franchisees) in the caller’s scope',
      handler: ({ user, query, res }) =>
        listOrExport(res, query, 'companies', [
          { header: 'NIF', value: (c: W.Company) => c.nif },
          { header: 'Razón social / Legal name', value: (c) => c.legalName },
          { header: 'Nombre comercial / Trade name', value: (c) => c.tradeName },
          { header: 'Tipo / Kind', value: (c) => c.kind },
          { header: 'Dirección / Address', value: (c) => addressText(c.address) },
          { header: 'IBAN', value: (c) => c.iban },
          { header: 'Tiendas / Stores', value: (c) => c.storeCount },
          { header: 'Archivada / Archived', value: (c) => c.archivedAt },
        ], (q) => uc.listCompanies(x, user, q)),
    }),
    defineRoute({ method: 'get', path: '/api/companies/:id', tags: TAGS, access: 'organisation.read', params: IdParams, response: W.Company, summary: 'One company with its contacts', handler: ({ user, params }) => uc.getCompany(x, user, params.id) }),
    defineRoute({ method: 'post', path: '/api/companies', tags: TAGS, access: 'organisation.write', body: CompanyBody, response: W.Company, status: 201, summary: 'Create a company', handler: ({ user, body }) => uc.createCompany(x, user, body) }),
    defineRoute({ method: 'put', path: '/api/companies/:id', tags: TAGS, access: 'organisation.write', params: IdParams, body: CompanyBody, response: W.Company, summary: 'Edit a company (contacts replaced by the list sent)', handler: ({ user, params, body }) => uc.updateCompany(x, user, params.id, body) }),
    defineRoute({ method: 'post', path: '/api/companies/:id/archive', tags: TAGS, access: 'organisation.write', params: IdParams, body: W.Archive, response: W.Company, summary: 'Archive or restore a company', handler: ({ user, params, body }) => uc.archiveCompany(x, user, params.id, body.archived) }),
    defineRoute({ method: 'delete', path: '/api/companies/:id', tags: TAGS, access: 'organisation.write', params: IdParams, status: 204, summary: 'Delete an unused company (409 with the reason when in use)', handler: ({ user, params }) => uc.deleteCompany(x, user, params.id) }),
    // ─── franchise contracts ───
    defineRoute({ method: 'get', path: '/api/companies/:id/contracts', tags: TAGS, access: 'contracts.read', params: IdParams, response: z.array(W.Contract), summary: 'A franchisee’s franchise contracts, newest first', handler: ({ user, params }) => uc.listContracts(x, user, params.id) }),
    defineRoute({ method: 'post', path: '/api/companies/:id/contracts', tags: TAGS, access: 'contracts.write', params: IdParams, body: W.ContractInput, response: W.Contract, status: 201, summary: 'Add a franchise contract (no overlap with another of the company)', handler: ({ user, params, body }) => uc.createContract(x, user, params.id, body) }),
    defineRoute({ method: 'put', path: '/api/contracts/:id', tags: TAGS, access: 'contracts.write', params: IdParams, body: W.ContractInput, response: W.Contract, summary: 'Change or end a franchise contract', handler: ({ user, params, body }) => uc.updateContract(x, user, params.id, body) }),
    // ─── stores ───
    defineRoute({
      method: 'get', path: '/api/stores', tags: TAGS, access: 'organisation.read', query: StoresQuery, response: pageSchema(W.Store), produces: EXPORT_MEDIA,
      summary: 'Stores in the caller’s scope',
      handler: ({ user, query, res }) =>
        listOrExport(res, query, 'stores', [
          { header: 'Código / Code', value: (s: W.Store) => s.code },
          { header: 'Nombre / Name', value: (s) => s.name },
          { header: 'Empresa / Company', value: (s) => s.companyName },
          { header: 'Dirección / Address', value: (s) => addressText(s.address) },
          { header: 'Zona horaria / Time zone', value: (s) => s.timezone },
          { header: 'Superficie m² / Area m²', value: (s) => s.salesAreaM2 },
          { header: 'Cajas / Tills', value: (s) => s.terminalCount },
          { header: 'Archivada / Archived', value: (s) => s.archivedAt },
        ], (q) => uc.listStores(x, user, q)),
    }),
    defineRoute({ method: 'get', path: '/api/stores/:id', tags: TAGS, access: 'organisation.read', params: IdParams, response: W.Store, summary: 'One store', handler: ({ user, params }) => uc.getStore(x, user, params.id) }),
    defineRoute({ method: 'post', path: '/api/stores', tags: TAGS, access: 'organisation.write', body: W.StoreInput, response: W.Store, status: 201, summary: 'Create a store', handler: ({ user, body }) => uc.createStore(x, user, body) }),
    defineRoute({ method: 'put', path: '/api/stores/:id', tags: TAGS, access: 'organisation.write', params: IdParams, body: W.StoreInput, response: W.Store, summary: 'Edit a store', handler: ({ user, params, body }) => uc.updateStore(x, user, params.id, body) }),
    defineRoute({ method: 'post', path: '/api/stores/:id/archive', tags: TAGS, access: 'organisation.write', params: IdParams, body: W.Archive, response: W.Store, summary: 'Archive or restore a store', handler: ({ user, params, body }) => uc.archiveStore(x, user, params.id, body.archived) }),
    defineRoute({ method: 'delete', path: '/api/stores/:id', tags: TAGS, access: 'organisation.write', params: IdParams, status: 204, summary: 'Delete an unused store (409 with the reason: terminals, sales…)', handler: ({ user, params }) => uc.deleteStore(x, user, params.id) }),
    // ─── central warehouses ───
    defineRoute({
      method: 'get', path: '/api/warehouses', tags: TAGS, access: 'organisation.read', query: WarehousesQuery, response: pageSchema(W.Warehouse), produces: EXPORT_MEDIA,
      summary: 'The franchisor’s central warehouses',
      handler: ({ query, res }) =>
        listOrExport(res, query, 'warehouses', [
          { header: 'Código / Code', value: (w: W.Warehouse) => w.code },
          { header: 'Nombre / Name', value: (w) => w.name },
          { header: 'Dirección / Address', value: (w) => addressText(w.address) },
          { header: 'Archivado / Archived', value: (w) => w.archivedAt },
        ], (q) => uc.listWarehouses(x, q)),
    }),
    defineRoute({ method: 'get', path: '/api/warehouses/:id', tags: TAGS, access: 'organisation.read', params: IdParams, response: W.Warehouse, summary: 'One central warehouse', handler: ({ params }) => uc.getWarehouse(x, params.id) }),
    defineRoute({ method: 'post', path: '/api/warehouses', tags: TAGS, access: 'organisation.write', body: W.WarehouseInput, response: W.Warehouse, status: 201, summary: 'Create a central warehouse (the franchisor’s)', handler: ({ user, body }) => uc.saveWarehouse(x, user, null, body) }),
    defineRoute({ method: 'put', path: '/api/warehouses/:id', tags: TAGS, access: 'organisation.write', params: IdParams, body: W.WarehouseInput, response: W.Warehouse, summary: 'Edit a central warehouse', handler: ({ user, params, body }) => uc.saveWarehouse(x, user, params.id, body) }),
    defineRoute({ method: 'post', path: '/api/warehouses/:id/archive', tags: TAGS, access: 'organisation.write', params: IdParams, body: W.Archive, response: W.Warehouse, summary: 'Archive or restore a warehouse', handler: ({ user, params, body }) => uc.archiveWarehouse(x, user, params.id, body.archived) }),
    defineRoute({ method: 'delete', path: '/api/warehouses/:id', tags: TAGS, access: 'organisation.write', params: IdParams, status: 204, summary: 'Delete a warehouse', handler: ({ user, params }) => uc.deleteWarehouse(x, user, params.id) }),
    // ─── terminals (pairing, replacement and revocation: ../pairing) ───
    defineRoute({ method: 'post', path: '/api/terminals', tags: ['terminals'], access: 'terminals.write', body: W.TerminalInput, response: W.TerminalAdded, status: 201, summary: 'Add a till to a store (next free code) and get its pairing code', handler: ({ user, body }) => addTerminal(x, user, body) }),
    defineRoute({ method: 'post', path: '/api/terminals/:id/retire', tags: ['terminals'], access: 'terminals.write', params: IdParams, response: W.TerminalRetired, summary: 'Retire a till for good (token revoked); refused while HQ holds tickets of it back', handler: ({ user, params }) => retireTerminal(x, user, params.id) }),
  ]);
}
