/**
 * Bank statement matching bench (issue 13, bankrec): the automatic matching of a 10,000-movement statement —
 * key `statement_match_10k_s` (target ≤ 5 s), the slower engine's figure; `_sqlite` / `_postgres` beside it.
 *
 * Dataset (fresh each run): one franchisee company with 12,000 open receivables (one `invoiced` posting
 * each) of 400 customers; a Norma 43 file of one month with 10,000 movements: 4,000 credits naming an
 * invoice number in their concepts (some pay two due dates of one invoice, some part of one), 3,000 credits
 * of an item's exact balance naming its customer, 3,000 that match nothing (bank fees, unknown transfers).
 * The file is imported through the use case (`importFile`, parse + statement + movements, no matching) and
 * then `matchStatement` is timed: per movement the remittance/Z/reference/amount rules, and per match a
 * payment (numbered), its allocations and `collected` postings through `appendItemPosting`, in one transaction.
 * Where: a temp SQLite file; PostgreSQL schema tpv_bench_statement (dropped before and after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { writeNorma43, type BankMovement } from '@tpv/backoffice/collections/bank/index';
import { createBankStatementService } from '@tpv/backoffice/collections/bank-statements/service';
import type { AuthUser } from '@tpv/backoffice/auth/service';
import { seededRandom } from '@tpv/shared/prng';
import { round, type Figures } from './types';
import { bulk, dropPgSchema } from './bulk-insert';

const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MOVEMENTS = Number(process.env.BENCH_STATEMENT_MOVEMENTS ?? 10_000);
const ITEMS = Math.round(MOVEMENTS * 1.2);
const CUSTOMERS = 400;
const SCHEMA = 'tpv_bench_statement';
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);
const clock = { now: () => NOW };
const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const COMPANY = uid(0xe10, 1);
const HQ: AuthUser = { id: uid(0xe70, 1), email: 'bench-hq@tpv.bench', name: 'Bench HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] };

interface Seeded {
  items: Array<{ ref: string; customer: number; due: string; amount: number }>;
}

async function seed(ds: DataSource): Promise<Seeded> {
  const rnd = seededRandom(4_343);
  await bulk(ds, 'company', [['id', 'varchar'], ['kind', 'varchar'], ['nif', 'varchar'], ['legal_name', 'varchar']], [[COMPANY, 'franchisee', 'B12345674', 'Franquiciado Bench S.L.']]);
  const at = new Date(NOW).toISOString();
  const items: Seeded['items'] = [];
  const itemRows: unknown[][] = [];
  const postingRows: unknown[][] = [];
  for (let i = 0; i < ITEMS; i++) {
    // Two due dates per invoice: items 2k and 2k+1 share the invoice number.
    const inv = Math.floor(i / 2);
    const ref = `FB-26/${String(inv + 1).padStart(6, '0')}`;
    const customer = inv % CUSTOMERS;
    const amount = 1_000 + Math.floor(rnd() * 200_000);
    const due = `2026-${String(10 + (i % 3)).padStart(2, '0')}-${String(1 + (inv % 28)).padStart(2, '0')}`;
    items.push({ ref, customer, due, amount });
    const id = uid(0xe40, i + 1);
    itemRows.push([id, COMPANY, 'receivable', 'invoice_due', uid(0xe30, inv + 1), i % 2, ref, 'customer', uid(0xe20, customer + 1), `Cliente Bench ${customer + 1} S.L.`, '2026-10-01', due, amount, amount, 'open', at, at]);
    postingRows.push([uid(0xe50, i + 1), id, 'invoiced', amount, amount, '2026-10-01', 'invoice', uid(0xe30, inv + 1), at]);
  }
  await bulk(
    ds,
    'open_item',
    [['id', 'varchar'], ['company_id', 'varchar'], ['side', 'varchar'], ['kind', 'varchar'], ['source_id', 'varchar'], ['source_idx', 'int'], ['document_ref', 'varchar'], ['counterparty_kind', 'varchar'], ['counterparty_id', 'varchar'], ['counterparty_name', 'varchar'], ['issue_date', 'varchar'], ['due_date', 'varchar'], ['amount_cents', 'bigint'], ['balance_cents', 'bigint'], ['status', 'varchar'], ['created_at', 'varchar'], ['updated_at', 'varchar']],
    itemRows,
  );
  await bulk(ds, 'open_item_posting', [['id', 'varchar'], ['item_id', 'varchar'], ['kind', 'varchar'], ['amount_cents', 'bigint'], ['signed_cents', 'bigint'], ['on_date', 'varchar'], ['source_kind', 'varchar'], ['source_id', 'varchar'], ['created_at', 'varchar']], postingRows);
  await ds.query('ANALYZE');
  return { items };
}

/** The statement: 40 % by invoice number, 30 % by amount + customer name, 30 % nothing to match. */
function statementFile({ items }: Seeded): string {
  const rnd = seededRandom(777);
  const movements: BankMovement[] = [];
  const byRef = Math.round(MOVEMENTS * 0.4);
  const byAmount = Math.round(MOVEMENTS * 0.3);
  const day = (i: number) => `2026-11-${String(1 + (i % 30)).padStart(2, '0')}`;
  const base = (i: number, amountCents: number, concepts: string[]): BankMovement => ({
    operationDate: day(i), valueDate: day(i), commonConcept: '02', ownConcept: '000', amountCents, document: String(i + 1).padStart(10, '0'), reference1: '', reference2: '', concepts,
  });
  // Invoices 0…byRef-1 (items 2k, 2k+1): the whole invoice, or part of its first due date.
  for (let k = 0; k < byRef; k++) {
    const a = items[2 * k]!;
    const b = items[2 * k + 1]!;
    const whole = rnd() < 0.7;
    movements.push(base(movements.length, whole ? a.amount + b.amount : Math.max(1, Math.floor(a.amount / 2)), [`PAGO FRA ${a.ref}`]));
  }
  // Items of later invoices, by amount and the customer's name.
  for (let k = 0; k < byAmount; k++) {
    const it = items[2 * byRef + k]!;
    movements.push(base(movements.length, it.amount, [`TRANSF CLIENTE BENCH ${it.customer + 1} SL`]));
  }
  while (movements.length < MOVEMENTS) {
    const fee = rnd() < 0.5;
    movements.push(base(movements.length, fee ? -(100 + Math.floor(rnd() * 900)) : 7 + Math.floor(rnd() * 99_999) * 3 + 1, [fee ? 'COMISION' : 'TRANSFERENCIA RECIBIDA']));
  }
  const sum = movements.reduce((s, m) => s + m.amountCents, 0);
  return writeNorma43([
    { account: { bank: '2100', office: '0418', number: '0200099999', currency: 'EUR' }, from: '2026-11-01', to: '2026-11-30', openingBalanceCents: 5_000_000, closingBalanceCents: 5_000_000 + sum, debits: { count: 0, totalCents: 0 }, credits: { count: 0, totalCents: 0 }, movements },
  ]);
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-statement-'));
  if (engine === 'postgres') await dropPgSchema(PG_URL, SCHEMA);
  const ds = engine === 'sqlite' ? await openBackofficeDatabase({ file: path.join(dir, 'statement.sqlite') }) : await openBackofficeDatabase({ databaseUrl: PG_URL, schema: SCHEMA });
  try {
    log(`[statement-match ${engine}] seeding ${ITEMS} open items…`);
    const seeded = await seed(ds);
    const file = statementFile(seeded);
    const svc = createBankStatementService(ds, clock);
    const t0 = performance.now();
    const imported = await svc.importFile(HQ, { companyId: COMPANY, content: file, autoMatch: false });
    const importS = (performance.now() - t0) / 1000;
    const statementId = imported.statements[0]!.id;
    const t1 = performance.now();
    const run = await svc.matchStatement(HQ, statementId);
    const matchS = (performance.now() - t1) / 1000;
    const payments = Number(((await ds.query(`SELECT COUNT(*) AS n FROM payment`)) as Array<{ n: unknown }>)[0]!.n);
    log(`  import ${round(importS, 2)} s, matching ${round(matchS, 2)} s: ${run.matched} of ${imported.statements[0]!.movementCount} matched, ${payments} payments`);
    return { importS, matchS, matched: run.matched, movements: imported.statements[0]!.movementCount, payments, bytes: file.length };
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPgSchema(PG_URL, SCHEMA).catch(() => {});
  }
}

export async function statementMatchFigures(engines: Array<'sqlite' | 'postgres'>, machine: () => string, log: (m: string) => void = (m) => console.log(m)): Promise<Figures> {
  const figures: Figures = {};
  let worst = { value: 0, conditions: '' };
  for (const engine of engines) {
    const f = await timeEngine(engine, log);
    const conditions =
      `${engine}: matchStatement over a Norma 43 statement of ${f.movements} movements (${Math.round(f.bytes / 1024)} KiB; 40 % by invoice number, 30 % by amount + customer name, 30 % nothing) ` +
      `against ${ITEMS} open receivables of 400 customers: ${f.matched} matched, ${f.payments} payments with allocations and postings, one transaction; ` +
      `the import before it (parse + statement + movements, no matching) ${round(f.importS, 2)} s; target ≤ 5 s; ${machine()}`;
    figures[`statement_match_10k_s_${engine}`] = { value: round(f.matchS, 2), unit: 's', conditions };
    if (f.matchS >= worst.value) worst = { value: f.matchS, conditions };
  }
  figures.statement_match_10k_s = { value: round(worst.value, 2), unit: 's', conditions: `slower engine — ${worst.conditions}` };
  return figures;
}
