/**
 * Dunning (reclamación de impagados): levels reached by days past due, each with its letter texts; and
 * whether a counterparty is blocked for sales on account — an item at a level marked `blocks`, or its open
 * exposure over its credit limit — unless a manager released it.
 */
import { isCents, type Cents } from '../money';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { dayNumber, isIsoDate } from './days';

export interface DunningLevel {
  /** 1, 2, 3… in increasing days. */
  readonly level: number;
  readonly name: { readonly es: string; readonly en: string };
  /** Reached when an item is at least this many days past due (≥ 1). */
  readonly minDaysPastDue: number;
  /** Letter body; placeholders {counterparty}, {document}, {dueDate}, {amount}, {days}. */
  readonly text: { readonly es: string; readonly en: string };
  /** Reaching this level blocks the counterparty's sales on account. */
  readonly blocks: boolean;
  /** The letter claims statutory interest and the €40 compensation (where the company chooses to). */
  readonly claimsInterest: boolean;
}

export const DEFAULT_DUNNING_LEVELS: readonly DunningLevel[] = [
  {
    level: 1,
    name: { es: 'Recordatorio', en: 'Reminder' },
    minDaysPastDue: 7,
    text: {
      es: 'Estimado cliente {counterparty}: le recordamos que la factura {document}, vencida el {dueDate}, tiene pendiente {amount}. Si ya la ha pagado, ignore este aviso.',
      en: 'Dear {counterparty}: this is a reminder that invoice {document}, due on {dueDate}, has {amount} outstanding. If you have already paid it, please disregard this notice.',
    },
    blocks: false,
    claimsInterest: false,
  },
  {
    level: 2,
    name: { es: 'Segundo aviso', en: 'Second notice' },
    minDaysPastDue: 30,
    text: {
      es: 'Estimado cliente {counterparty}: la factura {document} lleva {days} días vencida con {amount} pendiente. Le rogamos su pago inmediato; las ventas a crédito quedan suspendidas hasta entonces.',
      en: 'Dear {counterparty}: invoice {document} is {days} days overdue with {amount} outstanding. Please pay it at once; sales on account are suspended until then.',
    },
    blocks: true,
    claimsInterest: false,
  },
  {
    level: 3,
    name: { es: 'Requerimiento formal', en: 'Formal demand' },
    minDaysPastDue: 60,
    text: {
      es: 'Requerimiento formal de pago a {counterparty}: factura {document}, vencida el {dueDate}, {amount} pendiente, más los intereses de demora y la indemnización por costes de cobro de la Ley 3/2004.',
      en: 'Formal demand for payment to {counterparty}: invoice {document}, due on {dueDate}, {amount} outstanding, plus late-payment interest and the recovery-cost compensation of Ley 3/2004.',
    },
    blocks: true,
    claimsInterest: true,
  },
];

export type DunningErrorCode = 'DUNNING_LEVELS_EMPTY' | 'DUNNING_LEVEL_INVALID' | 'DUNNING_LEVELS_ORDER' | 'DUNNING_TEXT_EMPTY';
export type DunningError = DomainError<DunningErrorCode> & { readonly details?: { readonly index?: number } };

/** Levels numbered 1..n in order, with strictly increasing days ≥ 1, names and texts in both languages. */
export function validateDunningLevels(levels: readonly DunningLevel[]): Result<readonly DunningLevel[], DunningError> {
  if (levels.length === 0) return err(domainError('DUNNING_LEVELS_EMPTY', 'no hay niveles de reclamación / no dunning levels') as DunningError);
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (l.level !== i + 1) return err(domainError('DUNNING_LEVELS_ORDER', `el nivel ${i + 1} está mal numerado / level ${i + 1} is misnumbered`, { index: i }) as DunningError);
    if (!Number.isSafeInteger(l.minDaysPastDue) || l.minDaysPastDue < 1) {
      return err(domainError('DUNNING_LEVEL_INVALID', `días del nivel ${l.level} no válidos / invalid days for level ${l.level}`, { index: i }) as DunningError);
    }
    if (i > 0 && l.minDaysPastDue <= levels[i - 1]!.minDaysPastDue) {
      return err(domainError('DUNNING_LEVELS_ORDER', `el nivel ${l.level} debe tener más días que el anterior / level ${l.level} must have more days than the previous one`, { index: i }) as DunningError);
    }
    if (l.name.es.trim() === '' || l.name.en.trim() === '' || l.text.es.trim() === '' || l.text.en.trim() === '') {
      return err(domainError('DUNNING_TEXT_EMPTY', `falta el nombre o el texto del nivel ${l.level} / level ${l.level} lacks a name or text`, { index: i }) as DunningError);
    }
  }
  return ok(levels);
}

/** The highest level reached at `daysPastDue` (null: no level yet). Levels must be valid (sorted by days). */
export function levelForDays(daysPastDue: number, levels: readonly DunningLevel[]): DunningLevel | null {
  let reached: DunningLevel | null = null;
  for (const l of levels) if (daysPastDue >= l.minDaysPastDue) reached = l;
  return reached;
}

export interface DunnableItem {
  readonly id: string;
  readonly dueDate: string;
  readonly balanceCents: Cents;
}

/** The level an item is at on `asOf`: none when nothing is owed or it is not far enough past due. */
export function itemDunningLevel(item: DunnableItem, asOf: string, levels: readonly DunningLevel[]): DunningLevel | null {
  if (item.balanceCents <= 0) return null;
  return levelForDays(dayNumber(asOf) - dayNumber(item.dueDate), levels);
}

/**
 * The letter due now for an item whose last letter was `lastSentLevel` (null: none yet): the level reached,
 * if higher than the last one sent. An item that jumps past a level (entered late, or a batch that did not
 * run) gets the highest level reached, not every letter in between.
 */
export function nextDunningLevel(item: DunnableItem, asOf: string, levels: readonly DunningLevel[], lastSentLevel: number | null): DunningLevel | null {
  const reached = itemDunningLevel(item, asOf, levels);
  if (reached === null) return null;
  return lastSentLevel === null || reached.level > lastSentLevel ? reached : null;
}

/** Fills a level's text: unknown placeholders stay as written (a typo shows in the preview, not as blank). */
export function renderDunningText(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key]! : whole));
}

export interface CreditRelease {
  /** Day a manager released the block. */
  readonly releasedOn: string;
  /** Last day the release holds (inclusive); null: until revoked. */
  readonly until: string | null;
}

export type BlockReason =
  | { readonly kind: 'dunning_level'; readonly itemId: string; readonly level: number; readonly daysPastDue: number }
  | { readonly kind: 'credit_limit'; readonly exposureCents: Cents; readonly limitCents: Cents };

export interface BlockDecision {
  /** Sales on account refused. */
  readonly blocked: boolean;
  /** What would block it (also when a release overrides them). */
  readonly reasons: readonly BlockReason[];
  /** A release is in force and overrides the reasons. */
  readonly released: boolean;
  /** Σ positive balances − credit + the sale being attempted. */
  readonly exposureCents: Cents;
}

export interface BlockInput {
  readonly items: readonly DunnableItem[];
  readonly asOf: string;
  readonly levels: readonly DunningLevel[];
  /** Null: no limit. */
  readonly creditLimitCents: Cents | null;
  /** Unapplied credit the counterparty holds (lowers its exposure). */
  readonly creditCents?: Cents;
  /** The on-account sale being attempted at a till (0 when only asking whether it is blocked now). */
  readonly pendingSaleCents?: Cents;
  readonly release?: CreditRelease | null;
}

/**
 * Whether a counterparty is blocked for sales on account on `asOf`: any item at a level with `blocks`, or
 * exposure (open balances − credit + pending sale) over the credit limit. A release in force (releasedOn ≤
 * asOf ≤ until) lifts the block; the reasons are still reported so the screen can say what was overridden.
 */
export function counterpartyBlock(input: BlockInput): BlockDecision {
  const reasons: BlockReason[] = [];
  const today = dayNumber(input.asOf);
  let owed = 0;
  for (const item of input.items) {
    if (item.balanceCents <= 0) continue;
    owed += item.balanceCents;
    const days = today - dayNumber(item.dueDate);
    const level = levelForDays(days, input.levels);
    if (level !== null && level.blocks) reasons.push({ kind: 'dunning_level', itemId: item.id, level: level.level, daysPastDue: days });
  }
  const exposure = owed - (input.creditCents ?? 0) + (input.pendingSaleCents ?? 0);
  if (input.creditLimitCents !== null && exposure > input.creditLimitCents) {
    reasons.push({ kind: 'credit_limit', exposureCents: exposure, limitCents: input.creditLimitCents });
  }
  const r = input.release;
  const released = r !== undefined && r !== null && r.releasedOn <= input.asOf && (r.until === null || input.asOf <= r.until);
  return { blocked: reasons.length > 0 && !released, reasons, released, exposureCents: exposure };
}

export type BlockCheckErrorCode = 'BLOCK_LIMIT_INVALID' | 'BLOCK_DATE_INVALID';

/** Validates a credit limit and release as entered by a manager. */
export function checkCreditSettings(limitCents: Cents | null, release: CreditRelease | null): Result<void, DomainError<BlockCheckErrorCode>> {
  if (limitCents !== null && (!isCents(limitCents) || limitCents < 0)) {
    return err(domainError('BLOCK_LIMIT_INVALID', `límite de crédito no válido / invalid credit limit: ${String(limitCents)}`));
  }
  if (release !== null && (!isIsoDate(release.releasedOn) || (release.until !== null && (!isIsoDate(release.until) || release.until < release.releasedOn)))) {
    return err(domainError('BLOCK_DATE_INVALID', 'fechas de desbloqueo no válidas / invalid release dates'));
  }
  return ok(undefined);
}
