import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { MAX_JSON_DEPTH } from '@tpv/shared/wire/limits';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { Server as SocketServer, type ServerOptions } from 'socket.io';
import { errorHandler, notFoundHandler } from './problem';

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
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The common shape of a TPV process's edge: express with problem+json errors, `/api` 404s as problems,
 * the built UI with SPA fallback, and socket.io on the same port.
 */
export function createHttpService(opts: HttpServiceOptions): HttpService {
  const log = opts.log ?? ((msg, err) => console.error(`[${opts.name}] ${msg}`, err ?? ''));
  const app = express();
  app.disable('x-powered-by');
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
  app.use(errorHandler(log));

  const http = createServer(app);
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
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Nesting depth of a parsed JSON value, counted without recursion (a 50,000-deep body must not overflow the stack). */
export function jsonDepth(value: unknown, stopAbove = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > stopAbove) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

/** Refuses JSON bodies nested deeper than `max`, before any handler or schema walks them recursively. */
export function jsonDepthLimit(max: number): RequestHandler {
  return (req, _res, next) => {
    if (req.body !== null && typeof req.body === 'object' && jsonDepth(req.body, max) > max) {
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
