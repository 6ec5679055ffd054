/**
 * A small in-memory back office that speaks the terminal sync protocol — for the sync client's medium
 * tests and benchmarks while (and after) the real one is built. It does what the real ingest promises at
 * the protocol level: unique (terminal, seq) and ticket id, applies a terminal's tickets in seq order
 * (holding early arrivals), acks the highest contiguous seq, and serves a versioned change feed.
 * Not for production: no persistence, tokens in memory.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import {
  ChangePageSchema, MAX_CHANGES_PER_PAGE, TicketBatchSchema, TerminalHelloSchema, type ChangePage, type MasterDataChange, type TerminalHello, type TicketAck,
} from '@tpv/shared/wire/sync';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { EVENTS, SOCKET_NAMESPACE, UNAUTHORIZED, CatalogPullSchema, type PairingResponse } from '@tpv/shared/wire/sync-protocol';
import {
  STOCK_LOOKUP_EVENT, UPWARD_EVENT, UPWARD_KINDS, UpwardBatchSchema, type StockLookupReply, type UpwardAck, type UpwardDocument, type UpwardResult,
} from '@tpv/shared/wire/upward';

export type NewChange = Omit<MasterDataChange, 'version'>;

export interface FakeTerminal {
  identity: PairingResponse['identity'];
  token: string | null;
  revoked: boolean;
  /** Highest contiguous seq applied. */
  appliedSeq: number;
  tickets: Map<number, TicketDocument>;
  held: Map<number, TicketDocument>;
  /** Tickets received again after they were applied (replays, lost acks). */
  duplicates: number;
  batches: number;
}

export interface FakeHqOptions {
  /** Validate every batch with TicketBatchSchema (default true; off for raw-speed benchmarks). */
  validate?: boolean;
  /** Validate every page it serves with ChangePageSchema (default false). */
  validatePages?: boolean;
  /** Milliseconds before answering a batch. */
  ackDelayMs?: number;
  log?: (msg: string) => void;
}

export class FakeHq {
  readonly http: HttpServer;
  readonly io: Server;
  readonly terminals = new Map<string, FakeTerminal>();
  private readonly codes = new Map<string, string>();
  private readonly changes: MasterDataChange[] = [];
  private readonly epochs: string[] = [];
  private epoch = 'e0';
  private rewinds = 0;
  /** Every hello received (what tills say about themselves). */
  readonly hellos: TerminalHello[] = [];
  /** Seqs to refuse (reason), per terminal; a refused ticket is acked past (held for review at HQ). */
  readonly rejectSeqs = new Map<string, Map<number, string>>();
  /** When set, every batch is refused whole with this error (nothing applied): `sync:error`, then the ack. */
  refuseBatches: { code: string; message: string; permanent?: boolean } | undefined;
  /** Batches received (any outcome). */
  batchesReceived = 0;
  /** When true, batches are applied but never answered (lost acks). */
  swallowAcks = false;
  /** When set, batches get this ackedSeq instead of the truth (tests of odd answers). */
  ackOverride: ((t: FakeTerminal) => TicketAck) | undefined;
  connections = 0;
  pulls = 0;
  // ── upward documents (what the real back office's upward_document does) ──
  /** Documents applied (or refused) for good, by id, with the answer a repeat gets. */
  readonly upward = new Map<string, { terminalId: string; doc: UpwardDocument; result: UpwardResult }>();
  /** Documents received, repeats included. */
  documentsReceived = 0;
  /** Decides each new document (default: applied, reference `<kind> #n`); `retry` keeps nothing. */
  decideDocument: ((doc: UpwardDocument) => Omit<UpwardResult, 'id'>) | undefined;
  /** When true, document batches are applied but never answered (lost acks). */
  swallowDocumentAcks = false;
  /** The `stock:lookup` answer (null: none, the till's request times out). */
  stockLookup: ((productId: string) => StockLookupReply | null) | undefined;
  private tokenNo = 0;

  constructor(private readonly opts: FakeHqOptions = {}) {
    this.http = createServer((req, res) => void this.handleHttp(req, res));
    this.io = new Server(this.http, { serveClient: false, maxHttpBufferSize: 16 * 1024 * 1024 });
    const nsp = this.io.of(SOCKET_NAMESPACE);
    nsp.use((socket, next) => {
      const hello = TerminalHelloSchema.safeParse(socket.handshake.auth);
      const t = hello.success ? this.terminals.get(hello.data.terminalId) : undefined;
      if (!hello.success || !t || t.revoked || t.token === null || t.token !== hello.data.token) return next(new Error(UNAUTHORIZED));
      socket.data.terminalId = hello.data.terminalId;
      socket.data.hello = hello.data;
      next();
    });
    nsp.on('connection', (socket) => this.onConnection(socket));
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    if (this.http.listening) await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Takes over another instance's state: a back office restarted on its (durable) database. */
  adopt(previous: FakeHq): this {
    for (const [id, t] of previous.terminals) this.terminals.set(id, t);
    for (const [code, id] of previous.codes) this.codes.set(code, id);
    this.changes.push(...previous.changes);
    this.epochs.push(...previous.epochs);
    this.epoch = previous.epoch;
    this.rewinds = previous.rewinds;
    for (const [id, m] of previous.rejectSeqs) this.rejectSeqs.set(id, m);
    for (const [id, d] of previous.upward) this.upward.set(id, d);
    return this;
  }

  // ── organisation ────────────────────────────────────────────────────────────────────────────────
  addTerminal(identity: PairingResponse['identity']): FakeTerminal {
    const t: FakeTerminal = { identity, token: null, revoked: false, appliedSeq: 0, tickets: new Map(), held: new Map(), duplicates: 0, batches: 0 };
    this.terminals.set(identity.terminalId, t);
    return t;
  }

  /** What HQ's `POST /api/terminals/:id/pairing-code` does. */
  pairingCode(terminalId: string): string {
    const code = String(100000 + this.codes.size + Math.floor(Math.random() * 800000));
    this.codes.set(code, terminalId);
    return code;
  }

  /** Pairs without HTTP (tests that start already paired): returns the token. */
  issueToken(terminalId: string): string {
    const t = this.terminals.get(terminalId);
    if (!t) throw new Error(`unknown terminal ${terminalId}`);
    t.token = `tok-${terminalId}-${++this.tokenNo}-${'x'.repeat(16)}`;
    t.revoked = false;
    return t.token;
  }

  /** Drops every terminal connection (they reconnect by themselves). */
  dropConnections(): void {
    this.io.of(SOCKET_NAMESPACE).disconnectSockets(true);
  }

  revoke(terminalId: string): void {
    const t = this.terminals.get(terminalId);
    if (!t) return;
    t.revoked = true;
    for (const s of this.io.of(SOCKET_NAMESPACE).sockets.values()) if (s.data.terminalId === terminalId) s.disconnect(true);
  }

  // ── change feed ─────────────────────────────────────────────────────────────────────────────────
  get catalogVersion(): number {
    return this.changes.length;
  }

  /** Appends changes (versions assigned in order) and nudges every connected terminal. */
  publish(changes: NewChange[], nudge = true): number {
    for (const c of changes) {
      this.changes.push({ ...c, version: this.changes.length + 1 } as MasterDataChange);
      this.epochs.push(this.epoch);
    }
    if (nudge) this.io.of(SOCKET_NAMESPACE).emit(EVENTS.catalogChanged, { version: this.catalogVersion });
    return this.catalogVersion;
  }

  page(sinceVersion: number, limit: number): ChangePage {
    const since = Math.min(sinceVersion, this.changes.length);
    const changes = this.changes.slice(since, since + Math.min(limit, MAX_CHANGES_PER_PAGE));
    const toVersion = changes.length > 0 ? changes[changes.length - 1]!.version : since;
    return { fromVersion: since, toVersion, changes, hasMore: toVersion < this.changes.length, epoch: this.epochAt(toVersion) };
  }

  /** The feed epoch of a version: changes published after a rewind carry a new one (like a restarted HQ). */
  epochAt(version: number): string {
    return this.epochs[version - 1] ?? 'e0';
  }

  /** A back office restored from an older copy: the feed keeps only its first `version` changes. */
  rewindFeed(version: number): void {
    this.changes.length = Math.min(this.changes.length, version);
    this.epochs.length = this.changes.length;
    this.epoch = `e${++this.rewinds}`;
  }

  // ── socket ──────────────────────────────────────────────────────────────────────────────────────
  private onConnection(socket: Socket): void {
    this.connections++;
    const t = this.terminals.get(socket.data.terminalId as string)!;
    const hello = socket.data.hello as TerminalHello;
    // The real gateway's check: the till's version must still be in our feed, with the same epoch.
    const catalogReset =
      hello.catalogVersion > this.catalogVersion || (hello.catalogEpoch !== undefined && hello.catalogEpoch !== this.epochAt(hello.catalogVersion));
    this.hellos.push(hello);
    socket.emit(EVENTS.helloAck, { ackedSeq: t.appliedSeq, catalogVersion: this.catalogVersion, ...(catalogReset ? { catalogReset } : {}) });
    socket.on(EVENTS.tickets, (batch: unknown, ack: (a: TicketAck | { error: string }) => void) => {
      if (typeof ack !== 'function') return;
      this.batchesReceived++;
      const answer = () => {
        if (this.refuseBatches) {
          // As the real gateway does: say why with sync:error, then ack where the terminal stands.
          const batchId = (batch as { batchId?: unknown } | null)?.batchId;
          const { permanent, ...error } = this.refuseBatches;
          socket.emit('sync:error', { batchId: typeof batchId === 'string' ? batchId : null, ...error });
          const refused = permanent === undefined ? {} : { refused: { code: error.code, reason: error.message, permanent } };
          return ack({ terminalId: t.identity.terminalId, ackedSeq: t.appliedSeq, ...refused });
        }
        const result = this.ingest(t, batch);
        if (!this.swallowAcks) ack(result);
      };
      if (this.opts.ackDelayMs) setTimeout(answer, this.opts.ackDelayMs);
      else answer();
    });
    socket.on(UPWARD_EVENT, (batch: unknown, ack: (a: UpwardAck | { error: { code: string; message: string; retry: boolean } }) => void) => {
      if (typeof ack !== 'function') return;
      const parsed = UpwardBatchSchema.safeParse(batch);
      if (!parsed.success || parsed.data.terminalId !== t.identity.terminalId) return ack({ error: { code: 'UPWARD_MALFORMED', message: 'bad batch', retry: false } });
      const results = parsed.data.documents.map((doc) => this.applyDocument(t.identity.terminalId, doc));
      if (!this.swallowDocumentAcks) ack({ results });
    });
    socket.on(STOCK_LOOKUP_EVENT, (req: { productId?: string } | null, ack: (r: StockLookupReply) => void) => {
      const reply = this.stockLookup?.(String(req?.productId));
      if (typeof ack === 'function' && reply) ack(reply);
    });
    socket.on(EVENTS.catalogPull, (req: unknown, ack: (p: ChangePage | { error: string }) => void) => {
      if (typeof ack !== 'function') return;
      this.pulls++;
      const r = CatalogPullSchema.safeParse(req);
      if (!r.success) return ack({ error: 'bad catalog:pull' });
      const page = this.page(r.data.sinceVersion, r.data.limit ?? MAX_CHANGES_PER_PAGE);
      if (this.opts.validatePages) ChangePageSchema.parse(page);
      ack(page);
    });
  }

  /** Applies a document once: a repeat gets the stored answer; a payload its schema refuses is rejected. */
  applyDocument(terminalId: string, doc: UpwardDocument): UpwardResult {
    this.documentsReceived++;
    const known = this.upward.get(doc.id);
    if (known) return known.terminalId === terminalId ? known.result : { id: doc.id, status: 'rejected', message: 'another terminal’s document' };
    const valid = UPWARD_KINDS[doc.kind].safeParse(doc.payload).success;
    const decided = valid ? (this.decideDocument?.(doc) ?? { status: 'applied' as const, reference: `${doc.kind} #${this.upward.size + 1}` }) : { status: 'rejected' as const, message: 'payload does not parse' };
    const result: UpwardResult = { id: doc.id, ...decided };
    if (result.status !== 'retry') this.upward.set(doc.id, { terminalId, doc, result });
    return result;
  }

  /** Idempotent, in-order ingest of one batch. */
  ingest(t: FakeTerminal, raw: unknown): TicketAck {
    t.batches++;
    let tickets: TicketDocument[];
    if (this.opts.validate === false) {
      tickets = (raw as { tickets: TicketDocument[] }).tickets;
    } else {
      const parsed = TicketBatchSchema.safeParse(raw);
      if (!parsed.success || parsed.data.terminalId !== t.identity.terminalId) {
        this.opts.log?.(`bad batch: ${parsed.success ? 'terminal mismatch' : parsed.error.issues[0]?.message}`);
        return { terminalId: t.identity.terminalId, ackedSeq: t.appliedSeq };
      }
      tickets = parsed.data.tickets;
    }
    const rejected: Array<{ seq: number; reason: string }> = [];
    const refuse = this.rejectSeqs.get(t.identity.terminalId);
    for (const doc of tickets) {
      if (doc.seq <= t.appliedSeq || t.held.has(doc.seq)) {
        t.duplicates++;
        continue;
      }
      t.held.set(doc.seq, doc);
    }
    while (t.held.has(t.appliedSeq + 1)) {
      const doc = t.held.get(t.appliedSeq + 1)!;
      t.held.delete(doc.seq);
      const reason = refuse?.get(doc.seq);
      if (reason) rejected.push({ seq: doc.seq, reason });
      t.tickets.set(doc.seq, doc);
      t.appliedSeq = doc.seq;
    }
    if (this.ackOverride) return this.ackOverride(t);
    return { terminalId: t.identity.terminalId, ackedSeq: t.appliedSeq, ...(rejected.length ? { rejected } : {}) };
  }

  // ── HTTP: pairing ───────────────────────────────────────────────────────────────────────────────
  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && req.url === '/api/pairing') {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      let body: { code?: string; lastSeq?: number };
      try {
        body = JSON.parse(text) as { code?: string; lastSeq?: number };
      } catch {
        return send(400, { type: 'https://tpv.dev/problems/bad-request', title: 'Bad request', status: 400 }, 'application/problem+json');
      }
      const terminalId = body.code ? this.codes.get(body.code) : undefined;
      const t = terminalId ? this.terminals.get(terminalId) : undefined;
      if (!t || !body.code) {
        return send(
          404,
          { type: 'https://tpv.dev/problems/pairing-code-invalid', title: 'Pairing code invalid', status: 404, detail: 'unknown or expired code' },
          'application/problem+json',
        );
      }
      if (typeof body.lastSeq === 'number' && t.appliedSeq > body.lastSeq) {
        // As the real back office does: a till without this terminal's history cannot take its id.
        const detail = `the back office already holds ${t.appliedSeq} tickets of terminal ${t.identity.terminalCode}; this till wrote ${body.lastSeq}`;
        return send(409, { type: 'https://tpv.dev/problems/terminal-history-conflict', title: 'Terminal history conflict', status: 409, detail }, 'application/problem+json');
      }
      this.codes.delete(body.code);
      const token = this.issueToken(t.identity.terminalId);
      const answer: PairingResponse = { terminalId: t.identity.terminalId, token, identity: t.identity, catalogVersion: this.catalogVersion, ackedSeq: t.appliedSeq };
      return send(200, answer);
    }
    send(404, { type: 'https://tpv.dev/problems/not-found', title: 'Not found', status: 404 }, 'application/problem+json');
  }
}
