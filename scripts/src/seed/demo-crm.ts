/**
 * CRM demo data (issue 15): a few hundred customers of the shared base with phones and emails (some loyalty
 * members), two pairs of duplicates to merge from Clientes → Duplicados, and two segments by rules computed
 * over the sales history. Written through the CRM's own use cases, after the tills' starting feed version,
 * so the tills pull them like any customer created at HQ. Once: skipped when the first demo customer exists.
 */
import type { DataSource } from 'typeorm';
import { seededRandom } from '@tpv/shared/prng';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { appendChanges } from '@tpv/backoffice/catalog/changes';
import { one } from '@tpv/backoffice/persistence/sql';
import { createCrmService, writeCustomer } from '@tpv/backoffice/crm/service';
import { insertCustomer } from '@tpv/backoffice/crm/repository';
import type { ChangeInput } from '@tpv/backoffice/persistence/change-log';
import { customerChange } from '@tpv/backoffice/crm/feed';

const id = (n: number) => `00000000-0000-7000-8c00-${n.toString(16).padStart(12, '0')}`;
const FIRST = ['María', 'Carmen', 'Josefa', 'Isabel', 'Laura', 'Lucía', 'Marta', 'Elena', 'Paula', 'Sara', 'Antonio', 'José', 'Manuel', 'Francisco', 'David', 'Juan', 'Javier', 'Daniel', 'Carlos', 'Jesús', 'Alejandro', 'Miguel', 'Rafael', 'Pablo', 'Sergio'];
const LAST = ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos'];
const DNI = 'TRWAGMYFPDXBNJZSQVHLCKE';
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export const DEMO_CRM_CUSTOMERS = 300;
export const DEMO_SEGMENTS = [
  { id: '00000000-0000-7000-8c5e-000000000001', name: 'Clientes frecuentes (≥ 100 € en 90 días)', rules: { periodDays: 90, minSpendCents: 10_000 } },
  { id: '00000000-0000-7000-8c5e-000000000002', name: 'Sin compras en 60 días', rules: { periodDays: 365, notBoughtForDays: 60 } },
];

export async function seedDemoCrm(ds: DataSource, stores: ReadonlyArray<{ id: string }>): Promise<boolean> {
  if (await one(ds.manager, 'SELECT id FROM customer WHERE id = ?', [id(1)])) return false;
  const rnd = seededRandom(15);
  const clock = { now: () => Date.now() };
  const at = new Date().toISOString();
  await writeTransaction(ds, async (m) => {
    const changes: ChangeInput[] = [];
    for (let n = 1; n <= DEMO_CRM_CUSTOMERS; n++) {
      const first = FIRST[Math.floor(rnd() * FIRST.length)]!;
      const last1 = LAST[Math.floor(rnd() * LAST.length)]!;
      const last2 = LAST[Math.floor(rnd() * LAST.length)]!;
      const dni = 30_000_000 + n * 7919;
      const r = await writeCustomer(m, clock, null, { storeId: stores[n % stores.length]!.id }, id(n), {
        name: `${first} ${last1} ${last2}`,
        nif: n % 3 === 0 ? `${dni}${DNI[dni % 23]}` : null,
        phone: `6${String(10_000_000 + n * 3371).padStart(8, '0')}`,
        email: n % 4 === 0 ? null : `${ascii(first)}.${ascii(last1)}${n}@correo.example`,
        loyaltyCard: n % 5 === 0 ? `LC${String(n).padStart(8, '0')}` : null,
      }, 'create');
      changes.push(...r.changes);
    }
    // Duplicates: the same person registered twice (a shorter name; the same phone, or the same email).
    const twin = async (n: number, of: number, how: 'phone' | 'email') => {
      const src = await one<{ name: string; phone: string; email: string | null }>(m, 'SELECT name, phone, email FROM customer WHERE id = ?', [id(of)]);
      await insertCustomer(m, {
        id: id(n), name: src!.name.split(' ').slice(0, 2).join(' '), nif: null, loyaltyCard: null, createdAt: at, originStoreId: stores[0]!.id,
        phone: how === 'phone' ? src!.phone : null, email: how === 'email' ? (src!.email ?? `dup${n}@correo.example`) : null,
      });
      changes.push(await customerChange(m, id(n), at));
    };
    await twin(DEMO_CRM_CUSTOMERS + 1, 7, 'phone');
    await twin(DEMO_CRM_CUSTOMERS + 2, 9, 'email');
    await appendChanges(m, changes);
    for (const s of DEMO_SEGMENTS) {
      await m.query(
        ds.options.type === 'postgres'
          ? 'INSERT INTO customer_segment (id, name, rules, member_count, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4)'
          : 'INSERT INTO customer_segment (id, name, rules, member_count, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
        ds.options.type === 'postgres' ? [s.id, s.name, JSON.stringify(s.rules), at] : [s.id, s.name, JSON.stringify(s.rules), at, at],
      );
    }
  });
  await createCrmService(ds, clock, () => undefined).recompute();
  return true;
}
