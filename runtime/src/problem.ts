import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { problem, toProblem, type ProblemDetails } from '@tpv/shared/problem';

export function sendProblem(res: Response, p: ProblemDetails): void {
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
