/**
 * The documents library (issue 16): procedures and manuals for an audience — the network, companies or stores
 * (a franchisee: their own), optionally some back-office roles. Each version's file is kept in the files area;
 * a new version makes everyone in the audience acknowledge it again. Who sees what: HQ every document; others
 * the documents whose audience they are in. The page lists who acknowledged which version (within scope).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { DocumentCreateBody, DocumentDetail } from '@tpv/shared/wire/http/office-documents';
import { visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { isFranchiseWide } from '../platform/permissions';
import type { Files, StoredFile } from '../platform/files/service';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import * as repo from './documents-repository';
import { resolveTargetStores } from './targets';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
type FileIn = DocumentCreateBody['file'];

export function createDocumentService(ds: DataSource, clock: Clock, files: Files) {
  /** Whether the user is in the document's audience (their role named or none; their companies / stores reached). */
  async function forUser(user: AuthUser, d: repo.DocumentRow): Promise<boolean> {
    if (d.roles.length > 0 && !d.roles.includes(user.role)) return false;
    if (d.target === 'all') return true;
    if (isFranchiseWide(user.role)) return false;
    if (d.target === 'company') return d.targetIds.some((c) => user.companyIds.includes(c));
    const mine = (await visibleStoreIds(ds, user)) ?? [];
    return d.targetIds.some((s) => mine.includes(s));
  }
  /** HQ sees every document; others those they are the audience of, or of their companies (a franchisee manages their own). */
  async function visible(user: AuthUser, d: repo.DocumentRow): Promise<boolean> {
    return isFranchiseWide(user.role) || (await forUser(user, d)) || (user.role === 'franchisee_manager' && d.target !== 'all' && d.targetCompanies.every((c) => user.companyIds.includes(c)));
  }
  async function summary(user: AuthUser, d: repo.DocumentRow) {
    return { id: d.id, title: d.title, category: d.category, target: d.target, targetIds: d.targetIds, roles: d.roles, currentVersion: d.currentVersion, updatedAt: d.updatedAt, forMe: await forUser(user, d), acknowledgedVersion: await repo.lastAck(ds.manager, d.id, user.id) };
  }
  async function load(user: AuthUser, id: string): Promise<repo.DocumentRow> {
    const d = (await repo.documents(ds.manager, id))[0];
    if (!d || !(await visible(user, d))) throw notFound(`document ${id}`);
    return d;
  }
  async function saveFile(user: AuthUser, f: FileIn): Promise<StoredFile> {
    const data = Buffer.from(f.contentBase64, 'base64');
    if (data.length === 0) throw refused(422, 'FILE_EMPTY', 'El fichero está vacío / the file is empty', 'file.contentBase64');
    return files.save({ name: f.name, mediaType: f.mediaType, purpose: 'document', owner: { companyId: null, storeId: null, createdBy: user.id }, data });
  }
  /** Only who could address the document's audience adds a version (HQ; a franchisee for their own companies' documents). */
  const mayWrite = (user: AuthUser, d: repo.DocumentRow) => isFranchiseWide(user.role) || (d.target !== 'all' && d.targetCompanies.every((c) => user.companyIds.includes(c)));

  async function detail(user: AuthUser, id: string): Promise<DocumentDetail> {
    const d = await load(user, id);
    return { document: await summary(user, d), versions: (await repo.versions(ds.manager, id)).map(({ fileId: _f, ...v }) => v), acknowledgements: await repo.acknowledgements(ds.manager, id, visibleCompanyIds(user)) };
  }

  return {
    detail,
    async list(user: AuthUser) {
      const out = [];
      for (const d of await repo.documents(ds.manager)) if (await visible(user, d)) out.push(await summary(user, d));
      return { items: out };
    },
    async create(user: AuthUser, body: DocumentCreateBody, requestId?: string): Promise<DocumentDetail> {
      // Scope and targets first (nothing saved when refused), then the file, then the rows.
      const stores = await resolveTargetStores(ds.manager, user, body.target, body.targetIds);
      const ids = [...new Set(body.targetIds)];
      const targets = ids.map((ref) => ({ refId: ref, companyId: body.target === 'company' ? ref : stores.find((s) => s.id === ref)!.companyId }));
      const file = await saveFile(user, body.file);
      const id = newRowId(clock);
      const at = iso(clock);
      try {
        await writeTransaction(ds, async (m) => {
          await repo.insertDocument(m, { id, title: body.title, category: body.category, target: body.target, roles: [...new Set(body.roles)], at, by: user.id }, targets);
          await repo.addVersion(m, { documentId: id, fileId: file.id, note: body.note ?? null, at, by: user.id });
          await recordAudit(m, clock, { actor: actorOf(user), action: 'office_document.create', entity: 'office_document', entityId: id, after: { title: body.title, target: body.target, targetIds: ids, roles: body.roles, version: 1, sha256: file.sha256 }, requestId: requestId ?? null });
        });
      } catch (e) {
        await files.remove(file);
        throw e;
      }
      return detail(user, id);
    },
    async addVersion(user: AuthUser, id: string, body: { note?: string | undefined; file: FileIn }, requestId?: string): Promise<DocumentDetail> {
      const d = await load(user, id);
      if (!mayWrite(user, d)) throw refused(404, 'NOT_FOUND', `document ${id} not found`);
      const file = await saveFile(user, body.file);
      try {
        await writeTransaction(ds, async (m) => {
          const v = await repo.addVersion(m, { documentId: id, fileId: file.id, note: body.note ?? null, at: iso(clock), by: user.id });
          await recordAudit(m, clock, { actor: actorOf(user), action: 'office_document.version', entity: 'office_document', entityId: id, after: { version: v, sha256: file.sha256 }, requestId: requestId ?? null });
        });
      } catch (e) {
        await files.remove(file);
        throw e;
      }
      return detail(user, id);
    },
    /** Acknowledges the current version (an older one is refused 409: read the new one first); once per person and version. */
    async acknowledge(user: AuthUser, id: string, version: number): Promise<DocumentDetail> {
      const d = await load(user, id);
      if (!(await forUser(user, d))) throw refused(404, 'NOT_FOUND', `document ${id} is not for you`);
      if (version !== d.currentVersion) throw refused(409, 'VERSION_NOT_CURRENT', `La versión vigente es la ${d.currentVersion} / the current version is ${d.currentVersion}`, 'version');
      if ((await repo.lastAck(ds.manager, id, user.id)) === version) throw refused(409, 'ALREADY_ACKNOWLEDGED', 'Ya confirmó esta versión / already acknowledged');
      await writeTransaction(ds, async (m) => repo.insertAck(m, id, version, user.id, iso(clock)));
      return detail(user, id);
    },
    /** A version's file, for whoever sees the document. */
    async file(user: AuthUser, id: string, version: number): Promise<StoredFile> {
      await load(user, id);
      const v = (await repo.versions(ds.manager, id)).find((x) => x.version === version);
      if (!v) throw notFound(`version ${version} of document ${id}`);
      return (await files.find(v.fileId))!;
    },
  };
}
