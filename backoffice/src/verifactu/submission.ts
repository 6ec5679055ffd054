/**
 * Veri*Factu submission: queues every record of every chain (tills and back office) in `verifactu_record`,
 * sends them per issuer NIF in batches of at most 1,000, waits what the AEAT answers (`TiempoEsperaEnvio`)
 * before that issuer's next send, and keeps the answer per record.
 *
 * Exactly once, durably: a batch is written (`sent`, its records `sending`) and committed BEFORE the request
 * leaves. An answer settles each record (Correcto → accepted, AceptadoConErrores → accepted_with_errors,
 * Incorrecto → rejected with its code, Incorrecto 3000 "duplicado" → accepted: the AEAT already holds it). No
 * answer (timeout, network, a node that died mid-send: a `sent` batch older than `staleAfterMs`) puts its
 * records back to `pending`: the resend is answered "duplicate" for those the AEAT did register, so nothing is
 * lost and nothing is registered twice. A rejected record waits for a person: `resend` queues it again, marked
 * as a correction of a rejected record (Subsanacion/RechazoPrevio).
 *
 * Time comes from the injected clock and waits go through the injected waiter (tests advance the clock).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { FiscalRecord } from '@tpv/shared/fiscal/record';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { newRowId } from '../persistence/row-id';
import { writeTransaction } from '../persistence/raw';
import { all, exec, forUpdate, inList, isPostgres, one, type Db } from '../persistence/sql';
import { itemsFor, softwareId, type ChainRef } from './source';
import { buildSoapRequest, DUPLICATE_CODES, MAX_RECORDS_PER_DOCUMENT, parseSoapAnswer, recordKey, SoapFault, type Answer } from './xml';

/** Posts a SOAP request and answers the response body; throws on timeout or a network error. */
export type Transport = (soap: string) => Promise<string>;

export interface Waiter {
  sleep(ms: number): Promise<void>;
}

export interface SubmissionDeps {
  ds: DataSource;
  clock: Clock;
  transport: Transport;
  waiter: Waiter;
  /** Wait after a send that got no answer (default 60 s). */
  retryDelayMs?: number;
  /** A `sent` batch older than this got no answer (its node died): its records go back to pending (default 10 min). */
  staleAfterMs?: number;
  /** Records per batch: at most (and by default) the AEAT's 1,000. */
  batchSize?: number;
  /** Sends without an answer after which a record is rejected for a person to look at (default 10). */
  maxAttempts?: number;
  log?: (msg: string) => void;
}

/** An HTTP transport (fetch) with a timeout: what production uses. */
export function httpTransport(url: string, timeoutMs = 120_000): Transport {
  return async (soap) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }, body: soap, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (!res.ok && !/Fault/.test(text)) throw new Error(`AEAT answered HTTP ${res.status}`);
    return text;
  };
}

export type SendOutcome =
  | { state: 'idle' }
  | { state: 'waiting'; untilMs: number }
  | { state: 'sent'; batchId: string; issuerNif: string; records: number; answered: boolean };

type RecordRow = {
  id: string;
  issuer_nif: string;
  source: 'till' | 'hq';
  chain_id: string;
  chain_position: unknown;
  record_kind: 'alta' | 'anulacion';
  invoice_number: string;
  issue_date: string;
  after_rejection: unknown;
  attempts: unknown;
};

const iso = (ms: number) => new Date(ms).toISOString();
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function createSubmission(deps: SubmissionDeps) {
  const { ds, clock } = deps;
  const retryDelayMs = deps.retryDelayMs ?? 60_000;
  const staleAfterMs = deps.staleAfterMs ?? 10 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 10;
  const log = deps.log ?? (() => {});
  const batchSize = Math.min(deps.batchSize ?? MAX_RECORDS_PER_DOCUMENT, MAX_RECORDS_PER_DOCUMENT);

  async function queue(m: Db, companyId: string, source: 'till' | 'hq', chainId: string, position: number, r: FiscalRecord): Promise<void> {
    const now = iso(clock.now());
    await exec(
      m,
      `INSERT INTO verifactu_record (id, company_id, issuer_nif, source, chain_id, chain_position, installation, record_kind, invoice_type, invoice_number, issue_date, month, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      [newRowId(clock), companyId, r.issuerNif, source, chainId, position, r.installation, r.kind, r.invoiceType ?? null, r.invoiceNumber, r.issueDate, r.generatedAt.slice(0, 7), now, now],
    );
  }

  async function advance(m: Db, source: 'till' | 'hq', chainId: string, had: boolean, last: number): Promise<void> {
    if (had) await exec(m, `UPDATE verifactu_cursor SET last_position = ? WHERE source = ? AND chain_id = ?`, [last, source, chainId]);
    else await exec(m, `INSERT INTO verifactu_cursor (source, chain_id, last_position) VALUES (?, ?, ?)`, [source, chainId, last]);
  }

  /**
   * Queues the records appended to every chain since the last call (contiguous positions only: a till's
   * record that has not arrived yet stops its chain's cursor there). `companyId` limits it to one company.
   */
  async function collect(opts: { companyId?: string; limitPerChain?: number } = {}): Promise<number> {
    const limit = opts.limitPerChain ?? 5_000;
    let queued = 0;
    const hqChains = await all<{ company_id: string }>(ds.manager, `SELECT DISTINCT company_id FROM hq_fiscal_record${opts.companyId ? ' WHERE company_id = ?' : ''}`, opts.companyId ? [opts.companyId] : []);
    const tills = await all<{ id: string; company_id: string }>(
      ds.manager,
      `SELECT t.id, s.company_id FROM terminal t JOIN store s ON s.id = t.store_id${opts.companyId ? ' WHERE s.company_id = ?' : ''}`,
      opts.companyId ? [opts.companyId] : [],
    );
    const chains = [...hqChains.map((c) => ({ source: 'hq' as const, chainId: c.company_id, companyId: c.company_id })), ...tills.map((t) => ({ source: 'till' as const, chainId: t.id, companyId: t.company_id }))];
    for (const c of chains) {
      queued += await writeTransaction(ds, async (m) => {
        const cur = await one<{ last_position: unknown }>(m, `SELECT last_position FROM verifactu_cursor WHERE source = ? AND chain_id = ?${forUpdate(m)}`, [c.source, c.chainId]);
        let last = cur ? Number(cur.last_position) : 0;
        const rows =
          c.source === 'hq'
            ? (await all<{ chain_position: unknown; record: string }>(m, `SELECT chain_position, record FROM hq_fiscal_record WHERE company_id = ? AND chain_position > ? ORDER BY chain_position LIMIT ?`, [c.chainId, last, limit])).map((r) => ({
                position: Number(r.chain_position),
                record: parseJson<FiscalRecord>(r.record),
              }))
            : (await all<{ chain_position: unknown; document: unknown }>(m, `SELECT f.chain_position, t.document FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id WHERE f.terminal_id = ? AND f.chain_position > ? ORDER BY f.chain_position LIMIT ?`, [c.chainId, last, limit])).map((r) => ({
                position: Number(r.chain_position),
                record: parseJson<TicketDocument>(r.document).fiscal as FiscalRecord,
              }));
        let n = 0;
        for (const r of rows) {
          if (r.position !== last + 1) break;
          await queue(m, c.companyId, c.source, c.chainId, r.position, r.record);
          last = r.position;
          n++;
        }
        if (n > 0) await advance(m, c.source, c.chainId, cur !== undefined, last);
        return n;
      });
    }
    return queued;
  }

  /** `sent` batches nobody is waiting for any more (their node died): back to pending. */
  async function recoverStale(): Promise<number> {
    const before = iso(clock.now() - staleAfterMs);
    const stale = await all<{ id: string }>(ds.manager, `SELECT id FROM verifactu_batch WHERE status = 'sent' AND sent_at < ?`, [before]);
    for (const b of stale) {
      await writeTransaction(ds, async (m) => {
        await exec(m, `UPDATE verifactu_batch SET status = 'timeout', error = ? WHERE id = ? AND status = 'sent'`, ['sin respuesta (nodo reiniciado) / no answer (node restarted)', b.id]);
        await exec(m, `UPDATE verifactu_record SET status = 'pending', batch_id = NULL, updated_at = ? WHERE batch_id = ? AND status = 'sending'`, [iso(clock.now()), b.id]);
      });
      log(`verifactu: batch ${b.id} had no answer; its records are pending again`);
    }
    return stale.length;
  }

  async function nextSendAt(nif: string): Promise<number> {
    const row = await one<{ next_send_at: string }>(ds.manager, `SELECT next_send_at FROM verifactu_issuer WHERE issuer_nif = ?`, [nif]);
    return row ? Date.parse(row.next_send_at) : 0;
  }

  async function setNextSend(m: Db, nif: string, atMs: number): Promise<void> {
    const now = iso(clock.now());
    const had = await one(m, `SELECT issuer_nif FROM verifactu_issuer WHERE issuer_nif = ?`, [nif]);
    if (had) await exec(m, `UPDATE verifactu_issuer SET next_send_at = ?, updated_at = ? WHERE issuer_nif = ?`, [iso(atMs), now, nif]);
    else await exec(m, `INSERT INTO verifactu_issuer (issuer_nif, next_send_at, updated_at) VALUES (?, ?, ?)`, [nif, iso(atMs), now]);
  }

  /**
   * Claims up to 1,000 pending records of an issuer as a `sent` batch (committed before sending). The issuer's
   * row is the gate: locked, re-checked, and pushed to "in flight" (now + staleAfterMs) so another node does
   * not send for the same issuer before this batch's answer sets the AEAT's waiting time. `busy`: not due.
   */
  async function claim(nif: string): Promise<{ batchId: string; rows: RecordRow[] } | 'busy' | null> {
    return writeTransaction(ds, async (m) => {
      const gate = await one<{ next_send_at: string }>(m, `SELECT next_send_at FROM verifactu_issuer WHERE issuer_nif = ?${forUpdate(m)}`, [nif]);
      if (gate && Date.parse(gate.next_send_at) > clock.now()) return 'busy';
      const lock = isPostgres(m) ? ' FOR UPDATE SKIP LOCKED' : '';
      const rows = await all<RecordRow>(
        m,
        `SELECT id, issuer_nif, source, chain_id, chain_position, record_kind, invoice_number, issue_date, after_rejection, attempts FROM verifactu_record
         WHERE issuer_nif = ? AND status = 'pending' ORDER BY source, chain_id, chain_position LIMIT ${batchSize}${lock}`,
        [nif],
      );
      if (rows.length === 0) return null;
      await setNextSend(m, nif, clock.now() + staleAfterMs);
      const batchId = newRowId(clock);
      await exec(m, `INSERT INTO verifactu_batch (id, issuer_nif, status, record_count, sent_at) VALUES (?, ?, 'sent', ?, ?)`, [batchId, nif, rows.length, iso(clock.now())]);
      for (let s = 0; s < rows.length; s += 500) {
        const ids = rows.slice(s, s + 500).map((r) => r.id);
        await exec(m, `UPDATE verifactu_record SET status = 'sending', batch_id = ?, attempts = attempts + 1, updated_at = ? WHERE id IN (${inList(ids.length)})`, [batchId, iso(clock.now()), ...ids]);
      }
      return { batchId, rows };
    });
  }

  async function settle(batchId: string, nif: string, rows: RecordRow[], answer: Answer): Promise<void> {
    const byKey = new Map(answer.lines.map((l) => [recordKey(l.issuerNif, l.invoiceNumber, l.issueDate, l.operation), l]));
    const now = clock.now();
    await writeTransaction(ds, async (m) => {
      for (const r of rows) {
        const l = byKey.get(recordKey(r.issuer_nif, r.invoice_number, r.issue_date, r.record_kind));
        let status: string;
        let code: string | null = null;
        let description: string | null = null;
        if (!l) status = Number(r.attempts) + 1 >= maxAttempts ? 'rejected' : 'pending';
        else if (l.status === 'Correcto') status = 'accepted';
        else if (l.status === 'AceptadoConErrores') [status, code, description] = ['accepted_with_errors', l.errorCode ?? null, l.errorDescription ?? null];
        else if (l.duplicate || DUPLICATE_CODES.has(l.errorCode ?? '')) {
          // Already registered (a resend after a lost answer): the AEAT's state of the earlier registration counts.
          status = l.duplicate?.state === 'AceptadaConErrores' ? 'accepted_with_errors' : 'accepted';
          description = 'ya registrado en la AEAT (reenvío) / already registered (resend)';
        } else [status, code, description] = ['rejected', l.errorCode ?? null, l.errorDescription ?? null];
        if (!l) description = 'sin línea en la respuesta / missing from the answer';
        await exec(
          m,
          `UPDATE verifactu_record SET status = ?, error_code = ?, error_description = ?, csv = ?, batch_id = ?, updated_at = ? WHERE id = ? AND batch_id = ?`,
          [status, code, description, status.startsWith('accepted') ? answer.csv : null, status === 'pending' ? null : batchId, iso(now), r.id, batchId],
        );
      }
      await exec(m, `UPDATE verifactu_batch SET status = 'answered', answered_at = ?, wait_seconds = ?, envio_status = ?, csv = ? WHERE id = ?`, [iso(now), answer.waitSeconds, answer.status, answer.csv, batchId]);
      await setNextSend(m, nif, now + answer.waitSeconds * 1000);
    });
  }

  async function unanswered(batchId: string, nif: string, rows: RecordRow[], why: string, fault: boolean): Promise<void> {
    const now = clock.now();
    await writeTransaction(ds, async (m) => {
      await exec(m, `UPDATE verifactu_batch SET status = ?, answered_at = ?, error = ? WHERE id = ?`, [fault ? 'fault' : 'timeout', iso(now), why.slice(0, 2000), batchId]);
      for (const r of rows) {
        const giveUp = Number(r.attempts) + 1 >= maxAttempts;
        await exec(m, `UPDATE verifactu_record SET status = ?, batch_id = NULL, error_code = ?, error_description = ?, updated_at = ? WHERE id = ? AND batch_id = ?`, [
          giveUp ? 'rejected' : 'pending', giveUp ? (fault ? 'SOAP' : 'TIMEOUT') : null, giveUp ? why.slice(0, 500) : null, iso(now), r.id, batchId,
        ]);
      }
      await setNextSend(m, nif, now + retryDelayMs);
    });
  }

  /** Issuers with pending records, the soonest allowed to send first. */
  async function pendingIssuers(only?: string): Promise<Array<{ nif: string; atMs: number }>> {
    const rows = await all<{ issuer_nif: string }>(ds.manager, `SELECT DISTINCT issuer_nif FROM verifactu_record WHERE status = 'pending'${only ? ' AND issuer_nif = ?' : ''}`, only ? [only] : []);
    const out = [];
    for (const r of rows) out.push({ nif: r.issuer_nif, atMs: await nextSendAt(r.issuer_nif) });
    return out.sort((a, b) => a.atMs - b.atMs);
  }

  /** Sends one batch for the first issuer allowed to send now (or says how long to wait). */
  async function sendOnce(only?: string): Promise<SendOutcome> {
    await recoverStale();
    const issuers = await pendingIssuers(only);
    if (issuers.length === 0) return { state: 'idle' };
    const due = issuers.find((i) => i.atMs <= clock.now());
    if (!due) return { state: 'waiting', untilMs: issuers[0]!.atMs };
    const claimed = await claim(due.nif);
    if (claimed === 'busy') return { state: 'waiting', untilMs: await nextSendAt(due.nif) };
    if (!claimed) return { state: 'idle' };
    const { batchId, rows } = claimed;
    const refs: ChainRef[] = rows.map((r) => ({ source: r.source, chainId: r.chain_id, position: Number(r.chain_position) }));
    const loaded = await itemsFor(ds.manager, refs);
    const after = new Set(rows.filter((r) => r.after_rejection === true || r.after_rejection === 1 || r.after_rejection === '1').map((r) => `${r.source}|${r.chain_id}|${Number(r.chain_position)}`));
    const items = loaded.map((l) => (after.has(`${l.source}|${l.chainId}|${l.position}`) ? { ...l.item, afterRejection: true } : l.item));
    const company = await one<{ legal_name: string }>(ds.manager, `SELECT legal_name FROM company WHERE nif = ?`, [due.nif]);
    const soap = buildSoapRequest({ nif: due.nif, name: company?.legal_name ?? items[0]!.issuerName }, items, await softwareId(ds.manager));
    let answer: Answer;
    try {
      answer = parseSoapAnswer(await deps.transport(soap));
    } catch (e) {
      const fault = e instanceof SoapFault;
      log(`verifactu: batch ${batchId} (${rows.length} records of ${due.nif}) ${fault ? 'refused' : 'unanswered'}: ${(e as Error).message}`);
      await unanswered(batchId, due.nif, rows, (e as Error).message, fault);
      return { state: 'sent', batchId, issuerNif: due.nif, records: rows.length, answered: false };
    }
    await settle(batchId, due.nif, rows, answer);
    return { state: 'sent', batchId, issuerNif: due.nif, records: rows.length, answered: true };
  }

  /**
   * Queues what is new and sends until nothing is pending (honouring each issuer's waiting time through the
   * waiter), or `maxSends` sends. Records rejected stay rejected: they need a person (`resend`).
   */
  async function runUntilIdle(opts: { companyId?: string; issuerNif?: string; maxSends?: number; onSend?: (o: SendOutcome) => Promise<void> | void } = {}): Promise<{ sends: number }> {
    await collect(opts.companyId ? { companyId: opts.companyId } : {});
    let sends = 0;
    const max = opts.maxSends ?? 10_000;
    while (sends < max) {
      const o = await sendOnce(opts.issuerNif);
      if (o.state === 'idle') break;
      if (o.state === 'waiting') {
        await deps.waiter.sleep(Math.max(0, o.untilMs - clock.now()));
        continue;
      }
      sends++;
      await opts.onSend?.(o);
    }
    return { sends };
  }

  return { collect, recoverStale, sendOnce, runUntilIdle };
}

export type Submission = ReturnType<typeof createSubmission>;

/**
 * Queues a rejected record again, as the correction of a rejected record (the AEAT expects Subsanacion S +
 * RechazoPrevio X). Refused (null) when the record is not rejected.
 */
export async function resendRejected(m: Db, clock: Clock, recordId: string): Promise<{ id: string; companyId: string } | null> {
  const r = await one<{ status: string; company_id: string }>(m, `SELECT status, company_id FROM verifactu_record WHERE id = ?${forUpdate(m)}`, [recordId]);
  if (!r || r.status !== 'rejected') return null;
  await exec(m, `UPDATE verifactu_record SET status = 'pending', after_rejection = ?, attempts = 0, batch_id = NULL, updated_at = ? WHERE id = ?`, [isPostgres(m) ? true : 1, iso(clock.now()), recordId]);
  return { id: recordId, companyId: r.company_id };
}
