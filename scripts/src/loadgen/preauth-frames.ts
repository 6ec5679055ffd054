/**
 * What oversized frames sent before authentication cost the back office: N raw WebSocket connections on
 * loopback (engine.io handshake, no hello) each start one text frame declaring `frameBytes` and stream it.
 * Reports how many bytes the server accepted before closing each connection, and the growth of its peak RSS.
 * A raw socket, so this process holds no copy of the frames.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface PreAuthFrameResult {
  /** Bytes of frame payload the server took before it closed the connection (mean over connections). */
  acceptedBytesMean: number;
  closedEarly: number;
  peakRssGrowthMiB: number;
}

/** Peak resident set of a process, KiB (Linux /proc; NaN elsewhere). */
export function peakRssKiB(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function openRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('error', reject);
    s.once('connect', () => {
      s.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      s.once('data', (d: Buffer) => (d.toString().startsWith('HTTP/1.1 101') ? resolve(s) : reject(new Error(d.toString().split('\r\n')[0]))));
    });
  });
}

/** Streams one masked text frame of `frameBytes`; resolves with the payload bytes written before the server closed. */
function sendFrame(s: Socket, frameBytes: number): Promise<number> {
  const header = Buffer.alloc(14);
  header[0] = 0x81; // FIN + text
  header[1] = 0x80 | 127; // masked, 64-bit length
  header.writeBigUInt64BE(BigInt(frameBytes), 2);
  header.fill(0, 10, 14); // mask key 0: payload goes as is
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  let closed = false;
  return new Promise((resolve) => {
    const finish = () => resolve(written);
    s.once('close', () => ((closed = true), finish()));
    s.on('error', () => undefined);
    s.write(header);
    const pump = () => {
      while (!closed && written < frameBytes) {
        written += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      if (!closed) setTimeout(() => (s.destroy(), finish()), 500); // the whole frame went: the server kept it
    };
    pump();
  });
}

export async function runPreAuthFrames(port: number, serverPid: number | undefined, connections: number, frameBytes: number): Promise<PreAuthFrameResult> {
  const before = peakRssKiB(serverPid);
  const sockets = await Promise.all(Array.from({ length: connections }, () => openRaw(port)));
  const accepted = await Promise.all(sockets.map((s) => sendFrame(s, frameBytes)));
  return {
    acceptedBytesMean: accepted.reduce((a, b) => a + b, 0) / connections,
    closedEarly: accepted.filter((b) => b < frameBytes).length,
    peakRssGrowthMiB: (peakRssKiB(serverPid) - before) / 1024,
  };
}
