/**
 * The month's Veri*Factu export on both engines: Ruiz's November (two tills' tickets and its back-office
 * invoices: mixed rates with recargo and an exempt line, credit notes by difference and by substitution, an
 * F3, an anulación) validates against the AEAT's SuministroLR.xsd with xmllint, carries every record once in
 * chain order, and every chain read back from the XML verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain } from '@tpv/shared/fiscal/record';
import { engines, F, seedFranchise } from '../support/harness';
import { MONTH, seedMonth, xsdErrors } from '../support/verifactu-fixtures';
import { monthDocuments } from '../../src/verifactu/export';
import { parseRegFactu } from '../../src/verifactu/xml';
import { all } from '../../src/persistence/sql';

describe.each(engines)('Veri*Factu month export on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    await seedMonth(ds);
  }, 120_000);
  afterAll(async () => teardown?.());

  it("exports Ruiz's month: valid against the XSD, every record once, chains verify", async () => {
    const { documents, chains } = await monthDocuments(ds, F.ruiz.id, MONTH);
    expect(documents).toHaveLength(1);
    const xml = documents[0]!.xml;
    expect(xsdErrors(xml)).toBe('');

    const tickets = Number((await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM sale_ticket t JOIN store s ON s.id = t.store_id WHERE s.company_id = ?`, [F.ruiz.id]))[0]!.n);
    const hq = Number((await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM hq_fiscal_record WHERE company_id = ?`, [F.ruiz.id]))[0]!.n);
    // 7 invoices posted + 1 anulación = 8 back-office records.
    expect(hq).toBe(8);
    expect(documents[0]!.records).toBe(tickets + hq);
    expect(chains.map((c) => c.installation)).toEqual([`HQ-${F.ruiz.nif}`, F.t1.installation, F.t2.installation]);

    const parsed = parseRegFactu(xml);
    expect(parsed.issuer.nif).toBe(F.ruiz.nif);
    const byChain = new Map<string, typeof parsed.records>();
    for (const r of parsed.records) byChain.set(r.record.installation, [...(byChain.get(r.record.installation) ?? []), r]);
    for (const [, recs] of byChain) {
      const v = verifyChain(recs.map((r) => r.record));
      expect(v.ok).toBe(true);
    }
    // The pieces the AEAT needs beyond the huella fields.
    expect(xml).toContain('<sf:TipoFactura>R2</sf:TipoFactura>');
    expect(xml).toMatch(/<sf:TipoRectificativa>S<\/sf:TipoRectificativa>[\s\S]*<sf:ImporteRectificacion>/);
    expect(xml).toContain('<sf:FacturasSustituidas>');
    expect(xml).toContain('<sf:OperacionExenta>E1</sf:OperacionExenta>');
    expect(xml).toContain('<sf:TipoRecargoEquivalencia>5.20</sf:TipoRecargoEquivalencia>');
    expect(xml).toContain('<sf:RegistroAnulacion>');
    expect(xml).toContain(`<sf:NIF>B44556678</sf:NIF>`);
    expect(xml.match(/<sf:PrimerRegistro>S<\/sf:PrimerRegistro>/g)).toHaveLength(3);
  });

  it('exports nothing of another company into it, and a month without records as no document', async () => {
    const lev = await monthDocuments(ds, F.levante.id, MONTH);
    expect(lev.chains.map((c) => c.installation)).toEqual([F.t3.installation]);
    expect(xsdErrors(lev.documents[0]!.xml)).toBe('');
    const empty = await monthDocuments(ds, F.ruiz.id, '2026-10');
    expect(empty.documents).toHaveLength(0);
  });
});
