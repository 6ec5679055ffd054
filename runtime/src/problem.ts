import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { problem, toProblem, type ProblemDetails } from '@tpv/shared/problem';
import { requestIdOf } from './request-id';

export function sendProblem(res: Response, problemDetails: ProblemDetails): void {
  // The request id in the body too: what a user copies from an error leads to its log lines.
  const requestId = requestIdOf(res);
  const p = requestId && problemDetails.requestId === undefined ? { ...problemDetails, requestId } : problemDetails;
  // A throttled caller is told when to come back (RFC 9110 Retry-After, in seconds).
  if ((p.status === 429 || p.status === 503) && typeof p.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(p.retryAfterSeconds))));
  }
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, problem(404, 'NOT_FOUND', 'Not found', { detail: `No route for ${req.method} ${req.originalUrl}` }));

/**
 * Last handler: any error → problem+json. A 5xx is logged with its request id — by `log`, or, when a request
 * logger is installed (`logsErrors`), on that request's own log line (pino-http reads `res.err`).
 */
export const errorHandler =
  (log: (msg: string, err: unknown, context: { requestId?: string | undefined }) => void, logsErrors = false): ErrorRequestHandler =>
  (error, _req, res, _next) => {
    const p = toProblem(error);
    if (p.status >= 500) {
      if (logsErrors) (res as Response & { err?: unknown }).err = error;
      else log('unhandled error', error, { requestId: requestIdOf(res) });
    }
    sendProblem(res, p);
  };
