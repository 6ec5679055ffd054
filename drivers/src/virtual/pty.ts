/**
 * A pseudo-terminal pair through `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`: what is written
 * to one end is read on the other, like a null-modem cable. Stable symlinks let a device be "unplugged"
 * (`stop()`) and "plugged back" (`start()`) under the same path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class PtyPair {
  /** Path the adapter opens (the host side). */
  readonly hostPath: string;
  /** Path the virtual device writes to / reads from. */
  readonly devicePath: string;
  private proc: ChildProcess | null = null;
  readonly dir: string;

  constructor(name = 'tpv-pty') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    this.hostPath = path.join(this.dir, 'host');
    this.devicePath = path.join(this.dir, 'device');
  }

  get running(): boolean {
    return this.proc !== null;
  }

  async start(timeoutMs = 5000): Promise<void> {
    if (this.proc) return;
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`socat did not start: ${err}`)), timeoutMs);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (/starting data transfer loop/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited ${code}: ${err}`));
      });
    });
    proc.removeAllListeners('exit');
    proc.once('exit', () => {
      if (this.proc === proc) this.proc = null;
    });
  }

  /** Kills socat: both ends vanish (the adapter sees its port close or error). */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
