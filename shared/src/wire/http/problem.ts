/**
 * RFC 9457 problem details as a zod schema: the documented shape of every 4xx/5xx answer of the back office
 * (`application/problem+json`). The type itself lives in `../../problem.ts`; this is its wire description.
 */
import { z } from 'zod';

export const FieldErrorSchema = z.object({
  /** Dotted path of the bad field inside the request part (`lines.0.qty`), empty for the part itself. */
  path: z.string(),
  message: z.string(),
});

export const ProblemDetailsSchema = z
  .looseObject({
    type: z.string().meta({ description: 'Stable URI per error code (https://tpv.dev/problems/…)' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    /** `urn:request:<id>`: the request id of this answer (also in the X-Request-Id header and the logs). */
    instance: z.string().optional(),
    requestId: z.string().optional(),
    code: z.string().meta({ description: 'Machine-readable error code (VALIDATION_FAILED, FORBIDDEN, …)' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'Field-level errors of a refused request' }),
    retryAfterSeconds: z.number().optional(),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details' });
