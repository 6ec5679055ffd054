/**
 * The month's Veri*Factu export on both engines: Ruiz's November (two tills' tickets and its back-office
 * invoices: mixed rates with recargo and an exempt line, credit notes by difference and by substitution, an
 * F3, an anulación) validates against the AEAT's SuministroLR.xsd with xmllint, carries every record once in
 * chain order, and every chain read back from the XML verifies — with the verifier CLI too, which names the
 * first break of a tampered copy and exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain } from '@tpv/shared/fiscal/record';
import { engines, F, seedFranchise } from '../support/harness';
import { MONTH, seedMonth, xsdErrors } from '../support/verifactu-fixtures';
import { monthDocuments } from '../../src/verifactu/export';
import { parseRegFactu } from '../../src/verifactu/xml';
import { all } from '../../src/persistence/sql';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** `npm run verifactu:verify -- <files>` as a user runs it (tsx straight, to skip npm's banner). */
const cli = (...files: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/src/verifactu-verify.ts'), ...files], { cwd: ROOT, encoding: 'utf8' });

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

  it('the verifier CLI says OK per chain on the export, and names the first break of a tampered one (exit 1)', async () => {
    const { documents } = await monthDocuments(ds, F.ruiz.id, MONTH);
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-vf-cli-'));
    const good = path.join(dir, 'good.xml');
    writeFileSync(good, documents[0]!.xml);
    const ok = cli(good);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`OK     ${F.ruiz.nif} HQ-${F.ruiz.nif} (8 records, from its first record)`);
    expect(ok.stdout).toContain(`OK     ${F.ruiz.nif} ${F.t1.installation}`);
    expect(ok.stdout).toMatch(/3 chains, \d+ records, 0 broken/);

    // Raise the amount of the 5th record of till M001-02 by one euro: its huella no longer matches its fields.
    const parsed = parseRegFactu(documents[0]!.xml);
    const victim = parsed.records.filter((r) => r.record.installation === F.t2.installation)[4]!.record;
    const [units, cents] = victim.grandTotal!.split('.');
    const forged = `${Number(units) + 1}.${cents}`;
    const needle = `<sf:NumSerieFactura>${victim.invoiceNumber}</sf:NumSerieFactura>`;
    const at = documents[0]!.xml.indexOf(needle);
    const end = documents[0]!.xml.indexOf('</sf:RegistroAlta>', at);
    const tamperedXml = documents[0]!.xml.slice(0, at) + documents[0]!.xml.slice(at, end).replace(`<sf:ImporteTotal>${victim.grandTotal}</sf:ImporteTotal>`, `<sf:ImporteTotal>${forged}</sf:ImporteTotal>`) + documents[0]!.xml.slice(end);
    expect(tamperedXml).not.toBe(documents[0]!.xml);
    const bad = path.join(dir, 'tampered.xml');
    writeFileSync(bad, tamperedXml);
    const r = cli(bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`BROKEN ${F.ruiz.nif} ${F.t2.installation}`);
    expect(r.stdout).toContain(`record 5 (${victim.invoiceNumber}) HASH_MISMATCH`);
    expect(r.stdout).toContain(`OK     ${F.ruiz.nif} ${F.t1.installation}`);

    // A record removed from the middle: the next one's link breaks.
    const third = parsed.records.filter((r) => r.record.installation === F.t1.installation)[2]!.record;
    const start = documents[0]!.xml.lastIndexOf('<sum:RegistroFactura>', documents[0]!.xml.indexOf(`<sf:NumSerieFactura>${third.invoiceNumber}</sf:NumSerieFactura>`));
    const stop = documents[0]!.xml.indexOf('</sum:RegistroFactura>', start) + '</sum:RegistroFactura>'.length;
    const gap = path.join(dir, 'gap.xml');
    writeFileSync(gap, documents[0]!.xml.slice(0, start) + documents[0]!.xml.slice(stop));
    const g = cli(gap);
    expect(g.status).toBe(1);
    expect(g.stdout).toMatch(new RegExp(`BROKEN ${F.ruiz.nif} ${F.t1.installation} .*record 3 .*PREVIOUS_HASH_MISMATCH`));
    expect(cli(path.join(dir, 'missing.xml')).status).toBe(2);
  }, 60_000);
});
