/**
 * The working-time record's hash chain (issue 16), in the style of the Veri*Factu huella (fiscal/huella.ts):
 * `name=value` pairs in a fixed order joined by `&`, values trimmed, empty as `name=`, then the uppercase hex
 * SHA-256 of the UTF-8 string. Each record carries the hash of the one before it in its chain (one chain per
 * store; HQ staff recorded in the back office chain per company), so changing, removing or reordering any
 * record breaks every hash after it.
 */
import { huellaOf } from '../fiscal/huella';

export const TIME_RECORD_HASH_FIELDS = [
  'Cadena',
  'Orden',
  'Id',
  'Empresa',
  'Empleado',
  'Tipo',
  'Evento',
  'Momento',
  'Corrige',
  'Parte',
  'Motivo',
  'Origen',
  'Terminal',
  'Registrado',
  'HuellaAnterior',
] as const;

export type TimeRecordHashFields = Readonly<Record<(typeof TIME_RECORD_HASH_FIELDS)[number], string>>;

/** The exact string hashed for one record. */
export function timeRecordHashInput(f: TimeRecordHashFields): string {
  return TIME_RECORD_HASH_FIELDS.map((name) => `${name}=${(f[name] ?? '').trim()}`).join('&');
}

export function timeRecordHash(f: TimeRecordHashFields): string {
  return huellaOf(timeRecordHashInput(f));
}

export interface ChainedRecord {
  seq: number;
  prevHash: string;
  hash: string;
  fields: TimeRecordHashFields;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** The first record that does not verify, and why. */
  broken: { seq: number; reason: 'hash' | 'link' | 'gap' } | null;
}

/**
 * Verifies records of one chain in seq order, from `anchor` (the hash before the first record: '' for a
 * chain that starts here, the last purged record's hash after a retention purge).
 */
export function verifyChain(records: readonly ChainedRecord[], anchor: { seq: number; hash: string }): ChainCheck {
  let prev = anchor.hash;
  let seq = anchor.seq;
  for (const r of records) {
    if (r.seq !== seq + 1) return { ok: false, records: records.length, broken: { seq: r.seq, reason: 'gap' } };
    if (r.prevHash !== prev || r.fields.HuellaAnterior !== prev) return { ok: false, records: records.length, broken: { seq: r.seq, reason: 'link' } };
    if (timeRecordHash(r.fields) !== r.hash) return { ok: false, records: records.length, broken: { seq: r.seq, reason: 'hash' } };
    prev = r.hash;
    seq = r.seq;
  }
  return { ok: true, records: records.length, broken: null };
}
