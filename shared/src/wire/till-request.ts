/**
 * Questions a till asks the back office online and waits for, on its authenticated sync socket: a voucher's
 * balance and a hold on it, a customer's points, a hold on points. Each module answers its own kinds
 * (`vouchers.hold`, `loyalty.hold`…) and owns the payload and reply schemas; the till checks the reply
 * against its schema. Offline, or without an answer in time, the till decides by its own offline rules.
 */
import { z } from 'zod';

/** terminal → server: TillRequest, ack callback → TillRequestReply. */
export const TILL_REQUEST_EVENT = 'till:request';

export const TillRequestSchema = z.strictObject({
  kind: z.string().min(3).max(60).regex(/^[a-z][a-z-]*\.[a-z][a-z.-]*$/, 'kind: <module>.<what>'),
  payload: z.unknown(),
});
export type TillRequest = z.infer<typeof TillRequestSchema>;

/**
 * `reply`: the module's answer. `refused`: HQ says no, for good (a voucher already spent, more points than
 * the balance) — the till shows the message and does not fall back to its offline rules. `error`: HQ could
 * not answer (unknown kind, database away): the till treats it as offline.
 */
export const TillRequestReplySchema = z.union([
  z.strictObject({ reply: z.unknown() }),
  z.strictObject({ refused: z.strictObject({ code: z.string().max(60), message: z.string().max(500) }) }),
  z.strictObject({ error: z.strictObject({ code: z.string().max(60), message: z.string().max(500), retry: z.boolean() }) }),
]);
export type TillRequestReply = z.infer<typeof TillRequestReplySchema>;

/** What a module's handler returns to refuse (the platform turns it into the `refused` reply). */
export class TillRequestRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The till's side: ask, and get the reply, HQ's refusal, or null (offline, late, unavailable). */
export type TillRequester = <T>(
  kind: string,
  payload: unknown,
  schema: z.ZodType<T>,
  timeoutMs?: number,
) => Promise<{ reply: T } | { refused: { code: string; message: string } } | null>;
