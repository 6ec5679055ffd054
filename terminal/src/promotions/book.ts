/**
 * The till's promotions: the definitions the feed brought (table `promotion`), indexed once per change of
 * the set (`promotion_state.version`: one primary-key read per evaluation), and evaluated on a cart with the
 * store, company and time zone of this till and the cart customer's segments and loyalty card.
 */
import { PromotionSchema, type Promotion } from '@tpv/shared/promotions/definition';
import { evaluatePromotions, indexPromotions, type PromotionIndex, type PromotionLine, type PromotionResult } from '@tpv/shared/promotions/engine';
import type { TerminalIdentity } from '@tpv/shared/wire/sync-protocol';
import type { SqliteHandle } from '../persistence/data-source';

export interface PromotionCustomer {
  id: string;
  segmentIds?: readonly string[] | undefined;
  loyaltyCard?: string | null | undefined;
}

export interface PromotionBook {
  evaluate(lines: readonly PromotionLine[], at: number, customer: PromotionCustomer | null): PromotionResult;
  /** Every promotion the till holds (for its screens). */
  all(): readonly Promotion[];
}

export function createPromotionBook(db: SqliteHandle, identity: () => TerminalIdentity | undefined | null): PromotionBook {
  const state = db.prepare<[], { version: number }>('SELECT version FROM promotion_state WHERE id = 1');
  const rows = db.prepare<[], { definition: string }>('SELECT definition FROM promotion ORDER BY id');
  let loaded = -1;
  let list: Promotion[] = [];
  let index: PromotionIndex = indexPromotions([]);

  function current(): PromotionIndex {
    const v = state.get()?.version ?? 0;
    if (v !== loaded) {
      list = [];
      for (const r of rows.all()) {
        const p = PromotionSchema.safeParse(JSON.parse(r.definition));
        if (p.success) list.push(p.data);
      }
      index = indexPromotions(list);
      loaded = v;
    }
    return index;
  }

  return {
    evaluate(lines, at, customer) {
      const id = identity();
      const idx = current();
      if (!id || idx.size === 0) return { lineBenefits: new Map(), applied: [], total: 0 };
      return evaluatePromotions(idx, lines, { storeId: id.storeId, companyId: id.companyId, timeZone: id.timezone, at, customer });
    },
    all() {
      current();
      return list;
    },
  };
}
