import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  name: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a TypeScript entry point as a child Node process (through tsx), its output prefixed with its
 * name, with an IPC channel so the child stops by itself if this process dies.
 */
export function startProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  onExit?: (name: string, code: number | null) => void,
): Child {
  // TPV_CHILD_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the children of a bench run;
  // NODE_OPTIONS refuses --cpu-prof.
  const nodeArgs = process.env.TPV_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => `${name.padEnd(14)}| ${l}\n`)
      .join('');
  child.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => (onExit?.(name, code), resolve())));
  return {
    name,
    process: child,
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls a `/health` URL until it answers `status: ok`. */
export async function waitForHealth(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as { status?: string };
      if (res.ok && body.status === 'ok') return body;
      last = body;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms: ${String((last as Error)?.message ?? JSON.stringify(last))}`);
}
