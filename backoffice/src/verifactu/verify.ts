/**
 * Recomputes every chain of a Veri*Factu export: records grouped per issuer and installation (NumeroInstalacion)
 * in document order; each record's huella recomputed from its own fields (shared/src/fiscal/huella.ts), then
 * its link to the record before (the huella and the number/date RegistroAnterior names). A month's export
 * starts mid-chain: its first record's RegistroAnterior is the anchor (reported), the rest must follow.
 */
import { verifyChain } from '@tpv/shared/fiscal/record';
import { parseRegFactu, type ParsedRecord } from './xml';

export interface ChainReport {
  issuerNif: string;
  installation: string;
  records: number;
  /** The huella the first record points to ('' for a chain exported from its first record). */
  anchor: string;
  ok: boolean;
  /** The first break. */
  breakAt?: { index: number; invoiceNumber: string; reason: 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH' | 'PREVIOUS_ID_MISMATCH'; expected: string; actual: string };
}

/** Verifies the chains of one or more export documents (parts of one export, in order). */
export function verifyExport(documents: readonly string[]): ChainReport[] {
  const chains = new Map<string, ParsedRecord[]>();
  for (const xml of documents) {
    for (const r of parseRegFactu(xml).records) {
      const key = `${r.record.issuerNif}|${r.record.installation}`;
      chains.set(key, [...(chains.get(key) ?? []), r]);
    }
  }
  const out: ChainReport[] = [];
  for (const recs of chains.values()) {
    const first = recs[0]!.record;
    const anchor = recs[0]!.previous?.hash ?? '';
    const report: ChainReport = { issuerNif: first.issuerNif, installation: first.installation, records: recs.length, anchor, ok: true };
    const v = verifyChain(
      recs.map((r) => r.record),
      anchor,
    );
    if (!v.ok) {
      report.ok = false;
      report.breakAt = { index: v.error.index, invoiceNumber: recs[v.error.index]!.record.invoiceNumber, reason: v.error.reason, expected: v.error.expected, actual: v.error.actual };
    } else {
      for (let i = 1; i < recs.length; i++) {
        const prev = recs[i - 1]!.record;
        const named = recs[i]!.previous;
        const expected = `${prev.invoiceNumber} ${prev.issueDate}`;
        const actual = named ? `${named.invoiceNumber} ${named.issueDate}` : '(PrimerRegistro)';
        if (expected !== actual) {
          report.ok = false;
          report.breakAt = { index: i, invoiceNumber: recs[i]!.record.invoiceNumber, reason: 'PREVIOUS_ID_MISMATCH', expected, actual };
          break;
        }
      }
    }
    out.push(report);
  }
  return out;
}

/** One line per chain, as the CLI prints it. */
export function reportLine(c: ChainReport): string {
  const head = `${c.issuerNif} ${c.installation} (${c.records} records${c.anchor ? `, continues ${c.anchor.slice(0, 12)}…` : ', from its first record'})`;
  if (c.ok) return `OK     ${head}`;
  const b = c.breakAt!;
  return `BROKEN ${head}: record ${b.index + 1} (${b.invoiceNumber}) ${b.reason} — expected ${b.expected}, found ${b.actual}`;
}
