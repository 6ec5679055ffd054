/**
 * XAdES-EPES enveloped signature of a Facturae document, as the Facturae signature policy v3.1 asks:
 * one ds:Signature as the last child of fe:Facturae; SignedInfo (inclusive C14N, RSA-SHA256) references the
 * whole document (URI="", enveloped-signature transform) and the SignedProperties (Type …#SignedProperties);
 * SignedProperties carry SigningTime, SigningCertificate (SHA-256 digest + issuer/serial), the policy
 * identifier "Política de Firma FacturaE v3.1" with its SHA-1 digest, SignerRole "emisor" and the
 * DataObjectFormat of the signed document (text/xml); KeyInfo carries the certificate.
 *
 * xadesjs (PeculiarVentures, on xmldsigjs) builds and checks XAdES: it knows the qualifying properties, so we
 * do not hand-assemble SignedProperties and their digest. Node's own WebCrypto is its engine.
 */
import { webcrypto } from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { loadXades } from '../../platform/heavy-libs';

/** xadesjs on first use (platform/heavy-libs.ts), with Node's WebCrypto as its engine. */
const xadesJs = () =>
  loadXades((x) => {
    x.Application.setEngine('NodeJS', webcrypto as unknown as Crypto);
    // xml-core (under xadesjs) parses and serialises with the DOM it is given: @xmldom/xmldom on Node.
    x.setNodeDependencies({ DOMParser, XMLSerializer });
  });

export const FACTURAE_POLICY = {
  identifier: 'http://www.facturae.es/politica_de_firma_formato_facturae/politica_de_firma_formato_facturae_v3_1.pdf',
  description: 'Política de Firma FacturaE v3.1',
  /** SHA-1 of the policy PDF, as published with it. */
  sha1: 'Ohixl6upD6av8N7pEvDABhEL6hM=',
} as const;

const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface SignInput {
  xml: string;
  certB64: string;
  keyPkcs8: Buffer;
  signingTime: Date;
  /** Distinguishes the ids of the signature's elements (the invoice id). */
  idSeed: string;
}

/** The signed document (UTF-8 XML with its declaration). */
export async function signFacturae(input: SignInput): Promise<string> {
  const xades = await xadesJs();
  const doc = xades.Parse(input.xml);
  const key = await webcrypto.subtle.importKey('pkcs8', input.keyPkcs8, ALG, false, ['sign']);
  const seed = input.idSeed.replace(/[^A-Za-z0-9]/g, '').slice(-12);
  const signed = new xades.SignedXml();
  // Its Id (`id-<random>`) is the QualifyingProperties' Target: keep the one xadesjs made.
  const docRef = `Reference-Document-${seed}`;
  const dof = new xades.xml.DataObjectFormat();
  dof.ObjectReference = `#${docRef}`;
  dof.Description = 'Factura electrónica';
  dof.MimeType = 'text/xml';
  signed.SignedProperties.SignedDataObjectProperties.DataObjectFormats.Add(dof);
  const signature = await signed.Sign(ALG, key, doc, {
    x509: [input.certB64],
    references: [{ id: docRef, uri: '', hash: 'SHA-256', transforms: ['enveloped'] }],
    signingCertificate: { certificate: input.certB64, digestAlgorithm: 'SHA-256' },
    signingTime: { value: input.signingTime },
    policy: {
      hash: 'SHA-1',
      digestValue: FACTURAE_POLICY.sha1,
      identifier: { value: FACTURAE_POLICY.identifier, description: FACTURAE_POLICY.description },
    },
    signerRole: { claimed: ['emisor'] },
  });
  doc.documentElement.appendChild(signature.GetXml()!);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc.documentElement as never)}`;
}

export interface Verification {
  ok: boolean;
  /** Why not, when not. */
  reason?: string;
  /** The certificate in KeyInfo (base64 DER) that the signature verified with. */
  certB64?: string;
  /** The Reference URIs/Types the SignedInfo covers. */
  references: Array<{ uri: string; type: string | null }>;
}

/**
 * Checks a signed Facturae: the SignatureValue over SignedInfo with the KeyInfo certificate's key, every
 * Reference's digest (the document and the SignedProperties), and that SigningCertificate names that
 * certificate. Anything missing or changed → ok: false with the reason.
 */
export async function verifyFacturae(xml: string): Promise<Verification> {
  const xades = await xadesJs();
  const doc = xades.Parse(xml);
  const sigs = doc.getElementsByTagNameNS(DS_NS, 'Signature');
  if (sigs.length !== 1) return { ok: false, reason: `expected one ds:Signature, found ${sigs.length}`, references: [] };
  const signed = new xades.SignedXml(doc);
  try {
    signed.LoadXml(sigs[0]!);
  } catch (e) {
    return { ok: false, reason: `unreadable signature: ${(e as Error).message}`, references: [] };
  }
  const references = signed.XmlSignature.SignedInfo.References.GetIterator().map((r) => ({ uri: r.Uri ?? '', type: r.Type || null }));
  if (!references.some((r) => r.uri === '') || !references.some((r) => r.type === 'http://uri.etsi.org/01903#SignedProperties')) {
    return { ok: false, reason: 'SignedInfo must reference the document and the SignedProperties', references };
  }
  let ok: boolean;
  try {
    ok = await signed.Verify();
  } catch (e) {
    return { ok: false, reason: (e as Error).message, references };
  }
  if (!ok) return { ok: false, reason: 'a digest or the signature value does not match', references };
  try {
    // protected in xadesjs: the SigningCertificate property must name the KeyInfo certificate (digest, issuer, serial).
    const cert = await (signed as unknown as { VerifySigningCertificate(): Promise<{ GetRaw(): Uint8Array } | null> }).VerifySigningCertificate();
    if (!cert) return { ok: false, reason: 'no SigningCertificate', references };
    return { ok: true, certB64: Buffer.from(cert.GetRaw()).toString('base64'), references };
  } catch (e) {
    return { ok: false, reason: (e as Error).message, references };
  }
}
