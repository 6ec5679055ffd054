/**
 * The incidents register's use cases (issue 17), each one transaction with its history line and an audit
 * record: report (a store's back office or HQ; tills come up through the outbox, till-handlers.ts), assign,
 * move through the states (closing needs a resolution), comment, add photos. Scope: a store's people act on
 * their store's incidents, a franchisee's on their companies', HQ on all; a foreign row is 403.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { can, isFranchiseWide } from '@tpv/shared/permissions';
import { mayMove, needsResolution, type IncidentState } from '@tpv/shared/quality/rules';
import type { IncidentCreateBody, IncidentDetail, IncidentStateBody } from '@tpv/shared/wire/http/quality';
import { canAccessStore, type AuthUser } from '../auth/service';
import { userById } from '../auth/repository';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import type { Files } from '../platform/files/service';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import { openIncident } from './incidents-api';
import * as repo from './repository';

/** Purpose of quality photos in the files area (incidents and audit answers). */
export const PHOTO_PURPOSE = 'quality-photo';
export const photoUrl = (fileId: string) => `/api/files/${fileId}`;

export function incidentScopeOf(user: AuthUser): repo.IncidentScope {
  if (isFranchiseWide(user.role)) return { companyIds: null, storeId: null };
  if (user.role === 'store_manager') return { companyIds: [], storeId: user.storeId ?? '-' };
  return { companyIds: user.companyIds, storeId: null };
}

/** Photos named by id must be quality photos the caller may read (uploaded before, in their scope). */
export async function checkPhotos(files: Files, user: AuthUser | null, ids: readonly string[], field: string): Promise<void> {
  for (const [i, id] of ids.entries()) {
    const f = user ? await files.readable(user, id) : await files.find(id);
    if (!f || f === 'forbidden' || f.purpose !== PHOTO_PURPOSE) throw refused(422, 'PHOTO_UNKNOWN', `Foto desconocida / unknown photo ${id}`, `${field}.${i}`);
  }
}

export async function incidentDetail(m: Db, id: string): Promise<IncidentDetail | undefined> {
  const row = await repo.incidentById(m, id);
  if (!row) return undefined;
  const { assigneeId: _assignee, ...rest } = row;
  void _assignee;
  return {
    ...rest,
    photos: (await repo.photosOf(m, id)).map((fileId) => ({ fileId, url: photoUrl(fileId) })),
    comments: await repo.commentsOf(m, id),
    history: await repo.historyOf(m, id),
  };
}

export function createIncidentService(ds: DataSource, clock: Clock, files: Files) {
  const iso = () => new Date(clock.now()).toISOString();
  const by = (u: AuthUser) => ({ byId: u.id, byEmail: u.email });

  /** The incident, when the caller may act on it: 404 unknown, 403 outside their scope. */
  async function writable(m: Db, user: AuthUser, id: string): Promise<repo.IncidentDetailRow> {
    const row = await repo.incidentById(m, id);
    if (!row) throw notFound(`incident ${id}`);
    if (!repo.inScope(incidentScopeOf(user), row)) throw forbidden('Esta incidencia no es de su ámbito / This incident is outside your scope.');
    return row;
  }

  async function detail(user: AuthUser, id: string): Promise<IncidentDetail> {
    await writable(ds.manager, user, id);
    return (await incidentDetail(ds.manager, id))!;
  }

  return {
    detail,

    async report(user: AuthUser, body: IncidentCreateBody, requestId?: string): Promise<IncidentDetail> {
      const m = ds.manager;
      let companyId: string;
      let storeId: string | null = null;
      if (body.storeId) {
        const store = await repo.storeOf(m, body.storeId);
        if (!store) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${body.storeId}`, 'storeId');
        if (!(await canAccessStore(ds, user, store.id))) throw forbidden('Esta tienda no es de su ámbito / This store is outside your scope.');
        companyId = store.companyId;
        storeId = store.id;
      } else {
        // An incident of no store is HQ's (a supplier, the network): franchise-wide roles only.
        if (!isFranchiseWide(user.role)) throw refused(422, 'STORE_REQUIRED', 'Indique la tienda / name the store', 'storeId');
        const c = body.companyId ?? (await repo.franchisorId(m));
        if (!c || !(await repo.companyExists(m, c))) throw refused(422, 'COMPANY_UNKNOWN', `Empresa desconocida / unknown company ${body.companyId ?? ''}`, 'companyId');
        companyId = c;
      }
      if (body.productId && !(await repo.exists(m, 'product', body.productId))) throw refused(422, 'PRODUCT_UNKNOWN', `No existe el artículo ${body.productId} / no such product`, 'productId');
      if (body.supplierId && !(await repo.exists(m, 'supplier', body.supplierId))) throw refused(422, 'SUPPLIER_UNKNOWN', `Proveedor desconocido / unknown supplier ${body.supplierId}`, 'supplierId');
      if (body.customerId && !(await repo.exists(m, 'customer', body.customerId))) throw refused(422, 'CUSTOMER_UNKNOWN', `Cliente desconocido / unknown customer ${body.customerId}`, 'customerId');
      if (!!body.documentType !== !!body.documentId) throw refused(422, 'DOCUMENT_INCOMPLETE', 'Indique el tipo y el documento / give both document type and id', body.documentType ? 'documentId' : 'documentType');
      let documentNumber: string | null = null;
      if (body.documentType && body.documentId) {
        const n = await repo.documentNumberOf(m, body.documentType, body.documentId);
        if (n === undefined) throw refused(422, 'DOCUMENT_UNKNOWN', `Documento desconocido / unknown document ${body.documentId}`, 'documentId');
        documentNumber = n;
      }
      if (body.complaintFormNumber) {
        if (body.kind !== 'customer_complaint' || !storeId) {
          throw refused(422, 'COMPLAINT_FORM_MISPLACED', 'La hoja de reclamaciones va en una reclamación de cliente de una tienda / a complaint form belongs to a store’s customer complaint', 'complaintFormNumber');
        }
      }
      await checkPhotos(files, user, body.photoIds ?? [], 'photoIds');
      const source = isFranchiseWide(user.role) ? 'hq' : 'store';
      const made = await writeTransaction(ds, async (tx) => {
        if (body.complaintFormNumber && (await repo.complaintFormTaken(tx, storeId!, body.complaintFormNumber))) {
          throw refused(409, 'COMPLAINT_FORM_TAKEN', `La hoja de reclamaciones ${body.complaintFormNumber} ya está registrada en esta tienda / already registered at this store`, 'complaintFormNumber');
        }
        const r = await openIncident(tx, clock, {
          companyId, storeId, kind: body.kind, severity: body.severity, title: body.title, description: body.description || null, productId: body.productId ?? null,
          documentType: body.documentType ?? null, documentId: body.documentId ?? null, documentNumber, quantity: body.quantity ?? null, supplierId: body.supplierId ?? null,
          customerId: body.customerId ?? null, complaintFormNumber: body.complaintFormNumber ?? null, source, photoIds: [...new Set(body.photoIds ?? [])], createdBy: { id: user.id, email: user.email },
        });
        await recordAudit(tx, clock, { actor: { id: user.id, email: user.email }, action: 'incident.report', entity: 'incident', entityId: r.id, companyId, storeId, after: body, requestId: requestId ?? null });
        return r;
      });
      return detail(user, made.id);
    },

    async assign(user: AuthUser, id: string, userId: string, requestId?: string): Promise<IncidentDetail> {
      await writeTransaction(ds, async (m) => {
        const row = await writable(m, user, id);
        if (row.state === 'closed') throw refused(409, 'INCIDENT_CLOSED', `La incidencia ${row.number} está cerrada / the incident is closed`);
        const who = await userById(m, userId);
        // The assignee must be able to see the incident: HQ, the store's manager, the company's franchisee.
        const fits = who && who.active && can(who, 'incidents.write') && (isFranchiseWide(who.role) || (who.role === 'store_manager' ? who.storeId === row.storeId : who.role === 'franchisee_manager' && who.companyIds.includes(row.companyId)));
        if (!fits) throw refused(422, 'ASSIGNEE_UNFIT', 'Ese usuario no puede llevar esta incidencia / that user cannot handle this incident', 'userId');
        const at = iso();
        const state: IncidentState = row.state === 'open' ? 'assigned' : row.state;
        await repo.setAssignee(m, id, { id: who.id, email: who.email }, state, at);
        await repo.insertEvent(m, { id: newRowId(clock), incidentId: id, action: 'assigned', detail: who.email, at, ...by(user) });
        await recordAudit(m, clock, {
          actor: { id: user.id, email: user.email }, action: 'incident.assign', entity: 'incident', entityId: id, companyId: row.companyId, storeId: row.storeId,
          before: { state: row.state, assignee: row.assigneeEmail }, after: { state, assignee: who.email }, requestId: requestId ?? null,
        });
      });
      return detail(user, id);
    },

    async move(user: AuthUser, id: string, body: IncidentStateBody, requestId?: string): Promise<IncidentDetail> {
      await writeTransaction(ds, async (m) => {
        const row = await writable(m, user, id);
        if (!mayMove(row.state, body.state)) throw refused(409, 'STATE_MOVE_REFUSED', `Una incidencia en estado ${row.state} no pasa a ${body.state} / cannot move from ${row.state} to ${body.state}`, 'state');
        if (body.state === 'in_progress' && !row.assigneeEmail) throw refused(409, 'NOT_ASSIGNED', 'Asigne la incidencia antes / assign the incident first', 'state');
        const resolution = body.resolution || row.resolution;
        if (needsResolution(body.state) && !resolution) {
          throw refused(422, 'RESOLUTION_REQUIRED', 'Para resolver o cerrar, explique la solución / give the resolution to resolve or close', 'resolution');
        }
        const at = iso();
        const resolvedAt = body.state === 'in_progress' ? null : needsResolution(body.state) ? (row.resolvedAt ?? at) : row.resolvedAt;
        await repo.setState(m, id, { state: body.state, resolution: resolution ?? null, resolvedAt, closedAt: body.state === 'closed' ? at : null, at });
        await repo.insertEvent(m, { id: newRowId(clock), incidentId: id, action: body.state, detail: body.resolution || null, at, ...by(user) });
        await recordAudit(m, clock, {
          actor: { id: user.id, email: user.email }, action: `incident.${body.state}`, entity: 'incident', entityId: id, companyId: row.companyId, storeId: row.storeId,
          before: { state: row.state }, after: { state: body.state, resolution }, requestId: requestId ?? null,
        });
      });
      return detail(user, id);
    },

    /** Who the incident can be assigned to (may work incidents, and may see this one). */
    async assignees(user: AuthUser, id: string) {
      const row = await writable(ds.manager, user, id);
      return { items: (await repo.assigneeCandidates(ds.manager, row)).filter((u) => can({ role: u.role as Parameters<typeof can>[0]['role'] }, 'incidents.write')) };
    },

    async comment(user: AuthUser, id: string, text: string): Promise<IncidentDetail> {
      await writeTransaction(ds, async (m) => {
        await writable(m, user, id);
        const at = iso();
        await repo.insertComment(m, { id: newRowId(clock), incidentId: id, text, at, ...by(user) });
        await repo.insertEvent(m, { id: newRowId(clock), incidentId: id, action: 'commented', detail: text.slice(0, 200), at, ...by(user) });
      });
      return detail(user, id);
    },

    async addPhotos(user: AuthUser, id: string, photoIds: readonly string[]): Promise<IncidentDetail> {
      await writable(ds.manager, user, id);
      await checkPhotos(files, user, photoIds, 'photoIds');
      await writeTransaction(ds, async (m) => {
        const row = await writable(m, user, id);
        if (row.state === 'closed') throw refused(409, 'INCIDENT_CLOSED', `La incidencia ${row.number} está cerrada / the incident is closed`);
        const have = new Set(await repo.photosOf(m, id));
        const at = iso();
        const added = [...new Set(photoIds)].filter((p) => !have.has(p));
        for (const p of added) await repo.insertPhoto(m, id, p, at);
        if (added.length) await repo.insertEvent(m, { id: newRowId(clock), incidentId: id, action: 'photo', detail: `${added.length}`, at, ...by(user) });
      });
      return detail(user, id);
    },
  };
}
export type IncidentService = ReturnType<typeof createIncidentService>;
