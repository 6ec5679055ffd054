/** `GET /health`: liveness plus what an operator needs first (version, which database, is it answering). */
import { z } from 'zod';

export const HealthSchema = z
  .looseObject({
    status: z.enum(['ok', 'degraded']),
    service: z.string(),
    version: z.string(),
    database: z.object({ engine: z.string(), location: z.string(), ok: z.boolean() }),
    uptimeSeconds: z.int(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;
