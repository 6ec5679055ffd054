/**
 * Printer status over raw TCP: our own small exchange (node-thermal-printer's `isPrinterConnected` only
 * opens an empty connection). Sends DLE EOT 1, 2, 4 and reads three bytes; any failure or a timeout means
 * offline. Also the raw job sender used for drawer pulses.
 */
import net from 'node:net';
import { OFFLINE, type PrinterStatus } from '../ports';
import { parseStatusBytes, STATUS_QUERY } from '../status';

export function parseTcpUrl(url: string): { host: string; port: number } | null {
  const m = /^tcp:\/\/([^/:]+)(?::(\d+))?\/?$/i.exec(url);
  if (!m || !m[1]) return null;
  return { host: m[1], port: m[2] ? Number(m[2]) : 9100 };
}

export function queryTcpStatus(host: string, port: number, timeoutMs = 1500): Promise<PrinterStatus> {
  return new Promise((resolve) => {
    let settled = false;
    const got: number[] = [];
    const socket = net.connect({ host, port });
    const finish = (s: PrinterStatus): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(s);
    };
    const timer = setTimeout(() => finish({ ...OFFLINE, error: 'status timeout' }), timeoutMs);
    socket.on('connect', () => socket.write(STATUS_QUERY));
    socket.on('data', (chunk: Buffer) => {
      got.push(...chunk);
      if (got.length >= 3) finish(parseStatusBytes(got[0] ?? 0, got[1] ?? 0, got[2] ?? 0));
    });
    socket.on('error', (e) => finish({ ...OFFLINE, error: e.message }));
    socket.on('close', () => finish({ ...OFFLINE, error: 'connection closed' }));
  });
}

/** Sends bytes as one raw job on a fresh connection and waits until they are flushed and the socket closed. */
export function sendTcpRaw(host: string, port: number, bytes: Uint8Array, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`printer ${host}:${port} timeout`));
    }, timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve();
    });
  });
}
