/**
 * Property (issue 14, must-be-true 1 for collections) on SQLite and PostgreSQL: a seeded random history of the
 * franchisor's invoices to two franchisees, credit notes, payments (oldest first or by hand, the rest as credit,
 * by transfer/cash/card/cheque), credit applied and refunded, SEPA remittances settled and returned (fee
 * recharged or not), payments voided, write-offs approved or refused — through the use cases, with the books
 * listening. After every step: every entry balances to the cent; the period balances equal the sums of their
 * lines; each debtor's 430 sub-account = Σ its open items' balance − Σ the credit its posted payments hold. A step
 * the rules refuse writes no entry either (the document and its entry roll back together).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '@tpv/shared/prng';
import { HttpProblem } from '@tpv/shared/problem';
import * as SW from '@tpv/shared/wire/http/sepa-remittances';
import { engines, F, seedFranchise } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { createSepaRemittanceService } from '../../src/collections/sepa-remittances/service';
import { createPaymentsService } from '../../src/collections/payments/service';
import { createFiles } from '../../src/platform/files/service';
import { localFileStore } from '../../src/platform/files/store';
import type { AuthUser } from '../../src/auth/service';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';

const SEED = 14_2026;
const STEPS = 120;
let now = Date.UTC(2026, 0, 5, 9, 0, 0);
const clock = { now: () => now };
const hqUser = { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } as unknown as AuthUser;
const actor: DocumentActor = { kind: 'user', user: hqUser };
const DEBTORS = [
  { id: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', iban: 'ES7620770024003102575766' },
  { id: F.levante.id, nif: 'B96385273', name: 'Levante S.L.', iban: 'ES9121000418450200051332' },
];
const HQ = F.franchisor.id;

describe.each(engines)('collections in the books, property on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const svc = () => createPaymentsService(ds, clock);
  let sepa: ReturnType<typeof createSepaRemittanceService>;

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    installDocumentReactions(ds, accountingModule.reactions ?? []);
    now = Date.UTC(2026, 0, 5, 9, 0, 0);
    await exec(ds.manager, `UPDATE company SET iban = ?, nif = ? WHERE id = ?`, ['ES6000491500051234567892', 'B87654323', HQ]);
    await exec(ds.manager, `UPDATE company SET nif = ? WHERE id = ?`, [DEBTORS[1]!.nif, F.levante.id]);
    sepa = createSepaRemittanceService(ds, clock, createFiles(ds, clock, localFileStore(mkdtempSync(path.join(os.tmpdir(), 'tpv-acc-collections-props-')))));
    for (const [i, d] of DEBTORS.entries()) {
      await sepa.createMandate(hqUser, SW.MandateBody.parse({ companyId: HQ, counterpartyKind: 'company', counterpartyId: d.id, reference: `MAND-ACC-${i + 1}`, signedOn: '2025-12-01', debtorIban: d.iban, rechargeReturnFee: i === 0 }));
    }
  });
  afterAll(async () => teardown?.());

  const n = (v: unknown) => Number(v ?? 0);
  const counts = async () => {
    const out: number[] = [];
    for (const t of ['acc_entry', 'acc_line', 'payment', 'open_item_posting']) out.push(n((await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))!.n));
    return out;
  };

  async function checkBooks(step: string) {
    const unbalanced = await all<{ entry_id: string }>(ds.manager, `SELECT entry_id FROM acc_line GROUP BY entry_id HAVING SUM(debit_cents) <> SUM(credit_cents)`);
    expect(unbalanced, `${step}: unbalanced entries`).toEqual([]);
    const lines = await all<{ k: string; d: unknown; c: unknown }>(ds.manager, `SELECT company_id || '|' || account || '|' || COALESCE(store_id, '') AS k, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line GROUP BY company_id, account, store_id`);
    const bal = await all<{ k: string; d: unknown; c: unknown }>(ds.manager, `SELECT company_id || '|' || account || '|' || store_id AS k, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance GROUP BY company_id, account, store_id`);
    const norm = (rows: Array<{ k: string; d: unknown; c: unknown }>) => rows.map((r) => `${r.k}:${n(r.d)}:${n(r.c)}`).sort();
    expect(norm(bal), `${step}: balances = lines`).toEqual(norm(lines));
    for (const d of DEBTORS) {
      const code = (await one<{ code: string }>(ds.manager, `SELECT code FROM acc_account WHERE company_id = ? AND counterparty_kind = 'company' AND counterparty_id = ? AND counterparty_group = '430'`, [HQ, d.id]))?.code;
      const acc = code ? await one<{ d: unknown; c: unknown }>(ds.manager, `SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line WHERE company_id = ? AND account = ?`, [HQ, code]) : null;
      const items = await one<{ b: unknown }>(ds.manager, `SELECT SUM(balance_cents) AS b FROM open_item WHERE company_id = ? AND side = 'receivable' AND counterparty_kind = 'company' AND counterparty_id = ? AND status <> 'cancelled'`, [HQ, d.id]);
      const credit = await one<{ c: unknown }>(ds.manager, `SELECT SUM(credit_cents) AS c FROM payment WHERE company_id = ? AND side = 'receivable' AND counterparty_kind = 'company' AND counterparty_id = ? AND status = 'posted'`, [HQ, d.id]);
      expect(n(acc?.d) - n(acc?.c), `${step}: 430 of ${d.name} = items − credit held`).toBe(n(items!.b) - n(credit!.c));
    }
  }

  it('holds after every step of a seeded random history', async () => {
    const rnd = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const invoices: Array<{ id: string; debtor: (typeof DEBTORS)[number]; baseLeft: number }> = [];
    const done: Record<string, number> = {};
    let refusals = 0;
    const day = () => new Date(now).toISOString().slice(0, 10);
    const openItemsOf = (debtorId: string) =>
      all<{ id: string; balance_cents: unknown }>(ds.manager, `SELECT id, balance_cents FROM open_item WHERE company_id = ? AND counterparty_id = ? AND cancelled = ${ds.options.type === 'postgres' ? 'false' : '0'} ORDER BY due_date, id`, [HQ, debtorId]);
    const postedPayments = () => all<{ id: string; credit_cents: unknown; counterparty_id: string; source_kind: string | null }>(ds.manager, `SELECT id, credit_cents, counterparty_id, source_kind FROM payment WHERE status = 'posted' ORDER BY id`);

    for (let step = 0; step < STEPS; step++) {
      now += int(0, 3) * 86_400_000;
      const op = invoices.length < 3 ? 'invoice' : pick(['invoice', 'invoice', 'credit', 'pay', 'pay', 'payManual', 'allocate', 'refund', 'remit', 'remit', 'settle', 'remitReturn', 'remitReturn', 'cancel', 'writeOff'] as const);
      const before = await counts();
      try {
        if (op === 'invoice') {
          const debtor = pick(DEBTORS);
          const base = int(1, 400) * 500;
          const d: DraftInvoiceInput = { companyId: HQ, invoiceType: 'F1', source: 'manual', sourceKey: `manual:accprop-${step}`, recipient: { companyId: debtor.id, nif: debtor.nif, name: debtor.name, address: 'Calle 1' }, paymentDays: pick([[0], [30], [30, 60]]), lines: [{ description: 'Canon', quantityMilli: 1000, unitPriceCents: base, ivaRateBp: 2100 }] };
          const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, actor, d));
          await writeTransaction(ds, (m) => postInvoice(m, clock, actor, id));
          invoices.push({ id, debtor, baseLeft: base });
        } else if (op === 'credit') {
          const inv = pick(invoices.filter((i) => i.baseLeft > 0));
          const base = int(1, inv.baseLeft / 100) * 100;
          const d: DraftInvoiceInput = { companyId: HQ, invoiceType: 'R1', source: 'credit', sourceKey: `manual:accprop-${step}`, recipient: { companyId: inv.debtor.id, nif: inv.debtor.nif, name: inv.debtor.name, address: 'Calle 1' }, paymentDays: [0], rectifies: { invoiceId: inv.id, method: 'I', reason: 'Descuento' }, lines: [{ description: 'Abono', quantityMilli: -1000, unitPriceCents: base, ivaRateBp: 2100 }] };
          const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, actor, d));
          await writeTransaction(ds, (m) => postInvoice(m, clock, actor, id));
          inv.baseLeft -= base;
        } else if (op === 'pay' || op === 'payManual') {
          const debtor = pick(DEBTORS);
          const open = (await openItemsOf(debtor.id)).filter((i) => n(i.balance_cents) > 0);
          let allocation: { mode: 'oldest_first' } | { mode: 'manual'; lines: Array<{ itemId: string; amountCents: number }> } = { mode: 'oldest_first' };
          let amount = int(1, 3000) * 100;
          if (op === 'payManual' && open.length > 0) {
            const lines = open.slice(0, int(1, 3)).map((i) => ({ itemId: i.id, amountCents: Math.max(1, Math.floor(n(i.balance_cents) * rnd())) }));
            amount = lines.reduce((s, l) => s + l.amountCents, 0) + (rnd() < 0.5 ? int(0, 50) * 100 : 0);
            allocation = { mode: 'manual', lines };
          }
          await svc().record(hqUser, { companyId: HQ, side: 'receivable', counterpartyKind: 'company', counterpartyId: debtor.id, method: pick(['transfer', 'cash', 'card', 'cheque']), amountCents: amount, receivedOn: day(), reference: null, note: null, allocation, dryRun: false });
        } else if (op === 'remit') {
          const open = (await openItemsOf(pick(DEBTORS).id)).filter((i) => n(i.balance_cents) > 0);
          const chosen = open.filter(() => rnd() < 0.6).slice(0, 4);
          if (chosen.length) {
            const r = await sepa.createRemittance(hqUser, SW.RemittanceBody.parse({ companyId: HQ, collectionDate: new Date(now + int(2, 5) * 86_400_000).toISOString().slice(0, 10), itemIds: chosen.map((i) => i.id) }));
            if (rnd() < 0.7) {
              now += 5 * 86_400_000;
              await sepa.settle(hqUser, r.id, day());
            }
          }
        } else if (op === 'settle') {
          const sent = await all<{ id: string }>(ds.manager, `SELECT id FROM remittance WHERE status = 'sent' ORDER BY number`);
          if (sent.length) await sepa.settle(hqUser, pick(sent).id, day());
        } else if (op === 'remitReturn') {
          // Settled lines, or (now and then) a line rejected before the bank paid.
          const lines = await all<{ remittance_id: string; end_to_end_id: string }>(ds.manager, `SELECT remittance_id, end_to_end_id FROM remittance_item WHERE status IN ('settled', 'pending') ORDER BY end_to_end_id`);
          if (lines.length) {
            const l = pick(lines);
            await sepa.returns(hqUser, l.remittance_id, SW.ReturnsBody.parse({ returns: [{ endToEndId: l.end_to_end_id, reasonCode: pick(['AM04', 'MD01', 'MS02']), returnedOn: day(), bankFeeCents: pick([0, 350]) }] }));
          }
        } else if (op === 'allocate') {
          // A bank-settled debit's credit is left alone: a return gives it back to the debtor (see the report).
          let p: Awaited<ReturnType<typeof postedPayments>>[number] | undefined;
          for (const x of await postedPayments()) if (n(x.credit_cents) > 0 && x.source_kind === null && (await openItemsOf(x.counterparty_id)).some((i) => n(i.balance_cents) > 0)) p ??= x;
          if (p) await svc().allocate(hqUser, p.id, { onDate: day(), allocation: { mode: 'oldest_first' } });
        } else if (op === 'refund') {
          const p = (await postedPayments()).find((x) => n(x.credit_cents) > 0);
          if (p) await svc().refund(hqUser, p.id, { amountCents: int(1, n(p.credit_cents) + 100), onDate: day(), reference: null });
        } else if (op === 'cancel') {
          const p = pick(await postedPayments());
          if (p) await svc().cancel(hqUser, p.id, { onDate: day(), reason: 'Anulado' });
        } else if (op === 'writeOff') {
          const open = (await openItemsOf(pick(DEBTORS).id)).filter((i) => n(i.balance_cents) > 0);
          if (open.length) {
            const item = pick(open);
            const w = await svc().requestWriteOff(hqUser, item.id, { reason: 'Incobrable', amountCents: int(1, n(item.balance_cents)) });
            await svc().decideWriteOff(hqUser, w.id, rnd() < 0.7, { onDate: day(), note: null });
          }
        }
        done[op] = (done[op] ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof HttpProblem) || e.problem.status < 400 || e.problem.status >= 500) throw e;
        refusals++;
        expect(await counts(), `step ${step} (${op}) refused: nothing written, no entry`).toEqual(before);
      }
      await checkBooks(`step ${step} (${op})`);
    }
    for (const op of ['invoice', 'pay', 'payManual', 'refund', 'remit', 'remitReturn', 'cancel', 'writeOff']) expect(done[op] ?? 0, op).toBeGreaterThan(0);
    // The history reached every kind of entry this part posts.
    const kinds = await all<{ kind: string }>(ds.manager, `SELECT DISTINCT kind FROM acc_entry ORDER BY kind`);
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['invoice', 'payment', 'remittance', 'remittance_return', 'reversal', 'write_off']));
    // Some steps were refused, and wrote no entry (checked above).
    expect(refusals).toBeGreaterThan(0);
  });
});
