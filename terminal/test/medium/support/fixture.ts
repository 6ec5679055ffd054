/**
 * A small terminal for tests: real SQLite file with migrations, identity of till M001/01, a handful of
 * products (unit articles with EAN-13, weighed articles keyed `21` + 5-digit item code), staff with argon2
 * PIN hashes (1111 cashier, 2222 supervisor, 9999 manager), customers (one on credit, one in recargo).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { makeEan13 } from '@tpv/shared/barcode';
import { openTerminalDatabase, sqliteHandle, type SqliteHandle } from '../../../src/persistence/data-source';
import { writeIdentity, type TerminalIdentity } from '../../../src/identity';
import { identityFor } from '../../support/tickets';

export const IDENTITY: TerminalIdentity = identityFor(1);

export const pid = (n: number) => `00000000-0000-7000-8005-${n.toString(16).padStart(12, '0')}`;
export const EAN = {
  water: makeEan13('841000000001'), // 0,45 € at 10 %
  cola: makeEan13('841000000002'), // 1,99 € at 21 %
  bread: makeEan13('841000000003'), // 0,85 € at 4 %
  wine: makeEan13('841000000004'), // 12,50 € at 21 %
  tv: makeEan13('841000000005'), // 3.500,00 € at 21 % (over the F2 limit)
  retired: makeEan13('841000000006'), // inactive
};
export const PRODUCTS = [
  { n: 1, sku: 'W1', name: 'Agua mineral 1,5 L', rate: 1000, price: 45, weighed: false, barcode: EAN.water },
  { n: 2, sku: 'C1', name: 'Refresco de cola 2 L', rate: 2100, price: 199, weighed: false, barcode: EAN.cola },
  { n: 3, sku: 'B1', name: 'Pan de barra', rate: 400, price: 85, weighed: false, barcode: EAN.bread },
  { n: 4, sku: 'V1', name: 'Vino tinto crianza', rate: 2100, price: 1250, weighed: false, barcode: EAN.wine },
  { n: 5, sku: 'T1', name: 'Televisor 65', rate: 2100, price: 350000, weighed: false, barcode: EAN.tv },
  { n: 6, sku: 'R1', name: 'Artículo retirado', rate: 2100, price: 100, weighed: false, barcode: EAN.retired, active: false },
  { n: 7, sku: 'F1', name: 'Manzana golden', rate: 400, price: 249, weighed: true, barcode: '2100001' }, // 2,49 €/kg
  { n: 8, sku: 'F2', name: 'Jamón serrano', rate: 1000, price: 1999, weighed: true, barcode: '2100002' },
];
export const STAFF = {
  cashier: { id: '00000000-0000-7000-8006-000000000001', name: 'Lucía Fernández', role: 'cashier', pin: '1111' },
  supervisor: { id: '00000000-0000-7000-8006-000000000002', name: 'Javier Gómez', role: 'supervisor', pin: '2222' },
  manager: { id: '00000000-0000-7000-8006-000000000003', name: 'Marta Ruiz', role: 'manager', pin: '9999' },
} as const;
export const CUSTOMERS = {
  bar: { id: '00000000-0000-7000-8008-000000000002', nif: 'B44556670', name: 'Bar El Rincón S.L.', re: 0, limit: 5000 },
  fruteria: { id: '00000000-0000-7000-8008-000000000003', nif: '00000000T', name: 'Frutería Pepa', re: 1, limit: 50000 },
};

let hashes: Map<string, string> | undefined;
async function pinHashes(): Promise<Map<string, string>> {
  if (!hashes) {
    hashes = new Map();
    for (const s of Object.values(STAFF)) hashes.set(s.id, await argon2.hash(s.pin, { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 }));
  }
  return hashes;
}

export function seedCatalog(db: SqliteHandle, h: Map<string, string>): void {
  const p = db.prepare('INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version) VALUES (?, ?, ?, NULL, ?, NULL, ?, ?, ?, 1)');
  const b = db.prepare('INSERT INTO product_barcode (barcode, product_id, version) VALUES (?, ?, 1)');
  const s = db.prepare('INSERT INTO staff (id, code, name, role, pin_hash, active, version) VALUES (?, ?, ?, ?, ?, 1, 1)');
  const c = db.prepare('INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, version) VALUES (?, ?, ?, ?, ?, 0, 1, 1)');
  const q = db.prepare('INSERT INTO quick_key (page, position, product_id, label, color, version) VALUES (1, ?, ?, ?, NULL, 1)');
  db.transaction(() => {
    for (const x of PRODUCTS) {
      p.run(pid(x.n), x.sku, x.name, x.rate, x.weighed ? 1 : 0, x.price, x.active === false ? 0 : 1);
      b.run(x.barcode, pid(x.n));
    }
    for (const [i, x] of Object.values(STAFF).entries()) s.run(x.id, `M001-${i + 1}`, x.name, x.role, h.get(x.id)!);
    for (const x of Object.values(CUSTOMERS)) c.run(x.id, x.nif, x.name, x.re, x.limit);
    q.run(1, pid(7), 'Manzana');
    q.run(2, pid(3), 'Pan');
    writeIdentity(db, IDENTITY);
  })();
}

export interface TestDb {
  file: string;
  ds: DataSource;
  db: SqliteHandle;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh terminal database file with the fixture data. */
export async function freshTerminalDb(dir: string, name = 'terminal.sqlite'): Promise<TestDb> {
  const file = join(dir, name);
  const ds = await openTerminalDatabase(file);
  const db = sqliteHandle(ds);
  seedCatalog(db, await pinHashes());
  return { file, ds, db };
}

/** Row counts of every selling table (for "bad input writes nothing"). */
const COUNTED = ['ticket', 'ticket_line', 'payment', 'cash_movement', 'fiscal_record', 'outbox', 'cash_session', 'parked_ticket', 'audit_log', 'print_job', 'series_counter', 'sequence_counter'] as const;
export type RowCounts = Record<(typeof COUNTED)[number] | 'cart', number>;

export function rowCounts(db: SqliteHandle): RowCounts {
  const out = {} as RowCounts;
  for (const t of COUNTED) out[t] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "${t}"`).get()!.n;
  out.cart = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM terminal_config WHERE key = 'cart'`).get()!.n;
  return out;
}
