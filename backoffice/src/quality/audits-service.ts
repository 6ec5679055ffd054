/**
 * Store audits (issue 17), the use cases: HQ keeps checklist templates of weighted questions by section; an
 * auditor submits an audit done at a store (from the tablet page) in one transaction — answers checked
 * against their scales, photos per answer, the weighted score (shared/quality/rules: N/A left out of the
 * denominator), one corrective action per failing answer (owner, due date); actions are closed with a note
 * by the store or HQ; trends per store and per question over time.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { answerFails, auditScore, divHalfUp, inScale, scaleMax } from '@tpv/shared/quality/rules';
import type { AuditCreateBody, AuditDetail, AuditTemplate, AuditTemplateBody, AuditTrends } from '@tpv/shared/wire/http/quality';
import { canAccessStore, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import type { Files } from '../platform/files/service';
import { nextDocumentNumber } from '../platform/numbering';
import { can, isHqRole } from '../platform/permissions';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import * as repo from './audits-repository';
import { storeOf } from './repository';
import { checkPhotos, photoUrl } from './incidents-service';

/** A corrective action's default: the store's manager has a week (a weekly visit cycle) unless the auditor says otherwise. */
export const ACTION_DAYS = 7;
export const DEFAULT_OWNER = 'Encargado de tienda / store manager';
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function createAuditService(ds: DataSource, clock: Clock, files: Files) {
  const iso = () => new Date(clock.now()).toISOString();

  async function detail(user: AuthUser, id: string): Promise<AuditDetail> {
    const a = await repo.auditById(ds.manager, id);
    if (!a) throw notFound(`audit ${id}`);
    if (!(await canAccessStore(ds, user, a.storeId))) throw forbidden('Esta auditoría no es de su ámbito / This audit is outside your scope.');
    const answers = await repo.answersOf(ds.manager, id);
    const actions = await repo.listActions(ds.manager, null, { auditId: id, limit: 500 });
    const { companyId: _c, ...rest } = a;
    void _c;
    return {
      ...rest,
      answers: answers.map((x) => ({ ...x, photos: x.photos.map((fileId) => ({ fileId, url: photoUrl(fileId) })) })),
      actions: actions.map(({ companyId: _a, ...x }) => (void _a, x)),
    };
  }

  return {
    detail,
    templates: async () => ({ items: await repo.templates(ds.manager) }),

    async template(id: string): Promise<AuditTemplate> {
      const t = await repo.templateById(ds.manager, id);
      if (!t) throw notFound(`audit template ${id}`);
      return t;
    },

    async createTemplate(user: AuthUser, body: AuditTemplateBody, requestId?: string): Promise<AuditTemplate> {
      // Templates are the franchise's standard: HQ staff write them (an auditor runs audits on them).
      if (!isHqRole(user.role) || !can(user, 'audits.write')) throw forbidden('Las plantillas son de la central / templates are HQ’s.');
      const id = newRowId(clock);
      await writeTransaction(ds, async (m) => {
        await repo.insertTemplate(m, { id, name: body.name, at: iso(), by: user.id }, body.questions.map((q) => ({ ...q, id: newRowId(clock) })));
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'audit_template.create', entity: 'store_audit_template', entityId: id, after: body, requestId: requestId ?? null });
      });
      return (await repo.templateById(ds.manager, id))!;
    },

    async list(user: AuthUser, q: { storeId?: string | undefined; limit: number }) {
      const rows = await repo.listAudits(ds.manager, await visibleStoreIds(ds, user), q);
      return { items: rows.map(({ companyId: _c, note: _n, ...r }) => (void _c, void _n, r)) };
    },

    async submit(user: AuthUser, body: AuditCreateBody, requestId?: string): Promise<AuditDetail> {
      const m = ds.manager;
      const store = await storeOf(m, body.storeId);
      if (!store) throw refused(422, 'STORE_UNKNOWN', `Tienda desconocida / unknown store ${body.storeId}`, 'storeId');
      if (!(await canAccessStore(ds, user, store.id))) throw forbidden('Esta tienda no es de su ámbito / This store is outside your scope.');
      const t = await repo.templateById(m, body.templateId);
      if (!t || !t.active) throw refused(422, 'TEMPLATE_UNKNOWN', `Plantilla desconocida / unknown template ${body.templateId}`, 'templateId');
      const byId = new Map(t.questions.map((q) => [q.id, q]));
      const seen = new Set<string>();
      for (const [i, a] of body.answers.entries()) {
        const q = byId.get(a.questionId);
        if (!q) throw refused(422, 'QUESTION_UNKNOWN', `La pregunta ${a.questionId} no es de la plantilla / not a question of the template`, `answers.${i}.questionId`);
        if (seen.has(a.questionId)) throw refused(422, 'ANSWER_REPEATED', 'Pregunta contestada dos veces / question answered twice', `answers.${i}.questionId`);
        seen.add(a.questionId);
        if (a.value !== null && !inScale(q.scale, a.value)) {
          throw refused(422, 'ANSWER_OUT_OF_SCALE', `«${q.text}» se contesta de 0 a ${scaleMax(q.scale)} (o N/A): ${a.value} no vale / answer 0–${scaleMax(q.scale)} or N/A`, `answers.${i}.value`);
        }
        await checkPhotos(files, user, a.photoIds ?? [], `answers.${i}.photoIds`);
      }
      const missing = t.questions.find((q) => !seen.has(q.id));
      if (missing) throw refused(422, 'ANSWER_MISSING', `Falta contestar «${missing.text}» (o marcarla N/A) / unanswered question`, 'answers');
      const scoreCp = auditScore(body.answers.map((a) => ({ weight: byId.get(a.questionId)!.weight, scale: byId.get(a.questionId)!.scale, value: a.value })));
      const at = iso();
      await writeTransaction(ds, async (tx) => {
        if (await repo.auditExists(tx, body.id)) throw refused(409, 'ALREADY_RECORDED', 'Esta auditoría ya está registrada / audit already recorded');
        const year = Number(at.slice(0, 4));
        const number = `AU-${year}-${String(await nextDocumentNumber(tx, store.companyId, 'store_audit', year)).padStart(6, '0')}`;
        await repo.insertAudit(tx, { id: body.id, number, templateId: t.id, storeId: store.id, companyId: store.companyId, at, scoreCp, note: body.note || null, byId: user.id, byEmail: user.email });
        for (const a of body.answers) {
          const q = byId.get(a.questionId)!;
          const failed = a.value !== null && answerFails(q.scale, a.value);
          await repo.insertAnswer(tx, { auditId: body.id, questionId: q.id, value: a.value, failed, note: a.note || null }, [...new Set(a.photoIds ?? [])]);
          if (failed) {
            await repo.insertAction(tx, {
              id: newRowId(clock), auditId: body.id, questionId: q.id, storeId: store.id, companyId: store.companyId,
              description: `${q.text}${a.note ? ` — ${a.note}` : ''}`.slice(0, 1000), owner: a.actionOwner ?? DEFAULT_OWNER, dueDate: a.actionDue ?? addDays(at.slice(0, 10), ACTION_DAYS), at,
            });
          }
        }
        await recordAudit(tx, clock, {
          actor: { id: user.id, email: user.email }, action: 'store_audit.submit', entity: 'store_audit', entityId: body.id, companyId: store.companyId, storeId: store.id,
          after: { number, templateId: t.id, scoreCp, answers: body.answers.length }, requestId: requestId ?? null,
        });
      });
      return detail(user, body.id);
    },

    async actions(user: AuthUser, q: { storeId?: string | undefined; state?: string | undefined; limit: number }) {
      const rows = await repo.listActions(ds.manager, await visibleStoreIds(ds, user), q);
      return { items: rows.map(({ companyId: _c, ...r }) => (void _c, r)) };
    },

    async closeAction(user: AuthUser, id: string, note: string, requestId?: string) {
      await writeTransaction(ds, async (m) => {
        const a = await repo.actionById(m, id);
        if (!a) throw notFound(`corrective action ${id}`);
        if (!(await canAccessStore(ds, user, a.storeId))) throw forbidden('Esta acción no es de su ámbito / This action is outside your scope.');
        if (a.state === 'closed') throw refused(409, 'ACTION_CLOSED', 'La acción ya está cerrada / the action is already closed');
        await repo.closeAction(m, id, { note, at: iso(), by: user.email });
        await recordAudit(m, clock, {
          actor: { id: user.id, email: user.email }, action: 'corrective_action.close', entity: 'corrective_action', entityId: id, companyId: a.companyId, storeId: a.storeId,
          before: { state: 'open' }, after: { state: 'closed', note }, requestId: requestId ?? null,
        });
      });
      const { companyId: _c, ...r } = (await repo.actionById(ds.manager, id))!;
      void _c;
      return r;
    },

    /**
     * Per store: each audit's score in date order. Per question and month: the mean of value/max in
     * hundredths over the answers that were not N/A — 10000 × Σ(v·5/max) ÷ (5 × answers), half up — and
     * how many failed.
     */
    async trends(user: AuthUser, q: { storeId?: string | undefined; templateId?: string | undefined }): Promise<AuditTrends> {
      const stores = await visibleStoreIds(ds, user);
      const audits = await repo.scoredAudits(ds.manager, stores, q);
      const byStore = new Map<string, AuditTrends['stores'][number]>();
      for (const a of audits) {
        const s = byStore.get(a.storeId) ?? { storeId: a.storeId, storeName: a.storeName, points: [] };
        s.points.push({ auditId: a.auditId, date: a.date, scoreCp: a.scoreCp });
        byStore.set(a.storeId, s);
      }
      const values = await repo.answeredValues(ds.manager, stores, q);
      const byQuestion = new Map<string, { q: AuditTrends['questions'][number]; months: Map<string, { n: number; count: number; failed: number }> }>();
      for (const v of values) {
        const e = byQuestion.get(v.questionId) ?? { q: { questionId: v.questionId, text: v.text, section: v.section, points: [] }, months: new Map() };
        const month = v.at.slice(0, 7);
        const p = e.months.get(month) ?? { n: 0, count: 0, failed: 0 };
        p.n += v.value * (5 / scaleMax(v.scale));
        p.count += 1;
        if (v.failed) p.failed += 1;
        e.months.set(month, p);
        byQuestion.set(v.questionId, e);
      }
      return {
        stores: [...byStore.values()],
        questions: [...byQuestion.values()].map(({ q: x, months }) => ({
          ...x,
          points: [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, p]) => ({ month, answers: p.count, meanCp: divHalfUp(10_000 * p.n, 5 * p.count), failed: p.failed })),
        })),
      };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
