/**
 * The HQ end of the till's `documents` channel (shared/src/wire/upward.ts): each document a till sends up is
 * applied once. Per document, one transaction: is its id in `upward_document`? then the stored answer (a
 * repeat: lost ack, resend after a reconnect); else the enabled module's handler for its kind runs and its
 * answer — applied with a reference, or rejected with a message — is stored in the same transaction. A
 * handler that throws (database trouble, a dependency not there yet) rolls everything back and the till is
 * told `retry`: nothing is remembered, it sends the document again later.
 *
 * Documents are scoped to the token's terminal: a batch naming another terminal, or a document id already
 * answered for another terminal, is refused (never applied on its behalf).
 */
import type { DataSource } from 'typeorm';
import { UPWARD_KINDS, UpwardBatchSchema, type UpwardAck, type UpwardKind, type UpwardResult } from '@tpv/shared/wire/upward';
import type { Clock } from '@tpv/shared/clock';
import { constraintViolation } from '../persistence/constraints';
import { writeTransaction } from '../persistence/raw';
import type { FeedChanged, ModuleContext, TillRequestHandler, UpwardHandler, UpwardTill } from '../modules/types';
import * as repo from './repository';

export type UpwardHandlers = Partial<Record<UpwardKind, UpwardHandler>>;

/** What the gateway hands the channel: the handlers of the enabled modules and the context they run with. */
export interface UpwardChannel {
  handlers: UpwardHandlers;
  ctx: ModuleContext;
  /** The enabled modules' till request handlers by kind (shared/src/wire/till-request.ts). */
  requests?: Record<string, TillRequestHandler>;
}

export class UpwardBatchRefused extends Error {
  constructor(
    readonly code: 'UPWARD_MALFORMED' | 'UPWARD_WRONG_TERMINAL',
    message: string,
  ) {
    super(message);
  }
}

const fromRow = (r: repo.UpwardDocumentRow): UpwardResult => ({
  id: r.id,
  status: r.status,
  ...(r.reference ? { reference: r.reference } : {}),
  ...(r.message ? { message: r.message } : {}),
});

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Applies a till's batch: one answer per document, in the batch's order. Throws UpwardBatchRefused for a bad batch. */
export async function applyUpwardBatch(ds: DataSource, clock: Clock, channel: UpwardChannel, till: UpwardTill, raw: unknown): Promise<UpwardAck> {
  const parsed = UpwardBatchSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpwardBatchRefused('UPWARD_MALFORMED', cut(`${issue?.path.join('.') || 'batch'}: ${issue?.message ?? 'malformed'}`, 500));
  }
  const batch = parsed.data;
  if (batch.terminalId !== till.terminalId) throw new UpwardBatchRefused('UPWARD_WRONG_TERMINAL', 'the batch names another terminal than the token’s');
  const results: UpwardResult[] = [];
  for (const doc of batch.documents) results.push(await applyOne(ds, clock, channel, till, doc));
  return { results };
}

async function applyOne(ds: DataSource, clock: Clock, channel: UpwardChannel, till: UpwardTill, doc: { id: string; kind: UpwardKind; createdAt: string; payload: unknown }): Promise<UpwardResult> {
  const stored = async (): Promise<UpwardResult | null> => {
    const [row] = await repo.upwardDocumentsByIds(ds.manager, [doc.id]);
    if (!row) return null;
    // Another terminal's document id: not this till's to see or repeat.
    if (row.terminalId !== till.terminalId) return { id: doc.id, status: 'rejected', message: 'document id already used by another terminal' };
    return fromRow(row);
  };
  const before = await stored();
  if (before) return before;
  const handler = channel.handlers[doc.kind];
  if (!handler) return { id: doc.id, status: 'retry', message: `no module takes ${doc.kind} documents in this back office now` };
  // Feed changes of the applied document: the store's tills are nudged only once they are committed.
  let feedChanged: readonly FeedChanged[] = [];
  try {
    const result = await writeTransaction(ds, async (m) => {
      feedChanged = [];
      // Checked again inside the transaction: another connection of this till may have applied it meanwhile.
      const [again] = await repo.upwardDocumentsByIds(m, [doc.id]);
      if (again) return again.terminalId === till.terminalId ? fromRow(again) : { id: doc.id, status: 'rejected' as const, message: 'document id already used by another terminal' };
      const now = new Date(clock.now()).toISOString();
      const payload = UPWARD_KINDS[doc.kind].safeParse(doc.payload);
      const answer = payload.success
        ? await handler(m, channel.ctx, till, { id: doc.id, createdAt: doc.createdAt, payload: payload.data })
        : { rejected: cut(`${payload.error.issues[0]?.path.join('.') || 'payload'}: ${payload.error.issues[0]?.message ?? 'malformed'}`, 500) };
      const row: repo.UpwardDocumentRow =
        'rejected' in answer
          ? { id: doc.id, terminalId: till.terminalId, kind: doc.kind, status: 'rejected', reference: null, message: cut(answer.rejected, 500) }
          : { id: doc.id, terminalId: till.terminalId, kind: doc.kind, status: 'applied', reference: answer.reference ? cut(answer.reference, 200) : null, message: null };
      if (row.status === 'rejected') {
        // What the handler may have written goes; only the refusal is remembered.
        throw new RejectedDocument(row);
      }
      await repo.insertUpwardDocument(m, { ...row, createdAt: doc.createdAt, appliedAt: now });
      if ('feedChanged' in answer && answer.feedChanged) feedChanged = answer.feedChanged;
      return fromRow(row);
    });
    for (const f of feedChanged) channel.ctx.live.gateway?.catalogChanged(f.storeId, f.version);
    return result;
  } catch (e) {
    if (e instanceof RejectedDocument) return rememberRejection(ds, clock, e.row, doc.createdAt, stored);
    // A concurrent transaction stored it first: its answer is the answer.
    if (constraintViolation(e)?.kind === 'unique') {
      const first = await stored();
      if (first) return first;
    }
    channel.ctx.log(`till ${till.terminalId}: ${doc.kind} ${doc.id} not applied (${String(e)}); the till retries`);
    return { id: doc.id, status: 'retry', message: 'the back office could not apply it now; it is sent again' };
  }
}

class RejectedDocument extends Error {
  constructor(readonly row: repo.UpwardDocumentRow) {
    super(row.message ?? 'rejected');
  }
}

async function rememberRejection(ds: DataSource, clock: Clock, row: repo.UpwardDocumentRow, createdAt: string, stored: () => Promise<UpwardResult | null>): Promise<UpwardResult> {
  try {
    await writeTransaction(ds, (m) => repo.insertUpwardDocument(m, { ...row, createdAt, appliedAt: new Date(clock.now()).toISOString() }));
    return fromRow(row);
  } catch (e) {
    const first = constraintViolation(e)?.kind === 'unique' ? await stored() : null;
    return first ?? { id: row.id, status: 'retry', message: 'the back office could not record the refusal now; it is sent again' };
  }
}
