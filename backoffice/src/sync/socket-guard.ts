/**
 * What an unauthenticated socket can cost the back office (issue #9):
 *
 * - only the terminal namespace exists: the default namespace refuses everyone, unknown ones are refused by
 *   socket.io itself, and the transport is WebSocket only (no long-polling bodies to buffer);
 * - **frame limit before authentication**: socket.io's `maxHttpBufferSize` is one global limit, sized for
 *   authenticated ticket batches (16 MiB). Each new connection's WebSocket receiver starts with a small limit
 *   (`preAuthFrameBytes`) instead, and is raised to the global one when the terminal's hello has been
 *   accepted. ws checks a frame's declared length in its header *before* buffering the payload, so an
 *   oversized pre-auth frame closes the connection (1009) after a few KiB read, not 16 MiB. The receiver's
 *   limit is ws's own field (`_maxPayload`); should a ws upgrade rename it, the same limit is still enforced
 *   on each pre-auth packet after it arrives (and logged once);
 * - **handshakes per address**: every refused handshake takes an attempt from its address (`limitedFailures`
 *   in runtime/attempts.ts: tokens cannot be guessed, so accepted ones never compete for attempts — a store's
 *   tills reconnecting together after a restart all get in); an address without attempts left is
 *   refused at the HTTP upgrade (`allowRequest`), before any WebSocket, namespace, database read or log line.
 */
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { isLimited, type AttemptSlot } from '@tpv/runtime/attempts';
import { addressKey, type Throttle } from '../throttle/limits';

/** connect_error message of a throttled handshake: not `unauthorized`, so a till keeps retrying with backoff. */
export const RATE_LIMITED = 'rate_limited';

export const DEFAULT_PRE_AUTH_FRAME_BYTES = 16 * 1024;

export interface SocketGuard {
  /** The attempt slots of a handshake (its address). */
  slots(socket: Socket): AttemptSlot[];
  /** The terminal is authenticated: its frames may now be as large as the global limit. */
  admit(socket: Socket): void;
}

interface WsReceiverHolder {
  transport?: { name?: string; socket?: { _receiver?: { _maxPayload?: unknown } } };
}

export function engineAllowRequest(throttle: Throttle, addressOf: (req: IncomingMessage) => string): (req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) => void {
  return (req, cb) => {
    isLimited(throttle.handshakePerAddress, addressKey(addressOf(req)))
      .then((limited) => cb(limited ? RATE_LIMITED : null, !limited))
      .catch(() => cb(null, true)); // the namespace middleware still counts
  };
}

export function guardSockets(
  io: Server,
  throttle: Throttle,
  opts: { preAuthFrameBytes: number; fullFrameBytes: number; log: (msg: string) => void; addressOf: (req: IncomingMessage) => string },
): SocketGuard {
  io.of('/').use((_socket, next) => next(new Error('unauthorized')));

  const admitted = new WeakSet<object>();
  let warned = false;
  const setLimit = (conn: WsReceiverHolder, bytes: number): boolean => {
    const receiver = conn.transport?.socket?._receiver;
    if (receiver && typeof receiver._maxPayload === 'number') {
      receiver._maxPayload = bytes;
      return true;
    }
    return false;
  };

  io.engine.on('connection', (conn: WsReceiverHolder & { on(ev: 'packet', fn: (p: { data?: unknown }) => void): void; close(): void }) => {
    if (!setLimit(conn, opts.preAuthFrameBytes) && !warned) {
      warned = true;
      opts.log('ws receiver limit not reachable: pre-auth frames are checked after they arrive');
    }
    conn.on('packet', (p) => {
      if (admitted.has(conn)) return;
      const size = typeof p.data === 'string' ? p.data.length : p.data instanceof Buffer ? p.data.length : 0;
      if (size > opts.preAuthFrameBytes) conn.close();
    });
  });

  return {
    slots: (socket) => [{ limiter: throttle.handshakePerAddress, key: addressKey(opts.addressOf(socket.request)) }],
    admit(socket) {
      admitted.add(socket.conn);
      setLimit(socket.conn as unknown as WsReceiverHolder, opts.fullFrameBytes);
    },
  };
}
