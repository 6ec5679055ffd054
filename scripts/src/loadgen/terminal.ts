/**
 * A simulated terminal: a real socket.io client speaking the sync protocol (hello, ticket batches with
 * acks, resend from the acked seq on reconnect), selling valid tickets built with the shared rules and
 * chained with the shared fiscal functions.
 */
import { EVENTS } from '@tpv/shared/wire/sync-protocol';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { createTicketFactory, type FactoryProduct, type TicketFactory } from '@tpv/backoffice/test/support/ticket-factory';
import type { TicketAck } from '@tpv/shared/wire/sync';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { ProvisionedTerminal } from './provision';

export interface SimTerminalOptions {
  url: string;
  terminal: ProvisionedTerminal;
  products: readonly FactoryProduct[];
  customers: ReadonlyArray<{ id: string; name: string }>;
  seed: number;
  batchSize: number;
}

/** Batches in flight per terminal (the SyncClient's default maxInFlight). */
const WINDOW = 2;

export class SimTerminal {
  readonly factory: TicketFactory;
  /** Unacked tickets, oldest first (the outbox). */
  private readonly outbox: TicketDocument[] = [];
  /** When each seq was handed to the socket (ms, performance.now()). */
  readonly sentAt = new Map<number, number>();
  /** send → ack latency per ticket, ms. */
  readonly latencies: number[] = [];
  ackedSeq = 0;
  rejected = 0;
  errors: string[] = [];
  private socket: Socket | undefined;
  /** Batches sent and not answered (at most WINDOW, as the real SyncClient's maxInFlight). */
  private inFlight = 0;
  /** Highest seq handed to the socket. */
  private sentUpTo = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly o: SimTerminalOptions) {
    let ms = Date.now() - 3600_000;
    this.factory = createTicketFactory({
      identity: { ...o.terminal },
      products: o.products,
      onAccountCustomers: o.customers,
      clock: { now: () => (ms += 250) },
      seed: o.seed,
      sessionId: `LOAD-${o.terminal.storeCode}-${o.terminal.terminalCode}`,
    });
  }

  /** Sells n tickets into the outbox (not sent yet). */
  sell(n: number): void {
    for (let i = 0; i < n; i++) this.outbox.push(this.factory.next());
  }

  /** Puts tickets made beforehand (with `factory`, in order) into the outbox: a paced bench's generation stays untimed. */
  queue(docs: readonly TicketDocument[]): void {
    for (const d of docs) this.outbox.push(d);
  }

  get pending(): number {
    return this.outbox.length;
  }

  connect(): Promise<void> {
    const t = this.o.terminal;
    const socket = io(`${this.o.url}/terminal`, {
      auth: { terminalId: t.terminalId, token: t.token, lastAckedSeq: this.ackedSeq, catalogVersion: 0 },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
    });
    this.socket = socket;
    socket.on(EVENTS.syncError, (e: { code: string; message: string }) => this.errors.push(`${e.code}: ${e.message}`));
    return new Promise((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.on(EVENTS.helloAck, (h: { ackedSeq: number }) => {
        this.applyAck(h.ackedSeq);
        resolve();
        this.pump();
      });
    });
  }

  private applyAck(ackedSeq: number) {
    const now = performance.now();
    while (this.outbox.length > 0 && this.outbox[0]!.seq <= ackedSeq) {
      const seq = this.outbox.shift()!.seq;
      const sent = this.sentAt.get(seq);
      if (sent !== undefined) {
        this.latencies.push(now - sent);
        this.sentAt.delete(seq);
      }
    }
    if (ackedSeq > this.ackedSeq) this.ackedSeq = ackedSeq;
    if (this.outbox.length === 0) for (const f of this.idle.splice(0)) f();
  }

  /** Sends the outbox in batches, two in flight (as the terminal's sync loop does). */
  pump(): void {
    const socket = this.socket;
    while (socket?.connected && this.inFlight < WINDOW && this.outbox.length > 0) {
      // The outbox holds consecutive seqs: the first unsent one is at sentUpTo + 1.
      const start = Math.max(0, this.sentUpTo + 1 - this.outbox[0]!.seq);
      const batch = this.outbox.slice(start, start + this.o.batchSize);
      if (batch.length === 0) return;
      this.inFlight++;
      const last = batch[batch.length - 1]!.seq;
      this.sentUpTo = last;
      const now = performance.now();
      for (const t of batch) if (!this.sentAt.has(t.seq)) this.sentAt.set(t.seq, now);
      socket
        .timeout(60_000)
        .emitWithAck(EVENTS.tickets, { terminalId: this.o.terminal.terminalId, batchId: randomUUID(), tickets: batch })
        .then((ack: TicketAck) => {
          this.rejected += ack.rejected?.length ?? 0;
          this.applyAck(ack.ackedSeq);
          if (ack.ackedSeq < last) this.sentUpTo = Math.min(this.sentUpTo, ack.ackedSeq); // resend the rest
        })
        .catch((e: unknown) => {
          this.errors.push(String(e));
          this.sentUpTo = this.ackedSeq;
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** Resolves when everything sold has been acked. */
  drained(): Promise<void> {
    if (this.outbox.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    this.socket?.close();
  }
}
