/**
 * Demo stock documents, so Recuentos and Traspasos are not empty: a cycle count a till of the first
 * franchisee store sent up (still counting: a manager finishes, approves and posts it) and a draft transfer
 * between two stores of one company. Once: skipped when any count exists. Nothing here moves stock.
 */
import type { DataSource } from 'typeorm';
import type { AuthUser } from '@tpv/backoffice/auth/service';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { tillCount } from '@tpv/backoffice/stock/counts';
import { createTransferService } from '@tpv/backoffice/stock/transfers';
import type { DemoFranchise } from './demo-franchise';

export async function seedStockDocuments(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if (((await ds.query('SELECT id FROM stock_count LIMIT 1')) as unknown[]).length > 0) return false;
  const clock = { now: () => Date.now() };
  const company = f.companies.find((c) => c.kind === 'franchisee' && f.stores.filter((s) => s.companyId === c.id).length >= 2);
  const terminal = f.terminals.find((t) => f.stores.some((s) => s.id === t.storeId && s.companyId === company?.id));
  const products = f.products.filter((p) => !p.weighed).slice(0, 4);
  if (!company || !terminal || products.length === 0) return false;
  const [a, b] = f.stores.filter((s) => s.companyId === company.id);
  await writeTransaction(ds, (m) =>
    tillCount(ds, m, clock, { kind: 'till', till: { terminalId: terminal.id, storeId: terminal.storeId, companyId: company.id } }, terminal.storeId, {
      lines: products.map((p, i) => ({ productId: p.id, counted: 10 + i })),
    }),
  );
  const hq = f.users.find((u) => u.role === 'hq_admin')!;
  const user: AuthUser = { id: hq.id, email: hq.email, name: hq.name, role: 'hq_admin', companyId: null, storeId: null, companyIds: [] };
  await createTransferService(ds, clock).create(user, { fromLocationId: a!.id, toLocationId: b!.id, note: 'Demo', lines: products.slice(0, 2).map((p) => ({ productId: p.id, quantity: 6 })) });
  return true;
}
