/**
 * Where Veri*Factu records come from: the tills' chains (`fiscal_record` in chain order per terminal, each
 * alta's fields in its `sale_ticket.document`: `fiscal`, `taxBreakdown`, `customer`) and the back office's
 * chain per issuing company (`hq_fiscal_record` + the invoice it registers). Both become `VfItem`s, with the
 * record before each one (RegistroAnterior) looked up when it is outside the set read.
 */
import type { FiscalRecord } from '@tpv/shared/fiscal/record';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { loadInvoice, type InvoiceView } from '../invoicing/posting';
import { all, inList, one, type Db } from '../persistence/sql';
import type { SoftwareId, VfItem, VfTaxRow } from './xml';

/** A record's place: a till's chain (terminal id) or a company's back-office chain (company id). */
export interface ChainRef {
  source: 'till' | 'hq';
  /** terminal id (till) or company id (hq) */
  chainId: string;
  position: number;
}

export interface LoadedItem extends ChainRef {
  item: VfItem;
}

const VERSION = '0.1.0';

/** Our billing software: the franchisor runs it as its own development (SistemaInformatico). */
export async function softwareId(m: Db): Promise<SoftwareId> {
  const f = await one<{ nif: string; legal_name: string }>(m, `SELECT nif, legal_name FROM company WHERE kind = 'franchisor' ORDER BY id LIMIT 1`);
  return {
    producerName: process.env.TPV_SOFTWARE_PRODUCER ?? f?.legal_name ?? 'TPV',
    producerNif: process.env.TPV_SOFTWARE_NIF ?? f?.nif ?? 'B00000000',
    name: 'TPV Franquicia',
    id: 'TP',
    version: VERSION,
  };
}

export async function companyOf(m: Db, companyId: string): Promise<{ id: string; nif: string; name: string } | undefined> {
  const c = await one<{ id: string; nif: string; legal_name: string }>(m, `SELECT id, nif, legal_name FROM company WHERE id = ?`, [companyId]);
  return c ? { id: c.id, nif: c.nif, name: c.legal_name } : undefined;
}

/** yyyy-mm-01 of the month and of the next one. */
export function monthBounds(month: string): { from: string; to: string } {
  const y = Number(month.slice(0, 4));
  const mo = Number(month.slice(5, 7));
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function tillItem(doc: TicketDocument, issuerName: string, previous: VfItem['previous']): VfItem {
  const taxes: VfTaxRow[] = doc.taxBreakdown.map((t) => ({ ivaRateBp: t.rate, reRateBp: t.reRate, exemption: t.exemption ?? null, baseCents: t.base, ivaCents: t.ivaCuota, reCents: t.reCuota }));
  const c = doc.customer;
  return {
    record: doc.fiscal as FiscalRecord,
    issuerName,
    previous,
    taxes,
    recipient: c?.nif ? { nif: c.nif, name: c.name } : null,
    description: doc.kind === 'return' ? 'Devolución de venta en tienda' : 'Venta en tienda',
  };
}

/** The record read just before, to link the next one without a query when it is its predecessor. */
type Last = { chain: string; position: number; record: FiscalRecord } | null;

/** RegistroAnterior of a record: the one read just before when it is the predecessor, else looked up. */
async function previousOf(last: Last, chain: string, position: number, record: FiscalRecord, at: (position: number) => Promise<FiscalRecord | null>): Promise<VfItem['previous']> {
  if (record.previousHash === '') return null;
  const before = last && last.chain === chain && last.position === position - 1 ? last.record : await at(position - 1);
  // A missing predecessor still names its huella (the link the verifier checks); number and date unknown.
  return before ? { invoiceNumber: before.invoiceNumber, issueDate: before.issueDate, hash: before.hash } : { invoiceNumber: '?', issueDate: record.issueDate, hash: record.previousHash };
}

/** The record at a till's chain position (its ticket's fiscal record), for a RegistroAnterior outside the set. */
async function tillRecordAt(m: Db, terminalId: string, position: number): Promise<FiscalRecord | null> {
  const row = await one<{ document: unknown }>(
    m,
    `SELECT t.document FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id WHERE f.terminal_id = ? AND f.chain_position = ?`,
    [terminalId, position],
  );
  return row ? parseJson<TicketDocument>(row.document).fiscal as FiscalRecord : null;
}

async function hqRecordAt(m: Db, companyId: string, position: number): Promise<FiscalRecord | null> {
  const row = await one<{ record: string }>(m, `SELECT record FROM hq_fiscal_record WHERE company_id = ? AND chain_position = ?`, [companyId, position]);
  return row ? parseJson<FiscalRecord>(row.record) : null;
}

type TillRow = { terminal_id: string; chain_position: unknown; document: unknown; legal_name: string };

async function tillItems(m: Db, rows: TillRow[]): Promise<LoadedItem[]> {
  const out: LoadedItem[] = [];
  let last: Last = null;
  for (const r of rows) {
    const position = Number(r.chain_position);
    const doc = parseJson<TicketDocument>(r.document);
    const record = doc.fiscal as FiscalRecord;
    const previous = await previousOf(last, r.terminal_id, position, record, (p) => tillRecordAt(m, r.terminal_id, p));
    out.push({ source: 'till', chainId: r.terminal_id, position, item: tillItem(doc, r.legal_name, previous) });
    last = { chain: r.terminal_id, position, record };
  }
  return out;
}

const TILL_SELECT = `SELECT f.terminal_id, f.chain_position, t.document, c.legal_name
  FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id JOIN store s ON s.id = t.store_id JOIN company c ON c.id = s.company_id`;

function hqTaxes(v: InvoiceView): VfTaxRow[] {
  return v.taxes.map((t) => ({ ivaRateBp: t.ivaRateBp, reRateBp: t.reRateBp, exemption: t.exemption, baseCents: t.baseCents, ivaCents: t.ivaCents, reCents: t.reCents }));
}

type HqRow = { company_id: string; chain_position: unknown; invoice_id: string; record: string; legal_name: string };

async function hqItems(m: Db, rows: HqRow[]): Promise<LoadedItem[]> {
  const invoices = new Map<string, InvoiceView | null>();
  const invoice = async (id: string) => {
    if (!invoices.has(id)) invoices.set(id, await loadInvoice(m, id));
    return invoices.get(id) ?? null;
  };
  const out: LoadedItem[] = [];
  let last: Last = null;
  for (const r of rows) {
    const position = Number(r.chain_position);
    const record = parseJson<FiscalRecord>(r.record);
    const previous = await previousOf(last, r.company_id, position, record, (p) => hqRecordAt(m, r.company_id, p));
    const v = await invoice(r.invoice_id);
    const item: VfItem = {
      record,
      issuerName: r.legal_name,
      previous,
      taxes: v ? hqTaxes(v) : [],
      recipient: v && v.recipient.nif ? { nif: v.recipient.nif, name: v.recipient.name, country: v.recipient.country } : null,
      description: v?.description ?? v?.lines[0]?.description ?? 'Factura',
    };
    if (v?.rectifies && v.rectifies.method === 'S') {
      const orig = await invoice(v.rectifies.invoiceId);
      if (orig) item.rectifiedAmounts = { baseCents: orig.baseCents, taxCents: orig.ivaCents, reCents: orig.reCents };
    }
    out.push({ source: 'hq', chainId: r.company_id, position, item });
    last = { chain: r.company_id, position, record };
  }
  return out;
}

const HQ_SELECT = `SELECT h.company_id, h.chain_position, h.invoice_id, h.record, c.legal_name FROM hq_fiscal_record h JOIN company c ON c.id = h.company_id`;

/** Terminals whose tickets belong to a company's stores. */
export async function companyTerminals(m: Db, companyId: string): Promise<Array<{ id: string; installation: string }>> {
  return all(m, `SELECT t.id, t.installation FROM terminal t JOIN store s ON s.id = t.store_id WHERE s.company_id = ? ORDER BY t.installation`, [companyId]);
}

/** A till's records of a month (by the ticket's business date), in chain order. */
export async function tillMonthItems(m: Db, terminalId: string, month: string): Promise<LoadedItem[]> {
  const { from, to } = monthBounds(month);
  const rows = await all<TillRow>(m, `${TILL_SELECT} WHERE f.terminal_id = ? AND t.business_date >= ? AND t.business_date < ? ORDER BY f.chain_position`, [terminalId, from, to]);
  return tillItems(m, rows);
}

/** A company's back-office records generated in a month (local time of the record), in chain order. */
export async function hqMonthItems(m: Db, companyId: string, month: string): Promise<LoadedItem[]> {
  const { from, to } = monthBounds(month);
  // created_at is UTC; the record's own local timestamp decides the month (a day of margin each side).
  const lo = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString();
  const hi = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  const rows = await all<HqRow>(m, `${HQ_SELECT} WHERE h.company_id = ? AND h.created_at >= ? AND h.created_at < ? ORDER BY h.chain_position`, [companyId, lo, hi]);
  const inMonth = rows.filter((r) => parseJson<FiscalRecord>(r.record).generatedAt.slice(0, 7) === month);
  return hqItems(m, inMonth);
}

/** Items for chain references (the submission service's batch), in the order given. */
export async function itemsFor(m: Db, refs: readonly ChainRef[]): Promise<LoadedItem[]> {
  const key = (s: string, id: string, p: number) => `${s}|${id}|${p}`;
  const found = new Map<string, LoadedItem>();
  const groups = new Map<string, ChainRef[]>();
  for (const r of refs) groups.set(`${r.source}|${r.chainId}`, [...(groups.get(`${r.source}|${r.chainId}`) ?? []), r]);
  for (const list of groups.values()) {
    const { source, chainId } = list[0]!;
    const positions = list.map((r) => r.position).sort((a, b) => a - b);
    for (let s = 0; s < positions.length; s += 500) {
      const chunk = positions.slice(s, s + 500);
      const loaded =
        source === 'till'
          ? await tillItems(m, await all<TillRow>(m, `${TILL_SELECT} WHERE f.terminal_id = ? AND f.chain_position IN (${inList(chunk.length)}) ORDER BY f.chain_position`, [chainId, ...chunk]))
          : await hqItems(m, await all<HqRow>(m, `${HQ_SELECT} WHERE h.company_id = ? AND h.chain_position IN (${inList(chunk.length)}) ORDER BY h.chain_position`, [chainId, ...chunk]));
      for (const l of loaded) found.set(key(l.source, l.chainId, l.position), l);
    }
  }
  return refs.map((r) => found.get(key(r.source, r.chainId, r.position))).filter((x): x is LoadedItem => x !== undefined);
}
