/**
 * Which till a fiscal series belongs to (ARCHITECTURE invariant 3: one series per terminal and year, credit
 * notes in their own). `(series, number)` is unique franchise-wide, so a ticket in another till's series must
 * be refused at ingest — otherwise one misconfigured till turns the owner's genuine tickets into
 * DUPLICATE_FISCAL_NUMBER, rejected for good.
 *
 * Ownership is derived from HQ's own configuration, not from first use (where a stray till that sends first
 * would take the series from its owner): a series belongs to the till whose store code and till code it
 * spells, in the format of `@tpv/shared/fiscal/series` (`<store><till>-<yy><T|R>`: `M00101-26T` is store
 * M001, till 01, sales of 2026). Tills number with the identity HQ gave them at pairing, so a genuine ticket
 * always passes; codes are read from the terminal row inside the ingest transaction. The letter must match
 * the ticket's kind (T sales, R returns). Any year is accepted.
 */
import { parseFiscalNumber } from '@tpv/shared/fiscal/series';
import type { Rejection } from './validate';

export interface SeriesOwner {
  storeCode: string;
  terminalCode: string;
}

/** null when `series` is this till's series for tickets of `kind`; else the rejection (code SERIES_NOT_OWNED). */
export function seriesRejection(series: string, kind: 'sale' | 'return', till: SeriesOwner): Rejection | null {
  const parsed = parseFiscalNumber(`${series}/000001`);
  if (!parsed.ok) {
    return { code: 'SERIES_NOT_OWNED', reason: `series ${series} is not a till series (<store><till>-<yy><T|R>); this till is ${till.storeCode} · ${till.terminalCode}` };
  }
  const s = parsed.value;
  if (s.storeCode !== till.storeCode || s.terminalCode !== till.terminalCode) {
    return { code: 'SERIES_NOT_OWNED', reason: `series ${series} belongs to till ${s.storeCode} · ${s.terminalCode}, not to this till (${till.storeCode} · ${till.terminalCode})` };
  }
  if (s.kind !== kind) return { code: 'SERIES_NOT_OWNED', reason: `series ${series} is for ${s.kind === 'sale' ? 'sales' : 'returns'}, this ticket is a ${kind}` };
  return null;
}
