import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { problem, toProblem, type ProblemDetails } from '@tpv/shared/problem';

export function sendProblem(res: Response, p: ProblemDetails): void {
  // A throttled caller is told when to come back (RFC 9110 Retry-After, in seconds).
  if ((p.status === 429 || p.status === 503) && typeof p.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(p.retryAfterSeconds))));
  }
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, problem(404, 'NOT_FOUND', 'Not found', { detail: `No route for ${req.method} ${req.originalUrl}` }));

export const errorHandler =
  (log: (msg: string, err: unknown) => void): ErrorRequestHandler =>
  (error, _req, res, _next) => {
    const p = toProblem(error);
    if (p.status >= 500) log('unhandled error', error);
    sendProblem(res, p);
  };
