/**
 * Customers at the till (issue 15): a customer registered here is written with its `crm.customer` document in
 * one transaction (usable at once, offline); an invalid NIF or a card already held writes nothing; the search
 * finds by name words (accents folded, any order of prefixes), phone (normalised, prefix), email, NIF and card;
 * a name edit follows into the FTS index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTillCustomers, type TillCustomers } from '../../src/crm/customers';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { openTerminal, TempDir } from '../support/tickets';

const staff = { id: 'staff-ana', name: 'Ana', role: 'cashier' as const };
const tmp = new TempDir();
let db: SqliteHandle;
let close: () => Promise<void>;
let c: TillCustomers;
let n = 0;
const docs = () => db.prepare(`SELECT kind, payload FROM document_outbox ORDER BY created_at, id`).all() as Array<{ kind: string; payload: string }>;
const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM customer').get() as { n: number }).n;

beforeAll(async () => {
  const t = await openTerminal(tmp.file());
  db = t.db;
  close = () => t.ds.destroy();
  c = createTillCustomers({ db, clock: { now: () => Date.UTC(2026, 10, 30, 9) }, newId: () => `01900000-0000-7000-8000-${String(++n).padStart(12, '0')}`, queued: () => undefined });
});
afterAll(async () => {
  await close();
  tmp.remove();
});

describe('customers at the till', () => {
  it('registers a customer with its document in one transaction; an invalid NIF or a taken card writes nothing', () => {
    const r = c.create(staff, { name: 'José Ángel  Pérez Núñez', nif: '12345678z', phone: '+34 611 22 33 44', email: 'JA@Correo.es', loyaltyCard: 'lc 1234', consents: [{ purpose: 'marketing', granted: true }] });
    expect(r.ok).toBe(true);
    const created = r.ok ? r.value.customer : undefined;
    expect(created).toMatchObject({ name: 'José Ángel Pérez Núñez', nif: '12345678Z', phone: '611223344', email: 'ja@correo.es', loyaltyCard: 'LC1234', active: true });
    expect(docs().map((d) => [d.kind, JSON.parse(d.payload).customerId, JSON.parse(d.payload).op, JSON.parse(d.payload).consents])).toEqual([
      ['crm.customer', created!.id, 'create', [{ purpose: 'marketing', granted: true }]],
    ]);
    for (const bad of [{ name: 'Mal', nif: '12345678A' }, { name: 'Otra', loyaltyCard: 'LC1234' }, { name: 'Otro', email: 'sin-arroba' }]) {
      const x = c.create(staff, bad);
      expect(x.ok).toBe(false);
    }
    const refused = c.create(staff, { name: 'Mal', nif: '12345678A' });
    expect(!refused.ok && refused.error.code).toBe('CUSTOMER_INVALID');
    expect(!refused.ok && refused.error.message).toMatch(/NIF/);
    expect(rows()).toBe(1);
    expect(docs()).toHaveLength(1);
  });

  it('finds by name words, phone, email, NIF and card; an edit follows into the name index', () => {
    c.create(staff, { name: 'María García López', phone: '600 000 111', email: 'maria@x.es' });
    c.create(staff, { name: 'Mario Garcés', phone: '600000222' });
    const names = (q: string) => c.search(q).map((x) => x.name).sort();
    const table: Array<[string, string[]]> = [
      ['garcia', ['María García López']],
      ['mar gar', ['Mario Garcés', 'María García López']],
      ['núñez josé', ['José Ángel Pérez Núñez']],
      ['600 000', ['Mario Garcés', 'María García López']],
      ['+34 600000111', ['María García López']],
      ['maria@', ['María García López']],
      ['12345678-z', ['José Ángel Pérez Núñez']],
      ['LC1234', ['José Ángel Pérez Núñez']],
      ['zz', []],
    ];
    for (const [q, want] of table) expect([q, names(q)]).toEqual([q, want]);
    const mario = c.search('mario')[0]!;
    expect(c.update(staff, mario.id, { name: 'Mario Garcés Ruiz' }).ok).toBe(true);
    expect(names('ruiz')).toEqual(['Mario Garcés Ruiz']);
    expect(docs().at(-1)!.kind).toBe('crm.customer');
    expect(JSON.parse(docs().at(-1)!.payload).op).toBe('update');
  });
});
