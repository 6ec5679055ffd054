/**
 * A month's Veri*Factu export of one issuing company: its back-office chain and every till of its stores, as
 * `RegFactuSistemaFacturacion` documents of at most 1,000 records (the schema's cap), stored in the files
 * area. Chains keep their order: the back office's first, then each till by installation.
 */
import type { DataSource } from 'typeorm';
import type { Files } from '../platform/files/service';
import type { OwnerScope } from '../platform/owner-scope';
import { companyOf, companyTerminals, hqMonthItems, softwareId, tillMonthItems, type LoadedItem } from './source';
import { buildRegFactu, MAX_RECORDS_PER_DOCUMENT } from './xml';

export interface ExportResult {
  companyId: string;
  month: string;
  records: number;
  chains: Array<{ installation: string; records: number }>;
  files: Array<{ fileId: string; name: string; records: number }>;
}

/** The documents of a month (XML strings), without storing them: what the export job stores, and tests read. */
export async function monthDocuments(
  ds: DataSource,
  companyId: string,
  month: string,
  onProgress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<{ documents: Array<{ xml: string; records: number }>; chains: ExportResult['chains'] }> {
  const m = ds.manager;
  const company = await companyOf(m, companyId);
  if (!company) throw new Error(`unknown company ${companyId}`);
  const sw = await softwareId(m);
  const terminals = await companyTerminals(m, companyId);
  const chains: ExportResult['chains'] = [];
  const documents: Array<{ xml: string; records: number }> = [];
  let pending: LoadedItem[] = [];
  const flush = (force: boolean) => {
    while (pending.length >= MAX_RECORDS_PER_DOCUMENT || (force && pending.length > 0)) {
      const part = pending.slice(0, MAX_RECORDS_PER_DOCUMENT);
      pending = pending.slice(MAX_RECORDS_PER_DOCUMENT);
      documents.push({ xml: buildRegFactu({ nif: company.nif, name: company.name }, part.map((p) => p.item), sw), records: part.length });
    }
  };
  const add = (items: LoadedItem[]) => {
    // Only this company's records (a till moved between companies keeps its older records under its old issuer).
    const own = items.filter((i) => i.item.record.issuerNif === company.nif);
    if (own.length > 0) chains.push({ installation: own[0]!.item.record.installation, records: own.length });
    pending.push(...own);
    flush(false);
  };
  add(await hqMonthItems(m, companyId, month));
  await onProgress(1, terminals.length + 1);
  for (const [i, t] of terminals.entries()) {
    add(await tillMonthItems(m, t.id, month));
    await onProgress(i + 2, terminals.length + 1);
  }
  flush(true);
  return { documents, chains };
}

export async function exportMonth(
  ds: DataSource,
  files: Files,
  owner: OwnerScope,
  companyId: string,
  month: string,
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<ExportResult> {
  const company = await companyOf(ds.manager, companyId);
  if (!company) throw new Error(`unknown company ${companyId}`);
  const { documents, chains } = await monthDocuments(ds, companyId, month, onProgress);
  const out: ExportResult = { companyId, month, records: 0, chains, files: [] };
  for (const [i, d] of documents.entries()) {
    const name = `verifactu-${company.nif}-${month}${documents.length > 1 ? `-${i + 1}` : ''}.xml`;
    const f = await files.save({ name, mediaType: 'application/xml', purpose: 'export', owner: { ...owner, companyId }, data: Buffer.from(d.xml, 'utf8') });
    out.files.push({ fileId: f.id, name, records: d.records });
    out.records += d.records;
  }
  return out;
}
