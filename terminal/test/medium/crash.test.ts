/**
 * Crash atomicity: a child process commits sales and returns in a loop and is SIGKILLed at random moments,
 * several times on the same file. Afterwards every ticket is complete (lines, payments, fiscal record,
 * outbox row) or absent; seq, series numbers and the fiscal chain are gapless and verify; no line was
 * returned more than it was sold.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { TicketDocumentSchema, verifyTicketArithmetic, type TicketDocument } from '@tpv/shared/wire/ticket';
import { openTerminalDatabase, sqliteHandle } from '../../src/persistence/data-source';
import { freePort } from '@tpv/runtime/testing/ports';
import { EAN, freshTerminalDb, STAFF, tempDir } from './support/fixture';

const dir = tempDir('tpv-crash-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const script = path.join(import.meta.dirname, 'support/sale-loop.ts');

function runAndKill(file: string, seed: number, killAfterMs: number): Promise<{ signal: NodeJS.Signals | null; sold: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, String(seed)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (timer === undefined && out.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${err.slice(-2000)}`));
      else resolve({ signal, sold: out.split('\n').filter((l) => l.startsWith('sale')).length });
    });
  });
}

describe('crash atomicity (SIGKILL during sales)', () => {
  it('leaves only whole tickets, gapless numbers and a verifying chain', async () => {
    const t = await freshTerminalDb(dir);
    await t.ds.destroy();
    let sold = 0;
    for (let round = 0; round < 6; round++) {
      const r = await runAndKill(t.file, 1000 + round, 30 + Math.floor(Math.random() * 400));
      sold += r.sold;
    }
    const ds = await openTerminalDatabase(t.file);
    try {
      const db = sqliteHandle(ds);
      const tickets = db.prepare<[], { id: string; seq: number; kind: string; series: string; number: number; total_cents: number; document: string }>(
        'SELECT id, seq, kind, series, number, total_cents, document FROM ticket ORDER BY seq',
      ).all();
      expect(tickets.length).toBeGreaterThanOrEqual(sold); // a sale may commit right before the kill, unprinted
      expect(tickets.length).toBeGreaterThan(6);
      // seq gapless from 1
      expect(tickets.map((x) => x.seq)).toEqual(tickets.map((_, i) => i + 1));
      // numbers gapless per series
      const bySeries = new Map<string, number[]>();
      for (const x of tickets) bySeries.set(x.series, [...(bySeries.get(x.series) ?? []), x.number]);
      for (const [, nums] of bySeries) expect(nums).toEqual(nums.map((_, i) => i + 1));
      expect([...bySeries.keys()].some((k) => k.endsWith('R'))).toBe(true);

      const count = (sql: string, id: string) => db.prepare<[string], { n: number }>(sql).get(id)!.n;
      for (const x of tickets) {
        const doc = JSON.parse(x.document) as TicketDocument;
        expect(count('SELECT COUNT(*) AS n FROM ticket_line WHERE ticket_id = ?', x.id)).toBe(doc.lines.length);
        expect(count('SELECT COUNT(*) AS n FROM payment WHERE ticket_id = ?', x.id)).toBe(doc.payments.length);
        expect(count('SELECT COUNT(*) AS n FROM fiscal_record WHERE ticket_id = ?', x.id)).toBe(1);
        expect(count('SELECT COUNT(*) AS n FROM outbox WHERE ticket_id = ?', x.id)).toBe(1);
        expect(count('SELECT COUNT(*) AS n FROM print_job WHERE ticket_id = ?', x.id)).toBe(1);
      }
      // nothing orphaned
      for (const tbl of ['ticket_line', 'payment', 'fiscal_record', 'outbox']) {
        expect(db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${tbl} WHERE ticket_id NOT IN (SELECT id FROM ticket)`).get()!.n).toBe(0);
      }
      // the chain: gapless index, verifies from '' to the end, and each outbox payload carries its record
      const recs = db.prepare<[], { chain_index: number; record: string }>('SELECT chain_index, record FROM fiscal_record ORDER BY chain_index').all();
      expect(recs.map((r) => r.chain_index)).toEqual(recs.map((_, i) => i + 1));
      expect(verifyChain(recs.map((r) => JSON.parse(r.record) as FiscalRecord)).ok).toBe(true);
      const payloads = db.prepare<[], { seq: number; payload: string }>('SELECT seq, payload FROM outbox ORDER BY seq').all();
      expect(payloads.map((p) => p.seq)).toEqual(tickets.map((x) => x.seq));
      for (const p of payloads) {
        const doc = TicketDocumentSchema.parse(JSON.parse(p.payload));
        expect(verifyTicketArithmetic(doc).ok).toBe(true);
      }
      // returns never exceed what was sold
      const over = db.prepare<[], { n: number }>(
        `SELECT COUNT(*) AS n FROM ticket_line s
          WHERE s.return_of_ticket_id IS NULL AND COALESCE(s.units, s.grams) < (SELECT COALESCE(-SUM(COALESCE(r.units, r.grams)), 0) FROM ticket_line r
                                               WHERE r.return_of_ticket_id = s.ticket_id AND r.return_of_line_no = s.line_no)`,
      ).get()!.n;
      expect(over).toBe(0);
      expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM ticket_line WHERE return_of_ticket_id IS NOT NULL').get()!.n).toBeGreaterThan(0);
      // the cash drawer movements match the cash in the tickets
      const cashInTickets = tickets.reduce((s, x) => {
        const d = JSON.parse(x.document) as TicketDocument;
        return s + d.payments.reduce((a, p) => a + (p.method === 'cash' ? p.amount : 0), 0) - d.change;
      }, 0);
      const cashMoves = db.prepare<[], { c: number }>("SELECT COALESCE(SUM(amount_cents), 0) AS c FROM cash_movement WHERE kind IN ('sale', 'refund')").get()!.c;
      expect(cashMoves).toBe(cashInTickets);
      // a cart left open by a kill still prices
      const cart = db.prepare<[], { value: string }>("SELECT value FROM terminal_config WHERE key = 'cart'").get();
      if (cart) expect(Array.isArray((JSON.parse(cart.value) as { lines: unknown[] }).lines)).toBe(true);
    } finally {
      await ds.destroy();
    }
  }, 180_000);
});

describe('the open cart survives kill -9 of the terminal service', () => {
  it('scans over HTTP, SIGKILLs the service, restarts it on the same file: the cart is intact and sells', async () => {
    const t = await freshTerminalDb(dir, 'cart-kill.sqlite');
    await t.ds.destroy();
    const start = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'terminal/src/main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, TPV_TERMINAL_DB: t.file, TPV_TERMINAL_PORT: String(port), TPV_PRINTER: '', TPV_BACKOFFICE_URL: 'http://127.0.0.1:9' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
        if (ok) break;
        if (i > 600 || child.exitCode !== null) throw new Error('terminal service did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      let token = '';
      const call = async (method: string, p: string, body?: unknown) => {
        const res = await fetch(url + p, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      token = String((await call('POST', '/api/auth/login', { pin: STAFF.cashier.pin })).body.token);
      return { child, call };
    };
    const first = await start();
    expect((await first.call('POST', '/api/cash/open', { float: { '2000': 2 } })).status).toBe(200);
    for (const code of [EAN.cola, EAN.cola, EAN.bread, '2100001012342']) expect((await first.call('POST', '/api/cart/scan', { code })).status).toBe(200);
    const before = (await first.call('GET', '/api/cart')).body;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    try {
      const after = (await second.call('GET', '/api/cart')).body;
      expect(after).toEqual(before);
      const sold = await second.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: 2000 }] });
      expect(sold.status).toBe(200);
      expect((sold.body.ticket as { lines: unknown[] }).lines).toHaveLength(3);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  }, 120_000);
});
