/**
 * HTTP schemas of quality control (issue 17): incidents (report, assign, move through their states, comment,
 * photos, the official complaint form's number), store audits (templates of weighted questions, an audit's
 * answers and score, corrective actions) and the quality figures. The API parses with them; the admin UI
 * reads the same types.
 */
import { z } from 'zod';
import { AUDIT_SCALES, AUDIT_SECTIONS, INCIDENT_KINDS, INCIDENT_SEVERITIES, INCIDENT_SOURCES, INCIDENT_STATES } from '../../quality/rules';
import { RowIdSchema } from '../limits';

export { INCIDENT_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATES, AUDIT_SECTIONS, AUDIT_SCALES } from '../../quality/rules';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
const Text = (max: number, what: string) => z.string().trim().min(1, `${what}`).max(max);

export const IdParams = z.object({ id: Id });

// ── incidents ──

export const IncidentFilter = {
  storeId: Id.optional(),
  kind: z.enum(INCIDENT_KINDS).optional(),
  state: z.enum(INCIDENT_STATES).optional(),
  severity: z.enum(INCIDENT_SEVERITIES).optional(),
  /** Only those past their due date and not closed. */
  overdue: z.enum(['true', 'false']).optional(),
};

export const IncidentItem = z
  .object({
    id: z.string(),
    number: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    severity: z.enum(INCIDENT_SEVERITIES),
    state: z.enum(INCIDENT_STATES),
    source: z.enum(INCIDENT_SOURCES),
    title: z.string(),
    companyId: z.string(),
    storeId: z.string().nullable(),
    storeName: z.string().nullable(),
    documentNumber: z.string().nullable(),
    quantity: z.int().nullable(),
    createdAt: z.string(),
    dueAt: z.string().nullable(),
    assigneeEmail: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'Incident' });
export type IncidentItem = z.infer<typeof IncidentItem>;

export const IncidentPhoto = z.object({ fileId: z.string(), url: z.string() });
export const IncidentComment = z.object({ id: z.string(), text: z.string(), createdAt: z.string(), by: z.string().nullable() });
export const IncidentEvent = z.object({ id: z.string(), action: z.string(), detail: z.string().nullable(), createdAt: z.string(), by: z.string().nullable() });

export const IncidentDetail = IncidentItem.extend({
  description: z.string().nullable(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  documentType: z.string().nullable(),
  documentId: z.string().nullable(),
  complaintFormNumber: z.string().nullable(),
  resolution: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  photos: z.array(IncidentPhoto),
  comments: z.array(IncidentComment),
  history: z.array(IncidentEvent),
}).meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof IncidentDetail>;

/** A photo uploaded beforehand (POST /api/quality/photos) and named here by its file id. */
const PhotoIds = z.array(Id).max(10);

export const IncidentCreateBody = z.strictObject({
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(INCIDENT_SEVERITIES),
  title: Text(300, 'indique qué ha pasado / say what happened'),
  description: z.string().trim().max(2000).optional(),
  /** The store it happened at; absent: an HQ incident of `companyId` (default the franchisor's). */
  storeId: Id.optional(),
  companyId: Id.optional(),
  productId: Id.optional(),
  supplierId: Id.optional(),
  customerId: Id.optional(),
  /** The order or delivery it concerns (document type and id), e.g. a purchase order. */
  documentType: z.enum(['purchase_order', 'delivery_note', 'replenishment_order']).optional(),
  documentId: Id.optional(),
  quantity: z.int().min(-10_000_000).max(10_000_000).optional(),
  /** The official complaint form's number (hoja de reclamaciones), unique per store: customer complaints only. */
  complaintFormNumber: z.string().trim().min(1).max(40).optional(),
  photoIds: PhotoIds.optional(),
});
export type IncidentCreateBody = z.output<typeof IncidentCreateBody>;

export const IncidentAssignBody = z.strictObject({ userId: Id });
export const IncidentStateBody = z.strictObject({
  state: z.enum(['in_progress', 'resolved', 'closed']),
  resolution: z.string().trim().max(2000).optional(),
});
export type IncidentStateBody = z.output<typeof IncidentStateBody>;
export const IncidentCommentBody = z.strictObject({ text: Text(2000, 'escriba el comentario / write the comment') });
export const IncidentPhotosBody = z.strictObject({ photoIds: PhotoIds.min(1) });

export const PhotoQuery = z.object({ storeId: Id.optional(), name: z.string().max(200).default('foto.jpg') });
export const PhotoAnswer = z.object({ id: z.string(), url: z.string() });

/** Users an incident can be assigned to (HQ and the store's people). */
export const AssigneeItem = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() });

// ── store audits ──

export const AuditQuestionBody = z.strictObject({
  section: z.enum(AUDIT_SECTIONS),
  text: Text(500, 'escriba la pregunta / write the question'),
  weight: z.int().min(1).max(100),
  scale: z.enum(AUDIT_SCALES),
});
export const AuditTemplateBody = z.strictObject({
  name: Text(200, 'dé un nombre a la plantilla / name the template'),
  questions: z.array(AuditQuestionBody).min(1).max(200),
});
export type AuditTemplateBody = z.output<typeof AuditTemplateBody>;

export const AuditQuestion = z.object({ id: z.string(), position: z.int(), section: z.enum(AUDIT_SECTIONS), text: z.string(), weight: z.int(), scale: z.enum(AUDIT_SCALES) });
export type AuditQuestion = z.infer<typeof AuditQuestion>;
export const AuditTemplate = z.object({ id: z.string(), name: z.string(), active: z.boolean(), createdAt: z.string(), questions: z.array(AuditQuestion) }).meta({ id: 'AuditTemplate' });
export type AuditTemplate = z.infer<typeof AuditTemplate>;
export const AuditTemplateList = z.object({ items: z.array(AuditTemplate.omit({ questions: true }).extend({ questionCount: z.int() })) });

export const AuditAnswerBody = z.strictObject({
  questionId: Id,
  /** 0/1 on yes/no, 0–5 on 0–5; null: not applicable. */
  value: z.int().nullable(),
  note: z.string().trim().max(1000).optional(),
  photoIds: PhotoIds.optional(),
  /** For a failing answer: who fixes it and by when (default: the store's manager, a week). */
  actionOwner: z.string().trim().min(1).max(200).optional(),
  actionDue: Day.optional(),
});
export const AuditCreateBody = z.strictObject({
  /** The client's id: a retried submit finds it recorded (409) and never scores twice. */
  id: Id,
  storeId: Id,
  templateId: Id,
  note: z.string().trim().max(2000).optional(),
  answers: z.array(AuditAnswerBody).min(1).max(200),
});
export type AuditCreateBody = z.output<typeof AuditCreateBody>;

export const AuditListQuery = z.object({ storeId: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const AuditItem = z.object({
  id: z.string(), number: z.string(), storeId: z.string(), storeName: z.string(), templateName: z.string(), auditedAt: z.string(),
  /** Hundredths (8750 = 87,50). */
  scoreCp: z.int().nullable(), auditorEmail: z.string().nullable(), failed: z.int(), openActions: z.int(),
}).meta({ id: 'StoreAudit' });
export type AuditItem = z.infer<typeof AuditItem>;
export const AuditAnswer = z.object({
  questionId: z.string(), section: z.enum(AUDIT_SECTIONS), text: z.string(), weight: z.int(), scale: z.enum(AUDIT_SCALES),
  value: z.int().nullable(), failed: z.boolean(), note: z.string().nullable(), photos: z.array(IncidentPhoto),
});
export const CorrectiveAction = z.object({
  id: z.string(), auditId: z.string(), auditNumber: z.string(), questionId: z.string(), questionText: z.string(), storeId: z.string(), storeName: z.string(),
  description: z.string(), owner: z.string(), dueDate: z.string(), state: z.enum(['open', 'closed']), closeNote: z.string().nullable(),
  closedAt: z.string().nullable(), closedBy: z.string().nullable(), createdAt: z.string(),
}).meta({ id: 'CorrectiveAction' });
export type CorrectiveAction = z.infer<typeof CorrectiveAction>;
export const AuditDetail = AuditItem.extend({ note: z.string().nullable(), answers: z.array(AuditAnswer), actions: z.array(CorrectiveAction) }).meta({ id: 'StoreAuditDetail' });
export type AuditDetail = z.infer<typeof AuditDetail>;

export const ActionListQuery = z.object({ storeId: Id.optional(), state: z.enum(['open', 'closed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) });
export const ActionCloseBody = z.strictObject({ note: Text(1000, 'explique qué se hizo / say what was done') });

export const TrendQuery = z.object({ storeId: Id.optional(), templateId: Id.optional() });
export const AuditTrends = z.object({
  /** Per store, each audit's score in date order. */
  stores: z.array(z.object({ storeId: z.string(), storeName: z.string(), points: z.array(z.object({ auditId: z.string(), date: z.string(), scoreCp: z.int().nullable() })) })),
  /** Per question, per month: the mean of value/max in hundredths over the answers that were not N/A. */
  questions: z.array(z.object({
    questionId: z.string(), text: z.string(), section: z.enum(AUDIT_SECTIONS),
    points: z.array(z.object({ month: z.string(), answers: z.int(), meanCp: z.int(), failed: z.int() })),
  })),
});
export type AuditTrends = z.infer<typeof AuditTrends>;

// ── figures ──

export const FiguresQuery = z.object({ from: Day.optional(), to: Day.optional() });
export const QualityFigures = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  incidents: z.array(z.object({ storeId: z.string().nullable(), storeName: z.string().nullable(), kind: z.enum(INCIDENT_KINDS), count: z.int(), open: z.int() })),
  /** Over incidents closed in the period: minutes from report to close. */
  timeToClose: z.object({ closed: z.int(), meanMinutes: z.int().nullable(), medianMinutes: z.int().nullable() }),
  /** Per store and month: the mean audit score (hundredths) and how many audits. */
  auditScores: z.array(z.object({ storeId: z.string(), storeName: z.string(), month: z.string(), audits: z.int(), meanCp: z.int() })),
  suppliers: z.array(z.object({
    supplierId: z.string(), supplierName: z.string(), deliveries: z.int(), late: z.int(), discrepancies: z.int(), returns: z.int(), rating: z.int().nullable(),
  })),
});
export type QualityFigures = z.infer<typeof QualityFigures>;
