/** The terminal row as both ledger adapters' `lock` query returns it, and the state the ingest reads from it. */
import type { TerminalState } from '../../sales-ingest/ledger';

export interface TerminalLockRow {
  id: string;
  store_id: string;
  last_acked_seq: number | string;
  last_fiscal_hash: string | null;
  revoked_at: string | null;
  token_hash: string | null;
  min_held: number | string | null;
  code: string;
  store_code: string;
  installation: string;
  company_nif: string;
  company_id: string;
}

/** bigint columns come back as strings from pg, numbers from SQLite. */
export function terminalState(r: TerminalLockRow): TerminalState {
  return {
    id: r.id,
    storeId: r.store_id,
    lastAckedSeq: Number(r.last_acked_seq),
    lastFiscalHash: r.last_fiscal_hash,
    revoked: r.revoked_at !== null || r.token_hash === null,
    minHeldSeq: r.min_held === null ? null : Number(r.min_held),
    code: r.code,
    storeCode: r.store_code,
    installation: r.installation,
    companyNif: r.company_nif,
    companyId: r.company_id,
  };
}
