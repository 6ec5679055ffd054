/** The demo franchise's organisation data passes the same checks the back office's forms and API apply. */
import { describe, expect, it } from 'vitest';
import { isValidIBAN } from 'ibantools';
import { CompanyInput, ContractInput, StoreInput, WarehouseInput } from '@tpv/shared/wire/http/organisation';
import { buildDemoFranchise, spanishIban } from '../../src/seed/demo-franchise';

const f = buildDemoFranchise();

describe('demo franchise organisation', () => {
  it('computes the CCC control digits and the IBAN check digits (the documentation example ES91 2100 0418 45 02 0005 1332)', () => {
    expect(spanishIban('2100', '0418', '0200051332')).toBe('ES9121000418450200051332');
  });

  it('has companies with valid NIF, IBAN, address and contacts', () => {
    for (const c of f.companies) {
      const parsed = CompanyInput.safeParse({ kind: c.kind, legalName: c.legalName, tradeName: c.tradeName, nif: c.nif, address: c.addr, iban: c.iban, contacts: c.contacts });
      expect(parsed.success, `${c.legalName}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(isValidIBAN(c.iban), c.iban).toBe(true);
      expect(c.contacts.length).toBeGreaterThan(0);
    }
  });

  it('has stores with time zones, opening hours and areas, a central warehouse of the franchisor', () => {
    for (const s of f.stores) {
      const parsed = StoreInput.safeParse({ code: s.code, name: s.name, companyId: s.companyId, address: s.addr, timezone: s.timezone, openingHours: s.openingHours, salesAreaM2: s.salesAreaM2 });
      expect(parsed.success, `${s.code}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const franchisor = f.companies.find((c) => c.kind === 'franchisor')!;
    expect(f.warehouses.length).toBeGreaterThan(0);
    for (const w of f.warehouses) {
      expect(w.companyId).toBe(franchisor.id);
      expect(WarehouseInput.safeParse({ code: w.code, name: w.name, companyId: w.companyId, address: w.addr }).success).toBe(true);
    }
  });

  it('has a valid contract in force today for every franchisee, none overlapping', () => {
    const today = '2026-11-30';
    for (const c of f.companies.filter((x) => x.kind === 'franchisee')) {
      const mine = f.contracts.filter((k) => k.companyId === c.id);
      for (const k of mine) expect(ContractInput.safeParse(k).success).toBe(true);
      expect(mine.filter((k) => k.startsOn <= today && (k.endsOn === null || k.endsOn >= today)), c.legalName).toHaveLength(1);
      for (const a of mine) for (const b of mine) if (a !== b) expect(a.startsOn > (b.endsOn ?? '9999') || b.startsOn > (a.endsOn ?? '9999')).toBe(true);
    }
  });
});
