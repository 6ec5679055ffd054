import vectors from '../../../../shared/fixtures/verifactu-vectors.json';
import { describe, expect, it } from 'vitest';
import {
  ALTA_HUELLA_FIELDS,
  ANULACION_HUELLA_FIELDS,
  altaHuella,
  altaHuellaInput,
  anulacionHuella,
  anulacionHuellaInput,
  type AltaHuellaFields,
  type AnulacionHuellaFields,
} from '../../src/fiscal/huella';
import { createAlta, createAnulacion, type FiscalRecord } from '../../src/fiscal/record';
import { unwrap } from '../../src/result';

interface Fixture {
  alta_field_order: string[];
  anulacion_field_order: string[];
  vectors: { kind: 'alta' | 'anulacion'; fields: Record<string, string>; input?: string; huella: string }[];
  qr: { example: string; production_base: string; non_verifactu_base: string };
}

// The AEAT fixture lives beside the repo (/work/shared/fixtures). Imported as JSON rather than read with
// node:fs because the lint fence (no Node built-ins) covers all of shared/, tests included.
const fixture = vectors as unknown as Fixture;

describe('AEAT huella vectors (verifactu-vectors.json)', () => {
  it('uses the field orders of the fixture', () => {
    expect([...ALTA_HUELLA_FIELDS]).toEqual(fixture.alta_field_order);
    expect([...ANULACION_HUELLA_FIELDS]).toEqual(fixture.anulacion_field_order);
  });

  it('has the three vectors', () => {
    expect(fixture.vectors.map((v) => v.kind)).toEqual(['alta', 'alta', 'anulacion']);
  });

  it('reproduces the exact input string of the first vector', () => {
    const v = fixture.vectors[0]!;
    expect(altaHuellaInput(v.fields as AltaHuellaFields)).toBe(v.input);
    expect(altaHuellaInput(v.fields as AltaHuellaFields)).toBe(
      'IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024&TipoFactura=F1' +
        '&CuotaTotal=12.35&ImporteTotal=123.45&Huella=&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00',
    );
  });

  it.each(fixture.vectors.map((v, i) => [i, v] as const))('vector %i: huella', (_i, v) => {
    const h = v.kind === 'alta' ? altaHuella(v.fields as AltaHuellaFields) : anulacionHuella(v.fields as AnulacionHuellaFields);
    expect(h).toBe(v.huella);
  });

  it('trims values and writes empty ones as name=', () => {
    const v = fixture.vectors[0]!;
    const padded = Object.fromEntries(Object.entries(v.fields).map(([k, val]) => [k, ` ${val}  `])) as AltaHuellaFields;
    expect(altaHuellaInput(padded)).toBe(v.input);
    expect(altaHuella(padded)).toBe(v.huella);
    const anul = anulacionHuellaInput({
      IDEmisorFacturaAnulada: 'A',
      NumSerieFacturaAnulada: '',
      FechaExpedicionFacturaAnulada: ' ',
      Huella: '',
      FechaHoraHusoGenRegistro: 'T',
    });
    expect(anul).toBe('IDEmisorFacturaAnulada=A&NumSerieFacturaAnulada=&FechaExpedicionFacturaAnulada=&Huella=&FechaHoraHusoGenRegistro=T');
  });

  it('createAlta/createAnulacion rebuild the three AEAT records as a chain', () => {
    // 2024-01-01T19:20:30+01:00 is 18:20:30 UTC.
    const at = (s: number) => Date.UTC(2024, 0, 1, 18, 20, s);
    const base = { installation: 'T1', issuerNif: '89890001K', invoiceType: 'F1' as const, taxCents: 1235, totalCents: 12345 };
    const r1 = unwrap(createAlta({ ...base, invoiceNumber: '12345678/G33', generatedAtMs: at(30) }, null));
    const r2 = unwrap(createAlta({ ...base, invoiceNumber: '12345679/G34', generatedAtMs: at(35) }, r1));
    const r3 = unwrap(
      createAnulacion({ installation: 'T1', issuerNif: '89890001K', invoiceNumber: '12345679/G34', issueDate: '01-01-2024', generatedAtMs: at(40) }, r2),
    );
    expect([r1.hash, r2.hash, r3.hash]).toEqual(fixture.vectors.map((v) => v.huella));
    expect(r1).toEqual<FiscalRecord>({
      kind: 'alta',
      installation: 'T1',
      issuerNif: '89890001K',
      invoiceNumber: '12345678/G33',
      issueDate: '01-01-2024',
      invoiceType: 'F1',
      taxTotal: '12.35',
      grandTotal: '123.45',
      previousHash: '',
      generatedAt: '2024-01-01T19:20:30+01:00',
      hash: '3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60',
    });
    expect(r3).toEqual<FiscalRecord>({
      kind: 'anulacion',
      installation: 'T1',
      issuerNif: '89890001K',
      invoiceNumber: '12345679/G34',
      issueDate: '01-01-2024',
      previousHash: 'F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97',
      generatedAt: '2024-01-01T19:20:40+01:00',
      hash: '177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68',
    });
  });
});
