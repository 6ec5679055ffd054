import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { MAX_JSON_DEPTH } from '@tpv/shared/wire/limits';
import { nestedDeeperThan } from '@tpv/shared/wire/depth';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { Server as SocketServer, type ServerOptions } from 'socket.io';
import { errorHandler, notFoundHandler } from './problem';
import { requestIds } from './request-id';
import type { TrustProxy } from './client-address';

export interface HttpService {
  app: Express;
  http: HttpServer;
  io: SocketServer;
  /** Resolves with the bound port (pass 0 for an ephemeral one in tests). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HttpServiceOptions {
  name: string;
  routes: Router[];
  /** Built UI (vite output) served at `/` with SPA fallback; skipped if the folder does not exist. */
  uiDist?: string;
  jsonLimit?: string;
  /** Deeper JSON bodies are refused with 400 JSON_TOO_DEEP (default MAX_JSON_DEPTH). */
  maxJsonDepth?: number;
  socket?: Partial<ServerOptions>;
  /** Proxies whose X-Forwarded-For names the client (`req.ip`); none by default (client-address.ts). */
  trustProxy?: TrustProxy;
  log?: (msg: string, err?: unknown, context?: { requestId?: string | undefined }) => void;
  /**
   * Logs each request (and its error: the error handler leaves a 5xx in `res.err` for it instead of calling
   * `log`). Runs right after the request id is set (`res.locals.requestId`). The back office installs pino-http.
   */
  requestLogger?: RequestHandler;
}

/**
 * The common shape of a TPV process's edge: express with problem+json errors, `/api` 404s as problems,
 * the built UI with SPA fallback, and socket.io on the same port.
 */
export function createHttpService(opts: HttpServiceOptions): HttpService {
  const log = opts.log ?? ((msg, err, ctx) => console.error(`[${opts.name}] ${msg}${ctx?.requestId ? ` (request ${ctx.requestId})` : ''}`, err ?? ''));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);
  app.use(requestIds);
  if (opts.requestLogger) app.use(opts.requestLogger);
  app.use(securityHeaders);
  app.use(express.json({ limit: opts.jsonLimit ?? '1mb' }));
  app.use(jsonDepthLimit(opts.maxJsonDepth ?? MAX_JSON_DEPTH));
  for (const r of opts.routes) app.use(r);
  app.use('/api', notFoundHandler);
  if (opts.uiDist && existsSync(opts.uiDist)) {
    const uiDist = opts.uiDist;
    app.use(express.static(uiDist, { index: 'index.html' }));
    app.get('/{*spa}', (_req, res) => res.sendFile(path.join(uiDist, 'index.html')));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(log, opts.requestLogger !== undefined));

  const http = createServer(app);
  // Idle keep-alive sockets outlive the clients' own idle timers (undici 4 s, browsers, load balancers ~60 s),
  // so the client is the one that closes them: with Node's 5 s default a request sent just as the server
  // closed an idle socket failed with ECONNRESET on a busy machine.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const io = new SocketServer(http, { serveClient: false, ...opts.socket });
  return {
    app,
    http,
    io,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const addr = http.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (!http.listening) return;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive sockets live 65 s (above): idle ones are closed now, and one still held open (a response its
      // client never read) after a short grace, so shutting down never waits out the keep-alive timeout.
      http.closeIdleConnections();
      const force = setTimeout(() => http.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(force);
    },
  };
}

/**
 * Helmet's defaults (CSP `default-src 'self'`, nosniff, frame-ancestors 'self', no referrer, same-origin
 * resource policy, …) on every answer, before any route so problems and static files carry them too. Tills
 * and the back office are served over plain HTTP on the store LAN, so no `upgrade-insecure-requests`; the
 * UIs need nothing beyond 'self' (receipts are `data:` SVG images, socket.io is same-origin).
 */
const securityHeaders = helmet({
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
});

/** Refuses JSON bodies nested deeper than `max`, before any handler or schema walks them recursively. */
export function jsonDepthLimit(max: number): RequestHandler {
  return (req, _res, next) => {
    if (req.body !== null && typeof req.body === 'object' && nestedDeeperThan(req.body, max)) {
      return next(new HttpProblem(problem(400, 'JSON_TOO_DEEP', 'Bad request', { detail: `JSON nested deeper than ${max} levels` })));
    }
    next();
  };
}

/** The TPV release version, from the root package.json (one version for the whole franchise system). */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs `stop` once on SIGINT/SIGTERM, then exits: Ctrl-C on the demo must leave no process behind. */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[${name}] ${signal}: closing`);
    stop()
      .catch((e) => console.error(`[${name}] error while closing`, e))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
  stopWithParent(() => handler('parent gone'));
}

/**
 * Also stops when the parent that spawned us over IPC goes away (the demo launcher was killed), so no
 * orphan keeps a port or a database file.
 */
export function stopWithParent(stop: () => void): void {
  if (process.send && process.connected) process.on('disconnect', stop);
}
