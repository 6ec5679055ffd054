/**
 * A company's taxes: the VAT books, the 303 figures reconciled with the journal (477 / 4771 / 472 per rate),
 * and the 347 statement. Reads only; the pure rules are in shared/src/accounting/vat-return.ts.
 */
import { accountFor, type PostingRole } from '@tpv/shared/accounting/rules';
import {
  bookCuotasByRate, isCounted, ops347, periodMonths, statement347, THRESHOLD_347_CENTS, vatReturn,
  type ReconLine, type VatBookRow,
} from '@tpv/shared/accounting/vat-return';
import type { AnnualAnswer, VatBookAnswer, VatReturnAnswer } from '@tpv/shared/wire/http/accounting-taxes';
import { all, inList, num, type Db } from '../../persistence/sql';
import { rulesOf } from '../core/rules';
import { foreignRecipients, issuedRows, receivedRows, ticketDays } from './books';

const wire = (r: VatBookRow) => ({ ...r, counted: isCounted(r) });

export async function vatBook(m: Db, companyId: string, book: 'issued' | 'received', period: string): Promise<VatBookAnswer> {
  const rows = book === 'issued' ? await issuedRows(m, companyId, period) : await receivedRows(m, companyId, period);
  const totals = { baseCents: 0, ivaCents: 0, reCents: 0, totalCents: 0 };
  for (const r of rows) {
    if (!isCounted(r)) continue;
    totals.baseCents += r.baseCents;
    totals.ivaCents += r.ivaCents;
    totals.reCents += r.reCents;
    totals.totalCents += r.rowTotalCents;
  }
  return { companyId, book, period, rows: rows.map(wire), totals };
}

const ROLE: Record<ReconLine['kind'], PostingRole> = { output_vat: 'output_vat', output_re: 'output_re', input_vat: 'input_vat' };
/** The account's balance on its natural side: output (liability) credit − debit, input (asset) debit − credit. */
const sideOf = (kind: ReconLine['kind']) => (kind === 'input_vat' ? 1 : -1);

/** The entries of the documents, by source: where (which month) each was posted. */
async function entryPeriods(m: Db, companyId: string, sources: ReadonlyArray<{ type: string; id: string }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byType = new Map<string, string[]>();
  for (const s of sources) byType.set(s.type, [...(byType.get(s.type) ?? []), s.id]);
  for (const [type, ids] of byType) {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = await all<{ source_id: string; period: string }>(
        m,
        `SELECT source_id, MIN(period) AS period FROM acc_entry WHERE company_id = ? AND source_type = ? AND reverses_id IS NULL AND source_id IN (${inList(chunk.length)}) GROUP BY source_id`,
        [companyId, type, ...chunk],
      );
      for (const r of rows) out.set(`${type}:${r.source_id}`, r.period);
    }
  }
  return out;
}

/**
 * Per rate: the book's cuotas against the journal's balance of the rate's account over the same months, and
 * what explains the difference — tickets the daily sales entry has not taken yet (`posted_*` of the rollups),
 * documents with no entry, documents whose entry went into another month (a locked month moved it).
 */
export async function reconcile(m: Db, companyId: string, period: string, issued: readonly VatBookRow[], received: readonly VatBookRow[]): Promise<ReconLine[]> {
  const p = periodMonths(period);
  const rules = await rulesOf(m, companyId);
  const book = bookCuotasByRate(issued, received);
  const balances = new Map(
    (await all<Record<string, unknown>>(
      m,
      `SELECT account, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance WHERE company_id = ? AND period >= ? AND period <= ? AND (account LIKE '477%' OR account LIKE '472%') GROUP BY account`,
      [companyId, p.fromMonth, p.toMonth],
    )).map((r) => [String(r.account), num(r.d)! - num(r.c)!]),
  );
  // Rates the journal holds that the books do not (a manual entry on 47702100 with no document): shown too.
  for (const [account] of balances) {
    for (const kind of ['output_vat', 'output_re', 'input_vat'] as const) {
      const prefix = accountFor(rules, ROLE[kind], 0).slice(0, 4);
      if (account.length === 8 && account.startsWith(prefix)) {
        const rate = Number(account.slice(4));
        if (accountFor(rules, ROLE[kind], rate) === account && !book.has(`${kind}:${rate}`)) book.set(`${kind}:${rate}`, { kind, rateBp: rate, cents: 0, rows: [] });
      }
    }
  }
  const rowByKey = new Map([...issued, ...received].map((r) => [r.key, r]));
  const docSource = (r: VatBookRow) => ({ type: r.source === 'invoice_received' ? 'invoice' : r.source, id: r.documentId! });
  const docs = [...issued, ...received].filter((r) => r.documentId !== null && isCounted(r) && !r.exemption);
  const posted = await entryPeriods(m, companyId, docs.map(docSource));
  // What the tickets hold that the daily sales entries have not posted yet, per rate.
  const unposted = new Map<string, number>();
  const addUnposted = (k: string, cents: number) => unposted.set(k, (unposted.get(k) ?? 0) + cents);
  for (const t of await ticketDays(m, companyId, p.from, p.to)) {
    addUnposted(`output_vat:${t.ivaRateBp}`, t.iva - t.postedIva);
    if (t.reRateBp !== 0 || t.re !== 0) addUnposted(`output_re:${t.reRateBp}`, t.re - t.postedRe);
  }
  const out: ReconLine[] = [];
  for (const [k, b] of [...book.entries()].sort(([a], [c]) => a.localeCompare(c))) {
    const account = accountFor(rules, ROLE[b.kind], b.rateBp);
    const journalCents = sideOf(b.kind) * (balances.get(account) ?? 0);
    const explained: ReconLine['explained'] = [];
    const pendingTickets = unposted.get(k) ?? 0;
    if (pendingTickets !== 0) {
      explained.push({ reason: 'tickets_not_posted', cents: pendingTickets, rows: b.rows.filter((key) => key.startsWith('tickets:')) });
    }
    const notPosted = { cents: 0, rows: [] as string[] };
    const elsewhere = new Map<string, { cents: number; rows: string[] }>();
    for (const key of b.rows) {
      const r = rowByKey.get(key)!;
      if (r.documentId === null || r.exemption) continue;
      const cents = b.kind === 'output_re' ? r.reCents : r.ivaCents;
      const at = posted.get(`${docSource(r).type}:${r.documentId}`);
      if (at === undefined) {
        notPosted.cents += cents;
        notPosted.rows.push(key);
      } else if (at < p.fromMonth || at > p.toMonth) {
        const e = elsewhere.get(at) ?? { cents: 0, rows: [] };
        e.cents += cents;
        e.rows.push(key);
        elsewhere.set(at, e);
      }
    }
    if (notPosted.rows.length) explained.push({ reason: 'document_not_posted', ...notPosted });
    for (const [at, e] of elsewhere) explained.push({ reason: 'document_posted_elsewhere', ...e, detail: at });
    const differenceCents = b.cents - journalCents;
    out.push({ kind: b.kind, rateBp: b.rateBp, account, bookCents: b.cents, journalCents, differenceCents, explained, unexplainedCents: differenceCents - explained.reduce((s, e) => s + e.cents, 0) });
  }
  return out;
}

export async function vatReturnOf(m: Db, companyId: string, period: string): Promise<VatReturnAnswer> {
  const issued = await issuedRows(m, companyId, period, 'summary');
  const received = await receivedRows(m, companyId, period);
  const figures = vatReturn(issued, received);
  return { companyId, period, ...figures, reconciliation: await reconcile(m, companyId, period, issued, received), rows: [...issued, ...received].map(wire) };
}

export async function annualOf(m: Db, companyId: string, year: number): Promise<AnnualAnswer> {
  const y = String(year);
  const issued = await issuedRows(m, companyId, y, 'none');
  const received = await receivedRows(m, companyId, y);
  const s = statement347(ops347(issued, received, await foreignRecipients(m, companyId, y)));
  const used = new Set([...s.declared, ...s.under].flatMap((c) => c.rows).concat(s.excluded.map((e) => e.rowKey)));
  return {
    companyId, year, thresholdCents: THRESHOLD_347_CENTS, declared: s.declared, under: s.under, excluded: s.excluded,
    rows: [...issued, ...received].filter((r) => used.has(r.key)).map(wire),
  };
}
