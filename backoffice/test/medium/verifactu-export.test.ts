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
import { buildRegFactu, parseRegFactu } from '../../src/verifactu/xml';
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
    // Madrid 1 sells 150 tickets a day: Ruiz's week is over 1,000 records, so its export needs two documents.
    await seedMonth(ds, { ticketsPerDayM1: 150 });
  }, 120_000);
  afterAll(async () => teardown?.());

  it("exports Ruiz's month: valid against the XSD, every record once, chains verify", async () => {
    const { documents, chains } = await monthDocuments(ds, F.ruiz.id, MONTH);
    // The schema caps a document at 1,000 records: 1,000 in the first, the rest in the second, both valid.
    expect(documents.map((d) => d.records)[0]).toBe(1000);
    expect(documents).toHaveLength(2);
    for (const d of documents) expect(xsdErrors(d.xml)).toBe('');
    const xml = documents.map((d) => d.xml).join('\n');

    const tickets = Number((await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM sale_ticket t JOIN store s ON s.id = t.store_id WHERE s.company_id = ?`, [F.ruiz.id]))[0]!.n);
    const hq = Number((await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM hq_fiscal_record WHERE company_id = ?`, [F.ruiz.id]))[0]!.n);
    // 7 invoices posted + 1 anulación = 8 back-office records.
    expect(hq).toBe(8);
    expect(documents[0]!.records + documents[1]!.records).toBe(tickets + hq);
    expect(tickets).toBeGreaterThan(1000);
    expect(chains.map((c) => c.installation)).toEqual([`HQ-${F.ruiz.nif}`, F.t1.installation, F.t2.installation]);

    const parts = documents.map((d) => parseRegFactu(d.xml));
    expect(parts.every((p) => p.issuer.nif === F.ruiz.nif)).toBe(true);
    const parsed = { records: parts.flatMap((p) => p.records) };
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
    expect(() => buildRegFactu({ nif: F.ruiz.nif, name: 'Ruiz' }, Array.from({ length: 1001 }, () => parsed.records[0]!) as never, {} as never)).toThrow(RangeError);
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
    const good2 = path.join(dir, 'good-2.xml');
    writeFileSync(good, documents[0]!.xml);
    writeFileSync(good2, documents[1]!.xml);
    // Both parts of the export, in order: every chain from its first record.
    const ok = cli(good, good2);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`OK     ${F.ruiz.nif} HQ-${F.ruiz.nif} (8 records, from its first record)`);
    expect(ok.stdout).toContain(`OK     ${F.ruiz.nif} ${F.t1.installation}`);
    expect(ok.stdout).toContain(`OK     ${F.ruiz.nif} ${F.t2.installation}`);
    expect(ok.stdout).toContain(`3 chains, ${documents[0]!.records + documents[1]!.records} records, 0 broken`);
    // The second part alone: its chain continues from the last huella of the first (the anchor), and verifies.
    const second = cli(good2);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`OK     ${F.ruiz.nif} ${F.t2.installation} \\(\\d+ records, continues [0-9A-F]{12}…\\)`));

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
