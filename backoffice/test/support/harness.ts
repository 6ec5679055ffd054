/**
 * Test harness: a back office on a real SQLite file or a throw-away PostgreSQL schema, listening on a
 * loopback port, with a small franchise seeded (2 companies, 3 stores, 3 terminals, products, users).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashSecret } from '../../src/auth/secret-hash';
import { io as connect, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { ChangePageSchema, type ChangePage, type TicketAck } from '@tpv/shared/wire/sync';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import * as bo from '../../src/persistence/entities';
import { createBackofficeServer, type BackofficeServer, type BackofficeServerOptions } from '../../src/server';
import { createTicketFactory, type FactoryProduct, type TicketFactory } from './ticket-factory';
import { engines as baseEngines, PG_URL } from './engines';

export { PG_URL };

export interface EngineSetup {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ ds: DataSource; teardown: () => Promise<void> }>;
}

/** The engines of `./engines`, opened: a migrated database and its teardown. */
export const engines: EngineSetup[] = baseEngines.map((engine) => ({
  name: engine.name,
  async open() {
    const setup = await engine.setup();
    const ds = await setup.open();
    return {
      ds,
      teardown: async () => {
        if (ds.isInitialized) await ds.destroy();
        await setup.teardown();
      },
    };
  },
}));

const id = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

export const F = {
  franchisor: { id: id(1, 1), nif: 'B87654321' },
  ruiz: { id: id(1, 2), nif: 'B12345674' },
  levante: { id: id(1, 3), nif: 'B96385274' },
  storeM1: { id: id(2, 1), code: 'M001' },
  storeM2: { id: id(2, 2), code: 'M002' },
  storeV1: { id: id(2, 3), code: 'V001' },
  t1: { id: id(3, 1), code: '01', installation: 'M001-01' },
  t2: { id: id(3, 2), code: '02', installation: 'M001-02' },
  t3: { id: id(3, 3), code: '01', installation: 'V001-01' },
  customer: { id: id(8, 1), name: 'Bar El Rincón S.L.' },
  hq: { email: 'hq@test.demo', password: 'hq-secret' },
  managerRuiz: { email: 'ruiz@test.demo', password: 'ruiz-secret' },
  managerLevante: { email: 'levante@test.demo', password: 'levante-secret' },
  /** A store manager of Ruiz's Madrid 1 (role store_manager): that one store only. */
  managerM1: { email: 'm001@test.demo', password: 'm001-secret' },
  products: [] as FactoryProduct[],
};
F.products = Array.from({ length: 12 }, (_, i): FactoryProduct => ({
  id: id(5, i + 1),
  name: `Producto ${i + 1}`,
  taxRateBp: ([2100, 1000, 400] as const)[i % 3]!,
  weighed: i % 4 === 3,
  priceCents: 95 + i * 37,
}));

let hashes: Promise<string[]> | undefined;

export async function seedFranchise(ds: DataSource): Promise<void> {
  hashes ??= Promise.all([F.hq.password, F.managerRuiz.password, F.managerLevante.password, F.managerM1.password].map((p) => hashSecret(p)));
  const [hqHash, ruizHash, levanteHash, m1Hash] = await hashes;
  await ds.transaction(async (m) => {
    await m.insert(bo.CompanyEntity, [
      { id: F.franchisor.id, kind: 'franchisor', nif: F.franchisor.nif, legalName: 'Franquicia S.L.', tradeName: 'Franquicia', address: null },
      { id: F.ruiz.id, kind: 'franchisee', nif: F.ruiz.nif, legalName: 'Ruiz S.L.', tradeName: null, address: null },
      { id: F.levante.id, kind: 'franchisee', nif: F.levante.nif, legalName: 'Levante S.L.', tradeName: null, address: null },
    ]);
    await m.insert(bo.StoreEntity, [
      { id: F.storeM1.id, code: F.storeM1.code, companyId: F.ruiz.id, name: 'Madrid 1', address: 'Calle 1', timezone: 'Europe/Madrid' },
      { id: F.storeM2.id, code: F.storeM2.code, companyId: F.ruiz.id, name: 'Madrid 2', address: null, timezone: 'Europe/Madrid' },
      { id: F.storeV1.id, code: F.storeV1.code, companyId: F.levante.id, name: 'València 1', address: null, timezone: 'Europe/Madrid' },
    ]);
    const term = (t: { id: string; code: string; installation: string }, storeId: string) => ({
      id: t.id, storeId, code: t.code, name: `Caja ${t.code}`, installation: t.installation, tokenHash: null, pairingCodeHash: null,
      pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
    });
    await m.insert(bo.TerminalEntity, [term(F.t1, F.storeM1.id), term(F.t2, F.storeM1.id), term(F.t3, F.storeV1.id)]);
    await m.insert(bo.AppUserEntity, [
      { id: id(7, 1), email: F.hq.email, name: 'HQ', passwordHash: hqHash!, role: 'hq_admin', companyId: null },
      { id: id(7, 2), email: F.managerRuiz.email, name: 'Ruiz', passwordHash: ruizHash!, role: 'franchisee_manager', companyId: F.ruiz.id },
      { id: id(7, 3), email: F.managerLevante.email, name: 'Levante', passwordHash: levanteHash!, role: 'franchisee_manager', companyId: F.levante.id },
      { id: id(7, 4), email: F.managerM1.email, name: 'Madrid 1', passwordHash: m1Hash!, role: 'store_manager', companyId: F.ruiz.id, storeId: F.storeM1.id },
    ]);
    await m.insert(
      bo.ProductEntity,
      F.products.map((p, i) => ({ id: p.id, sku: `SKU${i + 1}`, name: p.name, categoryId: null, taxRateBp: p.taxRateBp, exemption: null, weighed: p.weighed, basePriceCents: p.priceCents, active: true, version: 1 })),
    );
    await m.insert(bo.CustomerEntity, [{ id: F.customer.id, nif: 'B44556677', name: F.customer.name, email: null, reRegime: false, creditLimitCents: 100000, active: true, version: 1 }]);
  });
}

export interface Harness {
  ds: DataSource;
  server: BackofficeServer;
  url: string;
  close(): Promise<void>;
  login(who: { email: string; password: string }): Promise<string>;
  api(method: string, pathname: string, opts?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  /** Pairs a terminal (as HQ) and returns its token. */
  pair(terminalId: string): Promise<string>;
}

export async function startHarness(
  engine: EngineSetup,
  clock: Clock = { now: () => Date.now() },
  options: Partial<BackofficeServerOptions> = {},
): Promise<Harness & { teardown: () => Promise<void> }> {
  const { ds, teardown } = await engine.open();
  await seedFranchise(ds);
  // Files (uploads, exports, PDFs) go to a temp folder, not to ./data of the checkout.
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tpv-bo-files-'));
  const server = createBackofficeServer({ dataSource: ds, version: 'test', clock, uiDist: '/nonexistent', log: () => {}, ...options, dataDir });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const api: Harness['api'] = async (method, pathname, opts = {}) => {
    const res = await fetch(url + pathname, {
      method,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    // JSON answers parsed; anything else (the docs page, exports) as text.
    return { status: res.status, body: !text ? null : /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
  };
  const login = async (who: { email: string; password: string }) => {
    const r = await api('POST', '/api/auth/login', { body: who });
    if (r.status !== 200) throw new Error(`login failed ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  let hqToken: string | undefined;
  const pair = async (terminalId: string) => {
    hqToken ??= await login(F.hq);
    const code = await api('POST', `/api/terminals/${terminalId}/pairing-code`, { token: hqToken });
    const r = await api('POST', '/api/pairing', { body: { code: code.body.code, appVersion: 'test' } });
    if (r.status !== 201) throw new Error(`pairing failed ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const close = () => server.close();
  const removeFiles = () => (options.dataDir ? undefined : rmSync(dataDir, { recursive: true, force: true }));
  return { ds, server, url, close, login, api, pair, teardown: async () => (await close(), await teardown(), removeFiles()) };
}

export interface TerminalClient {
  socket: Socket;
  helloAck: { ackedSeq: number; catalogVersion: number };
  send(tickets: unknown[], batchId?: string): Promise<TicketAck>;
  /** Next sync:error event. */
  errors: Array<{ batchId: string | null; code: string; message: string }>;
  close(): void;
}

export async function connectTerminal(url: string, terminalId: string, token: string, lastAckedSeq = 0, catalogVersion = 0): Promise<TerminalClient> {
  const socket = connect(`${url}/terminal`, {
    auth: { terminalId, token, lastAckedSeq, catalogVersion },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const errors: TerminalClient['errors'] = [];
  socket.on('sync:error', (e: TerminalClient['errors'][number]) => errors.push(e));
  const helloAck = await new Promise<{ ackedSeq: number; catalogVersion: number }>((resolve, reject) => {
    socket.once('hello:ack', resolve);
    socket.once('connect_error', (e) => reject(e));
  });
  return {
    socket,
    helloAck,
    errors,
    send: (tickets, batchId = randomUUID()) =>
      socket.timeout(30_000).emitWithAck('tickets', { terminalId, batchId, tickets }) as Promise<TicketAck>,
    close: () => socket.close(),
  };
}

/** One `catalog:pull` page since a version, as the terminal receives it. */
/** A terminal paired as HQ and connected to the harness's socket (most tests' tills). */
export async function connectPaired(h: Pick<Harness, 'url' | 'pair'>, terminalId: string): Promise<TerminalClient> {
  return connectTerminal(h.url, terminalId, await h.pair(terminalId));
}

export async function pullChanges(t: TerminalClient, sinceVersion: number): Promise<ChangePage> {
  return ChangePageSchema.parse(await t.socket.timeout(10_000).emitWithAck('catalog:pull', { sinceVersion }));
}

/** Connection attempt expected to fail: resolves with the connect_error message. */
export async function refusedConnection(url: string, terminalId: string, token: string): Promise<string> {
  const socket = connect(`${url}/terminal`, { auth: { terminalId, token, lastAckedSeq: 0, catalogVersion: 0 }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (e) => (socket.close(), resolve(e.message)));
    socket.once('connect', () => (socket.close(), reject(new Error('connected, expected a refusal'))));
  });
}

export function factoryFor(t: { id: string; code: string; installation: string }, store: { id: string; code: string }, nif: string, seed = 1, clock?: Clock): TicketFactory {
  let ms = Date.UTC(2026, 10, 23, 9, 0, 0);
  return createTicketFactory({
    identity: { terminalId: t.id, terminalCode: t.code, storeId: store.id, storeCode: store.code, installation: t.installation, companyNif: nif },
    products: F.products,
    clock: clock ?? { now: () => (ms += 1000) },
    seed,
    onAccountCustomers: [F.customer],
    returnRate: 0,
  });
}

export type { TicketDocument };
