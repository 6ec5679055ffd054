/**
 * A loopback TCP proxy for chaos tests: sits between a terminal and the back office and can
 *  - `dropAll()`   cut every open connection at once (both sides see a reset),
 *  - `refuse(on)`  stop listening, so new connections get ECONNREFUSED (and re-listen on the same port),
 *  - `blackhole(on)` accept and hold connections but forward nothing (acks time out),
 *  - `delay(ms)`   add latency to every chunk in both directions, order kept,
 * while counting connections and bytes. Loopback only: it binds 127.0.0.1.
 *
 * CLI: `tsx scripts/src/chaos/tcp-proxy.ts <listenPort> <targetPort>` (no chaos, just a tap).
 */
import net, { type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** 0 (default) for an ephemeral port. */
  listenPort?: number;
}

export interface TcpProxyStats {
  connections: number;
  open: number;
  dropped: number;
  bytesUp: number;
  bytesDown: number;
}

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  readonly stats: TcpProxyStats;
  /** Destroys every open connection (both legs); returns how many. */
  dropAll(): number;
  /** On: close the listener (ECONNREFUSED) and drop open connections. Off: listen again on the same port. */
  refuse(on: boolean): Promise<void>;
  /** On: new and open connections forward nothing. Off: cuts the connections that lost bytes, normal forwarding after. */
  blackhole(on: boolean): void;
  /** Latency added to each chunk, each direction (0 = none). */
  delay(ms: number): void;
  /** Points new connections at another port (a restarted back office on a new port). */
  retarget(port: number): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function startTcpProxy(opts: TcpProxyOptions): Promise<TcpProxy> {
  const host = opts.targetHost ?? '127.0.0.1';
  let targetPort = opts.targetPort;
  let delayMs = 0;
  let holes = false;
  const pairs = new Set<Pair>();
  const stats: TcpProxyStats = { connections: 0, open: 0, dropped: 0, bytesUp: 0, bytesDown: 0 };
  let server: Server;
  let port = opts.listenPort ?? 0;

  /** Forwards chunks from → to, with the current delay, preserving order. */
  function pipe(from: Socket, to: Socket, count: (n: number) => void) {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      if (holes) return;
      count(chunk.length);
      const d = delayMs;
      if (d <= 0) {
        chain = chain.then(() => void (to.destroyed || to.write(chunk)));
        return;
      }
      const due = Date.now() + d;
      chain = chain.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!to.destroyed && !holes) to.write(chunk);
              resolve();
            }, Math.max(0, due - Date.now())),
          ),
      );
    });
  }

  function onConnection(client: Socket) {
    stats.connections++;
    stats.open++;
    const upstream = net.connect(targetPort, host);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      pairs.delete(pair);
      stats.open--;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    pipe(client, upstream, (n) => (stats.bytesUp += n));
    pipe(upstream, client, (n) => (stats.bytesDown += n));
  }

  async function listen(): Promise<void> {
    server = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  async function stopListening(): Promise<void> {
    if (!server.listening) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  function dropAll(): number {
    const n = pairs.size;
    for (const p of [...pairs]) {
      // resetAndDestroy sends RST where supported: the peer sees the link die, not a polite close.
      for (const s of [p.client, p.upstream]) {
        if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
        else s.destroy();
      }
    }
    stats.dropped += n;
    return n;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    stats,
    dropAll,
    async refuse(on) {
      if (on) {
        await Promise.all([stopListening(), Promise.resolve(dropAll())]);
      } else if (!server.listening) {
        await listen();
      }
    },
    blackhole(on) {
      const was = holes;
      holes = on;
      // Bytes were swallowed mid-stream: those connections are garbage now, cut them so peers reconnect.
      if (was && !on) dropAll();
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
    retarget(p) {
      targetPort = p;
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [listenPort, targetPort] = process.argv.slice(2).map(Number);
  if (!targetPort) {
    console.error('usage: tsx scripts/src/chaos/tcp-proxy.ts <listenPort> <targetPort>');
    process.exit(2);
  }
  const proxy = await startTcpProxy({ listenPort: listenPort ?? 0, targetPort });
  console.log(`[tcp-proxy] 127.0.0.1:${proxy.port} → 127.0.0.1:${targetPort}`);
}
