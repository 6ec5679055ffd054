/**
 * Customer search at the till (issue 15, must-be-true 4): a fresh terminal database with N customers
 * (TPV_BENCH_CUSTOMERS, default 1,000,000) loaded through the real table and its FTS triggers, then the
 * till's own search (terminal/src/crm/customers.ts) for a mix of what cashiers type: a whole phone, a phone
 * prefix, an email prefix, a scanned loyalty card, a NIF, a first name and surname prefix, a surname.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@tpv/shared/prng';
import { foldName } from '@tpv/shared/crm/customer';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { createCustomerSearch } from '@tpv/terminal/crm/customers';
import { percentile, round, type Figures } from './types';

const FIRST = ['María', 'Carmen', 'Josefa', 'Isabel', 'Laura', 'Lucía', 'Marta', 'Elena', 'Paula', 'Sara', 'Antonio', 'José', 'Manuel', 'Francisco', 'David', 'Juan', 'Javier', 'Daniel', 'Carlos', 'Jesús', 'Alejandro', 'Miguel', 'Rafael', 'Pablo', 'Sergio', 'Ainhoa', 'Iker', 'Nerea', 'Unai', 'Aitana'];
const LAST = ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Gil', 'Ramírez', 'Serrano', 'Blanco', 'Molina', 'Morales', 'Suárez', 'Ortega', 'Delgado', 'Castro', 'Ortiz', 'Rubio', 'Marín', 'Sanz', 'Iglesias'];
const DNI = 'TRWAGMYFPDXBNJZSQVHLCKE';
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export async function customerSearchBench(): Promise<Figures> {
  const n = Number(process.env.TPV_BENCH_CUSTOMERS ?? 1_000_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-customers-'));
  const load0 = os.loadavg()[0]!;
  try {
    const ds = await openTerminalDatabase(path.join(dir, 'terminal.sqlite'));
    const db = sqliteHandle(ds);
    const rnd = seededRandom(42);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
    const ins = db.prepare(
      `INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, on_account_blocked, phone, email, loyalty_card, segment_ids, version, name_key)
       VALUES (?, ?, ?, 0, 0, 0, 1, 0, ?, ?, ?, '[]', 1, ?)`,
    );
    const people: Array<{ name: string; phone: string; email: string | null; card: string | null; nif: string | null }> = [];
    const t0 = performance.now();
    for (let from = 1; from <= n; from += 50_000) {
      db.transaction(() => {
        for (let i = from; i < Math.min(n + 1, from + 50_000); i++) {
          const first = pick(FIRST);
          const l1 = pick(LAST);
          const name = `${first} ${l1} ${pick(LAST)}`;
          const phone = String(600_000_000 + ((i * 7_919) % 100_000_000));
          const email = i % 4 === 0 ? null : `${ascii(first)}.${ascii(l1)}${i}@correo.example`;
          const card = i % 5 === 0 ? `LC${String(i).padStart(9, '0')}` : null;
          const dni = 10_000_000 + i;
          const nif = i % 3 === 0 ? `${dni}${DNI[dni % 23]}` : null;
          ins.run(`c${i}`, nif, name, phone, email, card, foldName(name));
          if (rnd() < 2_000 / n) people.push({ name, phone, email, card, nif });
        }
      })();
    }
    const loadMs = performance.now() - t0;
    const search = createCustomerSearch(db);
    const kinds: Array<[string, (p: (typeof people)[number]) => string | null]> = [
      ['phone', (p) => p.phone],
      ['phone prefix', (p) => p.phone.slice(0, 6)],
      ['email prefix', (p) => (p.email ? p.email.slice(0, p.email.indexOf('@') + 1) : null)],
      ['card', (p) => p.card],
      ['nif', (p) => p.nif],
      ['first name + surname prefix', (p) => { const w = p.name.split(' '); return `${w[0]} ${w[1]!.slice(0, 4)}`; }],
      ['whole name', (p) => p.name],
      ['surname', (p) => p.name.split(' ')[2]!],
    ];
    const samples: number[] = [];
    const byKind = new Map<string, number[]>();
    let found = 0;
    let asked = 0;
    for (let round_ = -1; round_ < 3; round_++) {
      for (const p of people) {
        for (const [kind, q] of kinds) {
          const text = q(p);
          if (!text) continue;
          const s = performance.now();
          const hits = search(text);
          const dt = performance.now() - s;
          if (round_ < 0) continue; // warm-up
          samples.push(dt);
          byKind.set(kind, [...(byKind.get(kind) ?? []), dt]);
          asked++;
          if (hits.some((h) => h.name === p.name)) found++;
        }
      }
    }
    await ds.destroy();
    const per = [...byKind].map(([k, v]) => `${k} ${round(percentile(v, 99))}`).join(', ');
    const cond = `${n.toLocaleString('en')} customers (loaded with FTS triggers in ${Math.round(loadMs / 1000)} s), ${asked} searches of 8 kinds (p99 ms per kind: ${per}); the searched person in the answer ${Math.round((100 * found) / asked)} %; WAL, ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, load avg ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`;
    return {
      customer_search_p50_ms: { value: round(percentile(samples, 50)), unit: 'ms', conditions: cond },
      customer_search_p99_ms: { value: round(percentile(samples, 99)), unit: 'ms', conditions: `${asked} searches; target ≤ 5 ms with 1,000,000 customers` },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
