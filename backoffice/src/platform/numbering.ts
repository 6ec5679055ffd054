/**
 * Gapless document numbers (ARCHITECTURE "Documents"): one counter per company, document type and year,
 * advanced inside the posting transaction — a posting that rolls back gives its number back, so the
 * series has no holes. The upsert is atomic on both engines (PostgreSQL row-locks the counter until commit;
 * SQLite has one writer).
 */
import { documentNumber, type DocumentType } from '@tpv/shared/inventory/documents';
import { one, type Db } from '../persistence/sql';

export async function nextDocumentNumber(m: Db, companyId: string, type: DocumentType | string, year: number): Promise<number> {
  const row = await one<{ last_number: unknown }>(
    m,
    `INSERT INTO document_counter (company_id, document_type, year, last_number) VALUES (?, ?, ?, 1)
     ON CONFLICT (company_id, document_type, year) DO UPDATE SET last_number = document_counter.last_number + 1
     RETURNING last_number`,
    [companyId, type, year],
  );
  return Number(row!.last_number);
}

/** Allocates the next number and writes it as the document shows it (`AL-2026-000042`). */
export async function allocateDocumentNumber(m: Db, companyId: string, type: DocumentType, year: number): Promise<{ number: number; code: string }> {
  const n = await nextDocumentNumber(m, companyId, type, year);
  return { number: n, code: documentNumber(type, year, n) };
}
