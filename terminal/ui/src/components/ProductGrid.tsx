import type { Product, QuickKey } from '../api';
import { useI18n } from '../i18n';
import { money } from '../format';

export interface GridItem { productId: string; label: string; priceCents: number; weighed: boolean; color?: string | undefined; sub?: string | undefined }

export const fromQuickKey = (k: QuickKey): GridItem => ({ productId: k.productId, label: k.label, priceCents: k.priceCents, weighed: k.weighed, color: k.color });
export const fromProduct = (p: Product): GridItem => ({ productId: p.id, label: p.name, priceCents: p.priceCents, weighed: p.weighed, sub: p.sku });

/** Big product buttons: the quick keys, or the results of a search. */
export function ProductGrid({ items, onPick, emptyText }: { items: GridItem[]; onPick: (item: GridItem) => void; emptyText: string }) {
  const { t, locale } = useI18n();
  if (items.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <div className="product-grid" data-testid="product-grid">
      {items.map((it) => (
        <button
          key={it.productId}
          className="product-key"
          style={it.color ? { borderLeftColor: it.color } : undefined}
          onClick={() => onPick(it)}
          data-testid="product-key"
        >
          <span className="pk-label">{it.label}</span>
          <span className="pk-price">
            {money(it.priceCents, locale)}
            {it.weighed ? ` ${t('product.perKg')}` : ''}
          </span>
          {it.sub && <span className="pk-sub">{it.sub}</span>}
        </button>
      ))}
    </div>
  );
}
