/**
 * From parsed rows and the catalog as it is to what an import would write: new, changed and unchanged
 * products, categories to create, barcodes that move — or the rows that make it impossible (a SKU twice in
 * the file, a barcode twice or owned by a product the file does not release it from). Pure.
 */
import type { ImportError, ImportRow } from './rows';

export interface ProductState {
  id: string;
  sku: string;
  name: string;
  nameEn: string | null;
  categoryId: string | null;
  taxRateBp: number;
  exemption: string | null;
  weighed: boolean;
  basePriceCents: number;
  costCents: number | null;
  active: boolean;
  version: number;
}

export interface CategoryState {
  id: string;
  name: string;
  parentId: string | null;
}

export interface CatalogSnapshot {
  products: Map<string, ProductState>;
  /** barcode → product id */
  barcodes: Map<string, string>;
  categories: CategoryState[];
}

export interface NewCategory {
  id: string;
  name: string;
  parentId: string | null;
}

export interface ImportPlan {
  errors: ImportError[];
  counts: { rows: number; new: number; changed: number; unchanged: number; categoriesNew: number };
  /** Products to insert or update (new and changed), with the version they get. */
  upserts: ProductState[];
  newIds: Set<string>;
  categories: NewCategory[];
  /** Barcodes leaving their product (deleted before the inserts, so one can move to another product). */
  barcodeDeletes: string[];
  barcodeInserts: Array<{ barcode: string; productId: string }>;
}

const CHECK_STEP = 5_000;

// Case-insensitive per level ("frutas" is "Frutas"); plain toLowerCase: Spanish has no special case rules.
const catKey = (parentId: string | null, name: string) => `${parentId ?? ''}\u0000${name.toLowerCase()}`;

/**
 * `rows`: the rows that parsed; `skuRows`: the SKU cell of every data row (bad rows included) for the
 * duplicate check; `errors`: the parse errors so far (more are appended).
 */
export async function planImport(
  rows: readonly ImportRow[],
  skuRows: ReadonlyArray<{ row: number; sku: string }>,
  errors: ImportError[],
  snap: CatalogSnapshot,
  newId: () => string,
  progress: (rowsChecked: number) => Promise<void> | void = () => {},
): Promise<ImportPlan> {
  const firstRowOfSku = new Map<string, number>();
  for (const { row, sku } of skuRows) {
    if (sku === '') continue;
    const first = firstRowOfSku.get(sku);
    if (first === undefined) firstRowOfSku.set(sku, row);
    else errors.push({ row, column: 'sku', code: 'sku.duplicate', message: `SKU ${sku} is also on row ${first}`, value: sku, params: { row: first } });
  }
  const duplicateSku = (r: ImportRow) => firstRowOfSku.get(r.sku) !== r.row;

  // Barcodes each product keeps after the import: the file's list for products whose row has the column.
  const skuOfId = new Map<string, string>();
  for (const p of snap.products.values()) skuOfId.set(p.id, p.sku);
  const fileBarcodes = new Map<string, string[]>();
  for (const r of rows) if (r.barcodes && !duplicateSku(r)) fileBarcodes.set(r.sku, r.barcodes);
  const barcodeRow = new Map<string, number>();

  // Categories by (parent, name), existing first; new ones get ids as paths are met.
  const catByKey = new Map<string, string>();
  for (const c of snap.categories) if (!catByKey.has(catKey(c.parentId, c.name))) catByKey.set(catKey(c.parentId, c.name), c.id);
  const newCategories: NewCategory[] = [];
  const byPath = new Map<string, string>(); // a 200k-row file names a few hundred paths: resolve each once
  const categoryOf = (path: string[]): string => {
    const whole = path.join('\u0000');
    const known = byPath.get(whole);
    if (known) return known;
    let parent: string | null = null;
    for (const name of path) {
      const k = catKey(parent, name);
      let id = catByKey.get(k);
      if (!id) {
        id = newId();
        catByKey.set(k, id);
        newCategories.push({ id, name, parentId: parent });
      }
      parent = id;
    }
    byPath.set(whole, parent!);
    return parent!;
  };

  const upserts: ProductState[] = [];
  const newIds = new Set<string>();
  const barcodeDeletes: string[] = [];
  const barcodeInserts: Array<{ barcode: string; productId: string }> = [];
  let unchanged = 0;

  let checked = 0;
  for (const r of rows) {
    // A turn of the event loop now and then: a 200k-row plan must not stall the server's other requests.
    if (++checked % CHECK_STEP === 0) {
      await progress(checked);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (duplicateSku(r)) continue;
    const prev = snap.products.get(r.sku);
    const id = prev?.id ?? newId();
    const errorsBeforeRow = errors.length;
    if (r.barcodes) {
      for (const b of r.barcodes) {
        const other = barcodeRow.get(b);
        if (other !== undefined) {
          errors.push({ row: r.row, column: 'barcodes', code: 'barcode.duplicate', message: `barcode ${b} is also on row ${other}`, value: b, params: { row: other } });
          continue;
        }
        barcodeRow.set(b, r.row);
        const owner = snap.barcodes.get(b);
        if (owner === undefined || owner === id) continue;
        const ownerSku = skuOfId.get(owner);
        const released = ownerSku !== undefined && fileBarcodes.has(ownerSku) && !fileBarcodes.get(ownerSku)!.includes(b);
        if (!released) errors.push({ row: r.row, column: 'barcodes', code: 'barcode.taken', message: `barcode ${b} belongs to product ${ownerSku ?? owner}`, value: b, params: { sku: ownerSku ?? owner } });
      }
    }
    if (errors.length > errorsBeforeRow) continue;
    const next: ProductState = {
      id,
      sku: r.sku,
      name: r.name,
      nameEn: r.nameEn !== undefined ? r.nameEn : (prev?.nameEn ?? null),
      categoryId: r.categoryPath !== undefined ? (r.categoryPath === null ? null : categoryOf(r.categoryPath)) : (prev?.categoryId ?? null),
      taxRateBp: r.taxRateBp,
      exemption: r.taxRateBp !== 0 ? null : r.exemption !== undefined ? r.exemption : (prev?.exemption ?? null),
      weighed: r.weighed ?? prev?.weighed ?? false,
      basePriceCents: r.priceCents,
      costCents: r.costCents !== undefined ? r.costCents : (prev?.costCents ?? null),
      active: r.active ?? prev?.active ?? true,
      version: (prev?.version ?? 0) + 1,
    };
    let barcodesChanged = false;
    if (r.barcodes) {
      const had = prev ? barcodesOf(snap, prev.id) : new Set<string>();
      const want = new Set(r.barcodes);
      for (const b of had) {
        if (want.has(b)) continue;
        barcodeDeletes.push(b);
        barcodesChanged = true;
      }
      for (const b of want) {
        if (had.has(b)) continue;
        barcodeInserts.push({ barcode: b, productId: id });
        barcodesChanged = true;
      }
    }
    if (!prev) {
      newIds.add(id);
      upserts.push(next);
    } else if (barcodesChanged || !sameProduct(prev, next)) upserts.push(next);
    else unchanged++;
  }

  const ok = errors.length === 0;
  return {
    errors,
    counts: {
      rows: skuRows.length,
      new: newIds.size,
      changed: upserts.length - newIds.size,
      unchanged,
      categoriesNew: newCategories.length,
    },
    upserts: ok ? upserts : [],
    newIds,
    categories: ok ? newCategories : [],
    barcodeDeletes: ok ? barcodeDeletes : [],
    barcodeInserts: ok ? barcodeInserts : [],
  };
}

let barcodeIndex: { snap: CatalogSnapshot; byProduct: Map<string, Set<string>> } | undefined;
function barcodesOf(snap: CatalogSnapshot, productId: string): Set<string> {
  if (barcodeIndex?.snap !== snap) {
    const byProduct = new Map<string, Set<string>>();
    for (const [b, p] of snap.barcodes) {
      let s = byProduct.get(p);
      if (!s) byProduct.set(p, (s = new Set()));
      s.add(b);
    }
    barcodeIndex = { snap, byProduct };
  }
  return barcodeIndex.byProduct.get(productId) ?? new Set();
}

function sameProduct(a: ProductState, b: ProductState): boolean {
  return (
    a.name === b.name && a.nameEn === b.nameEn && a.categoryId === b.categoryId && a.taxRateBp === b.taxRateBp && a.exemption === b.exemption &&
    a.weighed === b.weighed && a.basePriceCents === b.basePriceCents && a.costCents === b.costCents && a.active === b.active
  );
}
