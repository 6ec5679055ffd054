/** Read models of the admin pages: terminals and their sync state, sales per store and day. */
import { z } from 'zod';

export const TerminalStatusSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    installation: z.string(),
    paired: z.boolean(),
    revoked: z.boolean(),
    lastSeenAt: z.string().nullable(),
    lastAckedSeq: z.int(),
    held: z.int().meta({ description: 'Tickets received beyond a gap, waiting in ingest_hold' }),
    pending: z.int().nullable().meta({ description: 'Sent to this node but not yet acked (highest seq seen − acked); null when unknown' }),
    catalogVersion: z.int(),
    appVersion: z.string().nullable(),
    online: z.boolean(),
    chainBreaks: z.int(),
    rejected: z.int(),
    conflict: z.object({ message: z.string(), at: z.string() }).nullable().meta({ description: 'The till reported that HQ holds more than it wrote' }),
    replacedById: z.string().nullable().meta({ description: 'Retired by a replacement: the terminal that took over' }),
    replacesId: z.string().nullable().meta({ description: 'The terminal this one replaced' }),
  })
  .meta({ id: 'TerminalStatus' });
export type TerminalStatus = z.infer<typeof TerminalStatusSchema>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
export const SalesQuery = z.object({ storeId: z.string().max(36).optional(), from: Day.optional(), to: Day.optional() });

export const DailySalesSchema = z
  .object({
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    businessDate: z.string(),
    tickets: z.int(),
    sales: z.int(),
    returns: z.int(),
    totalCents: z.int(),
    taxCents: z.int(),
  })
  .meta({ id: 'DailySales' });
export type DailySales = z.infer<typeof DailySalesSchema>;
