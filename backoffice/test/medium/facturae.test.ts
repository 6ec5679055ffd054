/**
 * Facturae 3.2.2 signed XAdES-EPES (issue 12, must-be-true 4) on both engines, over HTTP: an HQ admin uploads
 * a self-signed PKCS#12 made here with the openssl CLI (wrong password, expired certificate, a franchisee
 * manager: refused, nothing stored); a posted invoice to a public body (DIR3 centres, IRPF), one to an
 * individual in recargo de equivalencia and a credit note are downloaded as Facturae; each validates with
 * `xmllint --nonet --schema` against the Facturae XSD, its signature verifies (SignatureValue, both Reference
 * digests incl. SignedProperties, SigningCertificate = the KeyInfo certificate = the uploaded one), and a
 * tampered amount or signing time breaks it. No or an expired certificate at signing: 409, nothing stored.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import * as bo from '../../src/persistence/entities';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { createFacturaeService } from '../../src/invoicing/facturae/service';
import { verifyFacturae } from '../../src/invoicing/facturae/sign';
import type { DocumentActor } from '../../src/platform/actor';

const XSD = path.resolve(import.meta.dirname, '../../../../shared/fixtures/schemas/facturae/Facturaev3_2_2.xsd');
const DAY = 86_400_000;
// Real time (five minutes ahead): the certificate the openssl CLI makes is valid from now for 30 days.
const T0 = Date.now() + 5 * 60_000;
const clock = { now: () => T0 };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const PUBLIC_BODY = { id: '00000000-0000-7000-8008-0000000000a1', nif: 'P2807900B', name: 'Ayuntamiento de Ejemplo' };
const PERSON = { id: '00000000-0000-7000-8008-0000000000a2', nif: '12345678Z', name: 'María López García' };

const P12_PASSWORD = 'clave-de-prueba';

/** A self-signed RSA certificate and its PKCS#12, made by the openssl CLI (AES-256/PBKDF2 as OpenSSL 3 writes them). */
function opensslP12(work: string): { p12: Buffer; certPem: string; keyPem: string } {
  const key = path.join(work, 'key.pem');
  const cert = path.join(work, 'cert.pem');
  const p12 = path.join(work, 'cert.p12');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/C=ES/O=Franquicia S.L./CN=FRANQUICIA SL - B87654321'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', `pass:${P12_PASSWORD}`], { stdio: 'ignore' });
  return { p12: readFileSync(p12), certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

/** An expired certificate (valid 400 → 1 days ago), made with node-forge (the CLI cannot backdate). */
function expiredP12(): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = new Date(T0 - 400 * DAY);
  cert.validity.notAfter = new Date(T0 - DAY);
  const name = [{ name: 'commonName', value: 'CADUCADO' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], P12_PASSWORD, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function xsdErrors(work: string, xml: string, name: string): string {
  const file = path.join(work, name);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--nonet', '--noout', '--schema', XSD, file], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

/** Text of the first `<tag>` after `after` (a plain look-up: the tests know the document's order). */
const first = (xml: string, tag: string, after = '') => {
  const from = after ? xml.indexOf(after) : 0;
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml.slice(from));
  return m?.[1];
};

describe.each(engines)('Facturae on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hqToken: string;
  let ruizToken: string;
  // Made before the server starts: the CLI blocks for a moment, which would let idle keep-alive sockets drop.
  const work = mkdtempSync(path.join(tmpdir(), 'tpv-facturae-'));
  const good = opensslP12(work);
  const expired = expiredP12();
  const ids: Record<string, string> = {};
  const count = async (sql: string) => Number((await all<{ n: unknown }>(h.ds.manager, sql))[0]!.n);
  const post = (input: DraftInvoiceInput) => writeTransaction(h.ds, async (m) => postInvoice(m, clock, hq, (await insertDraftInvoice(m, clock, hq, input)).id));

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hqToken = await h.login(F.hq);
    ruizToken = await h.login(F.managerRuiz);
    await exec(h.ds.manager, `UPDATE company SET street = ?, postal_code = ?, city = ?, province = ?, country = 'ES', iban = ? WHERE id = ?`, ['Calle de Alcalá 100', '28009', 'Madrid', 'Madrid', 'ES9121000418450200051332', F.franchisor.id]);
    await h.ds.manager.insert(bo.CustomerEntity, [
      { id: PUBLIC_BODY.id, nif: PUBLIC_BODY.nif, name: PUBLIC_BODY.name, email: null, reRegime: false, creditLimitCents: 0, active: true, version: 1 },
      { id: PERSON.id, nif: PERSON.nif, name: PERSON.name, email: null, reRegime: true, creditLimitCents: 0, active: true, version: 1 },
    ]);

    // A: to the public body, IRPF 15 %, two instalments.
    //   L1 3 × 250,00 − 10 % = 675,00 (TotalCost 750,00, discount 75,00), IVA 21 %
    //   L2 2,5 × 12,35 = 30,875 → 30,88, IVA 10 %;  L3 1 × 100,00, IVA 21 %
    //   21 %: base 775,00 → IVA 162,75;  10 %: base 30,88 → IVA 3,088 → 3,09
    //   base 805,88; IVA 165,84; IRPF 15 % × 805,88 = 120,882 → 120,88; total 805,88 + 165,84 − 120,88 = 850,84 = 2 × 425,42
    const a = await post({
      companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual',
      recipient: { customerId: PUBLIC_BODY.id, nif: PUBLIC_BODY.nif, name: PUBLIC_BODY.name, address: 'Plaza Mayor 1, 28012 Madrid' },
      irpfBp: 1500, paymentDays: [30, 60], paymentMethod: 'transfer', description: 'Servicios noviembre',
      lines: [
        { description: 'Consultoría', quantityMilli: 3000, unitPriceCents: 25_000, discountBp: 1000, ivaRateBp: 2100 },
        { description: 'Material', quantityMilli: 2500, unitPriceCents: 1235, ivaRateBp: 1000 },
        { description: 'Formación', quantityMilli: 1000, unitPriceCents: 10_000, ivaRateBp: 2100 },
      ],
    });
    ids.a = a.id;
    // B: to an individual retailer in recargo de equivalencia (address only as the invoice's one line).
    //   L1 10 × 4,99 = 49,90: IVA 21 % 10,479 → 10,48; RE 5,2 % 2,5948 → 2,59
    //   L2 4 × 2,50 = 10,00: IVA 4 % 0,40; RE 0,5 % 0,05
    //   base 59,90; IVA 10,88; RE 2,64; TotalTaxOutputs 13,52; total 73,42
    const b = await post({
      companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', reRegime: true,
      recipient: { customerId: PERSON.id, nif: PERSON.nif, name: PERSON.name, address: 'Calle Mayor 5, 46001 Valencia' },
      lines: [
        { description: 'Producto A', quantityMilli: 10_000, unitPriceCents: 499, ivaRateBp: 2100, reRateBp: 520 },
        { description: 'Producto B', quantityMilli: 4000, unitPriceCents: 250, ivaRateBp: 400, reRateBp: 50 },
      ],
    });
    ids.b = b.id;
    // C: credit note by difference on A: −1 × 100,00 at 21 %, IRPF 15 %: base −100,00, IVA −21,00, IRPF −15,00, total −106,00.
    const c = await post({
      companyId: F.franchisor.id, invoiceType: 'R1', source: 'credit', irpfBp: 1500,
      recipient: { customerId: PUBLIC_BODY.id, nif: PUBLIC_BODY.nif, name: PUBLIC_BODY.name, address: 'Plaza Mayor 1, 28012 Madrid' },
      rectifies: { invoiceId: a.id, method: 'I', reason: 'Formación no impartida' },
      lines: [{ description: 'Abono formación', quantityMilli: -1000, unitPriceCents: 10_000, ivaRateBp: 2100 }],
    });
    ids.c = c.id;
  });
  afterAll(async () => h?.teardown());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses without a certificate, with a wrong password, an expired certificate or a franchisee manager: nothing stored', async () => {
    const none = await h.api('GET', `/api/invoices/${ids.a}/facturae`, { token: hqToken });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: 'FACTURAE_NO_CERTIFICATE', errors: [{ path: 'certificate' }] });

    const put = (token: string, p12: Buffer, password: string) => h.api('PUT', `/api/companies/${F.franchisor.id}/facturae-certificate`, { token, body: { p12Base64: p12.toString('base64'), password } });
    const wrong = await put(hqToken, good.p12, 'otra');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: 'CERTIFICATE_PASSWORD_WRONG', errors: [{ path: 'password' }] });
    const old = await put(hqToken, expired, P12_PASSWORD);
    expect(old.status).toBe(422);
    expect(old.body).toMatchObject({ code: 'CERTIFICATE_EXPIRED', errors: [{ path: 'p12' }] });
    const garbage = await put(hqToken, Buffer.from('not a pkcs12 file at all'), P12_PASSWORD);
    expect(garbage.status).toBe(422);
    expect(garbage.body).toMatchObject({ errors: [{ path: 'p12' }] });
    // Uploading is an HQ admin's (invoicing.admin), even for the manager's own company.
    expect((await h.api('PUT', `/api/companies/${F.ruiz.id}/facturae-certificate`, { token: ruizToken, body: { p12Base64: good.p12.toString('base64'), password: P12_PASSWORD } })).status).toBe(403);

    expect(await count(`SELECT COUNT(*) AS n FROM facturae_certificate`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_document`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM stored_file WHERE purpose = 'facturae'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'facturae%'`)).toBe(0);
  });

  it('keeps an uploaded certificate with its key sealed, shows what it says, and audits without secrets', async () => {
    const up = await h.api('PUT', `/api/companies/${F.franchisor.id}/facturae-certificate`, { token: hqToken, body: { p12Base64: good.p12.toString('base64'), password: P12_PASSWORD } });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ companyId: F.franchisor.id, subject: expect.stringContaining('CN=FRANQUICIA SL - B87654321'), expired: false });
    expect(Date.parse(up.body.notAfter) - T0).toBeGreaterThan(29 * DAY);
    const shown = await h.api('GET', `/api/companies/${F.franchisor.id}/facturae-certificate`, { token: hqToken });
    expect(shown.body.certificate).toMatchObject({ subject: up.body.subject, serialNumber: up.body.serialNumber });
    const list = await h.api('GET', '/api/facturae/certificates', { token: ruizToken });
    expect(list.body.items.map((i: { companyId: string }) => i.companyId)).toEqual([F.ruiz.id]); // the manager's own company only

    const [row] = await all<{ key_sealed: string; cert_der: string }>(h.ds.manager, `SELECT key_sealed, cert_der FROM facturae_certificate`);
    const keyB64 = good.keyPem.replace(/-----[^-]+-----|\s/g, '');
    expect(row!.key_sealed.startsWith('v1.')).toBe(true);
    expect(row!.key_sealed).not.toContain(keyB64.slice(40, 100));
    const audit = await all<{ action: string; before_json: string | null; after_json: string | null }>(h.ds.manager, `SELECT * FROM audit_log WHERE action LIKE 'facturae%'`);
    expect(audit.map((a) => a.action)).toEqual(['facturae_certificate.upload']);
    const auditText = JSON.stringify(audit);
    expect(auditText).not.toContain(P12_PASSWORD);
    expect(auditText).not.toContain(row!.key_sealed.slice(10, 40));
    expect(auditText).not.toContain(keyB64.slice(40, 100));
  });

  it('lets HQ give a public body its DIR3 centres; an incomplete set is refused naming the fields', async () => {
    const bad = await h.api('PUT', `/api/facturae/recipients/customer/${PUBLIC_BODY.id}`, { token: hqToken, body: { wantsFacturae: true, oficinaContable: 'L01280796' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['organoGestor', 'unidadTramitadora'].map((p) => p));
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_recipient`)).toBe(0);
    const ok = await h.api('PUT', `/api/facturae/recipients/customer/${PUBLIC_BODY.id}`, {
      token: hqToken,
      body: { wantsFacturae: true, oficinaContable: 'L01280796', organoGestor: 'L01280796', unidadTramitadora: 'LA0001234', street: 'Plaza Mayor 1', postalCode: '28012', town: 'Madrid' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ wantsFacturae: true, province: 'Madrid', unidadTramitadora: 'LA0001234', nif: PUBLIC_BODY.nif });
    expect((await h.api('PUT', `/api/facturae/recipients/customer/${PUBLIC_BODY.id}`, { token: ruizToken, body: { wantsFacturae: false } })).status).toBe(403);
  });

  it('makes the invoice to the public body: valid against the XSD, amounts that add up, signature that verifies; a tampered amount breaks it', async () => {
    const r = await fetch(`${h.url}/api/invoices/${ids.a}/facturae`, { headers: { authorization: `Bearer ${hqToken}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/xml/);
    const xml = await r.text();
    expect(xsdErrors(work, xml, 'a.xsig')).toBe('');
    // Totals worked out by hand in beforeAll.
    expect(first(xml, 'TotalGrossAmount')).toBe('805.88');
    expect(first(xml, 'TotalGrossAmountBeforeTaxes')).toBe('805.88');
    expect(first(xml, 'TotalTaxOutputs')).toBe('165.84');
    expect(first(xml, 'TotalTaxesWithheld')).toBe('120.88');
    expect(first(xml, 'InvoiceTotal')).toBe('850.84');
    expect(first(xml, 'TotalExecutableAmount', '<InvoiceTotals>')).toBe('850.84');
    expect(first(xml, 'TotalAmount', '<TotalInvoicesAmount>')).toBe('850.84');
    expect([...xml.matchAll(/<InstallmentAmount>([^<]*)</g)].map((m) => m[1])).toEqual(['425.42', '425.42']);
    expect(first(xml, 'TotalCost')).toBe('750.00');
    expect(first(xml, 'DiscountAmount')).toBe('75.00');
    expect(xml).toContain('<TaxesWithheld><Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>15.00</TaxRate><TaxableBase><TotalAmount>805.88</TotalAmount></TaxableBase><TaxAmount><TotalAmount>120.88</TotalAmount></TaxAmount></Tax></TaxesWithheld>');
    expect([...xml.matchAll(/<CentreCode>([^<]*)<\/CentreCode><RoleTypeCode>([^<]*)</g)].map((m) => `${m[2]}:${m[1]}`)).toEqual(['01:L01280796', '02:L01280796', '03:LA0001234']);
    expect(xml).toContain('<PersonTypeCode>J</PersonTypeCode><ResidenceTypeCode>R</ResidenceTypeCode><TaxIdentificationNumber>P2807900B</TaxIdentificationNumber>');
    expect(xml).toContain('<IBAN>ES9121000418450200051332</IBAN>');

    // The XAdES-EPES elements Facturae's policy asks for.
    expect(xml).toContain('politica_de_firma_formato_facturae_v3_1.pdf');
    expect(xml).toContain('Ohixl6upD6av8N7pEvDABhEL6hM=');
    expect(xml).toMatch(/<xades:ClaimedRole>emisor<\/xades:ClaimedRole>/);
    expect(xml).toMatch(/<xades:SigningTime>/);

    const v = await verifyFacturae(xml);
    expect(v).toMatchObject({ ok: true });
    expect(v.references).toEqual(expect.arrayContaining([{ uri: '', type: null }, expect.objectContaining({ type: 'http://uri.etsi.org/01903#SignedProperties' })]));
    // The KeyInfo certificate is the one uploaded.
    expect(v.certB64).toBe(good.certPem.replace(/-----[^-]+-----|\s/g, ''));

    // Tampering: an amount (still schema-valid), the signing time (SignedProperties), the signature value.
    const tamperedAmount = xml.replace('<InvoiceTotal>850.84</InvoiceTotal>', '<InvoiceTotal>950.84</InvoiceTotal>');
    expect(tamperedAmount).not.toBe(xml);
    expect(xsdErrors(work, tamperedAmount, 'tampered.xsig')).toBe('');
    expect(await verifyFacturae(tamperedAmount)).toMatchObject({ ok: false });
    const tamperedTime = xml.replace(/<xades:SigningTime>(\d{4})/, (_, y: string) => `<xades:SigningTime>${Number(y) - 1}`);
    expect(tamperedTime).not.toBe(xml);
    expect(await verifyFacturae(tamperedTime)).toMatchObject({ ok: false });
    const tamperedValue = xml.replace(/<ds:SignatureValue([^>]*)>(.)/, (_, attrs: string, c: string) => `<ds:SignatureValue${attrs}>${c === 'A' ? 'B' : 'A'}`);
    expect(await verifyFacturae(tamperedValue)).toMatchObject({ ok: false });

    // Asked again: the same stored file, one document row, one audit entry.
    const again = await fetch(`${h.url}/api/invoices/${ids.a}/facturae`, { headers: { authorization: `Bearer ${hqToken}` } });
    expect(again.headers.get('x-file-id')).toBe(r.headers.get('x-file-id'));
    expect(await again.text()).toBe(xml);
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_document`)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invoice.facturae'`)).toBe(1);
    // The file is in the files area, in the issuing company's scope: the other franchisee cannot read it.
    const fileId = r.headers.get('x-file-id')!;
    expect((await h.api('GET', `/api/files/${fileId}`, { token: ruizToken })).status).toBe(403);
    expect((await h.api('GET', `/api/invoices/${ids.a}/facturae`, { token: ruizToken })).status).toBe(404);
  });

  it('makes an individual’s invoice with recargo and a credit note (Corrective), both valid and verified', async () => {
    const b = await (await fetch(`${h.url}/api/invoices/${ids.b}/facturae`, { headers: { authorization: `Bearer ${hqToken}` } })).text();
    expect(xsdErrors(work, b, 'b.xsig')).toBe('');
    expect(b).toContain(`<Individual><Name>María</Name><FirstSurname>López</FirstSurname><SecondSurname>García</SecondSurname><AddressInSpain><Address>Calle Mayor 5</Address><PostCode>46001</PostCode><Town>Valencia</Town><Province>Valencia</Province>`);
    expect(b).toContain('<PersonTypeCode>F</PersonTypeCode>');
    expect([...b.matchAll(/<EquivalenceSurchargeAmount><TotalAmount>([^<]*)</g)].map((m) => m[1])).toEqual(['2.59', '0.05']);
    expect(first(b, 'TotalTaxOutputs')).toBe('13.52'); // 10,88 IVA + 2,64 recargo
    expect(first(b, 'InvoiceTotal')).toBe('73.42');
    expect(await verifyFacturae(b)).toMatchObject({ ok: true });

    const c = await (await fetch(`${h.url}/api/invoices/${ids.c}/facturae`, { headers: { authorization: `Bearer ${hqToken}` } })).text();
    expect(xsdErrors(work, c, 'c.xsig')).toBe('');
    expect(first(c, 'InvoiceClass')).toBe('OR');
    expect(first(c, 'InvoiceNumber', '<Corrective>')).toMatch(/^FV-\d{4}-000001$/);
    expect(first(c, 'CorrectionMethod')).toBe('02');
    expect(first(c, 'TotalTaxesWithheld')).toBe('-15.00');
    expect(first(c, 'InvoiceTotal')).toBe('-106.00');
    expect(await verifyFacturae(c)).toMatchObject({ ok: true });
  });

  it('refuses to sign with a certificate that has expired since it was uploaded, storing nothing', async () => {
    const d = await post({
      companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual',
      recipient: { customerId: PUBLIC_BODY.id, nif: PUBLIC_BODY.nif, name: PUBLIC_BODY.name },
      lines: [{ description: 'Alquiler', quantityMilli: 1000, unitPriceCents: 50_000, ivaRateBp: 2100 }],
    });
    const later = createFacturaeService(h.ds, { now: () => T0 + 60 * DAY }, h.server.files);
    const user = { id: hq.kind === 'user' ? hq.user.id : '', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } as never;
    await expect(later.document(user, d.id)).rejects.toMatchObject({ problem: { status: 409, code: 'FACTURAE_CERTIFICATE_EXPIRED' } });
    expect(await count(`SELECT COUNT(*) AS n FROM facturae_document WHERE invoice_id = '${d.id}'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM stored_file WHERE purpose = 'facturae'`)).toBe(3);
  });
});
