import type { VariableMeasureTemplate } from '@tpv/shared/barcode';
import type { SqliteHandle } from '../persistence/data-source';

/**
 * Store policy for the till, from `terminal_config` key `policy` (JSON, any subset), defaults below.
 * Master data may push it down later; the terminal only reads it.
 */
export interface TillPolicy {
  /** Line or ticket discounts above this many basis points of the amount need a supervisor. */
  discountLimitBp: number;
  /** A cash close whose |counted − expected| exceeds this needs a supervisor. */
  cashDifferenceThresholdCents: number;
  /** Failed PINs allowed inside `pinWindowMs` before the terminal refuses PINs for `pinLockoutMs`. */
  pinMaxFailures: number;
  pinWindowMs: number;
  pinLockoutMs: number;
  /** GS1 in-store variable-measure templates; item keys in product_barcode are prefix + item code. */
  scaleTemplates: VariableMeasureTemplate[];
  /** Paper width of the receipt printer in characters. */
  receiptColumns: 32 | 48;
}

export const DEFAULT_POLICY: TillPolicy = {
  discountLimitBp: 1000,
  cashDifferenceThresholdCents: 500,
  pinMaxFailures: 5,
  pinWindowMs: 5 * 60_000,
  pinLockoutMs: 60_000,
  scaleTemplates: [{ prefix: '21', kind: 'weight', itemDigits: 5, valueDigits: 5, valueCheckDigit: false }],
  receiptColumns: 48,
};

export function readPolicy(db: SqliteHandle): TillPolicy {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?').get('policy');
  if (!row) return DEFAULT_POLICY;
  try {
    return { ...DEFAULT_POLICY, ...(JSON.parse(row.value) as Partial<TillPolicy>) };
  } catch {
    return DEFAULT_POLICY;
  }
}
