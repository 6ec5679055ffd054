/**
 * The working-time record at the till (issue 16): a worker clocks in, starts and ends a break, clocks out
 * by typing their PIN (no cashier session needed), online or not. The event is checked against the rules
 * (shared/src/people/time-clock.ts) over this worker's events made at this till, then written with its
 * `people.clock` outbox document in one local transaction: the document pump sends it up exactly once and
 * HQ chains it into the store's record (checking again against everything HQ knows — events made at another
 * till of the store included; a refusal there comes back as the document's `rejected` message).
 */
import type { Clock } from '@tpv/shared/clock';
import { CLOCK_REFUSAL_MESSAGES, clockState, refuseClockEvent, type ClockEvent, type ClockState } from '@tpv/shared/people/time-clock';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox, type OutboxDocument } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from './pins';

export interface ClockAnswer {
  id: string;
  staff: StaffMember;
  event: ClockEvent;
  at: string;
  state: ClockState;
  /** Spanish · English, for the screen. */
  message: string;
  document: OutboxDocument;
}

export interface TillTimeClock {
  record(by: StaffMember, event: ClockEvent): Result<ClockAnswer, Failure>;
  /** The worker's state as this till knows it. */
  state(staffId: string): ClockState;
}

const DONE: Record<ClockEvent, string> = {
  clock_in: 'Entrada registrada · Clocked in',
  break_start: 'Pausa iniciada · Break started',
  break_end: 'Pausa terminada · Break ended',
  clock_out: 'Salida registrada · Clocked out',
};

export function createTillTimeClock(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued?: (() => void) | undefined }): TillTimeClock {
  const outbox = createDocumentOutbox(o.db);
  const eventsOf = o.db.prepare<[string], { event: ClockEvent; at_ms: number }>('SELECT event, at_ms FROM time_clock_event WHERE staff_id = ? ORDER BY at_ms, id');
  const insert = o.db.prepare<[string, string, string, string, number]>('INSERT INTO time_clock_event (id, staff_id, event, at, at_ms) VALUES (?, ?, ?, ?, ?)');
  const events = (staffId: string) => eventsOf.all(staffId).map((r) => ({ event: r.event, at: r.at_ms }));
  return {
    record(by, event) {
      const now = o.clock.now();
      const refusal = refuseClockEvent(events(by.id), { event, at: now });
      if (refusal) return failure(refusal, CLOCK_REFUSAL_MESSAGES[refusal], { event });
      const id = o.newId();
      const at = new Date(now).toISOString();
      o.db.transaction(() => {
        insert.run(id, by.id, event, at, now);
        outbox.enqueue({ id, kind: 'people.clock', createdAt: at, payload: { staffId: by.id, event, at } });
      })();
      o.queued?.();
      return ok({ id, staff: by, event, at, state: clockState(events(by.id)).state, message: `${DONE[event]} — ${by.name}`, document: outbox.get(id)! });
    },
    state: (staffId) => clockState(events(staffId)).state,
  };
}
