/**
 * Receipt design at HQ (issue 19), the use cases — each write a transaction, audited:
 * - save: a company's design (HQ, or the franchisee of that company) or one store's override of it; a
 *   logo upload is dithered to both paper widths here (logo.ts), so the tills never process pictures.
 * - preview: the sample receipt through our encoder → decoder → picture (preview.ts), from the drafts.
 * - publish: the drafts become what is published and every store concerned gets its effective design
 *   (company's + the store's overrides) on the change feed (`receipt_design`, id = store, store-scoped);
 *   the tills are nudged after the commit and keep the last design in SQLite (printing offline).
 * Scope: a company the caller may act on (403 otherwise); a store must be of that company (422) and the
 * caller's (403). A store manager only reads.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { ReceiptDesignData } from '@tpv/shared/receipts/design';
import type { DesignBody, DesignFields, DesignView } from '@tpv/shared/wire/http/receipts';
import { canAccessCompany, canAccessStore, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import { ditherLogo, LogoProblem } from './logo';
import { eReceiptStoreKey } from '@tpv/shared/receipts/e-receipt';
import { serverSecret } from '../persistence/server-secret';
import { renderPreview, type Preview } from './preview';
import * as repo from './repository';

export type DesignNudge = (storeId: string | null, version: number) => void;

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });

/** What a store prints when nothing says otherwise: no logo, no extra lines, 30 days to exchange, vouchers for gift returns. */
export const DEFAULT_DESIGN = { logo: null, headerLines: [], footerLines: [], returnPolicy: null, exchangeDays: 30, giftRefund: 'voucher', promo: null } as const;

type Effective = Omit<ReceiptDesignData, 'storeId' | 'companyId' | 'revision' | 'publishedAt' | 'eReceipt'>;

/** The server secret the stores' e-receipt keys are made from (persistence/server-secret.ts). */
export const E_RECEIPT_SECRET = 'e-receipt';

/** Company fields, then the store's: a field the store sets wins, an absent one is inherited. */
export function mergeDesign(company: DesignFields | null | undefined, store: DesignFields | null | undefined): Effective {
  const pick = <K extends keyof Effective>(k: K): Effective[K] =>
    ((store?.[k] !== undefined ? store[k] : company?.[k] !== undefined ? company[k] : DEFAULT_DESIGN[k]) as Effective[K]);
  return {
    logo: pick('logo'), headerLines: [...pick('headerLines')], footerLines: [...pick('footerLines')], returnPolicy: pick('returnPolicy'),
    exchangeDays: pick('exchangeDays'), giftRefund: pick('giftRefund'), promo: pick('promo'),
  };
}

/** The design's fields without the logo's dots (audit rows, lists): the logo by id and file name. */
const summary = (f: DesignFields) => ({ ...f, logo: f.logo ? { id: f.logo.id, name: f.logoName ?? null } : f.logo });

function view(r: repo.DesignRow): DesignView {
  return { companyId: r.companyId, storeId: r.storeId, draft: r.draft, published: r.published, revision: r.revision, publishedRevision: r.publishedRevision, publishedAt: r.publishedAt, updatedAt: r.updatedAt };
}

export function createReceiptDesignService(ds: DataSource, clock: Clock, nudge: DesignNudge = () => undefined) {
  async function companyInScope(user: AuthUser, companyId: string, write: boolean) {
    const company = await repo.companyOf(ds.manager, companyId);
    if (!company) throw notFound(`company ${companyId}`);
    const visible = visibleCompanyIds(user);
    const may = write ? canAccessCompany(user, companyId) : visible === null || visible.includes(companyId);
    if (!may) throw forbidden('Esta empresa no es de tu ámbito / this company is outside your scope.');
    return company;
  }
  async function storeInScope(user: AuthUser, companyId: string, storeId: string) {
    const stores = await repo.storesOf(ds.manager, companyId);
    const store = stores.find((s) => s.id === storeId);
    if (!store) throw refused(422, 'STORE_NOT_OF_COMPANY', 'La tienda no es de esa empresa / the store is not of that company', 'storeId');
    if (!(await canAccessStore(ds, user, storeId))) throw forbidden('Esta tienda no es de tu ámbito / this store is outside your scope.');
    return store;
  }

  /** The fields after applying a body to the current draft (the logo dithered now). */
  function apply(current: DesignFields, body: DesignBody): DesignFields {
    const next: DesignFields = { ...current };
    if (body.logo === null) Object.assign(next, { logo: null, logoName: null });
    else if (body.logo) {
      try {
        Object.assign(next, { logo: ditherLogo(body.logo), logoName: body.logo.fileName });
      } catch (e) {
        if (e instanceof LogoProblem) throw refused(422, 'LOGO_UNREADABLE', e.message, 'logo.dataBase64');
        throw e;
      }
    }
    for (const k of ['headerLines', 'footerLines', 'returnPolicy', 'exchangeDays', 'giftRefund', 'promo'] as const) if (body[k] !== undefined) Object.assign(next, { [k]: body[k] });
    for (const k of body.inherit ?? []) {
      delete next[k];
      if (k === 'logo') delete next.logoName;
    }
    return next;
  }

  async function save(user: AuthUser, companyId: string, storeId: string | null, body: DesignBody, requestId?: string): Promise<DesignView> {
    await companyInScope(user, companyId, true);
    if (storeId) await storeInScope(user, companyId, storeId);
    const at = iso(clock);
    return writeTransaction(ds, async (m) => {
      const before = await repo.designOf(m, companyId, storeId);
      const draft = apply(before?.draft ?? {}, body);
      await repo.saveDraft(m, { id: newRowId(clock), companyId, storeId, draft, at, by: user.id });
      const after = (await repo.designOf(m, companyId, storeId))!;
      await recordAudit(m, clock, {
        actor: actorOf(user), action: 'receipt_design.save', entity: 'receipt_design', entityId: after.id, companyId, storeId,
        before: before ? summary(before.draft) : null, after: summary(draft), requestId: requestId ?? null,
      });
      return view(after);
    });
  }

  /** The effective design of each store of the company (or the one store) from what is published. */
  async function effectiveFor(m: Db, companyId: string, stores: ReadonlyArray<{ id: string }>, at: string, link: { baseUrl: string; secret: Buffer }): Promise<ReceiptDesignData[]> {
    const company = await repo.designOf(m, companyId, null);
    const overrides = new Map((await repo.storeOverrides(m, companyId)).map((o) => [o.storeId, o]));
    return stores.map((s) => {
      const o = overrides.get(s.id);
      return {
        storeId: s.id, companyId, revision: `${company?.publishedRevision ?? 0}.${o?.publishedRevision ?? 0}`, publishedAt: at,
        ...mergeDesign(company?.published, o?.published),
        eReceipt: { baseUrl: link.baseUrl, key: eReceiptStoreKey(link.secret, s.id) },
      };
    });
  }

  return {
    save,

    async list(user: AuthUser, companyId: string) {
      await companyInScope(user, companyId, false);
      const company = await repo.designOf(ds.manager, companyId, null);
      const overrides = new Map((await repo.storeOverrides(ds.manager, companyId)).map((o) => [o.storeId, o]));
      const visibleStores = await Promise.all((await repo.storesOf(ds.manager, companyId)).map(async (s) => ((await canAccessStore(ds, user, s.id)) ? s : null)));
      return {
        company: company ? view(company) : null,
        stores: visibleStores.filter((s) => s !== null).map((s) => ({ storeId: s.id, code: s.code, name: s.name, override: overrides.has(s.id) ? view(overrides.get(s.id)!) : null })),
      };
    },

    async preview(user: AuthUser, companyId: string, q: { storeId?: string | undefined; columns: 32 | 48; source: 'draft' | 'published'; day?: string | undefined; design?: DesignBody | undefined }): Promise<Preview> {
      const company = await companyInScope(user, companyId, false);
      const store = q.storeId ? await storeInScope(user, companyId, q.storeId) : (await repo.storesOf(ds.manager, companyId))[0];
      const c = await repo.designOf(ds.manager, companyId, null);
      const o = q.storeId ? await repo.designOf(ds.manager, companyId, q.storeId) : undefined;
      const fields = (r: repo.DesignRow | undefined) => (r ? (q.source === 'draft' ? r.draft : r.published) : null);
      // What the page has typed but not saved goes over the draft it edits (the store's, else the company's): nothing is written.
      const typed = (r: repo.DesignRow | undefined, edited: boolean) => (edited && q.design ? apply(fields(r) ?? {}, q.design) : fields(r));
      const day = q.day ?? iso(clock).slice(0, 10);
      const design: ReceiptDesignData = { storeId: store?.id ?? 'preview', companyId, revision: 'preview', publishedAt: iso(clock), ...mergeDesign(typed(c, !q.storeId), typed(o, !!q.storeId)) };
      const receiptStore = {
        tradeName: company.tradeName ?? company.legalName, legalName: company.legalName, nif: company.nif,
        addressLines: [store?.name ?? '', store?.address ?? ''].filter((s) => s.trim() !== ''),
      };
      return renderPreview(receiptStore, design, { columns: q.columns, day });
    },

    /** Publishes the company's design (every store) or one store's override (that store). */
    async publish(user: AuthUser, companyId: string, storeId: string | null, requestId: string | undefined, baseUrl: string) {
      await companyInScope(user, companyId, true);
      if (storeId) await storeInScope(user, companyId, storeId);
      const secret = await serverSecret(ds, E_RECEIPT_SECRET, () => clock.now());
      const at = iso(clock);
      const out = await writeTransaction(ds, async (m) => {
        const row = await repo.designOf(m, companyId, storeId);
        if (!row) throw refused(422, 'NOTHING_TO_PUBLISH', 'No hay diseño guardado que publicar / no saved design to publish', storeId ? 'storeId' : 'companyId');
        await repo.markPublished(m, row.id, at, user.id);
        const stores = storeId ? [{ id: storeId }] : await repo.storesOf(m, companyId);
        const designs = await effectiveFor(m, companyId, stores, at, { baseUrl, secret });
        const changes: Array<{ storeId: string; revision: string; version: number }> = [];
        for (const d of designs) {
          const version = await appendChange(m, { entity: 'receipt_design', entityId: d.storeId, op: 'upsert', storeId: d.storeId, payload: d, createdAt: at });
          changes.push({ storeId: d.storeId, revision: d.revision, version });
        }
        await recordAudit(m, clock, {
          actor: actorOf(user), action: 'receipt_design.publish', entity: 'receipt_design', entityId: row.id, companyId, storeId,
          after: { revision: row.revision, stores: changes.map((c) => c.storeId), design: summary(row.draft) }, requestId: requestId ?? null,
        });
        return { revision: row.revision, stores: changes };
      });
      for (const c of out.stores) nudge(c.storeId, c.version);
      return out;
    },
  };
}

export const badDesign = (detail: string, path: string) => new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail, errors: [{ path, message: detail }] }));
