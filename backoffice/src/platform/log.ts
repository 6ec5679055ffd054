/**
 * Structured logs (pino): one JSON line per event, each request's lines tied by its request id (runtime
 * request-id.ts: honoured from `X-Request-Id` when sane, echoed in the header and in problem+json bodies).
 * Human-readable (pino-pretty) with `TPV_LOG_PRETTY=1` or `TPV_LOG_FORMAT=pretty` (the demo sets it); level from
 * `TPV_LOG_LEVEL` (default `info`, `silent` under vitest so test output stays readable).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LogConfig {
  level: (typeof LEVELS)[number];
  pretty: boolean;
}

export function logConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LogConfig {
  const wanted = env.TPV_LOG_LEVEL?.trim().toLowerCase();
  if (wanted && !(LEVELS as readonly string[]).includes(wanted)) throw new Error(`TPV_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${wanted}")`);
  return {
    level: (wanted as LogConfig['level'] | undefined) ?? (env.VITEST ? 'silent' : 'info'),
    pretty: env.TPV_LOG_PRETTY === '1' || env.TPV_LOG_FORMAT?.toLowerCase() === 'pretty',
  };
}

export function createLogger(config: LogConfig = logConfigFromEnv(), name = 'backoffice'): Logger {
  const options = { name, level: config.level, timestamp: pino.stdTimeFunctions.isoTime };
  if (!config.pretty) return pino(options);
  // pino-pretty as a stream in this thread (no transport worker): the demo's few lines do not need one. A
  // request is one line (its message already says method, path, status and time), the user and id after it.
  const stream = pretty({
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,method,path,status,ms,requestId,userId',
    messageFormat: '{msg}{if userId} user={userId}{end}{if requestId} [{requestId}]{end}',
  });
  return pino(options, stream);
}

type Req = IncomingMessage & { originalUrl?: string };
type Res = ServerResponse & { locals?: Record<string, unknown> };

const pathOf = (req: Req) => (req.originalUrl ?? req.url ?? '').split('?')[0]!;

/** The fields of a request's line (no headers or bodies: they carry tokens and passwords). */
const requestFields = (req: Req, res: Res, ms: number) => {
  const user = res.locals?.user as { id?: string } | undefined;
  return { method: req.method, path: pathOf(req), status: res.statusCode, ms: Math.round(ms), ...(user?.id ? { userId: user.id } : {}) };
};

/**
 * One line per answered request: method, path, status, milliseconds, user id when signed in, request id.
 * 5xx at `error` with the error (the error handler leaves it in `res.err`), 4xx at `warn`. Static UI files
 * are not logged (`/api/*` and `/health` are).
 */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp<Req, Res>({
    logger,
    genReqId: (_req, res) => (res.locals?.requestId as string | undefined) ?? '',
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (req) => !/^\/(api|health)(\/|$|\?)/.test(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessObject: (req, res, val: { responseTime: number }) => requestFields(req, res, val.responseTime),
    customErrorObject: (req, res, err, val: { responseTime: number }) => ({ ...requestFields(req, res, val.responseTime), err }),
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(ms)}ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
  }) as unknown as RequestHandler;
}
