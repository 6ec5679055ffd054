/**
 * Provisions a load-test franchise straight into a back-office database: stores, terminals (already paired:
 * their token hashes written as pairing would), products and a customer. Returns what simulated terminals
 * need to speak the protocol.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import * as bo from '@tpv/backoffice/persistence/entities';
import type { FactoryIdentity, FactoryProduct } from '@tpv/backoffice/test/support/ticket-factory';

export interface ProvisionedTerminal extends FactoryIdentity {
  token: string;
}

export interface LoadFranchise {
  terminals: ProvisionedTerminal[];
  products: FactoryProduct[];
  customers: Array<{ id: string; name: string }>;
}

const id = (kind: number, n: number) => `00000000-0000-7000-9${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

export async function provisionLoadFranchise(ds: DataSource, opts: { stores: number; terminalsPerStore: number; products: number }): Promise<LoadFranchise> {
  const companyId = id(1, 1);
  const nif = 'B11223344';
  const stores = Array.from({ length: opts.stores }, (_, i) => ({ id: id(2, i + 1), code: `L${String(i + 1).padStart(3, '0')}` }));
  const products: FactoryProduct[] = Array.from({ length: opts.products }, (_, i) => ({
    id: id(5, i + 1),
    name: `Artículo de carga ${i + 1}`,
    taxRateBp: ([2100, 1000, 400, 2100, 1000] as const)[i % 5]!,
    weighed: i % 7 === 0,
    priceCents: 49 + ((i * 137) % 2500),
  }));
  const terminals: ProvisionedTerminal[] = [];
  const terminalRows: Array<Partial<bo.TerminalRow>> = [];
  let n = 0;
  for (const s of stores) {
    for (let t = 1; t <= opts.terminalsPerStore; t++) {
      const token = randomBytes(32).toString('base64url');
      const code = String(t).padStart(2, '0');
      const row = { id: id(3, ++n), storeId: s.id, code, name: `Caja ${t}`, installation: `${s.code}-${code}` };
      terminalRows.push({
        ...row, tokenHash: createHash('sha256').update(token).digest('hex'), pairingCodeHash: null, pairingExpiresAt: null, revokedAt: null,
        lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: 'loadgen',
      });
      terminals.push({ terminalId: row.id, terminalCode: code, storeId: s.id, storeCode: s.code, installation: row.installation, companyNif: nif, token });
    }
  }
  const customers = [{ id: id(8, 1), name: 'Cliente a cuenta' }];
  await ds.transaction(async (m) => {
    await m.insert(bo.CompanyEntity, { id: companyId, kind: 'franchisee', nif, legalName: 'Carga S.L.', tradeName: null, address: null });
    await m.insert(bo.StoreEntity, stores.map((s) => ({ id: s.id, code: s.code, companyId, name: `Tienda ${s.code}`, address: null, timezone: 'Europe/Madrid' })));
    for (let i = 0; i < terminalRows.length; i += 100) await m.insert(bo.TerminalEntity, terminalRows.slice(i, i + 100) as never);
    const rows = products.map((p, i) => ({ id: p.id, sku: `LOAD${i + 1}`, name: p.name, categoryId: null, taxRateBp: p.taxRateBp, exemption: null, weighed: p.weighed, basePriceCents: p.priceCents, active: true, version: 1 }));
    for (let i = 0; i < rows.length; i += 200) await m.insert(bo.ProductEntity, rows.slice(i, i + 200));
    await m.insert(bo.CustomerEntity, customers.map((c) => ({ id: c.id, nif: null, name: c.name, email: null, reRegime: false, creditLimitCents: 10_000_000, active: true, version: 1 })));
  });
  return { terminals, products, customers };
}
