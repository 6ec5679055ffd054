/**
 * Issue #9, must be true 7: a return at till 2 of a sale made at till 1 of the same store. The real back
 * office and two real terminal processes (`terminal/src/main.ts`) on loopback, each paired with a one-time
 * code from HQ and loaded with the catalogue (staff and PINs included) through the change feed, then driven
 * over the cashier HTTP API: till 1 sells 2 units; till 2 finds the ticket by its fiscal number through HQ,
 * refunds both units as an R5 against till 1's ticket; HQ holds the credit note with the original's
 * reference, the returnable quantity is 0 from either till, and till 1 refusing to refund the same units again.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';
import { backofficeFolder, pairingCodeFromHq } from './support/paired-terminal';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const folder = backofficeFolder('tpv-returns-any-till-');
const tills: Child[] = [];
afterAll(async () => {
  await Promise.all(tills.map((c) => c.stop(2000)));
  await folder.cleanup();
});

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the cashier API */
interface Till {
  url: string;
  call(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }>;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startTill(dataDir: string, backofficeUrl: string, name: string, code: string): Promise<Till> {
  const port = await freePort();
  const child = startProcess(name, path.join(repoRoot, 'terminal/src/main.ts'), {
    ...process.env, TPV_DATA_DIR: dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(port), TPV_TERMINAL_DB: path.join(dataDir, `${name}.sqlite`),
    TPV_BACKOFFICE_URL: backofficeUrl, TPV_PAIRING_CODE: code, TPV_DEMO_DEVICES: '0', TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '1000',
  });
  tills.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/health`, 120_000);
  let token: string | null = null;
  const call: Till['call'] = async (method, pathname, body) => {
    const res = await fetch(url + pathname, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (pathname === '/api/auth/login' && res.status === 200) token = parsed.token;
    return { status: res.status, body: parsed };
  };
  return { url, call };
}

function hqCreditNotes(boFile: string, originalId: string): Array<{ terminal_id: string; store_id: string; fiscal_number: string; document: string }> {
  const db = new Database(boFile, { readonly: true });
  try {
    return db
      .prepare<[string], { terminal_id: string; store_id: string; fiscal_number: string; document: string }>(
        'SELECT terminal_id, store_id, fiscal_number, document FROM sale_ticket WHERE original_ticket_id = ?',
      )
      .all(originalId);
  } finally {
    db.close();
  }
}

function hqHas(boFile: string, ticketId: string): boolean {
  const db = new Database(boFile, { readonly: true });
  try {
    return db.prepare('SELECT 1 FROM sale_ticket WHERE id = ?').get(ticketId) !== undefined;
  } finally {
    db.close();
  }
}

describe('returns at any till of the store (real back office, two real tills)', () => {
  it('sells at till 1, refunds at till 2; HQ has the credit note; till 1 cannot refund the same units again', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(folder.dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    await folder.start(port);
    const hqUrl = `http://127.0.0.1:${port}`;
    const [t1, t2] = franchise.terminals;
    expect(t1!.storeId).toBe(t2!.storeId);
    const till1 = await startTill(folder.dataDir, hqUrl, 'till1', await pairingCodeFromHq(hqUrl, franchise, t1!.id));
    const till2 = await startTill(folder.dataDir, hqUrl, 'till2', await pairingCodeFromHq(hqUrl, franchise, t2!.id));
    const cashier = franchise.staff.find((s) => s.storeId === t1!.storeId && s.role === 'cashier')!;
    for (const till of [till1, till2]) {
      // Paired, catalogue (products, staff and their PINs) loaded from HQ's change feed.
      await poll('pairing and catalogue load', async () => {
        const s = (await till.call('GET', '/api/sync/status')).body;
        return s?.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion ? true : undefined;
      });
      expect((await till.call('POST', '/api/auth/login', { pin: cashier.pin })).status).toBe(200);
      expect((await till.call('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
    }

    // Till 1 sells 2 units.
    const product = franchise.products.find((p) => !p.weighed && p.barcodes.length > 0)!;
    for (let i = 0; i < 2; i++) expect((await till1.call('POST', '/api/cart/scan', { code: product.barcodes[0] })).status).toBe(200);
    const total = (await till1.call('GET', '/api/cart')).body.totals.total as number;
    const sold = await till1.call('POST', '/api/cart/checkout', { payments: [{ method: 'card', amountCents: total, reference: 'T1-CARD' }] });
    expect(sold.status).toBe(200);
    const sale = sold.body.ticket as TicketDocument;
    await poll('the sale at HQ', async () => (hqHas(boFile, sale.id) ? true : undefined));

    // Till 2 finds it through HQ by the number printed on the receipt and refunds both units.
    const found = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ source: 'hq', ticket: { id: sale.id }, origin: { terminalId: t1!.id } });
    expect(found.body.lines[0]).toMatchObject({ lineNo: 1, returned: 0, returnable: 2 });
    const refund = await till2.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 1, units: 2 }], refund: { method: 'card', reference: 'T2-CARD' } });
    expect(refund.status).toBe(200);
    const note = refund.body.ticket as TicketDocument;
    expect(note.terminalId).toBe(t2!.id);
    expect(note.totals.total).toBe(-total);
    expect(note.fiscal).toMatchObject({ invoiceType: 'R5', rectified: { invoiceNumber: sale.fiscalNumber, issueDate: sale.fiscal.issueDate } });
    expect(refund.body.receipt.text).toContain(sale.fiscalNumber);
    expect(refund.body.receipt.text).toMatch(/Terminal original:/);

    // HQ holds the credit note from till 2 against till 1's ticket, stock back in the store.
    const atHq = await poll('the credit note at HQ', async () => {
      const rows = hqCreditNotes(boFile, sale.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(atHq.map((r) => [r.terminal_id, r.store_id, r.fiscal_number])).toEqual([[t2!.id, t2!.storeId, note.fiscalNumber]]);
    expect((JSON.parse(atHq[0]!.document) as TicketDocument).originalTicket).toEqual({ id: sale.id, fiscalNumber: sale.fiscalNumber });

    // Nothing left to return, seen from either till; a second return of the same units at till 1 is refused.
    for (const till of [till1, till2]) {
      const again = await till.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(again.body.lines[0]).toMatchObject({ returned: 2, returnable: 0 });
    }
    const twice = await till1.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 1, units: 1 }], refund: { method: 'card', reference: 'T1-AGAIN' } });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'RETURN_EXCEEDS_SOLD' });
    expect(hqCreditNotes(boFile, sale.id)).toHaveLength(1);
  });
});
