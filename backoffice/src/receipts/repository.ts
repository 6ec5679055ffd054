/**
 * The only SQL of receipt designs: a company's design and its stores' overrides (`receipt_design`), and
 * the company / store records the receipt's own header is made of.
 */
import type { DesignFields } from '@tpv/shared/wire/http/receipts';
import { all, exec, one, type Db } from '../persistence/sql';

export interface DesignRow {
  id: string;
  companyId: string;
  storeId: string | null;
  draft: DesignFields;
  published: DesignFields | null;
  revision: number;
  publishedRevision: number;
  publishedAt: string | null;
  updatedAt: string;
}

interface RawDesign {
  id: string; company_id: string; store_id: string | null; draft: string; published: string | null; revision: unknown; published_revision: unknown; published_at: string | null; updated_at: string;
}
const toRow = (r: RawDesign): DesignRow => ({
  id: r.id, companyId: r.company_id, storeId: r.store_id, draft: JSON.parse(r.draft) as DesignFields, published: r.published ? (JSON.parse(r.published) as DesignFields) : null,
  revision: Number(r.revision), publishedRevision: Number(r.published_revision), publishedAt: r.published_at, updatedAt: r.updated_at,
});
const SELECT = 'SELECT id, company_id, store_id, draft, published, revision, published_revision, published_at, updated_at FROM receipt_design';
const scopeKey = (storeId: string | null) => storeId ?? 'company';

export async function designOf(m: Db, companyId: string, storeId: string | null): Promise<DesignRow | undefined> {
  const r = await one<RawDesign>(m, `${SELECT} WHERE company_id = ? AND scope_key = ?`, [companyId, scopeKey(storeId)]);
  return r ? toRow(r) : undefined;
}

export async function storeOverrides(m: Db, companyId: string): Promise<DesignRow[]> {
  return (await all<RawDesign>(m, `${SELECT} WHERE company_id = ? AND store_id IS NOT NULL`, [companyId])).map(toRow);
}

export async function saveDraft(m: Db, d: { id: string; companyId: string; storeId: string | null; draft: DesignFields; at: string; by: string | null }): Promise<void> {
  const current = await designOf(m, d.companyId, d.storeId);
  if (current) {
    await exec(m, 'UPDATE receipt_design SET draft = ?, revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?', [JSON.stringify(d.draft), d.at, d.by, current.id]);
    return;
  }
  await exec(
    m,
    `INSERT INTO receipt_design (id, company_id, store_id, scope_key, draft, published, revision, published_revision, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, NULL, 1, 0, ?, ?)`,
    [d.id, d.companyId, d.storeId, scopeKey(d.storeId), JSON.stringify(d.draft), d.at, d.by],
  );
}

export async function markPublished(m: Db, id: string, at: string, by: string | null): Promise<void> {
  await exec(m, 'UPDATE receipt_design SET published = draft, published_revision = revision, published_at = ?, published_by = ? WHERE id = ?', [at, by, id]);
}

export async function companyOf(m: Db, id: string): Promise<{ id: string; nif: string; legalName: string; tradeName: string | null } | undefined> {
  const r = await one<{ id: string; nif: string; legal_name: string; trade_name: string | null }>(m, 'SELECT id, nif, legal_name, trade_name FROM company WHERE id = ?', [id]);
  return r ? { id: r.id, nif: r.nif, legalName: r.legal_name, tradeName: r.trade_name } : undefined;
}

export async function storesOf(m: Db, companyId: string): Promise<Array<{ id: string; code: string; name: string; address: string | null }>> {
  return all<{ id: string; code: string; name: string; address: string | null }>(m, 'SELECT id, code, name, address FROM store WHERE company_id = ? ORDER BY code', [companyId]);
}
