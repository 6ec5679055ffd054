/**
 * Demo gift vouchers (issue 15): a few vouchers sold at the franchisees' tills, one loaded again, one partly
 * spent, one spent at another company's store, so *Vales regalo* shows balances, a ledger and the outstanding
 * balance per company. Once: skipped when any voucher exists. Codes are fixed so the demo can type them.
 */
import type { DataSource } from 'typeorm';
import { addMonths } from '@tpv/shared/vouchers/policy';
import { newVoucherCode, terminalPrefix } from '@tpv/shared/vouchers/codes';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { newRowId } from '@tpv/backoffice/persistence/row-id';
import { insertVoucher, post, sqlOf, type PostingKind } from '@tpv/backoffice/vouchers/ledger';
import type { DemoFranchise } from './demo-franchise';

export async function seedDemoVouchers(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if (((await ds.query('SELECT id FROM voucher LIMIT 1')) as unknown[]).length > 0) return false;
  const clock = { now: () => Date.now() };
  let n = 0;
  const bytes = (k: number) => Uint8Array.from({ length: k }, (_, i) => (n * 31 + i * 7) & 31);
  const plan: Array<{ at: number; moves: Array<[PostingKind, number, number]> }> = [
    { at: 0, moves: [['issue', 5000, 0]] },
    { at: 0, moves: [['issue', 3000, 0], ['load', 2000, 0]] },
    { at: 1, moves: [['issue', 10000, 1], ['redeem', -3750, 1]] },
    { at: 0, moves: [['issue', 2500, 0], ['redeem', -1990, 2]] },
  ];
  await writeTransaction(ds, async (m) => {
    const sql = sqlOf(m);
    const at = new Date().toISOString();
    for (const p of plan) {
      n++;
      const t = f.terminals[p.at % f.terminals.length]!;
      const store = f.stores.find((s) => s.id === t.storeId)!;
      let v = await insertVoucher(sql, { id: newRowId(clock), code: newVoucherCode(terminalPrefix(store.code, t.code), bytes), companyId: store.companyId, storeId: store.id, terminalId: t.id, status: 'active', expiresAt: addMonths(at, 24), createdAt: at });
      for (const [kind, cents, where] of p.moves) {
        const wt = f.terminals[where % f.terminals.length]!;
        const ws = f.stores.find((s) => s.id === wt.storeId)!;
        v = await post(sql, v, { id: newRowId(clock), kind, amountCents: cents, companyId: ws.companyId, storeId: ws.id, terminalId: wt.id, source: { kind: 'hq', id: newRowId(clock) }, reference: 'demo', at });
      }
    }
  });
  return true;
}
