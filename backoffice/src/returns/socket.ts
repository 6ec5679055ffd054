/** `ticket:lookup` on a till's authenticated sync socket: always answered, a failure as LOOKUP_UNAVAILABLE. */
import { EVENTS } from '@tpv/shared/wire/sync-protocol';
import type { TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import type { Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import { lookupTicketForTill } from './lookup';

export function attachTicketLookup(socket: Socket, ds: DataSource, storeId: string, log: (msg: string) => void): void {
  socket.on(EVENTS.ticketLookup, (req: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (r: TicketLookupReply) => void;
    lookupTicketForTill(ds, storeId, req)
      .then(reply)
      .catch((e: unknown) => {
        log(`ticket:lookup failed: ${String(e)}`);
        reply({ found: false, code: 'LOOKUP_UNAVAILABLE', message: 'the back office could not read its tickets; use the till’s own' });
      });
  });
}
