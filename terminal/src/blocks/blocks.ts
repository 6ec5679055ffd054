/**
 * Product blocks at the till (issue 17). HQ's blocks arrive on the change feed (`product_block`, this
 * store's and the network's; terminal/src/sync/catalog.ts keeps them) and are read from SQLite on every
 * check, so a block applied by the sync client takes effect at the next scan, with no cache to go stale.
 *
 * Checked: before a line is added (scan, quick key, search — all go through the cart service) and again at
 * payment for every line of the cart, so a ticket parked (or rung up) before the block arrived is refused
 * when the cashier takes payment: the cashier voids the line and the sale goes on. What a lot / best-before
 * block does with a unit that carries no lot or date is in shared/src/blocks/rules.ts (refused).
 */
import { blockApplies, blockMessage, parseGs1, type ProductBlockData, type UnitTraits } from '@tpv/shared/blocks/rules';
import type { SqliteHandle } from '../persistence/data-source';
import { failure, type Failure } from '../app/errors';
import type { Err } from '@tpv/shared/result';

export const PRODUCT_BLOCKED = 'PRODUCT_BLOCKED';

export interface BlockCheck {
  /** The refusal for selling this product (with what the scan carried), or null. */
  refusal(productId: string, productName: string, unit?: UnitTraits): Err<Failure> | null;
  /** The refusal for a cart at payment: the first blocked line (its barcode re-read for a lot / date). */
  cartRefusal(lines: ReadonlyArray<{ id: string; productId: string; description: string; barcode?: string | undefined }>): Err<Failure> | null;
}

export function createBlockCheck(db: SqliteHandle): BlockCheck {
  const byProduct = db.prepare<[string], { data: string }>('SELECT data FROM product_block WHERE product_id = ? ORDER BY id');
  const refusal = (productId: string, productName: string, unit: UnitTraits = {}, lineId?: string) => {
    for (const r of byProduct.all(productId)) {
      const b = JSON.parse(r.data) as ProductBlockData;
      if (blockApplies(b, unit)) {
        return failure(PRODUCT_BLOCKED, blockMessage(b, productName, unit), {
          productId, blockId: b.id, blockNumber: b.number, scope: b.scope, ...(lineId ? { lineId } : {}),
        });
      }
    }
    return null;
  };
  return {
    refusal: (productId, productName, unit) => refusal(productId, productName, unit),
    cartRefusal(lines) {
      for (const l of lines) {
        const unit = l.barcode ? parseGs1(l.barcode) ?? {} : {};
        const r = refusal(l.productId, l.description, unit, l.id);
        if (r) return r;
      }
      return null;
    },
  };
}
