/**
 * The till channel's events on a till's authenticated sync socket: `documents` (batches of upward documents,
 * each applied once), `stock:lookup` and `till:request` (the modules' online questions). Every request gets an answer; a failure is a SyncRequestError.
 */
import { STOCK_LOOKUP_EVENT, UPWARD_EVENT } from '@tpv/shared/wire/upward';
import { TILL_REQUEST_EVENT, TillRequestRefused, TillRequestSchema, type TillRequestReply } from '@tpv/shared/wire/till-request';
import type { SyncRequestError } from '@tpv/shared/wire/sync-protocol';
import type { Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { UpwardTill } from '../modules/types';
import { applyUpwardBatch, UpwardBatchRefused, type UpwardChannel } from './upward';
import { lookupStockForTill } from './stock-lookup';
import * as repo from './repository';

export const TILL_CHANNEL_EVENTS = [UPWARD_EVENT, STOCK_LOOKUP_EVENT, TILL_REQUEST_EVENT] as const;

export function attachTillChannel(
  socket: Socket,
  ds: DataSource,
  clock: Clock,
  channel: UpwardChannel | undefined,
  terminal: { terminalId: string; storeId: string },
  log: (msg: string) => void,
): void {
  // The store's company, read once per connection (a till never changes store without a new pairing).
  let till: Promise<UpwardTill> | undefined;
  const tillOf = () =>
    (till ??= repo.companyOfStore(ds.manager, terminal.storeId).then((companyId) => {
      if (!companyId) throw new Error(`store ${terminal.storeId} not found`);
      return { ...terminal, companyId };
    }));

  socket.on(UPWARD_EVENT, (batch: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (a: unknown) => void;
    if (!channel) return reply({ error: { code: 'UPWARD_UNAVAILABLE', message: 'this back office takes no documents', retry: true } } satisfies SyncRequestError);
    tillOf()
      .then((t) => applyUpwardBatch(ds, clock, channel, t, batch))
      .then(reply)
      .catch((e: unknown) => {
        if (e instanceof UpwardBatchRefused) {
          log(`refused documents batch from terminal ${terminal.terminalId}: ${e.code} ${e.message}`);
          return reply({ error: { code: e.code, message: e.message, retry: false } } satisfies SyncRequestError);
        }
        log(`documents from terminal ${terminal.terminalId} failed: ${String(e)}`);
        reply({ error: { code: 'UPWARD_UNAVAILABLE', message: 'the back office could not apply the documents; retry', retry: true } } satisfies SyncRequestError);
      });
  });

  socket.on(STOCK_LOOKUP_EVENT, (req: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (a: unknown) => void;
    lookupStockForTill(ds, terminal.storeId, req)
      .then(reply)
      .catch((e: unknown) => {
        log(`stock:lookup failed: ${String(e)}`);
        reply({ error: { code: 'LOOKUP_UNAVAILABLE', message: 'the back office could not read its stock', retry: true } } satisfies SyncRequestError);
      });
  });

  socket.on(TILL_REQUEST_EVENT, (req: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (a: TillRequestReply) => void;
    const parsed = TillRequestSchema.safeParse(req);
    if (!parsed.success) return reply({ error: { code: 'REQUEST_MALFORMED', message: parsed.error.issues[0]?.message ?? 'malformed request', retry: false } });
    const handler = channel?.requests?.[parsed.data.kind];
    if (!handler || !channel) return reply({ error: { code: 'REQUEST_UNKNOWN', message: `this back office does not answer ${parsed.data.kind}`, retry: false } });
    tillOf()
      .then((t) => handler(channel.ctx, t, parsed.data.payload))
      .then((r) => reply({ reply: r }))
      .catch((e: unknown) => {
        if (e instanceof TillRequestRefused) return reply({ refused: { code: e.code.slice(0, 60), message: e.message.slice(0, 500) } });
        log(`till:request ${parsed.data.kind} from terminal ${terminal.terminalId} failed: ${String(e)}`);
        reply({ error: { code: 'REQUEST_UNAVAILABLE', message: 'the back office could not answer; the till decides offline', retry: true } });
      });
  });
}
