/**
 * Request ids: every HTTP answer carries one (`X-Request-Id`), also found in the logs and in problem+json
 * bodies (`requestId`), so a user's error report leads to the log lines of that request. An id sent by a
 * proxy or a client is kept when it looks like an id (letters, digits, `._:-`, ≤ 64 chars, the audit log's request_id column); anything else
 * (too long, control characters, JSON) is replaced so it cannot forge or flood log lines.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const saneRequestId = (v: unknown): string | undefined => (typeof v === 'string' && SANE_ID.test(v) ? v : undefined);

/** Sets `res.locals.requestId` and the response header before anything else runs. */
export const requestIds: RequestHandler = (req, res, next) => {
  const id = saneRequestId(req.headers['x-request-id']) ?? randomUUID();
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
};

/** The id of the request being answered (set by `requestIds`). */
export const requestIdOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;
