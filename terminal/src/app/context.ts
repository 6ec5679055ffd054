/** The collaborators every terminal use case takes (wired once per process in main.ts, or by a test). */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CashDrawer, ReceiptPrinter } from '@tpv/drivers/ports';
import { createUuidV7 } from '@tpv/shared/ids';
import type { Clock } from '@tpv/shared/clock';
import { fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import type { SqliteHandle } from '../persistence/data-source';
import { createTerminalRepositories, type TerminalRepositories } from '../persistence/repositories';
import { readIdentity, type TerminalIdentity } from '../identity';
import { readPolicy, type TillPolicy } from './policy';
import { failure, type Failure } from './errors';
import { ok, type Result } from '@tpv/shared/result';
import type { TillRequester } from '@tpv/shared/wire/till-request';

export interface TerminalEvents {
  /** The open cart changed (payload: the priced cart). */
  cart: [unknown];
  /** A ticket (sale or credit note) was committed: its outbox row exists (wire sync.notify() here). */
  ticket: [{ id: string; seq: number; fiscalNumber: string; total: number; change: number }];
  /** Two 20-char lines for the customer display (after a sale also the e-receipt link, for a screen that can show its QR). */
  display: [{ line1: string; line2: string; eReceiptUrl?: string | null; eReceiptQrSvg?: string | null }];
  /** Session / printer / lock state changed. */
  status: [Record<string, unknown>];
}

export interface TerminalDeps {
  readonly db: SqliteHandle;
  readonly repos: TerminalRepositories;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly policy: TillPolicy;
  readonly printer: ReceiptPrinter;
  readonly drawer: CashDrawer;
  readonly events: EventEmitter<TerminalEvents>;
  /** The back office as the selling side sees it: online questions, and "send the document outbox now". */
  readonly hq: { request: TillRequester; documentsQueued: () => void };
  /** Identity is written at installation; undefined until then. */
  identity(): TerminalIdentity | undefined;
  /** Fiscal timestamp (with offset) and date of an instant in the terminal's zone. */
  localTime(ms: number): { timestamp: string; date: string; year: number };
}

export interface DepsOptions {
  db: SqliteHandle;
  clock?: Clock;
  newId?: () => string;
  policy?: TillPolicy;
  printer: ReceiptPrinter;
  drawer: CashDrawer;
  /** Absent: always offline (a till not linked to a back office, most unit tests). */
  hqRequest?: TillRequester | undefined;
  documentsQueued?: (() => void) | undefined;
}

export function createTerminalDeps(o: DepsOptions): TerminalDeps {
  const clock = o.clock ?? { now: () => Date.now() };
  let identity: TerminalIdentity | undefined;
  const deps: TerminalDeps = {
    db: o.db,
    repos: createTerminalRepositories(o.db, clock),
    clock,
    newId: o.newId ?? createUuidV7(clock, (n) => randomBytes(n)),
    policy: o.policy ?? readPolicy(o.db),
    printer: o.printer,
    drawer: o.drawer,
    events: new EventEmitter<TerminalEvents>(),
    hq: { request: o.hqRequest ?? (async () => null), documentsQueued: o.documentsQueued ?? (() => undefined) },
    identity: () => (identity ??= readIdentity(o.db)),
    localTime: (ms) => {
      const f = fiscalDateTime(ms, deps.identity()?.timezone ?? 'Europe/Madrid');
      return { timestamp: f.timestamp, date: f.date, year: Number(f.date.slice(6, 10)) };
    },
  };
  return deps;
}

export function requireIdentity(deps: TerminalDeps): Result<TerminalIdentity, Failure> {
  const id = deps.identity();
  return id ? ok(id) : failure('TERMINAL_NOT_INSTALLED', 'this terminal has no identity yet (pair it or seed it)');
}
