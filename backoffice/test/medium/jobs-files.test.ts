/**
 * Platform jobs and files on both engines: two nodes claiming from one queue never run a job twice; a job
 * whose node died (lease expired) is re-claimed by another and the dead node cannot write over it; cancel of
 * a queued and of a running job (from another node too); progress writes are throttled; a file download is
 * checked against the file's owner scope and lists hold only what the caller may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines as baseEngines } from '../support/engines';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { createJobs, JobFailed, type JobHandler } from '../../src/platform/jobs/service';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

const OWNER = { companyId: null, storeId: null, createdBy: null };
const tick = () => new Promise<void>((r) => setImmediate(r));

describe.each(baseEngines)('jobs on $name', (engine) => {
  let a: DataSource;
  let b: DataSource;
  let teardown: () => Promise<void>;
  let now = Date.UTC(2026, 10, 30, 9, 0, 0);
  const clock = { now: () => now };

  beforeAll(async () => {
    const setup = await engine.setup();
    a = await setup.open();
    // A second back-office node on the same database. SQLite is one node's database (one process, one
    // writer: two connections in one process would block each other's synchronous busy-wait): there the
    // nodes share the DataSource and the claim relies on the write lock alone.
    b = engine.name === 'postgres' ? await setup.open() : a;
    teardown = async () => {
      await a.destroy();
      if (b !== a) await b.destroy();
      await setup.teardown();
    };
  });
  afterAll(async () => {
    await teardown?.();
  });

  it('two nodes draining one queue run every job exactly once', async () => {
    const runs: Array<{ id: string; node: string }> = [];
    const handler = (node: string): JobHandler => async (run) => {
      runs.push({ id: run.id, node });
      await tick();
      await run.progress(1, 1);
      return { result: { node } };
    };
    const nodeA = createJobs(a, clock, { nodeId: 'A' });
    const nodeB = createJobs(b, clock, { nodeId: 'B' });
    nodeA.register({ 'test.count': handler('A') }, {});
    nodeB.register({ 'test.count': handler('B') }, {});
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await nodeA.enqueue({ kind: 'test.count', params: { i }, owner: OWNER })).id);
    const drain = async (n: typeof nodeA) => {
      while (await n.runOnce());
    };
    await Promise.all([drain(nodeA), drain(nodeB), drain(nodeA), drain(nodeB)]);
    expect(runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const row = (await nodeA.get(id))!;
      expect(row.status).toBe('succeeded');
      expect(row.attempts).toBe(1);
      expect((row.result as { node: string }).node).toBe(runs.find((r) => r.id === id)!.node);
    }
  });

  it('a job whose node died is re-claimed after its lease expired; the dead node cannot finish it', async () => {
    const nodeB = createJobs(b, clock, { nodeId: 'B', leaseMs: 60_000 });
    let ran = 0;
    nodeB.register({ 'test.lease': async () => void ran++ }, {});
    const job = await nodeB.enqueue({ kind: 'test.lease', owner: OWNER });
    const deadNode = createJobs(a, clock, { nodeId: 'dead', leaseMs: 60_000 });
    const claimed = await deadNode.repo.claim(['test.lease'], 'dead', new Date(now).toISOString(), new Date(now + 60_000).toISOString());
    expect(claimed?.id).toBe(job.id);
    expect(await nodeB.runOnce()).toBe(false); // leased: nobody else takes it
    now += 60_001;
    expect(await nodeB.runOnce()).toBe(true);
    expect(ran).toBe(1);
    const row = (await nodeB.get(job.id))!;
    expect({ status: row.status, attempts: row.attempts }).toEqual({ status: 'succeeded', attempts: 2 });
    const late = await deadNode.repo.finish(job.id, 'dead', { status: 'failed', result: null, resultFileId: null, error: 'late', message: null, done: 0, total: null, now: new Date(now).toISOString() });
    expect(late).toBe(false);
    expect((await nodeB.get(job.id))!.status).toBe('succeeded');

    // A job that has used up its attempts fails instead of running again.
    const once = await nodeB.enqueue({ kind: 'test.lease', owner: OWNER, maxAttempts: 1 });
    await deadNode.repo.claim(['test.lease'], 'dead', new Date(now).toISOString(), new Date(now + 60_000).toISOString());
    now += 60_001;
    expect(await nodeB.runOnce()).toBe(false);
    const failed = (await nodeB.get(once.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/stopped 1 times/);
    expect(ran).toBe(1);
  });

  it('cancels a queued job (never runs) and a running one, from its own node and from another', async () => {
    const nodeA = createJobs(a, clock, { nodeId: 'A', progressEveryMs: 0 });
    const nodeB = createJobs(b, clock, { nodeId: 'B' });
    let started!: () => void;
    let runs = 0;
    nodeA.register(
      {
        'test.loop': async (run) => {
          runs++;
          started();
          for (let i = 0; ; i++) {
            await run.progress(i, null, 'looping');
            await tick();
          }
        },
      },
      {},
    );
    const queued = await nodeA.enqueue({ kind: 'test.loop', owner: OWNER });
    expect(await nodeB.cancel(queued.id)).toBe('cancelled');
    expect(await nodeA.runOnce()).toBe(false);
    expect(runs).toBe(0);
    expect((await nodeA.get(queued.id))!.status).toBe('cancelled');

    for (const canceller of [nodeA, nodeB]) {
      const job = await nodeA.enqueue({ kind: 'test.loop', owner: OWNER });
      const isRunning = new Promise<void>((r) => (started = r));
      const done = nodeA.runOnce();
      await isRunning;
      expect(await canceller.cancel(job.id)).toBe('requested');
      await done;
      const row = (await nodeA.get(job.id))!;
      expect(row.status).toBe('cancelled');
      expect(row.finishedAt).not.toBeNull();
    }
  });

  it('writes progress at most every progressEveryMs (the API shows the live value meanwhile) and the last one always', async () => {
    const node = createJobs(a, clock, { nodeId: 'P', progressEveryMs: 1_000 });
    const seen: number[] = [];
    const step = async () => {};
    node.register(
      {
        'test.progress': async (run) => {
          await run.progress(1, 10);
          for (let i = 2; i <= 9; i++) await run.progress(i, 10);
          seen.push((await node.repo.find(run.id))!.progressDone, (await node.get(run.id))!.progressDone);
          await step();
          await run.progress(10, 10);
          return {};
        },
        'test.fail': async () => {
          throw new JobFailed('bad rows', { errors: 3 });
        },
      },
      {},
    );
    const job = await node.enqueue({ kind: 'test.progress', owner: OWNER });
    await node.runOnce();
    expect(seen).toEqual([1, 9]); // in the table: the first write only (the clock did not move); live: the latest
    const row = (await node.get(job.id))!;
    expect({ done: row.progressDone, total: row.progressTotal, status: row.status }).toEqual({ done: 10, total: 10, status: 'succeeded' });
    const failing = await node.enqueue({ kind: 'test.fail', owner: OWNER });
    await node.runOnce();
    const f = (await node.get(failing.id))!;
    expect({ status: f.status, error: f.error, result: f.result }).toEqual({ status: 'failed', error: 'bad rows', result: { errors: 3 } });
  });
});

describe.each(engines)('files area on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(engine, undefined, { dataDir: mkdtempSync(path.join(tmpdir(), 'tpv-files-')) });
    for (const [k, who] of Object.entries({ hq: F.hq, ruiz: F.managerRuiz, levante: F.managerLevante, m1: F.managerM1 })) tokens[k] = await h.login(who);
    const users = (await h.ds.query('SELECT id, email FROM app_user')) as Array<{ id: string; email: string }>;
    const uid = (email: string) => users.find((u) => u.email === email)!.id;
    const save = (name: string, owner: { companyId: string | null; storeId: string | null; createdBy: string | null }) =>
      h.server.files.save({ name, mediaType: 'text/plain', purpose: 'export', owner, data: Buffer.from(`contenido de ${name}`) });
    ids.storeM2 = (await save('m2.txt', { companyId: F.ruiz.id, storeId: F.storeM2.id, createdBy: uid(F.hq.email) })).id;
    ids.storeM1 = (await save('m1.txt', { companyId: F.ruiz.id, storeId: F.storeM1.id, createdBy: uid(F.hq.email) })).id;
    ids.levante = (await save('levante.txt', { companyId: F.levante.id, storeId: null, createdBy: uid(F.managerLevante.email) })).id;
    ids.hq = (await save('informe ñ.txt', { companyId: null, storeId: null, createdBy: uid(F.hq.email) })).id;
    ids.m1Own = (await save('mine.txt', { companyId: null, storeId: null, createdBy: uid(F.managerM1.email) })).id;
  });
  afterAll(async () => {
    await h?.teardown();
  });

  const download = async (token: string, id: string) => {
    const res = await fetch(`${h.url}/api/files/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text(), sha: res.headers.get('x-content-sha256'), disposition: res.headers.get('content-disposition') };
  };

  it('downloads a file only within the caller’s scope, bytes and hash intact', async () => {
    const allowed: Record<string, string[]> = {
      hq: ['storeM2', 'storeM1', 'levante', 'hq', 'm1Own'],
      ruiz: ['storeM2', 'storeM1'],
      levante: ['levante'],
      m1: ['storeM1', 'm1Own'],
    };
    for (const [who, mayRead] of Object.entries(allowed)) {
      for (const [key, id] of Object.entries(ids)) {
        const r = await download(tokens[who]!, id);
        expect(r.status, `${who} → ${key}`).toBe(mayRead.includes(key) ? 200 : 403);
        if (r.status === 200) {
          expect(r.sha).toBe(createHash('sha256').update(r.text).digest('hex'));
          expect(r.text).toMatch(/^contenido de /);
        }
      }
    }
    expect((await download(tokens.hq!, ids.hq!)).disposition).toContain("filename*=UTF-8''informe%20%C3%B1.txt");
    expect((await download(tokens.hq!, '00000000-0000-7000-8000-00000000ffff')).status).toBe(404);
    const anon = await fetch(`${h.url}/api/files/${ids.hq}`);
    expect(anon.status).toBe(401);
  });

  it('lists only the files the caller may download', async () => {
    const names = async (who: string) => ((await h.api('GET', '/api/files?pageSize=50', { token: tokens[who]! })).body.items as Array<{ name: string }>).map((f) => f.name).sort();
    expect(await names('ruiz')).toEqual(['m1.txt', 'm2.txt']);
    expect(await names('m1')).toEqual(['m1.txt', 'mine.txt']);
    expect(await names('levante')).toEqual(['levante.txt']);
    expect(await names('hq')).toHaveLength(5);
  });
});
