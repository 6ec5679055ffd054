/**
 * A handshake flood from one loopback address (bench only): keeps FLOOD_CONCURRENCY socket.io handshakes
 * with a wrong token in flight against FLOOD_URL until the parent says stop (IPC), then reports how they
 * ended. Runs as its own process so its CPU is not the measured till's.
 */
import { io } from 'socket.io-client';

const url = process.env.FLOOD_URL!;
const concurrency = Number(process.env.FLOOD_CONCURRENCY ?? 20);
const terminalId = process.env.FLOOD_TERMINAL_ID!;
const outcomes: Record<string, number> = {};
let attempts = 0;
let stopping = false;

function attempt(): Promise<void> {
  attempts++;
  return new Promise((resolve) => {
    const s = io(`${url}/terminal`, {
      auth: { terminalId, token: 'x'.repeat(43), lastAckedSeq: 0, catalogVersion: 0 },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    const done = (outcome: string) => {
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      s.close();
      resolve();
    };
    s.once('connect', () => done('connected'));
    s.once('connect_error', (e) => done(e.message));
  });
}

async function lane(): Promise<void> {
  while (!stopping) await attempt();
}

process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});
const lanes = Array.from({ length: concurrency }, () => lane());
process.send?.({ started: true });
await Promise.all(lanes);
process.send?.({ attempts, outcomes });
process.disconnect?.();
