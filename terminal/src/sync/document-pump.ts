/**
 * `document_outbox` → back office (`documents` event, shared/src/wire/upward.ts): pending documents go up
 * oldest first, ≤ 50 per batch, one batch on the wire at a time (they are few: a delivery, a count). Each
 * answer is recorded per document — applied and rejected are final, `retry` stays pending and is sent again
 * after a backoff. A batch without an answer in time recycles the connection like the ticket pump; a batch
 * refused whole is kept and retried after a backoff. Nothing is dropped: HQ applies each id once, so sending
 * a document again after a lost ack is harmless (the repeat gets the first answer).
 */
import { MAX_UPWARD_PER_BATCH, UPWARD_EVENT, UpwardAckSchema } from '@tpv/shared/wire/upward';
import { backoffDelay, IdleWait } from './backoff';
import type { Connection, Conn } from './connection';
import type { SyncContext } from './context';
import type { DocumentOutbox } from './document-outbox';

export class DocumentPump {
  private readonly sleeper = new IdleWait();
  /** The connection generation a loop runs for (one loop per connection). */
  private runningGen = -1;
  lastAnswerAt: string | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly link: Connection,
    private readonly outbox: DocumentOutbox,
  ) {}

  wake(): void {
    this.sleeper.wake();
  }

  async run(conn: Conn): Promise<void> {
    if (this.runningGen === conn.gen) return;
    this.runningGen = conn.gen;
    const { ctx, link, outbox } = this;
    let stalls = 0;
    const backoff = () => this.idle(backoffDelay(stalls++, ctx.o.backoff));
    while (link.alive(conn)) {
      const documents = outbox.pending(MAX_UPWARD_PER_BATCH);
      if (documents.length === 0) {
        await this.idle(ctx.o.pollMs);
        continue;
      }
      const ids = documents.map((d) => d.id);
      let raw: unknown;
      try {
        raw = await link.request(conn, UPWARD_EVENT, { terminalId: ctx.creds!.terminalId, documents });
      } catch (e) {
        if (!link.alive(conn)) return; // the disconnect handler reconnects; the documents stay pending
        outbox.noteFailure(ids, `no answer: ${(e as Error).message}`);
        ctx.fail(`documents: no answer from the back office (${(e as Error).message}); reconnecting`);
        conn.close();
        link.scheduleReconnect();
        return;
      }
      const ack = UpwardAckSchema.safeParse(raw);
      if (!ack.success) {
        const why = describe(raw);
        outbox.noteFailure(ids, `refused: ${why}`);
        ctx.fail(`documents refused by the back office: ${why}`);
        await backoff();
        continue;
      }
      this.lastAnswerAt = ctx.nowIso();
      outbox.answer(ack.data.results, this.lastAnswerAt);
      const answered = new Set(ack.data.results.filter((r) => r.status !== 'retry').map((r) => r.id));
      const rejected = ack.data.results.filter((r) => r.status === 'rejected');
      if (rejected.length > 0) ctx.log(`back office rejected ${rejected.length} document(s): ${rejected.map((r) => `${r.id} (${r.message ?? ''})`).join(', ').slice(0, 300)}`);
      ctx.emitStatus();
      if (ids.every((id) => answered.has(id))) stalls = 0;
      else await backoff(); // some are to be sent again later (HQ busy, a module not there yet)
    }
  }

  /** Waits `ms`, or less if woken (notify(), stop()). */
  private idle(ms: number): Promise<void> {
    return this.sleeper.wait(ms);
  }
}

function describe(raw: unknown): string {
  const e = (raw as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e && typeof e === 'object') return `${String(e.code ?? 'ERROR')}: ${String(e.message ?? '')}`.slice(0, 300);
  return `unexpected answer ${JSON.stringify(raw)?.slice(0, 200)}`;
}
