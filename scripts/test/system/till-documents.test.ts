/**
 * Documents from a till through the real back-office process (SQLite, loopback): the till pairs by code,
 * loads the catalogue, then HQ is killed; a count and a replenishment request made at the till meanwhile
 * wait in its document outbox and go up when HQ is back. Whatever HQ's modules answer (the inventory use
 * cases are their owners'; until they land the handlers answer `retry`), the till's outbox and HQ's
 * `upward_document` agree: a document the till holds as applied/rejected is stored once at HQ with the same
 * answer, a `retry` left nothing there; a repeat of each document sent on the till's own token gets that
 * same answer back and changes nothing.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { createUuidV7 } from '@tpv/shared/ids';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { readCredentials } from '@tpv/terminal/sync/state';
import { createStockDocuments } from '@tpv/terminal/stock/stock-documents';
import { createTerminalRepositories } from '@tpv/terminal/persistence/repositories';
import { until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, pairingCodeFromHq, pairingTerminal } from './support/paired-terminal';

const folder = backofficeFolder('tpv-till-docs-');
afterAll(() => folder.cleanup());

interface OutboxRow { id: string; kind: string; status: string; reference: string | null; message: string | null; last_error: string | null; payload: string; created_at: string }

describe('till documents ↔ real back office', () => {
  it('a document made while HQ is down goes up when it is back; HQ and the till agree; repeats get the same answer', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(folder.dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    let bo = await folder.start(port);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const code = await pairingCodeFromHq(url, franchise, terminal.id);
    const { ds, db, client, logs } = await pairingTerminal(path.join(folder.dataDir, 'terminal.sqlite'), url, code, 5000);
    const clock = { now: () => Date.now() };
    const stock = createStockDocuments({
      db, clock, newId: createUuidV7(clock, (n) => crypto.getRandomValues(new Uint8Array(n))), repos: createTerminalRepositories(db), queued: () => client.notify(),
    });
    try {
      await client.start();
      await until(() => client.status().online && !client.status().catalog.loading && client.status().catalog.version > 0, 60_000, `catalogue (${logs.join(' | ')})`);
      const [p1, p2] = franchise.products.filter((p) => !p.weighed);
      const staff = { id: franchise.staff.find((s) => s.storeId === terminal.storeId)!.id, name: 'x', role: 'cashier' as const };

      bo.process.kill('SIGKILL');
      await until(() => !client.status().online, 10_000, 'offline');
      expect(stock.submitCount(staff, { lines: [{ productId: p1!.id, counted: 12 }] }).ok).toBe(true);
      expect(stock.requestReplenishment(staff, { lines: [{ productId: p2!.id, quantity: 6 }], note: 'sistema' }).ok).toBe(true);
      expect(client.status().documents.pending).toBe(2);
      const rows = db.prepare<[], OutboxRow>('SELECT * FROM document_outbox ORDER BY created_at, id');
      expect(rows.all().every((r) => r.last_error === null)).toBe(true);

      bo = await folder.start(port);
      // Every document got an answer from HQ: final, or `retry` said by HQ (not a transport failure).
      await until(
        () => rows.all().every((r) => r.status !== 'pending' || (r.last_error ?? '').startsWith('retry:')),
        60_000,
        `answers (${logs.slice(-5).join(' | ')}) ${JSON.stringify(rows.all().map((r) => r.last_error))}`,
      );
      const hq = new Database(boFile, { readonly: true });
      const stored = () => hq.prepare<[], { id: string; terminal_id: string; kind: string; status: string; reference: string | null; message: string | null }>(
        'SELECT id, terminal_id, kind, status, reference, message FROM upward_document ORDER BY id',
      ).all();
      const local = rows.all();
      const expected = local
        .filter((r) => r.status !== 'pending')
        .map((r) => ({ id: r.id, terminal_id: terminal.id, kind: r.kind, status: r.status, reference: r.reference, message: r.message }))
        .sort((x, y) => x.id.localeCompare(y.id));
      expect(stored()).toEqual(expected);

      // Repeats on the till's own token: the same answer, nothing new stored.
      const creds = readCredentials(db)!;
      const socket = io(`${url}/terminal`, {
        auth: { terminalId: creds.terminalId, token: creds.token, lastAckedSeq: 0, catalogVersion: 0, lastSeq: 0 }, transports: ['websocket'], reconnection: false, forceNew: true,
      });
      try {
        await new Promise((resolve, reject) => (socket.once('hello:ack', resolve), socket.once('connect_error', reject)));
        const documents: UpwardDocument[] = local.map((r) => ({ id: r.id, kind: r.kind as UpwardDocument['kind'], createdAt: r.created_at, payload: JSON.parse(r.payload) as unknown }));
        const ack = (await socket.timeout(10_000).emitWithAck('documents', { terminalId: creds.terminalId, documents })) as UpwardAck;
        for (const r of local) {
          const answer = ack.results.find((x) => x.id === r.id)!;
          if (r.status === 'pending') expect(answer.status).toBe('retry');
          else expect({ status: answer.status, reference: answer.reference ?? null, message: answer.message ?? null }).toEqual({ status: r.status, reference: r.reference, message: r.message });
        }
        expect(stored()).toEqual(expected);
      } finally {
        socket.close();
        hq.close();
      }
    } finally {
      await client.stop();
      await ds.destroy();
    }
  });
});
