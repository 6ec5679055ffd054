/**
 * RFC 9457 problem details, the one error shape every HTTP edge of the TPV answers with
 * (ARCHITECTURE invariant 9). Pure: the servers map it onto their framework.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code: string;
  readonly errors?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://tpv.dev/problems/';

/** `PAYMENT_SHORT` → `https://tpv.dev/problems/payment-short`: a stable type per domain error code. */
export function problemType(code: string): string {
  return PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-');
}

export function problem(
  status: number,
  code: string,
  title: string,
  extra: { detail?: string; errors?: ProblemDetails['errors']; [k: string]: unknown } = {},
): ProblemDetails {
  return { type: problemType(code), title, status, code, ...extra };
}

/** A 400 listing every field that failed validation (zod issues or any `{path, message}` list). */
export function validationProblem(
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>,
  what = 'body',
): ProblemDetails {
  return problem(400, 'VALIDATION_FAILED', `Invalid request ${what}`, {
    detail: `The request ${what} does not match the expected shape.`,
    errors: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

/** Codes of the framework's own 4xx answers (body-parser: too large, unsupported charset or encoding). */
const FRAMEWORK_CODES: Record<number, string> = { 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** Maps an error thrown by the HTTP framework (bad JSON, body too large) or anything else to a problem. */
export function problemFromError(error: unknown): ProblemDetails {
  const e = error as { status?: unknown; message?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500) {
    const code = FRAMEWORK_CODES[status] ?? 'BAD_REQUEST';
    return problem(status, code, code === 'UNSUPPORTED_MEDIA_TYPE' ? 'Unsupported media type' : 'Bad request', { detail: String(e?.message ?? error) });
  }
  return problem(500, 'INTERNAL', 'Internal error', { detail: 'The server could not complete the request.' });
}

/** An error that reaches the HTTP edge already shaped as problem+json. */
export class HttpProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
  }
}

/** Parses a request part with a zod-like schema or throws a 400 `HttpProblem` naming every bad field. */
export function parseOrProblem<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } } },
  value: unknown,
  what = 'body',
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new HttpProblem(validationProblem(parsed.error.issues, what));
}

/** Any error at the HTTP edge → the problem to answer with. */
export function toProblem(error: unknown): ProblemDetails {
  return error instanceof HttpProblem ? error.problem : problemFromError(error);
}
